package org.anyseg.ops.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;

/**
 * Where models come from: the demo model bundled in the jar, and one sub-folder per model
 * in the model folder ({@code ANYSEG_MODELS}, else the system property
 * {@code anyseg.models}, else {@code ~/.anyseg/models}).
 */
public final class ModelCatalog {

	/** Name of the bundled demo model. */
	public static final String DEMO = "demo";
	private static final String DEMO_DIR = "org/anyseg/models/demo/";

	private final Path modelFolder;

	public ModelCatalog(final Path modelFolder) {
		this.modelFolder = modelFolder;
	}

	public static ModelCatalog standard() {
		final String env = System.getenv("ANYSEG_MODELS");
		final String prop = System.getProperty("anyseg.models");
		final Path p = env != null && !env.isBlank() ? Paths.get(env) : prop != null ? Paths.get(
			prop) : Paths.get(System.getProperty("user.home"), ".anyseg", "models");
		return new ModelCatalog(p);
	}

	public Path modelFolder() {
		return modelFolder;
	}

	/** The bundled demo model's files. */
	public static List<ModelFile> demoFiles() {
		return List.of(ModelFile.ofResource(DEMO_DIR + "encoder.onnx"), ModelFile.ofResource(
			DEMO_DIR + "decoder.onnx"));
	}

	/**
	 * Resolves {@code demo}, a folder path, or the name of a folder inside the model folder.
	 */
	public List<ModelFile> resolve(final String model) {
		if (DEMO.equals(model)) return demoFiles();
		final Path p = Paths.get(model);
		if (Files.isDirectory(p)) return ModelLoader.filesIn(p);
		final Path named = modelFolder.resolve(model);
		if (Files.isDirectory(named)) return ModelLoader.filesIn(named);
		throw new AnySegException("Unknown model '" + model + "': it is neither 'demo', a " +
			"folder, nor a model installed in " + modelFolder + ". Run 'models list' to see " +
			"what is available.");
	}

	/**
	 * Installs a model from a folder of {@code .onnx} files: checks that the files load and
	 * match a supported family, then copies them into {@code modelFolder/name} (through a
	 * temporary folder renamed at the end, so a failed import leaves nothing behind).
	 *
	 * @return the family detected
	 */
	public String importFolder(final Path source, final String name) {
		if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.equals(DEMO)) {
			throw new AnySegException("Model name '" + name + "' is not allowed: use letters, " +
				"digits, '.', '_' or '-' (and not 'demo').");
		}
		final Path target = modelFolder.resolve(name);
		if (Files.exists(target)) {
			throw new AnySegException("A model named '" + name + "' is already installed in " +
				modelFolder + ": delete it first or choose another name.");
		}
		final List<ModelFile> files = ModelLoader.filesIn(source);
		final String family;
		try (PromptableModel m = ModelLoader.load(files, RuntimeOptions.defaults().withThreads(1))) {
			family = m.family();
		}
		Path tmp = null;
		try {
			Files.createDirectories(modelFolder);
			tmp = Files.createTempDirectory(modelFolder, "." + name + ".importing");
			for (final ModelFile f : files) {
				Files.copy(f.path(), tmp.resolve(f.path().getFileName()));
			}
			Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			tmp = null;
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot import model into " + target + ": " + e.getMessage() +
				". Check that the model folder is writable and the disk has space.", e);
		}
		finally {
			if (tmp != null) deleteTree(tmp);
		}
		return family;
	}

	private static void deleteTree(final Path dir) {
		try (Stream<Path> s = Files.walk(dir)) {
			s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (final IOException e) {
			// best effort: a hidden leftover folder is ignored by names()
		}
	}

	/**
	 * The family a model's files match, or {@code "unusable: <why>"}; opens the model's
	 * sessions to read their interfaces.
	 */
	public String family(final String name) {
		try (PromptableModel m = ModelLoader.load(resolve(name), RuntimeOptions.defaults()
			.withThreads(1)))
		{
			return m.family();
		}
		catch (final AnySegException e) {
			return "unusable: " + e.getMessage();
		}
	}

	/** Names of the models: {@code demo} first, then installed folders, sorted. */
	public List<String> names() {
		final List<String> names = new ArrayList<>(List.of(DEMO));
		if (Files.isDirectory(modelFolder)) {
			try (Stream<Path> s = Files.list(modelFolder)) {
				s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
					.map(p -> p.getFileName().toString()).sorted().forEach(
					names::add);
			}
			catch (final IOException e) {
				throw new AnySegException("Cannot list model folder " + modelFolder + ": " + e
					.getMessage(), e);
			}
		}
		return names;
	}
}

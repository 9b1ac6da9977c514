package org.anyseg.ops.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
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
		if (Files.isRegularFile(p) && ModelLoader.isCheckpoint(p.getFileName().toString())) {
			return List.of(ModelFile.of(p));
		}
		final Path named = modelFolder.resolve(model);
		if (Files.isDirectory(named)) return ModelLoader.filesIn(named);
		throw new AnySegException("Unknown model '" + model + "': it is neither 'demo', a " +
			"folder, a .pth checkpoint, nor a model installed in " + modelFolder + ". Run 'models list' to see " +
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
		return importModel(source, name);
	}

	/** Suffix of the file beside an imported checkpoint that holds its SHA-256. */
	public static final String SHA256_SUFFIX = ".sha256";

	/**
	 * Installs a model from a folder of {@code .onnx} files or from a PyTorch checkpoint
	 * ({@code .pth}/{@code .pt}): checks that it loads and matches a supported family, then
	 * copies it into {@code modelFolder/name} (through a temporary folder renamed at the end,
	 * so a failed import leaves nothing behind). A checkpoint is kept as it is, with its
	 * SHA-256 beside it ({@code FILE.sha256}) for {@code models verify}; its graphs are built
	 * in memory at each load (under a second), so nothing else is stored.
	 *
	 * @return the family detected
	 */
	public String importModel(final Path source, final String name) {
		if (name == null || !name.matches("[A-Za-z0-9._-]+") || name.equals(DEMO)) {
			throw new AnySegException("Model name '" + name + "' is not allowed: use letters, " +
				"digits, '.', '_' or '-' (and not 'demo').");
		}
		if (Files.isSymbolicLink(modelFolder)) {
			throw new AnySegException("Refusing to import into the model folder " + modelFolder +
				": it is a symbolic link. Set the model folder to the real folder it points to " +
				"(ANYSEG_MODELS or Plugins > AnySeg > Settings).");
		}
		final Path target = modelFolder.resolve(name);
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
			throw new AnySegException("A model named '" + name + "' is already installed in " +
				modelFolder + ": delete it first or choose another name.");
		}
		final boolean checkpoint = Files.isRegularFile(source) && ModelLoader.isCheckpoint(source
			.getFileName().toString());
		final List<ModelFile> files = checkpoint ? List.of(ModelFile.of(source)) : ModelLoader
			.filesIn(source);
		final String family;
		try (PromptableModel m = ModelLoader.detect(files, RuntimeOptions.defaults().withThreads(1))) {
			family = m.family();
		}
		Path tmp = null;
		try {
			Files.createDirectories(modelFolder);
			tmp = Files.createTempDirectory(modelFolder, "." + name + ".importing");
			for (final ModelFile f : files) {
				Files.copy(f.path(), tmp.resolve(f.path().getFileName()));
			}
			if (checkpoint) {
				Files.writeString(tmp.resolve(source.getFileName() + SHA256_SUFFIX), files.get(0)
					.sha256() + "  " + source.getFileName() + "\n");
			}
			final Path config = checkpoint ? null : source.resolve(ModelConfig.FILE);
			if (config != null && Files.isRegularFile(config)) Files.copy(config, tmp.resolve(
				ModelConfig.FILE));
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

	/**
	 * Compares each file with the SHA-256 recorded beside it at import ({@code FILE.sha256}).
	 *
	 * @return what differs, or null when all match (or none was recorded)
	 */
	public static String checkImportedSha256(final List<ModelFile> files) {
		for (final ModelFile f : files) {
			if (f.path() == null) continue;
			final Path rec = f.path().resolveSibling(f.path().getFileName() + SHA256_SUFFIX);
			if (!Files.isRegularFile(rec, LinkOption.NOFOLLOW_LINKS)) continue;
			try {
				final String want = Files.readString(rec).trim().split("\\s+")[0];
				final String has = f.sha256();
				if (!has.equalsIgnoreCase(want)) {
					return f.path().getFileName() + " has SHA-256 " + has + " but " + want +
						" was recorded when it was imported: the file changed";
				}
			}
			catch (final IOException e) {
				return "cannot read " + rec + ": " + e.getMessage();
			}
		}
		return null;
	}

	/**
	 * Deletes an installed model (its folder): renamed to a hidden name first, so a failed
	 * deletion never leaves a half-deleted model that looks installed.
	 */
	public void delete(final String name) {
		if (DEMO.equals(name)) {
			throw new AnySegException("The demo model is part of AnySeg and cannot be deleted.");
		}
		final Path dir = name == null ? null : modelFolder.resolve(name);
		if (name == null || name.isBlank() || name.startsWith(".") || name.indexOf('/') >= 0 ||
			name.indexOf('\\') >= 0 || !modelFolder.equals(dir
				.getParent()) || !Files.isDirectory(dir)) {
			throw new AnySegException("No model named '" + name + "' is installed in " +
				modelFolder + ".");
		}
		final Path trash = modelFolder.resolve("." + name + ".deleting");
		try {
			Files.move(dir, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot delete " + dir + ": " + e.getMessage() + ". Is a " +
				"file in it open in another program?", e);
		}
		deleteTree(trash);
	}

	/** Deletes a folder and everything in it, as far as possible. */
	public static void deleteTree(final Path dir) {
		try (Stream<Path> s = Files.walk(dir)) {
			s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (final IOException e) {
			// best effort: a hidden leftover folder is ignored by names()
		}
	}

	/**
	 * The family a model's files match, or why they are not usable; opens the model's
	 * sessions to read their interfaces.
	 */
	public ModelStatus status(final String name) {
		return status(name, true);
	}

	/**
	 * As {@link #status(String)}; {@code cached = false} loads the model even when the files
	 * have not changed since the last detection (verification).
	 */
	public ModelStatus status(final String name, final boolean cached) {
		final List<ModelFile> files;
		try {
			files = resolve(name);
		}
		catch (final AnySegException e) {
			return ModelStatus.unusable(e.getMessage());
		}
		final Path cacheDir = cacheDir(name);
		final Path cache = cacheDir == null ? null : cacheDir.resolve(FAMILY_CACHE);
		final String stamp = stamp(files, cacheDir);
		if (cache != null && cached) {
			try {
				final List<String> lines = Files.readAllLines(cache);
				if (lines.size() == 3 && lines.get(0).equals(stamp)) {
					return lines.get(1).equals(USABLE) ? ModelStatus.usable(lines.get(2)) : ModelStatus
						.unusable(lines.get(2));
				}
			}
			catch (final IOException e) {
				// no cache yet: detect below
			}
		}
		ModelStatus status;
		try (PromptableModel m = ModelLoader.detect(files, RuntimeOptions.defaults().withThreads(
			1)))
		{
			status = ModelStatus.usable(m.family());
		}
		catch (final AnySegException e) {
			status = ModelStatus.unusable(e.getMessage());
		}
		if (cache != null) {
			try {
				// never through a link planted as the cache file (O_NOFOLLOW)
				Files.write(cache, List.of(stamp, status.usable() ? USABLE : UNUSABLE, status
					.usable() ? status.family() : status.problem()), StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS);
			}
			catch (final IOException e) {
				// read-only model folder: detect again next time
			}
		}
		return status;
	}

	/**
	 * The folder of an installed model whose family may be cached in it, or {@code null}:
	 * none for the demo, for names that are not one plain path component, for a name that
	 * {@link #resolve} finds elsewhere, and where the model folder, the model's folder or the
	 * cache file is a symbolic link (nothing is ever written through a link).
	 */
	private Path cacheDir(final String name) {
		if (name == null || DEMO.equals(name) || name.isBlank() || name.equals(".") || name
			.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) return null;
		final Path dir = modelFolder.resolve(name);
		if (!modelFolder.equals(dir.getParent())) return null;
		if (Files.isSymbolicLink(modelFolder) || Files.isSymbolicLink(dir) || !Files.isDirectory(
			dir, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(dir.resolve(FAMILY_CACHE)))
		{
			return null;
		}
		final Path asGiven = Paths.get(name);
		if (Files.isDirectory(asGiven) && !asGiven.toAbsolutePath().normalize().equals(dir
			.toAbsolutePath().normalize())) return null;
		return dir;
	}

	/** Hidden file in a model folder remembering the detected family. */
	static final String FAMILY_CACHE = ".anyseg-family";
	private static final String USABLE = "usable";
	private static final String UNUSABLE = "unusable";

	/** Names, sizes and modification times of the files (and the config), for the cache. */
	private static String stamp(final List<ModelFile> files, final Path dir) {
		final StringBuilder b = new StringBuilder();
		for (final ModelFile f : files) {
			b.append(f.name()).append(':').append(f.size()).append(':');
			try {
				if (f.path() != null) b.append(Files.getLastModifiedTime(f.path()).toMillis());
			}
			catch (final IOException e) {
				b.append('?');
			}
			b.append(';');
		}
		if (dir != null) {
			final Path cfg = dir.resolve(ModelConfig.FILE);
			try {
				if (Files.exists(cfg)) b.append("cfg:").append(Files.getLastModifiedTime(cfg)
					.toMillis());
			}
			catch (final IOException e) {
				b.append('?');
			}
		}
		return b.toString();
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

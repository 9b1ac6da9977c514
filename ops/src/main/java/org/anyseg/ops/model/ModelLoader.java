package org.anyseg.ops.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;

/**
 * Opens a model's ONNX files and finds the family whose interface they match. Every family
 * registered through {@link ServiceLoader} is tried; when none matches, the error lists what
 * the files contain and what each family expects.
 */
public final class ModelLoader {

	private ModelLoader() {}

	/** All {@code *.onnx} files of a model folder, sorted by name. */
	public static List<ModelFile> filesIn(final Path dir) {
		if (!Files.isDirectory(dir)) {
			throw new AnySegException("Model folder not found: " + dir +
				". Give 'demo' or a folder that holds the model's .onnx files.");
		}
		try (Stream<Path> s = Files.list(dir)) {
			final List<Path> all = s.sorted().collect(Collectors.toList());
			final List<ModelFile> files = all.stream().filter(p -> p.getFileName().toString()
				.toLowerCase().endsWith(".onnx")).map(ModelFile::of).collect(Collectors.toList());
			if (!files.isEmpty()) return files;
			final List<ModelFile> checkpoints = all.stream().filter(p -> isCheckpoint(p
				.getFileName().toString())).map(ModelFile::of).collect(Collectors.toList());
			if (checkpoints.size() == 1) return checkpoints;
			if (checkpoints.size() > 1) {
				throw new AnySegException("Model folder " + dir + " holds " + checkpoints.size() +
					" PyTorch checkpoints and no .onnx file; keep one checkpoint per model folder.");
			}
			throw new AnySegException("Model folder " + dir + " holds no .onnx file and no " +
				"PyTorch checkpoint. Put the model's encoder and decoder .onnx files there, or " +
				"its .pth checkpoint.");
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot list model folder " + dir + ": " + e.getMessage(), e);
		}
	}

	/** Whether a file name is a PyTorch checkpoint's ({@code .pth}, {@code .pt}). */
	public static boolean isCheckpoint(final String fileName) {
		final String n = fileName.toLowerCase(java.util.Locale.ROOT);
		return n.endsWith(".pth") || n.endsWith(".pt");
	}

	private static boolean isCheckpoint(final List<ModelFile> files) {
		return files.size() == 1 && files.get(0).path() != null && isCheckpoint(files.get(0)
			.path().getFileName().toString());
	}

	/**
	 * A checkpoint's model: the architecture's graphs, built in memory with the weights bound
	 * in place, bound by the family whose interface they have. No graph check: the graphs
	 * are the project's own, tested against the publishers' code.
	 */
	private static PromptableModel openCheckpoint(final ModelFile file,
		final ModelConfig config, final RuntimeOptions opts)
	{
		final CheckpointGraphs.Opened o = CheckpointGraphs.open(file, CheckpointWeights.open(file
			.path()), opts);
		try {
			// the folder's configuration may name a family with its own preprocessing (MedSAM)
			final String id = config.family() != null ? config.family() : o.family();
			return family(id).bind(o.graphs(), config).orElseThrow(
				() -> new AnySegException("The " + id + " family did not accept the " +
					"graphs built for " + file.name() + " (" + o.description() + "): a bug in " +
					"AnySeg, please report it."));
		}
		catch (final RuntimeException e) {
			o.graphs().forEach(OnnxGraph::close);
			throw e;
		}
	}

	public static List<ModelFamily> families() {
		final List<ModelFamily> list = new ArrayList<>();
		ServiceLoader.load(ModelFamily.class, ModelLoader.class.getClassLoader()).forEach(
			list::add);
		return list;
	}

	/**
	 * Loads a model from its files, reading {@code anyseg-model.json} from their folder.
	 *
	 * @throws AnySegException if a file cannot be loaded or no family matches
	 */
	public static PromptableModel load(final List<ModelFile> files, final RuntimeOptions opts) {
		return load(files, ModelConfig.of(files), opts);
	}

	/**
	 * Loads a model from its files with the given configuration: the family it names, or
	 * else the first family whose interface the files match. Each graph gets the optimisation
	 * setting its {@link GraphCheck} verdict chose; a file without a verdict for this ONNX
	 * Runtime is checked first (once: the verdict is recorded beside it).
	 *
	 * @throws AnySegException if a file cannot be loaded or no family matches
	 */
	public static PromptableModel load(final List<ModelFile> files, final ModelConfig config,
		final RuntimeOptions opts)
	{
		if (isCheckpoint(files)) return openCheckpoint(files.get(0), config, opts);
		final Map<ModelFile, GraphSetting> settings = GraphVerdicts.settings(files, config, opts,
			notices);
		return open(files, config, opts, settings::get, true, g -> {});
	}

	/**
	 * Loads a model with full optimisation and no check, to learn its family (listing,
	 * importing): its masks are not to be trusted before {@link #load} has checked it.
	 */
	public static PromptableModel detect(final List<ModelFile> files, final ModelConfig config,
		final RuntimeOptions opts)
	{
		return open(files, config, opts, f -> GraphSetting.FULL, true, g -> {});
	}

	/** As {@link #detect(List, ModelConfig, RuntimeOptions)} with the folder's configuration. */
	public static PromptableModel detect(final List<ModelFile> files, final RuntimeOptions opts) {
		return detect(files, ModelConfig.of(files), opts);
	}

	/** Where the engine tells the user what a check found (standard error by default). */
	public static void notices(final Consumer<String> sink) {
		notices = sink == null ? System.err::println : sink;
	}

	private static volatile Consumer<String> notices = System.err::println;

	static PromptableModel open(final List<ModelFile> files, final ModelConfig config,
		final RuntimeOptions opts, final Function<ModelFile, GraphSetting> setting,
		final boolean inlineConstantIfs, final Consumer<OnnxGraph> opened)
	{
		if (isCheckpoint(files)) return openCheckpoint(files.get(0), config, opts);
		final List<ModelFamily> candidates = config.family() == null ? families() : List.of(
			family(config.family()));
		final List<OnnxGraph> graphs = new ArrayList<>();
		try {
			for (final ModelFile f : files) {
				final OnnxGraph g = OnnxGraph.open(f, opts, setting.apply(f), inlineConstantIfs);
				graphs.add(g);
				opened.accept(g);
			}
			for (final ModelFamily family : candidates) {
				final Optional<PromptableModel> m = family.bind(graphs, config);
				if (m.isPresent()) return m.get();
			}
		}
		catch (final RuntimeException e) {
			graphs.forEach(OnnxGraph::close);
			throw e;
		}
		final String found = graphs.stream().map(OnnxGraph::describe).collect(Collectors
			.joining("; "));
		graphs.forEach(OnnxGraph::close);
		final String expected = candidates.stream().map(f -> "family " + f.id() + " (" + f
			.name() + "): " + f.expected()).collect(Collectors.joining("; "));
		if (config.family() != null) {
			throw new AnySegException(ModelConfig.FILE + " says family '" + config.family() +
				"' but the ONNX files do not have its interface. Found " + found + ". Expected " +
				expected + ". Fix the family in " + ModelConfig.FILE + " or remove the key.");
		}
		throw new AnySegException("The ONNX files match no supported model family. Found " +
			found + ". Expected " + expected + ". If the model is a known one exported " +
			"differently, name its family in " + ModelConfig.FILE + " beside the files.");
	}

	/** The family with this id. */
	public static ModelFamily family(final String id) {
		return families().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(
			() -> new AnySegException("Unknown model family '" + id + "'. Known families: " +
				families().stream().map(ModelFamily::id).collect(Collectors.joining(", ")) + "."));
	}
}

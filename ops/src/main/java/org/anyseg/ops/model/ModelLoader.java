package org.anyseg.ops.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
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
			final List<ModelFile> files = s.filter(p -> p.getFileName().toString().toLowerCase()
				.endsWith(".onnx")).sorted().map(ModelFile::of).collect(Collectors.toList());
			if (files.isEmpty()) {
				throw new AnySegException("Model folder " + dir + " holds no .onnx file. Put the " +
					"model's encoder and decoder .onnx files there.");
			}
			return files;
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot list model folder " + dir + ": " + e.getMessage(), e);
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
	 * else the first family whose interface the files match.
	 *
	 * @throws AnySegException if a file cannot be loaded or no family matches
	 */
	public static PromptableModel load(final List<ModelFile> files, final ModelConfig config,
		final RuntimeOptions opts)
	{
		final List<ModelFamily> candidates = config.family() == null ? families() : List.of(
			family(config.family()));
		final List<OnnxGraph> graphs = new ArrayList<>();
		try {
			for (final ModelFile f : files) graphs.add(OnnxGraph.open(f, opts));
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

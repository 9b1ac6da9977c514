package org.anyseg.plugin.cli;

import java.util.List;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;

import picocli.CommandLine.Option;

/**
 * The options every segmenting command shares (a picocli mixin): the model, how ONNX Runtime
 * runs it, and the intensity normalization.
 */
final class ModelOptions {

	@Option(names = "--model", defaultValue = "demo", paramLabel = "demo|DIR|NAME",
		description = "Model: 'demo' (bundled), a folder of .onnx files, or an installed " +
			"model's name (default: ${DEFAULT-VALUE}).")
	String model = "demo";

	@Option(names = { "--normalize", "--window" }, defaultValue = "auto", paramLabel = "MODE",
		description = "auto, minmax, percentile[:LO,HI], window:LEVEL,WIDTH (or LEVEL,WIDTH), " +
			"or a preset: ct-soft, ct-lung, ct-bone, ct-brain, mr (default: ${DEFAULT-VALUE}).")
	String normalize = "auto";

	@Option(names = "--threads", paramLabel = "N",
		description = "ONNX Runtime threads (default: all cores).")
	Integer threads;

	@Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda[:N]",
		description = "Where ONNX Runtime runs the model (default: cpu); cuda needs ONNX " +
			"Runtime's GPU build, see docs/models.md.")
	String device = "cpu";

	/** The intensity normalization; {@code --window LEVEL,WIDTH} means a window. */
	Normalization normalization() {
		return Normalization.parse(normalize.matches("\\s*-?[0-9.]+\\s*,\\s*[0-9.]+\\s*")
			? "window:" + normalize : normalize);
	}

	/** The model's files. */
	List<ModelFile> files() {
		return ModelCatalog.standard().resolve(model);
	}

	/** The model's {@code anyseg-model.json} (empty when it has none). */
	ModelConfig config() {
		return ModelConfig.of(files());
	}

	/** The model, loaded with the options given, behind an embedding cache of that size. */
	Segmenter segmenter(final int cacheMb) {
		final List<ModelFile> files = files();
		RuntimeOptions opts = RuntimeOptions.defaults().withDevice(device);
		if (threads != null) opts = opts.withThreads(threads);
		return new Segmenter(ModelLoader.load(files, opts), files.toString(), new EmbeddingCache(
			cacheMb));
	}
}

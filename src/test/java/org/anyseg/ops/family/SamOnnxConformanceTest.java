package org.anyseg.ops.family;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.testutil.Conformance;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonArray;

/**
 * Runs every Family A fixture case through the Java pipeline (ImageJ reading, intensity
 * normalization, Pillow-style resize, SAM normalization, prompt mapping, ONNX Runtime,
 * mask selection) and compares each stage with the independent Python reference made by
 * {@code tools/fixtures/make_sam_onnx.py}, through the one harness {@link Conformance}.
 * Each case names its encoder and decoder files; mask scores are logits, compared in full.
 */
class SamOnnxConformanceTest {

	private static final Path DIR = Fixtures.samOnnx();

	@TestFactory
	Stream<DynamicTest> everyCase() throws IOException {
		return Conformance.tests(DIR, Conformance.json(DIR.resolve("cases.json"),
			JsonArray.class), c -> {
				final PromptableModel m = ModelLoader.load(Fixtures.samOnnxModel(c.get("encoder")
					.getAsString(), c.get("decoder").getAsString()), RuntimeOptions.defaults());
				return new Conformance.Subject(m, EncoderDecoderStages.of(m), null, false);
			}).stream();
	}
}

package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {

	@TempDir
	Path tmp;

	@Test
	void detectsSamOnnxInBothEncoderForms() {
		for (final String enc : List.of("encoder_normalized.onnx", "encoder_hwc.onnx")) {
			try (PromptableModel m = ModelLoader.load(Fixtures.samOnnxModel(enc, "decoder_m1.onnx"),
				RuntimeOptions.defaults()))
			{
				assertEquals("sam", m.family());
				assertEquals(256, m.maskInputSize());
			}
		}
	}

	@Test
	void missingFileIsNamed() {
		final AnySegException e = assertThrows(AnySegException.class, () -> ModelLoader.load(List
			.of(ModelFile.of(tmp.resolve("nope.onnx"))), RuntimeOptions.defaults()));
		assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope.onnx"), e
			.getMessage());
	}

	@Test
	void corruptFileSaysSo() throws Exception {
		final Path bad = tmp.resolve("encoder.onnx");
		Files.write(bad, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		final AnySegException e = assertThrows(AnySegException.class, () -> ModelLoader.load(List
			.of(ModelFile.of(bad)), RuntimeOptions.defaults()));
		assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("encoder.onnx"), e
			.getMessage());
	}

	@Test
	void unknownInterfaceListsFoundAndExpected() {
		final AnySegException e = assertThrows(AnySegException.class, () -> ModelLoader.load(List
			.of(ModelFile.of(Fixtures.samOnnx().resolve("decoder_m4.onnx"))), RuntimeOptions
				.defaults()));
		final String m = e.getMessage();
		assertTrue(m.contains("match no supported model family"), m);
		assertTrue(m.contains("point_coords float[1,?,2]"), "lists what was found: " + m);
		assertTrue(m.contains("input_image float[1,3,1024,1024]"), "lists what was expected: " + m);
	}

	@Test
	void modelFolderWithoutOnnxFiles() {
		final AnySegException e = assertThrows(AnySegException.class, () -> ModelLoader.filesIn(
			tmp));
		assertTrue(e.getMessage().contains("holds no .onnx file"), e.getMessage());
	}

	@Test
	void catalogResolvesDemoAndRefusesUnknownNames() {
		final ModelCatalog c = new ModelCatalog(tmp);
		assertEquals(ModelCatalog.demoFiles().toString(), c.resolve("demo").toString());
		final AnySegException e = assertThrows(AnySegException.class, () -> c.resolve("vit_b"));
		assertTrue(e.getMessage().contains("models list"), e.getMessage());
	}
}

package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model usability is a type, not a string callers test with startsWith. */
class ModelStatusTest {

	@TempDir
	Path tmp;

	@Test
	void usableAndUnusableModelsAndTheirCache() throws IOException {
		final ModelCatalog catalog = new ModelCatalog(tmp);
		final ModelStatus demo = catalog.status(ModelCatalog.DEMO);
		assertTrue(demo.usable());
		assertEquals("sam", demo.family());

		final Path half = Files.createDirectories(tmp.resolve("half"));
		Files.copy(Fixtures.samOnnx().resolve("decoder_m1.onnx"), half.resolve("dec.onnx"));
		final ModelStatus s = catalog.status("half");
		assertFalse(s.usable());
		assertTrue(s.problem().contains("match no supported model family"), s.problem());
		assertEquals("unusable: " + s.problem(), s.toString());
		// read back from the cache the same
		assertEquals(s, catalog.status("half"));
		assertEquals(3, Files.readAllLines(half.resolve(ModelCatalog.FAMILY_CACHE)).size());

		final Path ok = Files.createDirectories(tmp.resolve("ok"));
		Files.copy(Fixtures.samOnnx().resolve("encoder_hwc.onnx"), ok.resolve("enc.onnx"));
		Files.copy(Fixtures.samOnnx().resolve("decoder_m1.onnx"), ok.resolve("dec.onnx"));
		assertEquals(ModelStatus.usable("sam"), catalog.status("ok"));
		assertEquals(ModelStatus.usable("sam"), catalog.status("ok"), "from the cache");
		assertFalse(catalog.status("missing").usable());
		assertThrows(IllegalArgumentException.class, () -> new ModelStatus("sam", "and broken"));
	}
}

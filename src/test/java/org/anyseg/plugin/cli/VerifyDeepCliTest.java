package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.model.GraphVerdicts;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graph check as a user meets it: the first segment with a new model says what the
 * check found (once), and {@code models verify --deep} re-checks on demand.
 */
class VerifyDeepCliTest {

	@TempDir
	Path tmp;
	Path models;
	StringWriter out = new StringWriter();
	StringWriter err = new StringWriter();

	@BeforeEach
	void setUp() throws IOException {
		models = tmp.resolve("models");
		System.setProperty("anyseg.models", models.toString());
		GraphVerdicts.mode(GraphVerdicts.Mode.RECORD);
	}

	@AfterEach
	void tearDown() {
		System.clearProperty("anyseg.models");
		GraphVerdicts.mode(GraphVerdicts.Mode.OFF);
	}

	private int cli(final String... args) {
		out = new StringWriter();
		err = new StringWriter();
		return AnySegCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
	}

	@Test
	@Tag("slow")
	void firstUseChecksOnceAndVerifyDeepChecksAgain() throws IOException {
		final Path src = Files.createDirectories(tmp.resolve("src"));
		Files.copy(Fixtures.root().resolve("sam2_window_pe/encoder.onnx"), src.resolve(
			"encoder.onnx"));
		Files.copy(Fixtures.root().resolve("sam2_split/sam2/decoder.onnx"), src.resolve(
			"decoder.onnx"));
		assertEquals(0, cli("models", "import", src.toString(), "--name", "window-pe"), err
			.toString());
		assertFalse(err.toString().contains("Checking"), "importing only detects: " + err);

		final String[] segment = { "segment", "--model", "window-pe", "--image", Fixtures
			.samOnnx().resolve("gray8.tif").toString(), "--box", "60,50,130,115", "--out", tmp
				.resolve("labels.tif").toString() };
		assertEquals(0, cli(segment), err.toString());
		assertTrue(err.toString().contains("anyseg: Checking the model's graphs"), err.toString());
		assertTrue(err.toString().contains("encoder.onnx: full optimisation is exact") && err
			.toString().contains("2 constant If nodes"), err.toString());
		assertTrue(Files.readString(models.resolve("window-pe/anyseg-model.json")).contains(
			"graph_checks"));
		assertEquals(0, cli(segment), err.toString());
		assertFalse(err.toString().contains("Checking"), "checked once: " + err);

		assertEquals(0, cli("models", "verify", "--deep", "window-pe"), err.toString());
		assertTrue(out.toString().contains("OK (family sam2)"), out.toString());
		assertTrue(out.toString().contains("encoder.onnx: full optimisation is exact"), out
			.toString());
		assertTrue(out.toString().contains("decoder.onnx: full optimisation is exact"), out
			.toString());

		assertEquals(0, cli("models", "verify", "--deep", "demo"), err.toString());
		assertTrue(out.toString().contains("encoder.onnx: full optimisation is exact"), out
			.toString());
	}
}

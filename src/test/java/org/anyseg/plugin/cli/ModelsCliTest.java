package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.testutil.FixtureServer;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * {@code models fetch | import | verify | list} as a user runs them, against a local
 * server on 127.0.0.1 that serves fixture models (no network): a fetched model is verified,
 * installed and segments an image; wrong checksums, 404s and files that are no model
 * install nothing.
 */
class ModelsCliTest {

	@TempDir
	Path tmp;
	FixtureServer server;
	Path models;
	final StringWriter out = new StringWriter();
	final StringWriter err = new StringWriter();

	@BeforeEach
	void serve() throws IOException {
		server = new FixtureServer();
		models = tmp.resolve("models");
		System.setProperty("anyseg.models", models.toString());
	}

	@AfterEach
	void stop() {
		server.close();
		System.clearProperty("anyseg.models");
	}

	private int cli(final String... args) {
		return AnySegCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
	}

	private Path catalogue(final String name, final String family, final String enc,
		final String dec, final String decSha) throws IOException
	{
		return server.catalogue(tmp, name, family, enc, dec, decSha);
	}

	private static String sha(final String path) throws IOException {
		return FixtureServer.sha(path);
	}

	@Test
	void fetchVerifiesInstallsAndTheModelSegments() throws IOException {
		final Path cat = catalogue("tiny-sam2", "sam2", "sam2_split/sam2/encoder.onnx",
			"sam2_split/sam2/decoder.onnx", sha("sam2_split/sam2/decoder.onnx"));
		assertEquals(0, cli("models", "fetch", "tiny-sam2", "--catalogue", cat.toString()), err
			.toString());
		assertTrue(out.toString().contains("family sam2"), out.toString());
		assertTrue(out.toString().contains("may not be used commercially"), out.toString());
		assertTrue(err.toString().contains("100%"), "a progress bar was drawn: " + err);
		assertTrue(Files.isRegularFile(models.resolve("tiny-sam2/decoder.onnx")));
		assertEquals(List.of("tiny-sam2"), visible(models));

		final Path labels = tmp.resolve("labels.tif");
		assertEquals(0, cli("segment", "--model", "tiny-sam2", "--image", Fixtures.samOnnx()
			.resolve("gray8.tif").toString(), "--box", "60,50,130,115", "--out", labels
				.toString()), err.toString());
		assertTrue(Files.size(labels) > 0);

		assertEquals(0, cli("models", "verify", "tiny-sam2", "--catalogue", cat.toString()), err
			.toString());
		assertTrue(out.toString().contains("OK (family sam2)"), out.toString());
		Files.write(models.resolve("tiny-sam2/decoder.onnx"), new byte[] { 1 },
			java.nio.file.StandardOpenOption.APPEND);
		assertEquals(2, cli("models", "verify", "tiny-sam2", "--catalogue", cat.toString()));
		assertTrue(out.toString().contains("FAILED"), out.toString());
	}

	@Test
	void wrongChecksumInstallsNothing() throws IOException {
		final Path cat = catalogue("bad-sha", "sam2", "sam2_split/sam2/encoder.onnx",
			"sam2_split/sam2/decoder.onnx", "0".repeat(64));
		assertEquals(2, cli("models", "fetch", "bad-sha", "--catalogue", cat.toString()));
		assertTrue(err.toString().contains("wrong SHA-256"), err.toString());
		assertFalse(Files.exists(models.resolve("bad-sha")));
		assertEquals(List.of(), visible(models));
	}

	@Test
	void missingFileInstallsNothing() throws IOException {
		final Path cat = catalogue("gone", "sam2", "sam2_split/sam2/encoder.onnx",
			"sam2_split/sam2/nope.onnx", null);
		assertEquals(2, cli("models", "fetch", "gone", "--catalogue", cat.toString()));
		assertTrue(err.toString().contains("HTTP 404"), err.toString());
		assertEquals(List.of(), visible(models));
	}

	@Test
	void filesThatAreNoModelInstallNothing() throws IOException {
		// a SAM 2 encoder with an EdgeSAM decoder: both valid ONNX, no family
		final Path cat = catalogue("mixed", "sam2", "sam2_split/sam2/encoder.onnx",
			"efficient_sams/edgesam/decoder.onnx", null);
		assertEquals(2, cli("models", "fetch", "mixed", "--catalogue", cat.toString()));
		assertTrue(err.toString().contains("not a usable model"), err.toString());
		assertTrue(err.toString().contains("match no supported model family"), err.toString());
		assertFalse(Files.exists(models.resolve("mixed")));
		try (Stream<Path> s = Files.list(models)) {
			assertEquals(0, s.count(), "the staging folder is removed too");
		}
	}

	@Test
	void importAndListShowFamiliesAndTheCatalogue() {
		assertEquals(0, cli("models", "import", Fixtures.root().resolve("efficient_sams/edgesam")
			.toString(), "--name", "my-edgesam"), err.toString());
		assertTrue(out.toString().contains("family edgesam"), out.toString());
		assertEquals(0, cli("models", "import", Fixtures.root().resolve("medical_sams/medsam")
			.toString()), err.toString());
		assertTrue(out.toString().contains("Imported medsam (family medsam)"), out.toString());
		assertEquals(0, cli("models", "list"), err.toString());
		final String list = out.toString();
		assertTrue(list.matches("(?s).*my-edgesam +edgesam .*"), list);
		assertTrue(list.matches("(?s).*\\nmedsam +medsam .*"), "anyseg-model.json was imported: " +
			list);
		assertTrue(list.contains("sam2.1-tiny"), "the bundled catalogue is listed: " + list);
		assertTrue(list.matches("(?s).*edgesam-3x .*non-commercial.*"), list);
	}

	/** Every family's fixture folder segments through the CLI exactly like the demo model. */
	@org.junit.jupiter.params.ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "sam_onnx", "sam2_split/sam2",
		"sam2_ort/sam2_bool", "sam2_ort/sam2_bool_multi", "sam2_ort/sam2_logits",
		"efficient_sams/efficientsam", "efficient_sams/edgesam", "efficient_sams/efficientvit_l",
		"efficient_sams/efficientvit_xl", "medical_sams/medsam", "medical_sams/litemedsam" })
	void everyFamilySegmentsThroughTheCli(final String dir) throws IOException {
		Path model = Fixtures.root().resolve(dir);
		if (dir.equals("sam_onnx")) { // the A fixtures hold several variants: pick one pair
			model = tmp.resolve("a");
			Files.createDirectories(model);
			Files.copy(Fixtures.samOnnx().resolve("encoder_normalized.onnx"), model.resolve(
				"encoder.onnx"));
			Files.copy(Fixtures.samOnnx().resolve("decoder_m4.onnx"), model.resolve("decoder.onnx"));
		}
		final Path labels = tmp.resolve("labels.tif");
		assertEquals(0, cli("segment", "--model", model.toString(), "--image", Fixtures.samOnnx()
			.resolve("gray8.tif").toString(), "--box", "60,50,130,115", "--out", labels.toString()),
			err.toString());
		final ij.ImagePlus imp = ij.IJ.openImage(labels.toString());
		assertEquals(300, imp.getWidth());
		assertTrue(imp.getStatistics().max >= 1, dir + ": the box's object is labelled");
		final int code = cli("segment", "--model", model.toString(), "--image", Fixtures.samOnnx()
			.resolve("gray8.tif").toString(), "--point", "90,80", "--out", labels.toString());
		if (dir.startsWith("medical_sams")) {
			assertEquals(2, code);
			assertTrue(err.toString().contains("takes a box prompt only"), err.toString());
		}
		else {
			assertEquals(0, code, err.toString());
		}
	}

	private static List<String> visible(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return List.of();
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
				.toList();
		}
	}
}

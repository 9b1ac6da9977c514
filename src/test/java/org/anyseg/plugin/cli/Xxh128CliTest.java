package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.anyseg.ops.download.Xxh128;
import org.anyseg.testutil.FixtureServer;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalogue files known by their publisher's xxh128 only, as micro-sam's checkpoints are:
 * served on 127.0.0.1 (no network), they install when the digest matches and not otherwise,
 * and {@code models verify} notices an installed file that changed.
 */
class Xxh128CliTest {

	static final String CKPT = "sam_checkpoint/tiny_sam.pth";
	static final String ENC = "sam2_split/sam2/encoder.onnx";
	static final String DEC = "sam2_split/sam2/decoder.onnx";

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

	private static String xxh(final String fixture) throws IOException {
		return Xxh128.of(Fixtures.root().resolve(fixture));
	}

	/** A catalogue of one entry; {@code files} alternates name, fixture path, xxh128. */
	private Path catalogue(final String name, final String family, final String... files)
		throws IOException
	{
		final StringBuilder fs = new StringBuilder();
		for (int i = 0; i < files.length; i += 3) {
			if (i > 0) fs.append(',');
			fs.append("{\"name\":\"").append(files[i]).append("\",\"url\":\"").append(server.url(
				files[i + 1])).append("\",\"size\":").append(Files.size(Fixtures.root().resolve(
					files[i + 1]))).append(",\"sha256\":null,\"xxh128\":\"").append(files[i + 2])
				.append("\"}");
		}
		final Path p = tmp.resolve(name + ".json");
		Files.writeString(p, "{\"version\":1,\"models\":[{\"name\":\"" + name + "\",\"title\":" +
			"\"T\",\"family\":\"" + family + "\",\"prompts\":[\"points\",\"boxes\"],\"licence\":" +
			"\"CC-BY-4.0\",\"commercial_use\":true,\"note\":\"n\",\"source\":\"s\",\"files\":[" + fs +
			"]}]}");
		return p;
	}

	@Test
	void rightDigestInstalls() throws IOException {
		final Path cat = catalogue("micro", "sam", "model.pt", CKPT, xxh(CKPT));
		assertEquals(0, cli("models", "fetch", "micro", "--catalogue", cat.toString()), err
			.toString());
		assertTrue(Files.isRegularFile(models.resolve("micro/model.pt")));
		assertEquals(0, cli("models", "verify", "micro", "--catalogue", cat.toString()), out
			.toString());
		assertTrue(out.toString().contains("OK (family"), out.toString());
	}

	@Test
	void wrongDigestInstallsNothing() throws IOException {
		final String wrong = "0123456789abcdef0123456789abcdef";
		final Path cat = catalogue("micro", "sam", "model.pt", CKPT, wrong);
		assertEquals(2, cli("models", "fetch", "micro", "--catalogue", cat.toString()));
		assertTrue(err.toString().contains("wrong xxh128 (expected " + wrong + ", got " + xxh(
			CKPT) + ")") && err.toString().contains(server.url(CKPT)), err.toString());
		assertFalse(Files.exists(models.resolve("micro")), "nothing installed");
		assertEquals(List.of(), visible(models));
		assertTrue(leftovers(models).stream().noneMatch(p -> p.getFileName().toString()
			.startsWith("model.pt")), "the bad download was deleted: " + leftovers(models));
	}

	/**
	 * A change that keeps the size and leaves the model loadable (the ONNX producer name),
	 * so only the xxh128 can notice it.
	 */
	@Test
	void verifyNoticesAChangedFileByItsDigest() throws IOException {
		final Path cat = catalogue("tiny-sam2", "sam2", "encoder.onnx", ENC, xxh(ENC),
			"decoder.onnx", DEC, xxh(DEC));
		assertEquals(0, cli("models", "fetch", "tiny-sam2", "--catalogue", cat.toString()), err
			.toString());
		assertEquals(0, cli("models", "verify", "tiny-sam2", "--catalogue", cat.toString()), out
			.toString());
		final Path enc = models.resolve("tiny-sam2/encoder.onnx");
		final byte[] b = Files.readAllBytes(enc);
		final int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("anyseg-fixtures");
		assertTrue(at >= 0, "the fixture names its producer");
		b[at] = 'A';
		Files.write(enc, b);
		final String changed = Xxh128.of(enc);

		out.getBuffer().setLength(0);
		assertEquals(2, cli("models", "verify", "tiny-sam2", "--catalogue", cat.toString()));
		assertTrue(out.toString().contains("FAILED: encoder.onnx has the wrong xxh128 (expected " +
			xxh(ENC) + ", got " + changed + ")"), out.toString());
	}

	private static List<String> visible(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return List.of();
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
				.collect(Collectors.toList());
		}
	}

	private static List<Path> leftovers(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return List.of();
		try (Stream<Path> s = Files.walk(dir)) {
			return s.filter(Files::isRegularFile).toList();
		}
	}
}

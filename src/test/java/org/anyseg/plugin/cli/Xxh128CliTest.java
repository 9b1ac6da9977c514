package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.download.Xxh128;
import org.anyseg.testutil.FixtureServer;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalogue file known by its publisher's xxh128 only (micro-sam's checkpoints): served on
 * 127.0.0.1, it installs when the digest matches and not otherwise, and {@code models verify}
 * notices a changed file.
 */
class Xxh128CliTest {

	static final String CKPT = "sam_checkpoint/tiny_sam.pth";

	@TempDir
	Path tmp;
	FixtureServer server;
	final StringWriter out = new StringWriter();
	final StringWriter err = new StringWriter();

	@BeforeEach
	void serve() throws IOException {
		server = new FixtureServer();
		System.setProperty("anyseg.models", tmp.resolve("models").toString());
	}

	@AfterEach
	void stop() {
		server.close();
		System.clearProperty("anyseg.models");
	}

	private int cli(final String... args) {
		return AnySegCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
	}

	private Path catalogue(final String xxh) throws IOException {
		final Path f = Fixtures.root().resolve(CKPT);
		final Path p = tmp.resolve("cat.json");
		Files.writeString(p, "{\"version\":1,\"models\":[{\"name\":\"micro\",\"title\":\"T\"," +
			"\"family\":\"sam\",\"prompts\":[\"points\",\"boxes\"],\"licence\":\"CC-BY-4.0\"," +
			"\"commercial_use\":true,\"note\":\"n\",\"source\":\"s\",\"files\":[{\"name\":" +
			"\"model.pt\",\"url\":\"" + server.url(CKPT) + "\",\"size\":" + Files.size(f) +
			",\"sha256\":null,\"xxh128\":\"" + xxh + "\"}]}]}");
		return p;
	}

	@Test
	void rightDigestInstallsWrongDigestInstallsNothing() throws IOException {
		final String xxh = Xxh128.of(Fixtures.root().resolve(CKPT));
		assertEquals(2, cli("models", "fetch", "micro", "--catalogue", catalogue(
			"0123456789abcdef0123456789abcdef").toString()));
		assertTrue(err.toString().contains("xxh128 " + xxh), err.toString());
		assertFalse(Files.exists(tmp.resolve("models/micro")), "nothing installed");

		final Path cat = catalogue(xxh);
		assertEquals(0, cli("models", "fetch", "micro", "--catalogue", cat.toString()), err
			.toString());
		final Path installed = tmp.resolve("models/micro/model.pt");
		assertTrue(Files.isRegularFile(installed));
		assertEquals(0, cli("models", "verify", "micro", "--catalogue", cat.toString()), out
			.toString());

		final byte[] b = Files.readAllBytes(installed);
		b[b.length / 3] ^= 1;
		Files.write(installed, b);
		assertEquals(2, cli("models", "verify", "micro", "--catalogue", cat.toString()));
		assertTrue(out.toString().contains("xxh128") || out.toString().contains("CRC"), out
			.toString());
	}
}

package org.anyseg.ops.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelZoo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * A catalogue's {@code xxh128} is checked beside the SHA-256: by the downloader on the
 * {@code .part} file before it becomes the target, on a server on 127.0.0.1 (no network); and
 * the catalogue accepts it only as 32 lower-case hex digits.
 */
class Xxh128DownloadTest {

	@TempDir
	Path tmp;
	HttpServer server;
	final byte[] data = new byte[200_003];
	String url;
	final Downloader dl = new Downloader(2000, 2000);

	@BeforeEach
	void serve() throws IOException {
		new Random(11).nextBytes(data);
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/vit_b.pt", ex -> {
			ex.sendResponseHeaders(200, data.length);
			try (OutputStream o = ex.getResponseBody()) {
				o.write(data);
			}
		});
		server.start();
		url = "http://127.0.0.1:" + server.getAddress().getPort() + "/vit_b.pt";
	}

	@AfterEach
	void stop() {
		server.stop(0);
	}

	@Test
	void rightDigestIsInstalled() {
		final Path target = tmp.resolve("model.pt");
		dl.download(URI.create(url), target, null, Xxh128.of(data), null, null);
		assertArrayEquals(data, bytes(target));
		assertFalse(Files.exists(Downloader.partFile(target)));
	}

	@Test
	void wrongDigestLeavesNothing() {
		final Path target = tmp.resolve("model.pt");
		final String wrong = "0123456789abcdef0123456789abcdef";
		final AnySegException e = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(url), target, null, wrong, null, null));
		assertTrue(e.getMessage().contains("wrong xxh128 (expected " + wrong + ", got " + Xxh128
			.of(data) + ")") && e.getMessage().contains(url), e.getMessage());
		assertFalse(Files.exists(target));
		assertFalse(Files.exists(Downloader.partFile(target)), "no partial file to resume from");
	}

	/** Both hashes known: a right SHA-256 does not excuse a wrong xxh128. */
	@Test
	void bothHashesAreChecked() throws IOException {
		final Path target = tmp.resolve("model.pt");
		final String sha = org.anyseg.ops.model.ModelFile.of(write(data)).sha256();
		final AnySegException e = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(url), target, sha, "f".repeat(32), null, null));
		assertTrue(e.getMessage().contains("wrong xxh128"), e.getMessage());
		assertFalse(Files.exists(target));
		dl.download(URI.create(url), target, sha, Xxh128.of(data), null, null);
		assertArrayEquals(data, bytes(target));
	}

	/** {@code models verify}'s check: what differs, or null. */
	@Test
	void installedFileProblem() throws IOException {
		final Path f = write(data);
		final String right = Xxh128.of(data);
		assertNull(ModelInstaller.xxh128Problem(new ModelZoo.File("model.pt", url, null, null,
			right), f));
		assertNull(ModelInstaller.xxh128Problem(new ModelZoo.File("model.pt", url, null, null), f));
		final String p = ModelInstaller.xxh128Problem(new ModelZoo.File("model.pt", url, null,
			null, "0".repeat(32)), f);
		assertEquals("model.pt has the wrong xxh128 (expected " + "0".repeat(32) + ", got " +
			right + ")", p);
	}

	@Test
	void catalogueAcceptsOnlyLowerCaseHex() throws IOException {
		final ModelZoo ok = ModelZoo.read(catalogue("\"xxh128\":\"" + Xxh128.of(data) + "\""));
		assertEquals(Xxh128.of(data), ok.get("m").files().get(0).xxh128());
		assertNull(ModelZoo.read(catalogue("\"xxh128\":null")).get("m").files().get(0).xxh128());
		assertNull(ModelZoo.read(catalogue("\"sha256\":null")).get("m").files().get(0).xxh128());
		for (final String bad : List.of("FE9252A29F3F4EA53C15A06DE471E186",
			"fe9252a29f3f4ea53c15a06de471e18", "fe9252a29f3f4ea53c15a06de471e1866",
			"xxh128:fe9252a29f3f4ea53c15a06de471e186", "ge9252a29f3f4ea53c15a06de471e186", ""))
		{
			final Path c = catalogue("\"xxh128\":\"" + bad + "\"");
			final AnySegException e = assertThrows(AnySegException.class, () -> ModelZoo.read(c),
				bad);
			assertTrue(e.getMessage().contains("malformed xxh128"), e.getMessage());
		}
	}

	private Path catalogue(final String hashField) throws IOException {
		final Path p = tmp.resolve("cat.json");
		Files.writeString(p, "{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{" +
			"\"name\":\"model.pt\",\"url\":\"" + url + "\",\"size\":" + data.length + "," +
			hashField + "}]}]}");
		return p;
	}

	private Path write(final byte[] b) throws IOException {
		final Path f = tmp.resolve("served.bin");
		Files.write(f, b);
		return f;
	}

	private static byte[] bytes(final Path p) {
		try {
			return Files.readAllBytes(p);
		}
		catch (final IOException e) {
			throw new AssertionError(p + " was not written", e);
		}
	}
}

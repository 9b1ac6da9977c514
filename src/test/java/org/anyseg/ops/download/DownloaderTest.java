package org.anyseg.ops.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The downloader against a local server on 127.0.0.1 serving good files (with Range
 * support), truncated ones, slow ones and 404s. No network is used.
 */
class DownloaderTest {

	@TempDir
	Path tmp;
	HttpServer server;
	final byte[] data = new byte[300_000];
	final List<String> ranges = new ArrayList<>();
	String base;

	@BeforeEach
	void serve() throws IOException {
		new Random(7).nextBytes(data);
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/good.onnx", this::good);
		server.createContext("/truncated.onnx", ex -> {
			ex.sendResponseHeaders(200, data.length);
			try (OutputStream o = ex.getResponseBody()) {
				o.write(data, 0, data.length / 2); // then the connection closes early
			}
			catch (final IOException e) {
				// the client sees a short body
			}
		});
		server.createContext("/slow.onnx", ex -> {
			ex.sendResponseHeaders(200, data.length);
			try (OutputStream o = ex.getResponseBody()) {
				o.write(data, 0, 1000);
				o.flush();
				Thread.sleep(3000);
			}
			catch (final IOException | InterruptedException e) {
				// client gave up
			}
		});
		server.createContext("/missing.onnx", ex -> {
			ex.sendResponseHeaders(404, -1);
			ex.close();
		});
		server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // slow one must not block others
		server.start();
		base = "http://127.0.0.1:" + server.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		server.stop(0);
	}

	private void good(final HttpExchange ex) throws IOException {
		final String range = ex.getRequestHeaders().getFirst("Range");
		ranges.add(String.valueOf(range));
		int from = 0;
		if (range != null) from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
		if (from > 0) {
			ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (data.length - 1) +
				"/" + data.length);
		}
		ex.sendResponseHeaders(from > 0 ? 206 : 200, data.length - from);
		try (OutputStream o = ex.getResponseBody()) {
			o.write(data, from, data.length - from);
		}
	}

	private final Downloader dl = new Downloader(2000, 1000);

	@Test
	void downloadsVerifiesAndReportsProgress() throws Exception {
		final Path target = tmp.resolve("models/m/good.onnx");
		final long[] last = new long[2];
		dl.download(URI.create(base + "/good.onnx"), target, sha(data), (d, t) -> {
			last[0] = d;
			last[1] = t;
		}, null);
		assertArrayEquals(data, Files.readAllBytes(target));
		assertEquals(data.length, last[0]);
		assertEquals(data.length, last[1]);
		assertFalse(Files.exists(Downloader.partFile(target)));
	}

	@Test
	void resumesFromAPartialFile() throws Exception {
		final Path target = tmp.resolve("good.onnx");
		Files.write(Downloader.partFile(target), Arrays.copyOf(data, 100_000));
		dl.download(URI.create(base + "/good.onnx"), target, sha(data), null, null);
		assertArrayEquals(data, Files.readAllBytes(target));
		assertEquals(List.of("bytes=100000-"), ranges);
	}

	@Test
	void wrongChecksumLeavesNothingInstalled() {
		final Path target = tmp.resolve("good.onnx");
		final AnySegException e = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(base + "/good.onnx"), target, "00".repeat(32), null, null));
		assertTrue(e.getMessage().contains("wrong SHA-256"), e.getMessage());
		assertFalse(Files.exists(target));
		assertFalse(Files.exists(Downloader.partFile(target)));
	}

	@Test
	@Tag("slow")
	void truncatedSlowAndMissingFilesFailClearly() {
		final Path t1 = tmp.resolve("t.onnx");
		final AnySegException cut = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(base + "/truncated.onnx"), t1, null, null, null));
		assertTrue(cut.getMessage().contains("resumes"), cut.getMessage());
		assertFalse(Files.exists(t1), "no half file installed");

		final AnySegException slow = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(base + "/slow.onnx"), tmp.resolve("s.onnx"), null, null, null));
		assertTrue(slow.getMessage().contains("timed out"), slow.getMessage());

		final AnySegException missing = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(base + "/missing.onnx"), tmp.resolve("m.onnx"), null, null, null));
		assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
	}

	@Test
	void cancelKeepsThePartForLater() {
		final Path target = tmp.resolve("c.onnx");
		assertThrows(AnySegException.class, () -> dl.download(URI.create(base + "/good.onnx"),
			target, null, null, () -> true));
		assertFalse(Files.exists(target));
		assertTrue(Files.exists(Downloader.partFile(target)));
	}

	@Test
	void plainHttpOnlyToThisMachine() {
		final AnySegException e = assertThrows(AnySegException.class, () -> Downloader
			.checkScheme(URI.create("http://example.org/model.onnx"), LoopbackOnlyHttpTest.FAKE));
		assertTrue(e.getMessage().contains("only https://"), e.getMessage());
		Downloader.checkScheme(URI.create("https://example.org/model.onnx"));
		Downloader.checkScheme(URI.create("http://localhost:8080/model.onnx"));
	}

	private static String sha(final byte[] b) throws Exception {
		return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(
			"SHA-256").digest(b));
	}
}

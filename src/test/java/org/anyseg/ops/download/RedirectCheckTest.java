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
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpServer;

/**
 * Redirects are followed by hand, at most {@link Downloader#MAX_REDIRECTS} of them, and each
 * target is checked like the first address: a local server on 127.0.0.1 redirects to good
 * and to forbidden places. Names resolve through the fake resolver of
 * {@link LoopbackOnlyHttpTest}; no network is used.
 */
class RedirectCheckTest {

	@TempDir
	Path tmp;
	HttpServer server;
	String base;
	int port;
	final byte[] data = new byte[50_000];
	final List<String> hits = new CopyOnWriteArrayList<>();
	final Downloader dl = new Downloader(2000, 2000, LoopbackOnlyHttpTest.FAKE);

	@BeforeEach
	void serve() throws IOException {
		new Random(3).nextBytes(data);
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		port = server.getAddress().getPort();
		server.createContext("/", ex -> {
			final String path = ex.getRequestURI().getPath();
			hits.add(path);
			if (path.equals("/good.onnx")) {
				ex.sendResponseHeaders(200, data.length);
				try (OutputStream o = ex.getResponseBody()) {
					o.write(data);
				}
				return;
			}
			// /r/<code>/<n>/<location...>: redirect with <code>, n more times, then to location
			final String[] p = path.split("/", 5);
			if (p.length == 5 && p[1].equals("r")) {
				final int n = Integer.parseInt(p[3]);
				final String loc = n > 0 ? "/r/" + p[2] + "/" + (n - 1) + "/" + p[4] : p[4]
					.replace("PORT", Integer.toString(port)).replace("_", "/");
				if (!loc.equals("NONE")) ex.getResponseHeaders().add("Location", loc);
				ex.sendResponseHeaders(Integer.parseInt(p[2]), -1);
				ex.close();
				return;
			}
			ex.sendResponseHeaders(404, -1);
			ex.close();
		});
		server.start();
		base = "http://127.0.0.1:" + port;
	}

	@AfterEach
	void stop() {
		server.stop(0);
	}

	private String redirect(final int code, final int times, final String location) {
		return base + "/r/" + code + "/" + times + "/" + location.replace("/", "_");
	}

	@ParameterizedTest
	@ValueSource(ints = { 301, 302, 303, 307, 308 })
	void followsAllowedRedirectsUpToTheLimit(final int code) throws Exception {
		for (final String loc : List.of("/good.onnx", "http://127.0.0.1:PORT/good.onnx",
			"../../../good.onnx"))
		{
			final Path target = tmp.resolve(code + "-" + Math.abs(loc.hashCode()) + ".onnx");
			dl.download(URI.create(redirect(code, Downloader.MAX_REDIRECTS - 1, loc)), target, null,
				null, null);
			assertArrayEquals(data, Files.readAllBytes(target), loc);
		}
	}

	@Test
	void refusesEndlessRedirects() {
		hits.clear();
		final AnySegException e = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(redirect(302, 50, "/good.onnx")), tmp.resolve("x.onnx"), null, null, null));
		assertTrue(e.getMessage().contains("redirected more than " + Downloader.MAX_REDIRECTS),
			e.getMessage());
		assertEquals(Downloader.MAX_REDIRECTS + 1, hits.size(), "bounded: " + hits);
		assertFalse(Files.exists(tmp.resolve("x.onnx")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1.evil.example:PORT/good.onnx",
		"http://localhost.evil.example:PORT/good.onnx", "http://127.0.0.1@evil.example:PORT/good.onnx",
		"http://0.0.0.0:PORT/good.onnx", "http://nowhere.invalid/good.onnx",
		"file:///etc/passwd", "ftp://127.0.0.1:PORT/good.onnx", "jar:file:/x.jar!/a" })
	void refusesRedirectsToForbiddenPlaces(final String location) {
		for (final int hops : new int[] { 0, 2 }) {
			hits.clear();
			final Path target = tmp.resolve("f" + hops + ".onnx");
			final AnySegException e = assertThrows(AnySegException.class, () -> dl.download(URI
				.create(redirect(302, hops, location)), target, null, null, null), location);
			assertTrue(e.getMessage().contains("redirects to"), e.getMessage());
			assertTrue(e.getMessage().startsWith("Refusing to download"), e.getMessage());
			assertFalse(Files.exists(target));
			assertFalse(hits.contains("/good.onnx"), "never fetched: " + hits);
		}
	}

	@Test
	void aRedirectWithoutLocationFailsClearly() {
		final AnySegException e = assertThrows(AnySegException.class, () -> dl.download(URI
			.create(base + "/r/302/0/NONE"), tmp.resolve("n.onnx"), null, null, null));
		assertTrue(e.getMessage().contains("without saying where"), e.getMessage());
	}

	/** No local https server here: the decision itself, for each hop kind. */
	@Test
	void neverDowngradesFromHttps() {
		final URI https = URI.create("https://example.org/a/m.onnx");
		for (final String to : List.of("http://127.0.0.1/m.onnx", "http://localhost/m.onnx",
			"http://[::1]/m.onnx", "http://example.org/m.onnx", "HTTP://127.0.0.1/m.onnx",
			"file:///tmp/m.onnx"))
		{
			final AnySegException e = assertThrows(AnySegException.class, () -> Downloader
				.checkRedirect(https, https, to, LoopbackOnlyHttpTest.FAKE), to);
			assertTrue(e.getMessage().contains("not encrypted"), e.getMessage());
		}
		assertEquals(URI.create("https://cdn.example.org/m.onnx"), Downloader.checkRedirect(https,
			https, "https://cdn.example.org/m.onnx", LoopbackOnlyHttpTest.FAKE));
		assertEquals(URI.create("https://example.org/b/m.onnx"), Downloader.checkRedirect(https,
			https, "../b/m.onnx", LoopbackOnlyHttpTest.FAKE));
		final URI local = URI.create("http://127.0.0.1/m.onnx");
		assertEquals(https, Downloader.checkRedirect(local, local, https.toString(),
			LoopbackOnlyHttpTest.FAKE));
		assertThrows(AnySegException.class, () -> Downloader.checkRedirect(local, local,
			"http://evil.example/m.onnx", LoopbackOnlyHttpTest.FAKE));
		assertThrows(AnySegException.class, () -> Downloader.checkRedirect(local, local,
			"http://exa mple.org/%%", LoopbackOnlyHttpTest.FAKE));
	}
}

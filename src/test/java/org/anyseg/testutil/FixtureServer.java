package org.anyseg.testutil;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.download.Downloader;

import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server on 127.0.0.1 serving the conformance fixtures (404 for anything else), and
 * model catalogues pointing at it, so model downloads are tested without network.
 */
public final class FixtureServer implements AutoCloseable {

	private final HttpServer server;
	private final String base;

	public FixtureServer() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", ex -> {
			final Path f = Fixtures.root().resolve(ex.getRequestURI().getPath().substring(1));
			if (!Files.isRegularFile(f)) {
				ex.sendResponseHeaders(404, -1);
				ex.close();
				return;
			}
			final byte[] b = Files.readAllBytes(f);
			ex.sendResponseHeaders(200, b.length);
			try (OutputStream o = ex.getResponseBody()) {
				o.write(b);
			}
		});
		server.start();
		base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
	}

	/**
	 * Writes a catalogue with one non-commercial entry whose encoder and decoder are served
	 * fixture files (paths relative to the fixtures folder).
	 */
	public Path catalogue(final Path dir, final String name, final String family,
		final String enc, final String dec, final String decSha) throws IOException
	{
		final String json = "{\"version\":1,\"models\":[{\"name\":\"" + name + "\",\"title\":\"T\"," +
			"\"family\":\"" + family + "\",\"prompts\":[\"points\",\"boxes\"],\"licence\":\"X\"," +
			"\"commercial_use\":false,\"note\":\"n\",\"source\":\"s\",\"files\":[" + file(
				"encoder.onnx", enc, null) + "," + file("decoder.onnx", dec, decSha) + "]}]}";
		final Path p = dir.resolve(name + ".json");
		Files.writeString(p, json);
		return p;
	}

	private String file(final String as, final String path, final String sha) throws IOException {
		final Path f = Fixtures.root().resolve(path);
		final String size = Files.isRegularFile(f) ? Long.toString(Files.size(f)) : "null";
		return "{\"name\":\"" + as + "\",\"url\":\"" + base + path + "\",\"size\":" + size +
			",\"sha256\":" + (sha == null ? "null" : "\"" + sha + "\"") + "}";
	}

	/** The address a fixture file is served at (path relative to the fixtures folder). */
	public String url(final String path) {
		return base + path;
	}

	/** SHA-256 of a fixture file. */
	public static String sha(final String path) throws IOException {
		return Downloader.sha256(Fixtures.root().resolve(path));
	}

	@Override
	public void close() {
		server.stop(0);
	}
}

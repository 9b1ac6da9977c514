package org.anyseg.ops.download;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain http is allowed only when every address the host resolves to is loopback, never by
 * how the name looks. Names are resolved by a fake resolver (no network): names that merely
 * look local resolve to public addresses or do not resolve at all; IP literals are resolved
 * by the JDK, which parses them without any lookup.
 */
class LoopbackOnlyHttpTest {

	@TempDir
	Path tmp;

	/** As an attacker's DNS would answer; literals are parsed by the JDK, nothing looked up. */
	static final Map<String, String> DNS = Map.of("127.0.0.1.evil.example", "93.184.216.34",
		"localhost.evil.example", "93.184.216.34", "evil.example", "93.184.216.34",
		"localhost", "127.0.0.1", "mixed.example", "127.0.0.1,93.184.216.34", "loop.example",
		"127.0.0.1,::1");

	static InetAddress[] resolve(final String host) throws UnknownHostException {
		final String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (h.matches("[0-9.]+") || h.contains(":")) return InetAddress.getAllByName(h);
		final String a = DNS.get(h.toLowerCase());
		if (a == null) throw new UnknownHostException(host);
		final String[] parts = a.split(",");
		final InetAddress[] r = new InetAddress[parts.length];
		for (int i = 0; i < parts.length; i++) {
			r[i] = InetAddress.getByAddress(h, InetAddress.getByName(parts[i]).getAddress());
		}
		return r;
	}

	static final Downloader.Resolver FAKE = LoopbackOnlyHttpTest::resolve;

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1.evil.example/m.onnx",
		"http://127.0.0.1.evil.example:8080/m.onnx", "http://localhost.evil.example/m.onnx",
		"http://LOCALHOST.evil.example/m.onnx", "http://127.0.0.1@evil.example/m.onnx",
		"http://localhost@evil.example/m.onnx", "http://mixed.example/m.onnx",
		"http://0x7f.1/m.onnx", "http://0x7f000001/m.onnx", "http://2130706433.evil.example/m.onnx",
		"http://127.1/m.onnx", "http://0.0.0.0/m.onnx", "http://10.0.0.1/m.onnx",
		"http://[::]/m.onnx", "http://[::ffff:93.184.216.34]/m.onnx",
		"http://does-not-exist.invalid/m.onnx", "http:///m.onnx", "http:/m.onnx",
		"ftp://127.0.0.1/m.onnx", "file:///etc/passwd", "jar:file:/x.jar!/m.onnx",
		"127.0.0.1/m.onnx" })
	void refusesHttpToAnythingButLoopback(final String url) {
		final AnySegException e = assertThrows(AnySegException.class, () -> Downloader
			.checkScheme(URI.create(url), FAKE), url);
		assertTrue(e.getMessage().startsWith("Refusing to download "), e.getMessage());
		assertTrue(e.getMessage().contains("https://"), "says what to do: " + e.getMessage());
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/m.onnx", "http://127.0.0.1:8080/m.onnx",
		"http://127.0.0.5/m.onnx", "http://127.255.255.254:1/m.onnx", "http://[::1]/m.onnx",
		"http://[::1]:8080/m.onnx", "http://localhost/m.onnx", "http://loop.example/m.onnx",
		"HTTP://127.0.0.1/m.onnx", "http://[::ffff:127.0.0.1]/m.onnx",
		// the JDK reads 2130706433 as 127.0.0.1 both here and when connecting: truly loopback
		"http://2130706433/m.onnx", "https://example.org/m.onnx", "HTTPS://evil.example/m.onnx" })
	void allowsHttpsAndResolvedLoopback(final String url) {
		assertDoesNotThrow(() -> Downloader.checkScheme(URI.create(url), FAKE), url);
	}

	@Test
	void anUnresolvableNameIsRefusedClearly() {
		final AnySegException e = assertThrows(AnySegException.class, () -> Downloader
			.checkScheme(URI.create("http://127.0.0.1.evil.invalid/m.onnx"), FAKE));
		assertTrue(e.getMessage().contains("cannot be resolved"), e.getMessage());
	}

	@Test
	void aPublicAddressIsNamedInTheRefusal() {
		final AnySegException e = assertThrows(AnySegException.class, () -> Downloader
			.checkScheme(URI.create("http://127.0.0.1.evil.example/m.onnx"), FAKE));
		assertTrue(e.getMessage().contains("93.184.216.34"), e.getMessage());
	}

	/** The download itself is refused before anything is created or connected. */
	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1.evil.example/m.onnx",
		"http://localhost.evil.example/m.onnx", "http://127.0.0.1@evil.example/m.onnx" })
	void downloadRefusesBeforeWritingAnything(final String url) {
		final Path target = tmp.resolve("sub/m.onnx");
		assertThrows(AnySegException.class, () -> new Downloader(500, 500, FAKE).download(URI
			.create(url), target, null, null, null));
		assertFalse(Files.exists(tmp.resolve("sub")));
	}
}

package org.anyseg.ops.download;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digests equal Python's {@code xxhash.xxh128(data).hexdigest()} (python3-xxhash 3.2.0,
 * computed once and written here), which is what micro-sam's registry publishes.
 */
class Xxh128Test {

	@TempDir
	Path tmp;

	private static byte[] pattern(final int n) {
		final byte[] d = new byte[n];
		for (int i = 0; i < n; i++) d[i] = (byte) ((i * 31 + 7) % 251);
		return d;
	}

	@Test
	void matchesPythonXxhash() throws IOException {
		assertEquals("99aa06d3014798d86001c324468d497f", Xxh128.of(new byte[0]));
		assertEquals("a96faf705af16834e6c632b61e964e1f", Xxh128.of(new byte[] { 'a' }));
		assertEquals("e719034ed2c87a3684b0c79e3e1ac40e", Xxh128.of(pattern(1000)));
		final Path f = tmp.resolve("one_mb.bin");
		Files.write(f, pattern(1 << 20));
		assertEquals("0134f3832dac680a95085e99fb411cbe", Xxh128.of(f), "through a mapped file");
	}
}

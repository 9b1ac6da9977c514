package org.anyseg.ops.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.openhft.hashing.LongTupleHashFunction;

/**
 * The digests equal Python's {@code xxhash.xxh128(data).hexdigest()} (python3-xxhash 3.2.0
 * on libxxhash 0.8.1, computed once with {@code /usr/bin/python3} and written here), which is
 * what micro-sam's registry publishes. The lengths cover each XXH3 code path: 0, 1-3, 4-8,
 * 9-16, 17-128, 129-240 bytes and the long-input loop (over 240 bytes, 1 KiB stripes, more
 * than one 1 KiB block).
 */
class Xxh128Test {

	@TempDir
	Path tmp;

	/** Bytes {@code (i * 31 + 7) % 251}: Python {@code bytes((i*31+7)%251 for i in range(n))}. */
	private static byte[] pattern(final int n) {
		final byte[] d = new byte[n];
		for (int i = 0; i < n; i++) d[i] = (byte) ((i * 31 + 7) % 251);
		return d;
	}

	private static byte[] random(final long seed, final int n) {
		final byte[] d = new byte[n];
		new Random(seed).nextBytes(d);
		return d;
	}

	@Test
	void matchesPythonXxhash() {
		assertEquals("99aa06d3014798d86001c324468d497f", Xxh128.of(new byte[0]));
		assertEquals("a96faf705af16834e6c632b61e964e1f", Xxh128.of(new byte[] { 'a' }));
		assertEquals("06b05ab6733a618578af5f94892f3950", Xxh128.of("abc".getBytes(
			StandardCharsets.US_ASCII)));
		final String[][] patterns = { { "3", "46f66cb93538156515f7093b173d005c" }, //
			{ "5", "2fbb16712b4bf1d5752a86982353f4f3" }, //
			{ "8", "803c675a846cc6c256bb836ceb6d4baa" }, //
			{ "9", "365644c233ffe5c213af585c9bf5827d" }, //
			{ "16", "da917c385cc874c00d463cb04ceffbaf" }, //
			{ "17", "d443578f2c4e2fb495c34448580e19c8" }, //
			{ "128", "22c34350373a38ae5b77925b2c683a12" }, //
			{ "129", "c4a7d8f7893f2090d6d9e73553568be1" }, //
			{ "240", "e29d70b8920fd24bc6ed4333f79384f8" }, //
			{ "241", "f91b3cb8ed0fa91a07525dbc14902c7f" }, //
			{ "1000", "e719034ed2c87a3684b0c79e3e1ac40e" }, //
			{ "1024", "f53a1b1e9f1efedfe2898655db7bc9ee" }, //
			{ "1025", "a906cca0f6e772a7134c652ba3d6fb9e" } };
		for (final String[] p : patterns) {
			assertEquals(p[1], Xxh128.of(pattern(Integer.parseInt(p[0]))), p[0] + " bytes");
		}
		// 1 MiB of java.util.Random(42).nextBytes, written to a file and hashed by Python
		assertEquals("12498e11b1c57281a5250f96a6d4cc1b", Xxh128.of(random(42, 1 << 20)));
	}

	/** The library's long[2] is {low, high}; Python's hexdigest writes high, then low. */
	@Test
	void longPairIsLowThenHigh() {
		// Python: h = xxhash.xxh128(b"a").intdigest(); h >> 64, h & (2**64 - 1)
		assertArrayEquals(new long[] { 0xe6c632b61e964e1fL, 0xa96faf705af16834L },
			LongTupleHashFunction.xx128().hashBytes(new byte[] { 'a' }));
	}

	@Test
	void filesAreHashedThroughTheMappingAsOnTheHeap() throws IOException {
		final Path f = tmp.resolve("one_mb.bin");
		Files.write(f, pattern(1 << 20));
		assertEquals("0134f3832dac680a95085e99fb411cbe", Xxh128.of(f));
		// an odd length, so the last stripe is partial
		Files.write(f, random(7, 1_000_003));
		assertEquals("d7736c3589f5759e040586e9cee30dfe", Xxh128.of(f));
		Files.write(f, new byte[0]);
		assertEquals("99aa06d3014798d86001c324468d497f", Xxh128.of(f));
	}

	@Test
	void refusesFilesOverOneMapping() throws IOException {
		final Path f = tmp.resolve("huge.bin");
		try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
			r.setLength(Xxh128.MAX_FILE + 1); // sparse: no disk space used, never read
		}
		final AnySegException e = assertThrows(AnySegException.class, () -> Xxh128.of(f));
		assertTrue(e.getMessage().contains("huge.bin") && e.getMessage().contains(
			"cannot be verified by its xxh128"), e.getMessage());
	}
}

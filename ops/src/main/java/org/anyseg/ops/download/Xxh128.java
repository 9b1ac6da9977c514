package org.anyseg.ops.download;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.anyseg.ops.AnySegException;

import net.openhft.hashing.Access;
import net.openhft.hashing.LongTupleHashFunction;

/**
 * XXH3 128-bit digests (seed 0), written as micro-sam's registry publishes them (through pooch
 * and Python's {@code xxhash.xxh128(data).hexdigest()}): 32 lower-case hex digits of the
 * 128-bit value, high 64 bits first. Computed by OpenHFT's zero-allocation-hashing, whose
 * {@code long[2]} holds the low 64 bits in {@code [0]} and the high ones in {@code [1]}, so the
 * digest is {@code hex(h[1]) + hex(h[0])} (proven against Python's xxhash in Xxh128Test).
 * <p>
 * The library hashes in one call and cannot stream, so a file is mapped whole and hashed in
 * place through the public {@link Access#toByteBuffer()} (no copy onto the heap); one mapping
 * holds at most {@link #MAX_FILE} bytes, and larger files are refused.
 */
public final class Xxh128 {

	/** The largest file {@link #of(Path)} hashes: one memory mapping, 2 GiB - 1 bytes. */
	public static final long MAX_FILE = Integer.MAX_VALUE;

	private Xxh128() {}

	/** The digest of bytes on the heap. */
	public static String of(final byte[] bytes) {
		return hex(LongTupleHashFunction.xx128().hashBytes(bytes));
	}

	/**
	 * The digest of a file of at most {@link #MAX_FILE} bytes, memory-mapped.
	 *
	 * @throws AnySegException for a larger file, saying its xxh128 cannot be checked
	 */
	public static String of(final Path file) throws IOException {
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			final long size = ch.size();
			if (size > MAX_FILE) {
				throw new AnySegException(file.getFileName() + " is " + size + " bytes: AnySeg " +
					"checks an xxh128 only for files of at most " + MAX_FILE + " bytes (one memory " +
					"mapping), so this file cannot be verified by its xxh128. Check it by its " +
					"SHA-256 instead, or with the publisher's tool (xxh128sum).");
			}
			if (size == 0) return of(new byte[0]);
			final MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
			// XXH3 reads little-endian words: the native order of the buffer saves byte swaps
			m.order(ByteOrder.LITTLE_ENDIAN);
			return hex(LongTupleHashFunction.xx128().hash(m, Access.toByteBuffer(), 0, size));
		}
	}

	/** Python's {@code hexdigest()}: the high 64 bits ({@code h[1]}) first. */
	private static String hex(final long[] h) {
		return String.format("%016x%016x", h[1], h[0]);
	}
}

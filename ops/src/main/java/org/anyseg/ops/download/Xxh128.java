package org.anyseg.ops.download;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.anyseg.ops.AnySegException;

import net.openhft.hashing.LongTupleHashFunction;

/**
 * XXH3 128-bit digests of files, as micro-sam's registry (through pooch and Python's
 * {@code xxhash.xxh128(data).hexdigest()}) publishes them: 32 lower-case hex digits, high 64
 * bits first. Computed by OpenHFT's zero-allocation-hashing, whose {@code long[2]} holds the
 * low half first (checked against Python's xxhash in Xxh128Test). The library hashes in one
 * call, so files above 2 GB cannot be checked this way.
 */
public final class Xxh128 {

	private Xxh128() {}

	/** The digest of bytes on the heap. */
	public static String of(final byte[] bytes) {
		return hex(LongTupleHashFunction.xx128().hashBytes(bytes));
	}

	private static String hex(final long[] h) {
		return String.format("%016x%016x", h[1], h[0]);
	}

	/**
	 * The native address of a direct buffer. The library's own direct-buffer path needs
	 * {@code --add-exports java.base/sun.nio.ch}, which Fiji does not pass, so the address is
	 * read through {@code sun.misc.Unsafe} (module jdk.unsupported) from {@code Buffer.address}.
	 */
	private static long address(final java.nio.ByteBuffer direct) throws ReflectiveOperationException {
		final java.lang.reflect.Field uf = Class.forName("sun.misc.Unsafe").getDeclaredField(
			"theUnsafe");
		uf.setAccessible(true);
		final sun.misc.Unsafe u = (sun.misc.Unsafe) uf.get(null);
		@SuppressWarnings("deprecation")
		final long off = u.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
		return u.getLong(direct, off);
	}

	/** The digest of a file of at most 2 GB (memory-mapped, not read onto the heap). */
	public static String of(final Path file) throws IOException {
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			if (ch.size() > Integer.MAX_VALUE) {
				throw new AnySegException(file.getFileName() + " is " + ch.size() + " bytes: its " +
					"xxh128 cannot be checked here (2 GB at most). Check it with its SHA-256.");
			}
			if (ch.size() == 0) return of(new byte[0]);
			final MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
			try {
				return hex(LongTupleHashFunction.xx128().hashMemory(address(m), ch.size()));
			}
			catch (final ReflectiveOperationException | RuntimeException e) {
				if (ch.size() > 256L << 20) {
					throw new AnySegException("This Java cannot hash " + file.getFileName() + " in " +
						"place (" + e + "); its xxh128 cannot be checked. Check the file by its SHA-256.");
				}
				final byte[] b = new byte[(int) ch.size()];
				m.get(b);
				return of(b);
			}
		}
	}
}

package org.anyseg.ops.io.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.anyseg.ops.AnySegException;

/** Opening NIfTI files as streams, gzip-compressed or not, and wording read errors. */
final class NiftiStreams {

	private static final int BUFFER = 1 << 16;

	private NiftiStreams() {}

	/**
	 * A buffered stream of the file's uncompressed bytes. Compression is recognised by the
	 * gzip signature, not the name, so a mis-named {@code .nii} that is gzipped still opens.
	 */
	static InputStream open(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) {
			throw new AnySegException("NIfTI file not found: " + file + ".");
		}
		final BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file),
			BUFFER);
		try {
			in.mark(2);
			final int b0 = in.read();
			final int b1 = in.read();
			in.reset();
			if (b0 == 0x1f && b1 == 0x8b) {
				return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
			}
			return in;
		}
		catch (final IOException | RuntimeException e) {
			in.close();
			throw e;
		}
	}

	/** Whether the file starts with the gzip signature. */
	static boolean isGzip(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return in.read() == 0x1f && in.read() == 0x8b;
		}
	}

	/** An error for an I/O failure while reading {@code file}. */
	static AnySegException readError(final Path file, final IOException e) {
		if (e instanceof NoSuchFileException) {
			return new AnySegException("NIfTI file not found: " + file + ".", e);
		}
		if (e instanceof EOFException || e instanceof ZipException) {
			return new AnySegException("NIfTI file " + file + " is truncated or its gzip " +
				"compression is damaged (" + e.getMessage() + "). Copy or export the file again.",
				e);
		}
		return new AnySegException("Cannot read NIfTI file " + file + ": " + e.getMessage() +
			". Check that the file is readable.", e);
	}

	/**
	 * Skips exactly {@code n} bytes.
	 *
	 * @return the bytes skipped, fewer than {@code n} only at the end of the stream
	 */
	static long skipFully(final InputStream in, final long n) throws IOException {
		long done = 0;
		final byte[] scratch = new byte[8192];
		while (done < n) {
			final long s = in.skip(n - done);
			if (s > 0) {
				done += s;
				continue;
			}
			// skip() may return 0 before the end; a read tells the end apart
			final int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
			if (r < 0) break;
			done += r;
		}
		return done;
	}
}

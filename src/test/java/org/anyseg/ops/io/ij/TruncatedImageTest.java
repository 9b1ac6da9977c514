package org.anyseg.ops.io.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.anyseg.ops.AnySegException;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

/**
 * Issue 15: a TIFF cut short is refused before ImageJ decodes it (ImageJ zero-filled an
 * uncompressed one silently and could spin forever on a zip-compressed one); ImageJ's
 * decoders run under a time limit.
 */
class TruncatedImageTest {

	@TempDir
	Path tmp;

	private Path cut(final Path whole, final long length) throws Exception {
		final byte[] b = Files.readAllBytes(whole);
		final Path p = tmp.resolve("cut" + length + "-" + whole.getFileName());
		Files.write(p, Arrays.copyOf(b, (int) length));
		return p;
	}

	@Test
	void truncatedTiffsAreRefusedWholeOnesOpen() throws Exception {
		final ShortProcessor sp = new ShortProcessor(300, 200);
		for (int i = 0; i < 300 * 200; i++) sp.set(i, i % 4000);
		final Path plain = tmp.resolve("plain.tif");
		new FileSaver(new ImagePlus("p", sp)).saveAsTiff(plain.toString());
		final ImageStack st = new ImageStack(100, 80);
		for (int z = 0; z < 5; z++) st.addSlice(new ShortProcessor(100, 80));
		final Path stack = tmp.resolve("stack.tif");
		new FileSaver(new ImagePlus("s", st)).saveAsTiffStack(stack.toString());
		final Path zip = tmp.resolve("zip16.tif");
		Files.copy(Fixtures.root().resolve("tiff/zip16.tif"), zip);
		for (final Path whole : new Path[] { plain, stack, zip }) {
			assertTrue(ImageFiles.open(whole).getWidth() > 0, "the whole file opens");
			// where the pixel data ends (ImageJ writes its metadata after it)
			long n = 0;
			for (final ij.io.FileInfo fi : new ij.io.TiffDecoder(tmp.toString() + "/", whole
				.getFileName().toString()).getTiffInfo()) n = Math.max(n, TiffCheck.end(fi));
			assertTrue(n > 1000 && n <= Files.size(whole), whole + ": " + n);
			for (final long len : new long[] { n - 1, n - 100, n / 2, n / 4 }) {
				final Path p = cut(whole, len);
				final AnySegException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
					() -> assertThrows(AnySegException.class, () -> ImageFiles.open(p)), p.toString());
				assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("damaged"),
					p + ": " + e.getMessage());
			}
		}
	}

	@Test
	void imageJsDecoderRunsUnderATimeLimit() {
		final String before = System.getProperty("anyseg.decodeSeconds");
		System.setProperty("anyseg.decodeSeconds", "0");
		try {
			// a decoder that cannot finish in time (a small real file decoded by a warm thread
			// could finish before the limit of 0 s is even looked at)
			final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(
				1);
			AnySegException e = assertThrows(AnySegException.class, () -> Watchdog.run(() -> {
				try {
					never.await();
				}
				catch (final InterruptedException x) {
					Thread.currentThread().interrupt();
				}
				return null;
			}, "ImageJ's decoder on x.tif"));
			assertTrue(e.getMessage().contains("did not finish within 0 s"), e.getMessage());
			// and ImageFiles.open decodes under it: 24 MB take far longer than the check
			final Path big = tmp.resolve("big.tif");
			new FileSaver(new ImagePlus("b", new ShortProcessor(4000, 3000))).saveAsTiff(big
				.toString());
			e = assertThrows(AnySegException.class, () -> ImageFiles.open(big));
			assertTrue(e.getMessage().contains("did not finish within 0 s"), e.getMessage());
		}
		finally {
			if (before == null) System.clearProperty("anyseg.decodeSeconds");
			else System.setProperty("anyseg.decodeSeconds", before);
		}
		assertEquals(383, ImageFiles.open(Fixtures.samOnnx().resolve("gray16.tif")).getHeight());
	}

	/**
	 * A whole (sparse) 37000 x 37000 RGB TIFF needs 5.5 GB once decoded: refused with the heap
	 * it needs before ImageJ starts (it ended in an OutOfMemoryError without advice).
	 */
	@Test
	void anImageLargerThanTheHeapIsRefusedWithAdvice() throws Exception {
		final int side = 37000;
		final long data = (long) side * side * 3;
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + 9 * 12 + 4 + 6).order(
			java.nio.ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
		b.putShort((short) 9);
		final int bitsAt = 8 + 2 + 9 * 12 + 4;
		final int dataAt = bitsAt + 6;
		tag(b, 256, 4, 1, side);
		tag(b, 257, 4, 1, side);
		tag(b, 258, 3, 3, bitsAt); // 8,8,8 stored after the IFD
		tag(b, 259, 3, 1, 1);
		tag(b, 262, 3, 1, 2);
		tag(b, 273, 4, 1, dataAt);
		tag(b, 277, 3, 1, 3);
		tag(b, 278, 4, 1, side);
		tag(b, 279, 4, 1, (int) data);
		b.putInt(0);
		b.putShort((short) 8).putShort((short) 8).putShort((short) 8);
		final Path p = tmp.resolve("huge.tif");
		Files.write(p, b.array());
		try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
			f.setLength(dataAt + data); // sparse: no disk used
		}
		final AnySegException e = assertThrows(AnySegException.class, () -> ImageFiles.open(p));
		assertTrue(e.getMessage().contains("huge.tif needs about") && e.getMessage().contains(
			"-Xmx"), e.getMessage());
	}

	private static void tag(final java.nio.ByteBuffer b, final int tag, final int type,
		final int count, final int value)
	{
		b.putShort((short) tag).putShort((short) type).putInt(count);
		if (type == 3 && count == 1) b.putShort((short) value).putShort((short) 0);
		else b.putInt(value);
	}
}

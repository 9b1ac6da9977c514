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
			final AnySegException e = assertThrows(AnySegException.class, () -> ImageFiles.open(
				Fixtures.samOnnx().resolve("gray16.tif")));
			assertTrue(e.getMessage().contains("did not finish within 0 s"), e.getMessage());
		}
		finally {
			if (before == null) System.clearProperty("anyseg.decodeSeconds");
			else System.setProperty("anyseg.decodeSeconds", before);
		}
		assertEquals(383, ImageFiles.open(Fixtures.samOnnx().resolve("gray16.tif")).getHeight());
	}
}

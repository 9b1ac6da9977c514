package org.anyseg.ops.io.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.anyseg.ops.AnySegException;
import org.anyseg.plugin.cli.AnySegCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: PNG, JPEG, GIF and BMP files are sized from their headers before ImageJ decodes
 * them: a declared size that the heap cannot hold is refused with the -Xmx it needs, one
 * that no Java array holds is refused as such, and real small images still open. Crafted
 * headers (valid PNG CRC, JPEG frames after large APP segments, progressive frames, BMP
 * top-down heights) cover the ways each format states its size.
 */
class ImageHeadersTest {

	@TempDir
	Path tmp;

	/** A PNG of IHDR (valid CRC), an empty IDAT and IEND, declaring {@code w x h}. */
	static byte[] png(final long w, final long h, final int depth, final int colour) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		final ByteBuffer ihdr = ByteBuffer.allocate(13);
		ihdr.putInt((int) w).putInt((int) h).put((byte) depth).put((byte) colour).put((byte) 0)
			.put((byte) 0).put((byte) 0);
		chunk(out, "IHDR", ihdr.array());
		chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 3, 0, 0, 0, 0, 1 });
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(final ByteArrayOutputStream out, final String type,
		final byte[] data)
	{
		final byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(t);
		out.writeBytes(data);
		final CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/** A JPEG whose frame (SOF{@code sof}) declares {@code w x h} after an APP1 of {@code app} bytes. */
	static byte[] jpeg(final int w, final int h, final int components, final int sof,
		final int app)
	{
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0xff, (byte) 0xd8 });
		out.writeBytes(new byte[] { (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0,
			0, 1, 0, 1, 0, 0 });
		out.writeBytes(new byte[] { (byte) 0xff, (byte) 0xe1, (byte) ((app + 2) >> 8),
			(byte) (app + 2) });
		out.writeBytes(new byte[app]);
		out.writeBytes(new byte[] { (byte) 0xff, (byte) 0xff }); // a fill byte
		final int len = 8 + 3 * components;
		out.writeBytes(new byte[] { (byte) sof, 0, (byte) len, 8, (byte) (h >> 8), (byte) h,
			(byte) (w >> 8), (byte) w, (byte) components });
		for (int c = 0; c < components; c++) out.writeBytes(new byte[] { (byte) (c + 1), 0x11, 0 });
		out.writeBytes(new byte[] { (byte) 0xff, (byte) 0xd9 });
		return out.toByteArray();
	}

	static byte[] gif(final int w, final int h) {
		return ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN).put("GIF89a".getBytes(
			StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h).put((byte) 0).put(
				(byte) 0).put((byte) 0).array();
	}

	static byte[] bmp(final int w, final int h, final int bits) {
		return ByteBuffer.allocate(54).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'B').put(
			(byte) 'M').putInt(54).putInt(0).putInt(54).putInt(40).putInt(w).putInt(h).putShort(
				(short) 1).putShort((short) bits).array();
	}

	private Path write(final String name, final byte[] b) throws Exception {
		return Files.write(tmp.resolve(name), b);
	}

	private void assertNeedsXmx(final Path f, final ImageHeaders.Declared d) {
		assumeTrue(d.bytes() > Runtime.getRuntime().maxMemory(), "a heap this large holds it");
		final AnySegException e = assertThrows(AnySegException.class, () -> ImageFiles.open(f),
			f.toString());
		assertTrue(e.getMessage().contains("-Xmx") && e.getMessage().contains(d.width() + "x" + d
			.height()), e.getMessage());
	}

	@Test
	void headersGiveTheDeclaredSizeInEveryWayTheyStateIt() throws Exception {
		// PNG: grey, RGB, palette, grey+alpha, RGBA, at 8 and 16 bits
		final int[][] png = { { 0, 8, 2 }, { 0, 16, 4 }, { 2, 8, 7 }, { 2, 16, 10 }, { 3, 8, 2 }, {
			4, 8, 6 }, { 6, 8, 8 }, { 6, 16, 12 } };
		for (final int[] c : png) {
			final ImageHeaders.Declared d = ImageHeaders.read(write("p.png", png(40000, 30000, c[1],
				c[0])));
			assertEquals(new ImageHeaders.Declared("PNG", 40000, 30000, c[2]), d, "colour " + c[0] +
				" depth " + c[1]);
		}
		// JPEG: baseline and progressive frames, grey and colour, behind APP segments up to 64 KB
		for (final int sof : new int[] { 0xc0, 0xc1, 0xc2 }) {
			for (final int app : new int[] { 0, 100, 65000 }) {
				assertEquals(new ImageHeaders.Declared("JPEG", 65000, 64000, 8), ImageHeaders.read(
					write("j.jpg", jpeg(65000, 64000, 3, sof, app))), sof + " " + app);
				assertEquals(new ImageHeaders.Declared("JPEG", 300, 200, 2), ImageHeaders.read(write(
					"j.jpg", jpeg(300, 200, 1, sof, app))));
			}
		}
		assertEquals(new ImageHeaders.Declared("GIF", 65535, 65535, 2), ImageHeaders.read(write(
			"g.gif", gif(65535, 65535))));
		// BMP: bottom-up and top-down (negative height)
		assertEquals(new ImageHeaders.Declared("BMP", 46000, 46000, 8), ImageHeaders.read(write(
			"b.bmp", bmp(46000, -46000, 24))));
		assertEquals(new ImageHeaders.Declared("BMP", 500, 400, 2), ImageHeaders.read(write(
			"b.bmp", bmp(500, 400, 8))));
		// not one of these, or cut short: ImageJ decides
		assertNull(ImageHeaders.read(write("x.txt", "hello world".getBytes(
			StandardCharsets.US_ASCII))));
		assertNull(ImageHeaders.read(write("cut.jpg", java.util.Arrays.copyOf(jpeg(300, 200, 3,
			0xc0, 100), 60))));
	}

	@Test
	void aHugePngIsRefusedWithTheHeapItNeeds() throws Exception {
		final Path f = write("huge.png", png(46000, 46000, 8, 2));
		assertNeedsXmx(f, ImageHeaders.read(f));
		final Path g = write("huge16.png", png(40000, 40000, 16, 6));
		assertNeedsXmx(g, ImageHeaders.read(g));
	}

	@Test
	void aJpegOf65000SquaredIsRefusedBeforeDecoding() throws Exception {
		final Path f = write("huge.jpg", jpeg(65000, 65000, 3, 0xc0, 1000));
		final AnySegException e = assertThrows(AnySegException.class, () -> ImageFiles.open(f));
		// 4.2 billion pixels: no heap helps, one Java array holds at most 2^31-1
		assertTrue(e.getMessage().contains("65000x65000") && e.getMessage().contains(
			"more than ImageJ can hold in one plane"), e.getMessage());
		final Path g = write("big.jpg", jpeg(46000, 46000, 3, 0xc2, 1000));
		assertNeedsXmx(g, ImageHeaders.read(g));
	}

	@Test
	void hugeGifsAndBmpsAreRefusedToo() throws Exception {
		final Path g = write("huge.gif", gif(65535, 65535));
		assertTrue(assertThrows(AnySegException.class, () -> ImageFiles.open(g)).getMessage()
			.contains("one plane"));
		final Path b = write("huge.bmp", bmp(46000, 46000, 24));
		assertNeedsXmx(b, ImageHeaders.read(b));
		final Path b2 = write("huge2.bmp", bmp(-46000, -46000, 32));
		assertNeedsXmx(b2, ImageHeaders.read(b2));
	}

	@Test
	void realSmallImagesStillOpen() throws Exception {
		final BufferedImage rgb = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
		rgb.setRGB(10, 10, 0xff8040);
		for (final String format : new String[] { "png", "jpg", "gif", "bmp" }) {
			final Path f = tmp.resolve("small." + format);
			assertTrue(ImageIO.write(rgb, format, f.toFile()), format);
			final ImageHeaders.Declared d = ImageHeaders.read(f);
			assertNotNull(d, format);
			assertEquals(100, d.width(), format);
			assertEquals(80, d.height(), format);
			assertEquals(100, ImageFiles.open(f).getWidth(), format);
		}
	}

	/** The command line: exit 2 with the advice, nothing written. */
	@Test
	void theCommandLineExits2WithTheAdvice() throws Exception {
		final Path f = write("huge.png", png(46000, 46000, 8, 2));
		assumeTrue(ImageHeaders.read(f).bytes() > Runtime.getRuntime().maxMemory());
		final StringWriter err = new StringWriter();
		final Path out = tmp.resolve("labels.tif");
		final int rc = AnySegCli.run(new String[] { "segment", "--image", f.toString(), "--box",
			"1,1,9,9", "--out", out.toString() }, new PrintWriter(new StringWriter()),
			new PrintWriter(err, true));
		assertEquals(2, rc, err.toString());
		assertTrue(err.toString().contains("-Xmx"), err.toString());
		assertFalse(Files.exists(out));
	}
}

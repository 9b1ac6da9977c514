package org.anyseg.ops.io.ij;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Locale;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.MemoryBudget;

/**
 * The declared size of a PNG (IHDR), JPEG (SOF), GIF (logical screen) or BMP (info header),
 * read from the first bytes without decoding, so that an image too large for the heap is
 * refused with the {@code -Xmx} it needs before ImageJ's decoder runs out of memory (TIFF:
 * {@link TiffCheck}; NIfTI: its reader). Files of other kinds, and headers that cannot be
 * read, are left to ImageJ.
 */
final class ImageHeaders {

	/** The most pixels ImageJ holds in one plane: one Java array. */
	static final long MAX_PLANE = Integer.MAX_VALUE;

	/**
	 * A declared image: {@code bytesPerPixel} is what decoding costs per pixel (the
	 * decoder's raster plus ImageJ's processor).
	 */
	record Declared(String format, long width, long height, int bytesPerPixel) {

		long bytes() {
			return width * height * bytesPerPixel;
		}
	}

	private ImageHeaders() {}

	/**
	 * Refuses a file whose header declares a plane ImageJ cannot hold or the heap cannot
	 * decode.
	 */
	static void check(final Path file) {
		final Declared d = read(file);
		if (d == null || d.width() < 1 || d.height() < 1) return; // ImageJ decides
		final String name = file.getFileName().toString();
		// each side below 2^31 first, so that the product cannot overflow
		if (d.width() > MAX_PLANE || d.height() > MAX_PLANE || d.width() * d
			.height() > MAX_PLANE)
		{
			throw new AnySegException(String.format(Locale.ROOT, "The %s %s declares %dx%d " +
				"pixels (%,d), more than ImageJ can hold in one plane (%,d pixels) whatever the " +
				"memory. Cut it into tiles with another tool first (e.g. vips or bfconvert).", d
					.format(), name, d.width(), d.height(), d.width() * d.height(), MAX_PLANE));
		}
		MemoryBudget.require(d.bytes(), "Opening the " + d.width() + "x" + d.height() + " " + d
			.format() + " " + name);
	}

	/** The declared size, or {@code null} when the file is none of these or unreadable. */
	static Declared read(final Path file) {
		// a header cut short (EOFException) is left to ImageJ too
		try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
			final byte[] head = new byte[30];
			final int n = in.read(head);
			if (n < 4) return null;
			if (n >= 26 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' &&
				head[3] == 'G' && head[12] == 'I' && head[13] == 'H' && head[14] == 'D' &&
				head[15] == 'R') return png(head);
			if ((head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8) return jpeg(in);
			if (n >= 10 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F') {
				return new Declared("GIF", u16le(head, 6), u16le(head, 8), 2);
			}
			if (n >= 30 && head[0] == 'B' && head[1] == 'M') return bmp(head);
			return null;
		}
		catch (final IOException e) {
			return null; // ImageJ says what is wrong with it
		}
	}

	/** IHDR: width, height, bit depth, colour type. */
	private static Declared png(final byte[] h) {
		final int depth = h[24] & 0xff, colour = h[25] & 0xff;
		final int samples = switch (colour) {
			case 2 -> 3;
			case 4 -> 2;
			case 6 -> 4;
			default -> 1; // grey, palette
		};
		final int sampleBytes = depth == 16 ? 2 : 1;
		// ImageJ's processor: 8-bit for grey and palette, 16-bit for 16-bit grey, else RGB
		final int processor = colour == 0 || colour == 3 ? sampleBytes : 4;
		return new Declared("PNG", u32be(h, 16), u32be(h, 20), samples * sampleBytes + processor);
	}

	/** The first start-of-frame segment's height, width and components. */
	private static Declared jpeg(final RandomAccessFile in) throws IOException {
		long pos = 2;
		for (int segments = 0; segments < 10_000; segments++) {
			in.seek(pos);
			int marker = in.read();
			if (marker != 0xff) return null;
			while (marker == 0xff) marker = in.read(); // fill bytes
			if (marker <= 0) return null;
			pos = in.getFilePointer();
			if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) continue; // no length
			if (marker == 0xd9 || marker == 0xda) return null; // end, or scan without a frame
			final int len = in.readUnsignedShort();
			if (len < 2) return null;
			final boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 &&
				marker != 0xc8 && marker != 0xcc;
			if (sof) {
				in.readUnsignedByte(); // precision
				final int height = in.readUnsignedShort(), width = in.readUnsignedShort();
				final int components = in.readUnsignedByte();
				if (height == 0) return null; // height given later (DNL): ImageJ decides
				// grey: raster and 8-bit processor; colour: raster and RGB processor
				return new Declared("JPEG", width, height, components == 1 ? 2 : 8);
			}
			pos += len;
		}
		return null;
	}

	/** BITMAPINFOHEADER (or the OS/2 core header): width, height (negative: top-down), bits. */
	private static Declared bmp(final byte[] h) {
		final long header = u32le(h, 14);
		final long width, height;
		final int bits;
		if (header == 12) {
			width = u16le(h, 18);
			height = u16le(h, 20);
			bits = u16le(h, 24);
		}
		else {
			width = Math.abs((long) (int) u32le(h, 18));
			height = Math.abs((long) (int) u32le(h, 22));
			bits = u16le(h, 28);
		}
		return new Declared("BMP", width, height, bits <= 8 ? 2 : 8);
	}

	private static long u32be(final byte[] b, final int i) {
		return (b[i] & 0xffL) << 24 | (b[i + 1] & 0xffL) << 16 | (b[i + 2] & 0xffL) << 8 |
			b[i + 3] & 0xffL;
	}

	private static long u32le(final byte[] b, final int i) {
		return (b[i + 3] & 0xffL) << 24 | (b[i + 2] & 0xffL) << 16 | (b[i + 1] & 0xffL) << 8 |
			b[i] & 0xffL;
	}

	private static int u16le(final byte[] b, final int i) {
		return (b[i + 1] & 0xff) << 8 | b[i] & 0xff;
	}
}

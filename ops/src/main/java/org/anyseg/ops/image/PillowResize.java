package org.anyseg.ops.image;

import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Pillow's {@code Image.resize(size, BILINEAR)} of an 8-bit image, bit for bit (a port of
 * {@code src/libImaging/Resample.c}, unchanged in that respect from Pillow 9.4 to 12). This is
 * what Segment Anything's {@code ResizeLongestSide.apply_image} does to a uint8 RGB image
 * (torchvision's {@code resize(to_pil_image(image), size)}); {@link Resampler} is the same
 * filter on float values, without the rounding below.
 * <p>
 * Per axis of {@code in} source and {@code out} target pixels: {@code scale = in / out},
 * {@code fs = max(scale, 1)} (the triangle's support 1 widened by the reduction factor, so
 * downscaling is antialiased); for target {@code i}: {@code center = (i + 0.5) * scale},
 * source pixels {@code j} in {@code [(int)(center - fs + 0.5), (int)(center + fs + 0.5))}
 * clamped to the axis, weight {@code max(0, 1 - |(j - center + 0.5) * (1 / fs)|)}, divided by
 * their sum (all in double), then fixed point: {@code k = (int)(0.5 + w * 2^22)}
 * ({@code PRECISION_BITS = 32 - 8 - 2}).
 * <p>
 * Horizontal pass first, into an 8-bit intermediate, then the vertical pass; each output is
 * {@code clip((2^21 + sum(v_j * k_j)) >> 22)} to 0..255. A pass is skipped when its dimension
 * does not change (Pillow's {@code need_horizontal}/{@code need_vertical}); the horizontal
 * pass only computes the source rows that the vertical pass reads. Same size is a copy.
 */
public final class PillowResize {

	/** Pillow's {@code PRECISION_BITS} for 8-bit images. */
	static final int PRECISION_BITS = 32 - 8 - 2;
	private static final int HALF = 1 << (PRECISION_BITS - 1);
	/** Rows per parallel task. */
	private static final int BLOCK = 32;

	private PillowResize() {}

	/**
	 * Resizes one 8-bit plane (row-major, {@code index = y * width + x}, values unsigned).
	 *
	 * @return a new {@code newWidth x newHeight} plane; {@code src} is not modified
	 * @throws IllegalArgumentException when a size is below 1 or {@code src} does not hold
	 *           {@code width * height} values
	 */
	public static byte[] bilinear(final byte[] src, final int width, final int height,
		final int newWidth, final int newHeight)
	{
		Objects.requireNonNull(src, "src");
		checkSizes(width, height, newWidth, newHeight);
		if (src.length != (long) width * height) {
			throw new IllegalArgumentException("The plane has " + src.length + " values, not " +
				width + "x" + height + ".");
		}
		return resize(src, width, height, newWidth, newHeight);
	}

	/**
	 * Resizes the planes of one image (e.g. R, G, B) the same way; equal to Pillow's resize
	 * of the interleaved image, whose bands are resampled independently. A plane passed
	 * twice (the same array, e.g. gray replicated to RGB) is resized once and the result
	 * shared.
	 */
	public static byte[][] bilinear(final byte[][] planes, final int width, final int height,
		final int newWidth, final int newHeight)
	{
		Objects.requireNonNull(planes, "planes");
		final byte[][] out = new byte[planes.length][];
		for (int c = 0; c < planes.length; c++) {
			for (int d = 0; d < c && out[c] == null; d++) {
				if (planes[d] == planes[c]) out[c] = out[d];
			}
			if (out[c] == null) out[c] = bilinear(planes[c], width, height, newWidth, newHeight);
		}
		return out;
	}

	private static void checkSizes(final int width, final int height, final int newWidth,
		final int newHeight)
	{
		if (width < 1 || height < 1 || newWidth < 1 || newHeight < 1) {
			throw new IllegalArgumentException("Sizes must be at least 1x1: cannot resize " +
				width + "x" + height + " to " + newWidth + "x" + newHeight + ".");
		}
		if ((long) newWidth * newHeight > Integer.MAX_VALUE - 8 ||
			(long) newWidth * height > Integer.MAX_VALUE - 8)
		{
			throw new IllegalArgumentException("Resizing " + width + "x" + height + " to " +
				newWidth + "x" + newHeight + " needs more than 2^31 pixels.");
		}
	}

	/** {@code ImagingResampleInner} for one 8-bit band. */
	private static byte[] resize(final byte[] src, final int w, final int h, final int nw,
		final int nh)
	{
		final boolean needHorizontal = nw != w, needVertical = nh != h;
		if (!needHorizontal && !needVertical) return src.clone();
		final Taps vert = new Taps(h, nh);
		// first and one past the last source row the vertical pass reads
		final int yFirst = vert.bounds[0];
		final int yLast = vert.bounds[2 * nh - 2] + vert.bounds[2 * nh - 1];
		byte[] img = src;
		int rowShift = 0;
		if (needHorizontal) {
			img = horizontal(src, w, yFirst, yLast - yFirst, new Taps(w, nw));
			rowShift = yFirst;
		}
		return needVertical ? vertical(img, nw, vert, rowShift) : img;
	}

	/** Rows {@code first .. first + rows - 1} of {@code src}, resampled to the taps' width. */
	private static byte[] horizontal(final byte[] src, final int w, final int first,
		final int rows, final Taps k)
	{
		final int nw = k.out;
		final byte[] out = new byte[nw * rows];
		inBlocks(rows, y -> {
			final int in = (y + first) * w, o = y * nw;
			for (int xx = 0; xx < nw; xx++) {
				final int xmin = k.bounds[2 * xx], n = k.bounds[2 * xx + 1], kb = xx * k.size;
				int ss = HALF;
				for (int x = 0; x < n; x++) ss += (src[in + xmin + x] & 0xFF) * k.kk[kb + x];
				out[o + xx] = clip8(ss);
			}
		});
		return out;
	}

	/**
	 * The vertical pass over a {@code w}-wide image whose row 0 is source row
	 * {@code rowShift}. Integer sums, so the order of the additions does not matter.
	 */
	private static byte[] vertical(final byte[] src, final int w, final Taps k,
		final int rowShift)
	{
		final int nh = k.out;
		final byte[] out = new byte[w * nh];
		inBlocks(nh, yy -> {
			final int[] ss = new int[w];
			java.util.Arrays.fill(ss, HALF);
			final int ymin = k.bounds[2 * yy] - rowShift, n = k.bounds[2 * yy + 1];
			for (int y = 0; y < n; y++) {
				final int kv = k.kk[yy * k.size + y], row = (ymin + y) * w;
				for (int xx = 0; xx < w; xx++) ss[xx] += (src[row + xx] & 0xFF) * kv;
			}
			final int o = yy * w;
			for (int xx = 0; xx < w; xx++) out[o + xx] = clip8(ss[xx]);
		});
		return out;
	}

	/** Pillow's {@code clip8}: the 8-bit value of a fixed-point sum, clamped to 0..255. */
	private static byte clip8(final int ss) {
		final int v = ss >> PRECISION_BITS;
		return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
	}

	private static void inBlocks(final int rows, final IntConsumer body) {
		final int blocks = (rows + BLOCK - 1) / BLOCK;
		final IntStream s = IntStream.range(0, blocks);
		(blocks > 1 ? s.parallel() : s).forEach(b -> {
			for (int y = b * BLOCK, end = Math.min(rows, y + BLOCK); y < end; y++) body.accept(y);
		});
	}

	/**
	 * {@code precompute_coeffs} (box = the whole axis) followed by
	 * {@code normalize_coeffs_8bpc}: per target pixel the first source index and the tap
	 * count ({@code bounds}), and {@code size} fixed-point weights ({@code kk}).
	 */
	static final class Taps {

		final int out;
		final int size;
		final int[] bounds;
		final int[] kk;

		Taps(final int in, final int out) {
			this.out = out;
			// in C: (double)(in1 - in0) / outSize with float box edges 0 and in (exact)
			final double scale = (double) in / out;
			final double filterscale = Math.max(scale, 1.0);
			final double support = 1.0 * filterscale; // BILINEAR's support is 1
			final long ksize = (long) Math.ceil(support) * 2 + 1;
			if (ksize * out > Integer.MAX_VALUE - 8) {
				throw new IllegalArgumentException("Resizing " + in + " to " + out +
					" pixels needs too many filter coefficients.");
			}
			size = (int) ksize;
			bounds = new int[2 * out];
			kk = new int[out * size];
			final double invFilterscale = 1.0 / filterscale;
			final double[] k = new double[size];
			for (int xx = 0; xx < out; xx++) {
				final double center = 0.0 + (xx + 0.5) * scale;
				double ww = 0.0;
				int xmin = (int) (center - support + 0.5);
				if (xmin < 0) xmin = 0;
				int xmax = (int) (center + support + 0.5);
				if (xmax > in) xmax = in;
				xmax -= xmin;
				for (int x = 0; x < xmax; x++) {
					final double w = bilinearFilter((x + xmin - center + 0.5) * invFilterscale);
					k[x] = w;
					ww += w;
				}
				if (ww != 0.0) {
					for (int x = 0; x < xmax; x++) k[x] /= ww;
				}
				for (int x = 0; x < size; x++) {
					final double v = x < xmax ? k[x] : 0.0;
					kk[xx * size + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v *
						(1 << PRECISION_BITS));
				}
				bounds[2 * xx] = xmin;
				bounds[2 * xx + 1] = xmax;
			}
		}

		private static double bilinearFilter(double x) {
			if (x < 0.0) x = -x;
			return x < 1.0 ? 1.0 - x : 0.0;
		}
	}
}

package org.anyseg.ops.image;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Bilinear resampling exactly as Pillow's {@code Image.resize(size, BILINEAR)} computes it
 * for float images: a separable triangle filter whose support widens with the reduction
 * factor (so downscaling is antialiased, upscaling is plain bilinear with half-pixel
 * centres). Segment Anything's own preprocessing resizes through Pillow, so matching it
 * keeps embeddings faithful.
 * <p>
 * For output index {@code i} on an axis of {@code in} source pixels and {@code out}
 * target pixels: {@code scale = in/out}, {@code fs = max(scale, 1)},
 * {@code center = (i + 0.5) * scale}; source pixels {@code j} in
 * {@code [int(center - fs + 0.5), int(center + fs + 0.5))} (clamped to the axis) get
 * weight {@code max(0, 1 - |(j - center + 0.5) / fs|)}, normalised to sum to 1.
 */
public final class Resampler {

	private Resampler() {}

	/** Resizes a row-major {@code sw x sh} channel to {@code dw x dh}. */
	public static float[] resize(final float[] src, final int sw, final int sh, final int dw,
		final int dh)
	{
		final float[] tmp = sw == dw ? src : horizontal(src, sw, sh, dw);
		return sh == dh ? (tmp == src ? src.clone() : tmp) : vertical(tmp, dw, sh, dh);
	}

	private static float[] horizontal(final float[] src, final int sw, final int sh,
		final int dw)
	{
		final Coefficients k = Coefficients.of(sw, dw);
		final float[] out = new float[dw * sh];
		parallelRows(sh, y -> {
			final int row = y * sw;
			for (int x = 0; x < dw; x++) {
				double s = 0;
				final int b = k.bounds[2 * x], n = k.bounds[2 * x + 1];
				final int o = x * k.kmax;
				for (int j = 0; j < n; j++) s += src[row + b + j] * k.weights[o + j];
				out[y * dw + x] = (float) s;
			}
		});
		return out;
	}

	private static float[] vertical(final float[] src, final int w, final int sh,
		final int dh)
	{
		final Coefficients k = Coefficients.of(sh, dh);
		final float[] out = new float[w * dh];
		parallelRows(dh, y -> {
			final double[] acc = new double[w];
			final int b = k.bounds[2 * y], n = k.bounds[2 * y + 1];
			final int o = y * k.kmax;
			for (int j = 0; j < n; j++) {
				final double wt = k.weights[o + j];
				final int row = (b + j) * w;
				for (int x = 0; x < w; x++) acc[x] += src[row + x] * wt;
			}
			for (int x = 0; x < w; x++) out[y * w + x] = (float) acc[x];
		});
		return out;
	}

	/** Runs {@code body} for every row, in parallel blocks of rows for large images. */
	private static void parallelRows(final int rows, final IntConsumer body) {
		final int block = 64;
		IntStream.range(0, (rows + block - 1) / block).parallel().forEach(b -> {
			for (int y = b * block, end = Math.min(rows, y + block); y < end; y++) body.accept(y);
		});
	}

	/** Pillow's precomputed filter taps for one axis. */
	static final class Coefficients {

		final int kmax;
		final int[] bounds; // per output: first source index, tap count
		final double[] weights;

		private Coefficients(final int kmax, final int[] bounds, final double[] weights) {
			this.kmax = kmax;
			this.bounds = bounds;
			this.weights = weights;
		}

		static Coefficients of(final int in, final int out) {
			final double scale = (double) in / out;
			final double fs = Math.max(scale, 1.0);
			final double support = fs; // triangle filter support is 1
			final int kmax = (int) Math.ceil(support) * 2 + 1;
			final int[] bounds = new int[2 * out];
			final double[] w = new double[out * kmax];
			for (int i = 0; i < out; i++) {
				final double center = (i + 0.5) * scale;
				int xmin = (int) (center - support + 0.5);
				if (xmin < 0) xmin = 0;
				int xmax = (int) (center + support + 0.5);
				if (xmax > in) xmax = in;
				xmax -= xmin;
				double sum = 0;
				for (int j = 0; j < xmax; j++) {
					final double t = Math.abs((j + xmin - center + 0.5) / fs);
					final double v = t < 1 ? 1 - t : 0;
					w[i * kmax + j] = v;
					sum += v;
				}
				if (sum != 0) for (int j = 0; j < xmax; j++) w[i * kmax + j] /= sum;
				bounds[2 * i] = xmin;
				bounds[2 * i + 1] = xmax;
			}
			return new Coefficients(kmax, bounds, w);
		}
	}
}

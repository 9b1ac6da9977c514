package org.anyseg.eval;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/**
 * The no-model baselines for a box prompt, each scored by Dice against the object whose
 * tight bounding box (inclusive pixel indices, as {@link InstanceMasks}) is the prompt:
 * <ul>
 * <li><b>filled box</b>: every pixel of the box ({@link InstanceMasks#boxDice});</li>
 * <li><b>inscribed ellipse</b>: the axis-aligned ellipse inscribed in the box
 * ({@link InstanceMasks#ellipseDice});</li>
 * <li><b>Otsu inside the box</b> ({@link #otsuMask}): the box's pixels in grey (the mean of
 * the channels of an RGB image, the raw value otherwise) thresholded with Otsu's method
 * (256 bins between the box's minimum and maximum grey); of the two sides, above the
 * threshold and at or below it, the foreground is the one with fewer pixels on the box's
 * border (its first and last row and column), since a tight box's border is mostly
 * background; a tie goes to the side with fewer pixels. No smoothing, hole filling or
 * connected components. A box of one grey value is all foreground (the filled box).</li>
 * </ul>
 */
public final class BoxBaselines {

	/** The three baselines' Dice for one object (or their means over several). */
	public record Scores(double filledBox, double ellipse, double otsu) {}

	/** Sums scores over objects; {@link #mean()} at the end. */
	public static final class Mean {

		private double fb, el, ot;
		private int n;

		public void add(final Scores s) {
			fb += s.filledBox();
			el += s.ellipse();
			ot += s.otsu();
			n++;
		}

		public int count() {
			return n;
		}

		public Scores mean() {
			return new Scores(fb / n, el / n, ot / n);
		}
	}

	private BoxBaselines() {}

	/** The three baselines for one object of {@code gt} on the grey image {@code grey}. */
	public static Scores score(final InstanceMasks gt, final InstanceMasks.Instance in,
		final float[] grey)
	{
		return new Scores(InstanceMasks.boxDice(in), gt.ellipseDice(in), otsuDice(gt, in, grey));
	}

	/** The mean baselines over all objects of {@code gt}. */
	public static Mean scoreAll(final InstanceMasks gt, final float[] grey, final Mean into) {
		for (final InstanceMasks.Instance in : gt.instances) into.add(score(gt, in, grey));
		return into;
	}

	/** Dice of the Otsu-inside-the-box mask against the object. */
	public static double otsuDice(final InstanceMasks gt, final InstanceMasks.Instance in,
		final float[] grey)
	{
		final boolean[] m = otsuMask(grey, gt.width, in.x0, in.y0, in.x1, in.y1);
		final int bw = in.x1 - in.x0 + 1;
		int inter = 0, area = 0;
		for (int k = 0; k < m.length; k++) {
			if (!m[k]) continue;
			area++;
			if (gt.labels[(in.y0 + k / bw) * gt.width + in.x0 + k % bw] == in.label) inter++;
		}
		return 2.0 * inter / (area + in.pixels.size());
	}

	/**
	 * The Otsu foreground inside the box x0..x1, y0..y1 (inclusive) of a grey image
	 * {@code width} pixels wide, row by row over the box (as the class comment describes).
	 */
	public static boolean[] otsuMask(final float[] grey, final int width, final int x0,
		final int y0, final int x1, final int y1)
	{
		final int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
		final float[] v = new float[bw * bh];
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (int y = 0; y < bh; y++) {
			for (int x = 0; x < bw; x++) {
				final float g = grey[(y0 + y) * width + x0 + x];
				v[y * bw + x] = g;
				lo = Math.min(lo, g);
				hi = Math.max(hi, g);
			}
		}
		final boolean[] above = new boolean[v.length];
		if (!(hi > lo)) {
			java.util.Arrays.fill(above, true);
			return above;
		}
		final int bins = 256;
		final long[] hist = new long[bins];
		for (final float g : v) hist[bin(g, lo, hi, bins)]++;
		final int t = otsu(hist);
		int aboveN = 0, aboveBorder = 0, border = 0;
		for (int y = 0; y < bh; y++) {
			for (int x = 0; x < bw; x++) {
				final int k = y * bw + x;
				above[k] = bin(v[k], lo, hi, bins) > t;
				final boolean onBorder = x == 0 || y == 0 || x == bw - 1 || y == bh - 1;
				if (onBorder) border++;
				if (above[k]) {
					aboveN++;
					if (onBorder) aboveBorder++;
				}
			}
		}
		final int belowBorder = border - aboveBorder, belowN = v.length - aboveN;
		final boolean pickAbove = aboveBorder < belowBorder || aboveBorder == belowBorder &&
			aboveN <= belowN;
		if (!pickAbove) for (int k = 0; k < above.length; k++) above[k] = !above[k];
		return above;
	}

	private static int bin(final float g, final float lo, final float hi, final int bins) {
		return Math.min(bins - 1, (int) ((g - lo) / (hi - lo) * bins));
	}

	/**
	 * Otsu's threshold of a histogram: the bin t maximising the between-class variance of
	 * bins 0..t against t+1..end.
	 */
	static int otsu(final long[] hist) {
		long total = 0;
		double sum = 0;
		for (int i = 0; i < hist.length; i++) {
			total += hist[i];
			sum += (double) i * hist[i];
		}
		long w0 = 0;
		double sum0 = 0, best = -1;
		int t = 0;
		for (int i = 0; i < hist.length - 1; i++) {
			w0 += hist[i];
			sum0 += (double) i * hist[i];
			final long w1 = total - w0;
			if (w0 == 0 || w1 == 0) continue;
			final double m0 = sum0 / w0, m1 = (sum - sum0) / w1;
			final double between = (double) w0 * w1 * (m0 - m1) * (m0 - m1);
			if (between > best) {
				best = between;
				t = i;
			}
		}
		return t;
	}

	/** The grey image of a plane: the mean of the channels for RGB, else the raw values. */
	public static float[] grey(final ImagePlus imp) {
		final ImageProcessor ip = imp.getProcessor();
		final float[] g = new float[imp.getWidth() * imp.getHeight()];
		final boolean rgb = imp.getBitDepth() == 24;
		for (int i = 0; i < g.length; i++) {
			if (rgb) {
				final int c = ip.get(i);
				g[i] = (((c >> 16) & 0xff) + ((c >> 8) & 0xff) + (c & 0xff)) / 3f;
			}
			else g[i] = ip.getf(i);
		}
		return g;
	}
}

package org.anyseg.ops.volume;

import org.anyseg.ops.model.Prediction;

/**
 * The stop rules of a {@link Propagator} walk beyond the predicted IoU: they compare the
 * mask of the new slice with the previous slice's, so a walk ends where the object ends even
 * when the decoder stays confident (a box prompt always finds "something").
 *
 * <ul>
 * <li><b>area collapsed</b>: {@code area(new) < minAreaRatio * area(prev)};</li>
 * <li><b>area jumped</b>: {@code area(new) > maxAreaRatio * area(prev)} (0 = off): the mask
 * leaked into a neighbour;</li>
 * <li><b>drifted</b>: {@code |new ∩ D(prev)| / |new| < minInside} (0 = off), where
 * {@code D} is a square dilation of radius {@code r = max(1, round(margin * max(w, h)))},
 * {@code w, h} the previous mask's bounding box: the mask moved off the object.</li>
 * <li><b>contrast faded</b>: {@code c(new) < minContrast * c(prompted)} (0 = off), where
 * {@code c} is the mean intensity inside the mask minus the mean in a ring around it (the
 * mask dilated by the same radius, less the mask), on the slice's own values, and the
 * prompted slice's contrast sets the sign: the mask no longer stands out from its
 * surroundings as the object did where it was prompted. Off for a walk whose prompted mask
 * does not stand out: its contrast below the standard deviation of its own values (a faint
 * object's contrast ratio is noise).</li>
 * </ul>
 */
final class StopRules {

	private StopRules() {}

	/**
	 * Why the walk stops at the new slice, or {@code null} to go on.
	 *
	 * @param contrast the walk's contrast rule, or null (off)
	 * @param values the new slice's values (read by the contrast rule only)
	 */
	static String reason(final Prediction prev, final Prediction p, final int nx, final int ny,
		final Propagation.Options o, final Contrast contrast, final float[] values)
	{
		final int area = p.best().area(), before = prev.best().area();
		if (area == 0) return "vanished";
		if (p.iou() < o.minIou()) return "predicted IoU " + p.iou() + " < " + o.minIou();
		if (area < o.minAreaRatio() * before) {
			return "area collapsed (" + area + " px after " + before + ")";
		}
		if (o.maxAreaRatio() > 0 && area > o.maxAreaRatio() * before) {
			return "area jumped (" + area + " px after " + before + ")";
		}
		if (o.minInside() > 0) {
			final double in = inside(prev.best().logits(), p.best().logits(), nx, ny, o.margin());
			if (in < o.minInside()) {
				return String.format(java.util.Locale.ROOT, "drifted (%.2f of the mask inside " +
					"the previous one, < %.2f)", in, o.minInside());
			}
		}
		if (contrast != null) {
			final double c = contrast.relative(values, p.best().logits());
			if (c < o.minContrast()) {
				return String.format(java.util.Locale.ROOT, "contrast faded (%.2f of the prompted " +
					"slice's, < %.2f)", c, o.minContrast());
			}
		}
		return null;
	}

	/** The contrast rule of one walk: the prompted slice's contrast. */
	static final class Contrast {

		private final double seed;
		private final double margin;
		private final int nx, ny;

		private Contrast(final double seed, final double margin, final int nx, final int ny) {
			this.seed = seed;
			this.margin = margin;
			this.nx = nx;
			this.ny = ny;
		}

		/**
		 * The rule for a walk from a prompted slice ({@code values}, {@code mask} logits), or
		 * null when it is off or the prompted mask has no contrast.
		 */
		static Contrast of(final Propagation.Options o, final float[] values,
			final float[] mask, final int nx, final int ny)
		{
			if (o.minContrast() <= 0) return null;
			final double[] c = stats(values, mask, nx, ny, o.margin());
			// only an object that stands out (by at least the spread of its own values) has a
			// contrast that can fade: for a faint one the ratio is noise and the rule stays off
			if (Double.isNaN(c[0]) || !(Math.abs(c[0]) >= c[1]) || c[1] == 0 && c[0] == 0) {
				return null;
			}
			return new Contrast(c[0], o.margin(), nx, ny);
		}

		/** The mask's contrast on a slice's values as a fraction of the prompted slice's. */
		double relative(final float[] values, final float[] mask) {
			final double c = contrast(values, mask, nx, ny, margin);
			return Double.isNaN(c) ? 0 : c / seed;
		}
	}

	/**
	 * Mean of {@code values} inside {@code logit > 0} minus the mean in the ring around it
	 * (the mask dilated by a square of radius {@code max(2, round(margin * max(w, h)))} less
	 * the mask); non-finite values are left out; NaN when the mask or the ring is empty.
	 */
	static double contrast(final float[] values, final float[] logits, final int nx,
		final int ny, final double margin)
	{
		return stats(values, logits, nx, ny, margin)[0];
	}

	/** {contrast (as {@link #contrast}), standard deviation of the values inside the mask}. */
	private static double[] stats(final float[] values, final float[] logits, final int nx,
		final int ny, final double margin)
	{
		final int[] b = Propagator.bounds(logits, nx, ny);
		if (b == null) return new double[] { Double.NaN, Double.NaN };
		final int r = Math.max(2, (int) Math.round(margin * Math.max(b[2] - b[0], b[3] - b[1])));
		final boolean[] ring = dilate(logits, nx, ny, r);
		double si = 0, si2 = 0, so = 0;
		long ni = 0, no = 0;
		for (int i = 0; i < values.length; i++) {
			final float v = values[i];
			if (!Float.isFinite(v)) continue;
			if (logits[i] > 0) {
				si += v;
				si2 += (double) v * v;
				ni++;
			}
			else if (ring[i]) {
				so += v;
				no++;
			}
		}
		if (ni == 0 || no == 0) return new double[] { Double.NaN, Double.NaN };
		final double mi = si / ni;
		return new double[] { mi - so / no, Math.sqrt(Math.max(0, si2 / ni - mi * mi)) };
	}

	/** {@code logit > 0} dilated by a square of radius r (separable prefix counts). */
	private static boolean[] dilate(final float[] logits, final int nx, final int ny,
		final int r)
	{
		final boolean[] rows = new boolean[nx * ny], out = new boolean[nx * ny];
		final int[] c = new int[Math.max(nx, ny) + 1];
		for (int y = 0; y < ny; y++) {
			for (int x = 0; x < nx; x++) c[x + 1] = c[x] + (logits[y * nx + x] > 0 ? 1 : 0);
			for (int x = 0; x < nx; x++) {
				rows[y * nx + x] = c[Math.min(nx, x + r + 1)] - c[Math.max(0, x - r)] > 0;
			}
		}
		for (int x = 0; x < nx; x++) {
			for (int y = 0; y < ny; y++) c[y + 1] = c[y] + (rows[y * nx + x] ? 1 : 0);
			for (int y = 0; y < ny; y++) {
				out[y * nx + x] = c[Math.min(ny, y + r + 1)] - c[Math.max(0, y - r)] > 0;
			}
		}
		return out;
	}

	/**
	 * The fraction of {@code next}'s mask ({@code logit > 0}) inside {@code prev}'s mask
	 * dilated by a square of radius {@code max(1, round(margin * max(w, h)))}; 0 for an
	 * empty {@code next}.
	 */
	static double inside(final float[] prev, final float[] next, final int nx, final int ny,
		final double margin)
	{
		final int[] b = Propagator.bounds(prev, nx, ny);
		if (b == null) return 0;
		final int r = Math.max(1, (int) Math.round(margin * Math.max(b[2] - b[0], b[3] - b[1])));
		final boolean[] near = dilate(prev, nx, ny, r);
		int n = 0, in = 0;
		for (int i = 0; i < next.length; i++) {
			if (next[i] > 0) {
				n++;
				if (near[i]) in++;
			}
		}
		return n == 0 ? 0 : in / (double) n;
	}
}

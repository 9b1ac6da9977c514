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
 * </ul>
 */
final class StopRules {

	private StopRules() {}

	/** Why the walk stops at the new slice, or {@code null} to go on. */
	static String reason(final Prediction prev, final Prediction p, final int nx, final int ny,
		final Propagation.Options o)
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
		return null;
	}

	/**
	 * The fraction of {@code next}'s mask ({@code logit > 0}) inside {@code prev}'s mask
	 * dilated by a square of radius {@code max(1, round(margin * max(w, h)))}; 0 for an
	 * empty {@code next}.
	 */
	static double inside(final float[] prev, final float[] next, final int nx, final int ny,
		final double margin)
	{
		int x0 = nx, y0 = ny, x1 = -1, y1 = -1;
		for (int y = 0; y < ny; y++) {
			for (int x = 0; x < nx; x++) {
				if (prev[y * nx + x] > 0) {
					x0 = Math.min(x0, x);
					x1 = Math.max(x1, x);
					y0 = Math.min(y0, y);
					y1 = Math.max(y1, y);
				}
			}
		}
		if (x1 < 0) return 0;
		final int r = Math.max(1, (int) Math.round(margin * Math.max(x1 - x0 + 1, y1 - y0 + 1)));
		// separable square dilation through prefix counts: rows, then columns
		final boolean[] rows = new boolean[nx * ny];
		final int[] c = new int[Math.max(nx, ny) + 1];
		for (int y = 0; y < ny; y++) {
			for (int x = 0; x < nx; x++) c[x + 1] = c[x] + (prev[y * nx + x] > 0 ? 1 : 0);
			for (int x = 0; x < nx; x++) {
				rows[y * nx + x] = c[Math.min(nx, x + r + 1)] - c[Math.max(0, x - r)] > 0;
			}
		}
		int n = 0, in = 0;
		for (int x = 0; x < nx; x++) {
			for (int y = 0; y < ny; y++) c[y + 1] = c[y] + (rows[y * nx + x] ? 1 : 0);
			for (int y = 0; y < ny; y++) {
				if (next[y * nx + x] > 0) {
					n++;
					if (c[Math.min(ny, y + r + 1)] - c[Math.max(0, y - r)] > 0) in++;
				}
			}
		}
		return n == 0 ? 0 : in / (double) n;
	}
}

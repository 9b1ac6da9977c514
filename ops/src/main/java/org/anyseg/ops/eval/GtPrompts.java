package org.anyseg.ops.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

/**
 * Prompts made from ground truth, for benchmarking a promptable model: per label its
 * bounding box, its centre point (the centroid when it lies in the object, else the object
 * pixel nearest to it), or {@code k} random interior points, on the label's largest slice;
 * optionally jittered by up to {@code jitter} pixels with a fixed seed. Each object keeps
 * its ground-truth label, so predictions and ground truth compare label by label.
 */
public final class GtPrompts {

	/** box | point | points=K */
	public record Kind(String kind, int k) {

		public static Kind parse(final String s) {
			final String t = s.trim().toLowerCase(Locale.ROOT);
			if (t.equals("box") || t.equals("point")) return new Kind(t, 1);
			if (t.matches("points=\\d+")) {
				// parsed as a double so that a huge K meets the range, not a parse error
				return new Kind("points", org.anyseg.ops.Limits.GT_POINTS.checkInt(Double.parseDouble(t
					.substring(7))));
			}
			throw new AnySegException("Unknown ground-truth prompt '" + s + "': use box, point " +
				"or points=K (K random interior points).");
		}
	}

	/** One object's prompt on its slice (0-based). */
	public record SlicePrompt(int slice, ObjectPrompt prompt) {}

	private GtPrompts() {}

	public static List<SlicePrompt> make(final LabelVolume gt, final Kind kind,
		final double jitter, final long seed)
	{
		final Random r = new Random(seed);
		final List<SlicePrompt> out = new ArrayList<>();
		final int nx = gt.nx(), ny = gt.ny(), plane = nx * ny;
		// two passes over the volume, not one per label: a slide holds a million objects
		final int[] v = gt.labels();
		int max = 0;
		for (final int l : v) max = Math.max(max, l);
		final int[] bestZ = new int[max + 1], bestN = new int[max + 1], n = new int[max + 1];
		java.util.Arrays.fill(bestN, -1);
		for (int z = 0; z < gt.nz(); z++) {
			java.util.Arrays.fill(n, 0);
			for (int i = 0; i < plane; i++) {
				final int l = v[z * plane + i];
				if (l > 0) n[l]++;
			}
			for (int l = 1; l <= max; l++) {
				if (n[l] > bestN[l]) {
					bestN[l] = n[l];
					bestZ[l] = z;
				}
			}
		}
		// each label's pixels on its best slice, in raster order
		final int[] start = new int[max + 2];
		for (int l = 1; l <= max; l++) start[l + 1] = start[l] + Math.max(0, bestN[l]);
		final int[] fill = start.clone();
		final int[] idx = new int[start[max + 1]];
		for (int z = 0; z < gt.nz(); z++) {
			for (int i = 0; i < plane; i++) {
				final int l = v[z * plane + i];
				if (l > 0 && bestZ[l] == z) idx[fill[l]++] = i;
			}
		}
		for (final int label : gt.labelSet()) {
			if (label < 0) continue; // negative values (signed NIfTI) are not objects
			final int z = bestZ[label];
			final List<int[]> px = new ArrayList<>();
			long sx = 0, sy = 0;
			int x0 = nx, y0 = ny, x1 = -1, y1 = -1;
			for (int k = start[label]; k < start[label + 1]; k++) {
				final int x = idx[k] % nx, y = idx[k] / nx;
				px.add(new int[] { x, y });
				sx += x;
				sy += y;
				x0 = Math.min(x0, x);
				y0 = Math.min(y0, y);
				x1 = Math.max(x1, x);
				y1 = Math.max(y1, y);
			}
			final ObjectPrompt p;
			switch (kind.kind()) {
				case "box": {
					final double bx0 = clamp(x0 + j(r, jitter), 0, nx - 1);
					final double by0 = clamp(y0 + j(r, jitter), 0, ny - 1);
					final double bx1 = clamp(x1 + 1 + j(r, jitter), bx0 + 1, nx);
					final double by1 = clamp(y1 + 1 + j(r, jitter), by0 + 1, ny);
					p = ObjectPrompt.ofBox(label, new BoxPrompt(bx0, by0, bx1, by1));
					break;
				}
				case "point": {
					final double cx = (double) sx / px.size(), cy = (double) sy / px.size();
					int[] best = px.get(0);
					double bd = Double.MAX_VALUE;
					for (final int[] q : px) {
						final double d = (q[0] - cx) * (q[0] - cx) + (q[1] - cy) * (q[1] - cy);
						if (d < bd) {
							bd = d;
							best = q;
						}
					}
					p = ObjectPrompt.ofPoints(label, List.of(point(best, r, jitter, nx, ny)));
					break;
				}
				default: {
					final List<PointPrompt> pts = new ArrayList<>();
					for (int i = 0; i < kind.k(); i++) pts.add(point(px.get(r.nextInt(px.size())), r,
						jitter, nx, ny));
					p = ObjectPrompt.ofPoints(label, pts);
				}
			}
			out.add(new SlicePrompt(z, p));
		}
		return out;
	}

	private static PointPrompt point(final int[] q, final Random r, final double jitter,
		final int nx, final int ny)
	{
		return new PointPrompt(clamp(q[0] + j(r, jitter), 0, nx - 1), clamp(q[1] + j(r, jitter),
			0, ny - 1), true);
	}

	private static double j(final Random r, final double jitter) {
		return jitter <= 0 ? 0 : Math.round((r.nextDouble() * 2 - 1) * jitter);
	}

	private static double clamp(final double v, final double lo, final double hi) {
		return Math.max(lo, Math.min(hi, v));
	}
}

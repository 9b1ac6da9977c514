package org.anyseg.ops.volume;

import java.util.Arrays;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;

/**
 * Resolves an intensity normalization once for a whole volume, so every slice is mapped
 * with the same window: min-max and percentiles are taken over the volume (percentiles from
 * a regular sample of at most {@value #SAMPLE} voxels), not slice by slice, which would
 * change the contrast from one slice to the next and disturb propagation.
 */
public final class VolumeNormalization {

	static final int SAMPLE = 4_000_000;

	private VolumeNormalization() {}

	public static Normalization resolve(final Normalization n, final Volume v) {
		switch (n.mode()) {
			case WINDOW:
				return n;
			case AUTO:
				if (v.kind() == Plane.Kind.GRAY8 || v.kind() == Plane.Kind.RGB) return n;
				return minMax(v);
			case MINMAX:
				return minMax(v);
			default: {
				final float[] s = Normalization.finite(sample(v));
				if (s.length == 0) return Normalization.MINMAX;
				Arrays.sort(s);
				return window(Normalization.percentileOfSorted(s, n.a()), Normalization
					.percentileOfSorted(s, n.b()));
			}
		}
	}

	private static Normalization minMax(final Volume v) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (int z = 0; z < v.nz(); z++) {
			for (final float x : v.slice(z)) {
				if (!Float.isFinite(x)) continue; // NaN and infinities are ignored
				if (x < lo) lo = x;
				if (x > hi) hi = x;
			}
		}
		return window(lo, hi);
	}

	private static Normalization window(final double lo, final double hi) {
		return hi > lo ? Normalization.window((lo + hi) / 2, hi - lo) : Normalization.MINMAX;
	}

	private static float[] sample(final Volume v) {
		final long total = (long) v.nx() * v.ny() * v.nz();
		final long step = Math.max(1, total / SAMPLE);
		final float[] s = new float[(int) ((total + step - 1) / step)];
		int n = 0;
		long i = 0;
		final int plane = v.nx() * v.ny();
		for (int z = 0; z < v.nz(); z++) {
			final float[] sl = v.slice(z);
			for (; i < (long) (z + 1) * plane; i += step) {
				if (n < s.length) s[n++] = sl[(int) (i - (long) z * plane)];
			}
		}
		return Arrays.copyOf(s, n);
	}

}

package org.anyseg.ops.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.volume.Volume;
import org.anyseg.ops.volume.VolumeNormalization;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: NaN and infinite pixels are ignored by every normalization (one +Inf pixel used
 * to turn the whole image black), in 2D and over volumes.
 */
class NonFiniteNormalizationTest {

	static final float[] CLEAN = { 0, 100, 200, 300, 400, 500, 600, 700, 800, 1000 };

	/** The clean ramp with bad values put in at the given positions. */
	static float[] withBad(final float... bad) {
		final float[] v = new float[CLEAN.length + bad.length];
		System.arraycopy(CLEAN, 0, v, 0, CLEAN.length);
		System.arraycopy(bad, 0, v, CLEAN.length, bad.length);
		return v;
	}

	static float[] first(final float[] v, final int n) {
		return java.util.Arrays.copyOf(v, n);
	}

	@Test
	void nonFinitePixelsChangeNoOtherPixel() {
		final List<float[]> variants = List.of(withBad(Float.POSITIVE_INFINITY), withBad(
			Float.NEGATIVE_INFINITY), withBad(Float.NaN), withBad(Float.NaN,
				Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
		for (final Normalization n : List.of(Normalization.AUTO, Normalization.MINMAX,
			Normalization.percentile(0.5, 99.5), Normalization.percentile(10, 90), Normalization
				.window(500, 1000)))
		{
			final float[] clean = n.toRgb255(new Plane(CLEAN.length, 1, Plane.Kind.GRAY32,
				CLEAN))[0];
			for (final float[] v : variants) {
				final float[] got = n.toRgb255(new Plane(v.length, 1, Plane.Kind.GRAY32, v))[0];
				if (n.mode() != Normalization.Mode.PERCENTILE) {
					assertArrayEquals(clean, first(got, CLEAN.length), 1e-4f, n + " " + java.util.Arrays
						.toString(v));
				}
				else {
					// percentiles are over the finite values: the same ones as without bad pixels
					assertArrayEquals(clean, first(got, CLEAN.length), 1e-4f, n.toString());
				}
				for (int i = CLEAN.length; i < v.length; i++) {
					assertEquals(v[i] == Float.POSITIVE_INFINITY ? 255f : 0f, got[i], n + ": " + v[i]);
				}
			}
		}
		final float[] allBad = { Float.NaN, Float.POSITIVE_INFINITY };
		assertArrayEquals(new float[2], Normalization.MINMAX.toRgb255(new Plane(2, 1,
			Plane.Kind.GRAY32, allBad))[0]);
		assertArrayEquals(new float[2], Normalization.percentile(1, 99).toRgb255(new Plane(2, 1,
			Plane.Kind.GRAY32, allBad))[0]);
	}

	@Test
	void volumesIgnoreThemToo() {
		final float[] s0 = CLEAN.clone();
		final float[] s1trim = CLEAN.clone();
		s1trim[3] = Float.NEGATIVE_INFINITY;
		s1trim[5] = Float.POSITIVE_INFINITY;
		s1trim[7] = Float.NaN;
		for (final Normalization n : List.of(Normalization.MINMAX, Normalization.percentile(0.5,
			99.5)))
		{
			final Normalization r = VolumeNormalization.resolve(n, Volume.of(CLEAN.length, 1,
				Plane.Kind.GRAY32, List.of(s0, s1trim)));
			assertEquals(Normalization.Mode.WINDOW, r.mode(), n.toString());
			final Normalization clean = VolumeNormalization.resolve(n, Volume.of(CLEAN.length, 1,
				Plane.Kind.GRAY32, List.of(s0, s0)));
			assertEquals(clean.a(), r.a(), 1e-3, n.toString());
			assertEquals(clean.b(), r.b(), 1e-3, n.toString());
		}
	}

	@Test
	void windowsNeedFiniteNumbers() {
		for (final double[] w : new double[][] { { Double.NaN, 10 }, { 0, Double.POSITIVE_INFINITY },
			{ 0, 0 }, { 0, -5 }, { Double.NEGATIVE_INFINITY, 10 } })
		{
			assertThrows(AnySegException.class, () -> Normalization.window(w[0], w[1]), w[0] + "," +
				w[1]);
		}
	}
}

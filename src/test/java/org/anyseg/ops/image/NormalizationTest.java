package org.anyseg.ops.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;

class NormalizationTest {

	private static Plane gray16(final float... v) {
		return new Plane(v.length, 1, Plane.Kind.GRAY16, v);
	}

	@Test
	void autoKeeps8BitAndStretches16Bit() {
		final float[] v8 = { 3, 100, 250 };
		assertArrayEquals(v8, Normalization.AUTO.toRgb255(new Plane(3, 1, Plane.Kind.GRAY8,
			v8))[0]);
		final float[][] rgb = Normalization.AUTO.toRgb255(gray16(1000, 2000, 3000));
		assertArrayEquals(new float[] { 0, 127.5f, 255 }, rgb[0], 1e-4f);
		assertSame(rgb[0], rgb[2], "gray is replicated to three channels");
	}

	@Test
	void percentileFollowsNumpyLinearDefinition() {
		final float[] v = new float[11];
		for (int i = 0; i < 11; i++) v[i] = i; // np.percentile(0..10, 25) = 2.5, (.., 75) = 7.5
		assertEquals(2.5, Normalization.percentileOfSorted(v, 25), 1e-9);
		final float[] out = Normalization.percentile(25, 75).toRgb255(gray16(v))[0];
		assertEquals(0, out[0], 1e-4); // clipped
		assertEquals(127.5, out[5], 1e-4);
		assertEquals(255, out[10], 1e-4);
	}

	@Test
	void windowClipsToLevelAndWidth() {
		final float[] out = Normalization.window(40, 400).toRgb255(new Plane(4, 1,
			Plane.Kind.GRAY32, new float[] { -1000, -160, 40, 3000 }))[0];
		assertArrayEquals(new float[] { 0, 0, 127.5f, 255 }, out, 1e-4f);
	}

	@Test
	void constantImageGivesZerosNotNaN() {
		final float[] out = Normalization.MINMAX.toRgb255(gray16(7, 7, 7))[0];
		assertArrayEquals(new float[] { 0, 0, 0 }, out);
	}

	@Test
	void parsesUserText() {
		assertEquals(Normalization.window(40, 400), Normalization.parse("window:40,400"));
		assertEquals(Normalization.percentile(0.5, 99.5), Normalization.parse("percentile"));
		final AnySegException e = assertThrows(AnySegException.class, () -> Normalization.parse(
			"window"));
		assertTrue(e.getMessage().contains("window:LEVEL,WIDTH"), e.getMessage());
	}
}

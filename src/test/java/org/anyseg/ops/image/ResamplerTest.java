package org.anyseg.ops.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Values worked out by hand from Pillow's triangle-filter formulas (see Resampler). */
class ResamplerTest {

	@Test
	void upscalingIsHalfPixelBilinear() {
		// 2 -> 4: centres 0.25, 0.75, 1.25, 1.75 -> [a, .75a+.25b, .25a+.75b, b]
		final float[] out = Resampler.resize(new float[] { 0, 10 }, 2, 1, 4, 1);
		assertArrayEquals(new float[] { 0, 2.5f, 7.5f, 10 }, out, 1e-5f);
	}

	@Test
	void downscalingIsAntialiased() {
		// 4 -> 2: filter widened to 2; output 0 takes src 0,1,2 with weights .75,.75,.25 (/1.75),
		// output 1 takes src 1,2,3 with .25,.75,.75 (/1.75)
		final float[] out = Resampler.resize(new float[] { 0, 10, 20, 30 }, 4, 1, 2, 1);
		assertArrayEquals(new float[] { 12.5f / 1.75f, 40f / 1.75f }, out, 1e-4f);
	}

	@Test
	void verticalPassMatchesHorizontal() {
		final float[] out = Resampler.resize(new float[] { 0, 10, 20, 30 }, 1, 4, 1, 2);
		assertArrayEquals(new float[] { 12.5f / 1.75f, 40f / 1.75f }, out, 1e-4f);
	}

	@Test
	void sameSizeCopies() {
		final float[] src = { 1, 2, 3, 4 };
		final float[] out = Resampler.resize(src, 2, 2, 2, 2);
		assertArrayEquals(src, out);
		out[0] = 9;
		assertArrayEquals(new float[] { 1, 2, 3, 4 }, src, "input must never be modified");
	}
}

package org.anyseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The no-model baselines of the comparison table on a synthetic disc: Otsu inside the box
 * finds a noisy disc whether it is brighter or darker than its surroundings (the side that
 * touches the box's border less is the object), and the filled box and inscribed ellipse
 * give their geometric Dice for a disc (box: about 2 pi r^2 / (pi r^2 + 4 r^2) = 0.88,
 * 0.856 for this pixel disc; ellipse: about 1).
 */
class BoxBaselinesTest {

	private static final int W = 100, H = 80, CX = 45, CY = 40, R = 20;

	@Test
	void otsuFindsABrightDisc() {
		check(200, 50);
	}

	@Test
	void otsuFindsADarkDisc() {
		check(40, 180);
	}

	@Test
	void aBoxOfOneGreyValueIsTheFilledBox() {
		final boolean[] m = BoxBaselines.otsuMask(new float[W * H], W, 10, 10, 19, 14);
		assertEquals(50, m.length);
		for (final boolean b : m) assertTrue(b);
	}

	private static void check(final float inside, final float outside) {
		final Random r = new Random(7);
		final int[] labels = new int[W * H];
		final float[] grey = new float[W * H];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final boolean in = (x - CX) * (x - CX) + (y - CY) * (y - CY) <= R * R;
				labels[y * W + x] = in ? 3 : 0;
				grey[y * W + x] = (in ? inside : outside) + (float) (r.nextGaussian() * 15);
			}
		}
		final InstanceMasks gt = new InstanceMasks(W, H, labels);
		final BoxBaselines.Scores s = BoxBaselines.score(gt, gt.instances.get(0), grey);
		assertTrue(s.otsu() > 0.97, "Otsu Dice " + s.otsu());
		// the disc's pixels against its (2R+1)^2 box: 0.856 (0.880 for a continuous disc)
		final int n = gt.instances.get(0).pixels.size();
		assertEquals(2.0 * n / (n + (2 * R + 1) * (2 * R + 1)), s.filledBox(), 1e-9);
		assertEquals(0.856, s.filledBox(), 0.005);
		assertTrue(s.ellipse() > 0.97, "ellipse Dice " + s.ellipse());
	}
}

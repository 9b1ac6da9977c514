package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.anyseg.ops.prompt.BoxPrompt;
import org.junit.jupiter.api.Test;

/** Values computed by hand from s = 1024/max(H,W), new = int(dim*s + 0.5), x' = x*newW/W. */
class ModelFrameTest {

	@Test
	void landscape300x200() {
		final ModelFrame f = new ModelFrame(300, 200, 1024);
		assertEquals(1024, f.resizedWidth());
		assertEquals(683, f.resizedHeight()); // 200 * 3.41333 = 682.67 -> 683
		assertEquals(512.0, f.mapX(150), 1e-9);
		assertEquals(341.5, f.mapY(100), 1e-9); // 100 * 683 / 200
	}

	@Test
	void portrait257x383() {
		final ModelFrame f = new ModelFrame(257, 383, 1024);
		assertEquals(687, f.resizedWidth()); // 257 * 2.67363 = 687.12 -> 687
		assertEquals(1024, f.resizedHeight());
		assertEquals(10 * 687.0 / 257, f.mapX(10), 1e-9);
	}

	@Test
	void boxBecomesSamInclusiveCorners() {
		// ImageJ rectangle x=10, y=20, w=100, h=100 covers pixels 10..109 and 20..119
		assertArrayEquals(new double[] { 10, 20, 109, 119 }, new BoxPrompt(10, 20, 110, 120)
			.inclusiveCorners(), 0);
	}

	@Test
	void squareImageDoublesAt512() {
		final ModelFrame f = new ModelFrame(512, 512, 1024);
		assertEquals(1024, f.resizedWidth());
		assertEquals(255.0 * 2, f.mapX(255), 1e-9);
	}
}

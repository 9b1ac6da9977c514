package org.anyseg.testutil;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;

/** A bright ball in a dark 96 x 96 x 15 8-bit stack (radius 24 at slice index 7). */
public final class Balls {

	private Balls() {}

	public static ImagePlus ball() {
		final ImageStack st = new ImageStack(96, 96);
		for (int z = 0; z < 15; z++) {
			final ByteProcessor bp = new ByteProcessor(96, 96);
			bp.setValue(30);
			bp.fill();
			final double r = 24 * Math.sqrt(Math.max(0, 1 - Math.pow((z - 7) / 7.5, 2)));
			bp.setValue(220);
			if (r > 2) bp.fillOval((int) (48 - r), (int) (48 - r), (int) (2 * r), (int) (2 * r));
			st.addSlice(bp);
		}
		return new ImagePlus("ball", st);
	}
}

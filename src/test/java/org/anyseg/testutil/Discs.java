package org.anyseg.testutil;

import ij.ImagePlus;
import ij.process.ShortProcessor;

/**
 * A synthetic 512x400 16-bit image of two bright discs with known masks: centre (60,60)
 * radius 20 and centre (150+dx,100) radius 25, on a dim textured background.
 */
public final class Discs {

	private Discs() {}

	public static ImagePlus image(final int dx) {
		final ShortProcessor sp = new ShortProcessor(512, 400);
		for (int y = 0; y < 400; y++) {
			for (int x = 0; x < 512; x++) {
				final boolean a = Math.hypot(x - 60, y - 60) <= 20;
				final boolean b = Math.hypot(x - 150 - dx, y - 100) <= 25;
				sp.set(x, y, 1000 + (a || b ? 3000 : 0) + (x * 7 + y * 13) % 50);
			}
		}
		return new ImagePlus("discs", sp);
	}

	public static ImagePlus image() {
		return image(0);
	}

	/** The true label image of {@link #image(int)}: disc 1 = label 1, disc 2 = label 2. */
	public static ImagePlus truth(final int dx) {
		final ShortProcessor sp = new ShortProcessor(512, 400);
		for (int y = 0; y < 400; y++) {
			for (int x = 0; x < 512; x++) {
				if (Math.hypot(x - 60, y - 60) <= 20) sp.set(x, y, 1);
				else if (Math.hypot(x - 150 - dx, y - 100) <= 25) sp.set(x, y, 2);
			}
		}
		return new ImagePlus("truth", sp);
	}

	/** Dice of {@code label} in the current plane of {@code labels} against a disc. */
	public static double dice(final ImagePlus labels, final int label, final int cx,
		final int cy, final int r)
	{
		int inter = 0, pred = 0, truth = 0;
		for (int y = 0; y < labels.getHeight(); y++) {
			for (int x = 0; x < labels.getWidth(); x++) {
				final boolean p = labels.getProcessor().get(x, y) == label;
				final boolean t = Math.hypot(x - cx, y - cy) <= r;
				if (p) pred++;
				if (t) truth++;
				if (p && t) inter++;
			}
		}
		return 2.0 * inter / Math.max(1, pred + truth);
	}

	/**
	 * Fraction of {@code label}'s pixels that lie inside a disc (1 when the mask is all
	 * inside; 0 when absent). A click test uses it: the bundled demo model's single-click
	 * masks are often too small on flat synthetic discs (a model limit noted in
	 * BENCHMARKS.md), but they must lie where the click was.
	 */
	public static double precision(final ImagePlus labels, final int label, final int cx,
		final int cy, final int r)
	{
		int inside = 0, pred = 0;
		for (int y = 0; y < labels.getHeight(); y++) {
			for (int x = 0; x < labels.getWidth(); x++) {
				if (labels.getProcessor().get(x, y) != label) continue;
				pred++;
				if (Math.hypot(x - cx, y - cy) <= r) inside++;
			}
		}
		return pred == 0 ? 0 : (double) inside / pred;
	}
}

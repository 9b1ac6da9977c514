package org.anyseg.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Synthetic images of bright discs with known masks. {@link #image(int)}: 512x400 16-bit,
 * centre (60,60) radius 20 and centre (150+dx,100) radius 25, on a dim textured background.
 * {@link #large()}: 3000x2500 8-bit, larger than a model's input, for the full-resolution
 * windows.
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

	/** Width and height of {@link #large()}, and the radius of its discs. */
	public static final int LARGE_W = 3000, LARGE_H = 2500, LARGE_R = 20;
	/** Centres (x, y) of disc 1 and disc 2 of {@link #large()}. */
	private static final int[][] LARGE_CENTRES = { { 2500, 2000 }, { 200, 300 } };

	/**
	 * A 3000x2500 8-bit image titled "large": background 30, two discs of value 220 and
	 * radius {@link #LARGE_R} drawn by {@code fillOval} in their bounding boxes
	 * {@link #largeBox(int)}, disc 1 centred at (2500, 2000), far from the origin, and disc 2
	 * at (200, 300). A model sees 1024 pixels, so prompts on it are segmented in
	 * full-resolution windows; shrunk whole, a disc would be about 7 pixels wide.
	 */
	public static ImagePlus large() {
		final ByteProcessor bp = background(LARGE_W, LARGE_H);
		for (int disc = 1; disc <= 2; disc++) {
			final int[] b = largeBox(disc);
			bp.fillOval(b[0], b[1], b[2] - b[0], b[3] - b[1]);
		}
		return new ImagePlus("large", bp);
	}

	/** A dark 8-bit background (30) whose fill value is set to the discs' (220). */
	public static ByteProcessor background(final int w, final int h) {
		final ByteProcessor bp = new ByteProcessor(w, h);
		bp.setValue(30);
		bp.fill();
		bp.setValue(220);
		return bp;
	}

	/** Disc 1 or 2 of {@link #large()} as a box {x0, y0, x1, y1} (x1, y1 exclusive). */
	public static int[] largeBox(final int disc) {
		final int[] c = LARGE_CENTRES[disc - 1];
		return new int[] { c[0] - LARGE_R, c[1] - LARGE_R, c[0] + LARGE_R, c[1] + LARGE_R };
	}

	/** {@link #largeBox(int)} as text {@code x0,y0,x1,y1}, for prompt tables and macros. */
	public static String largeBoxText(final int disc) {
		final int[] b = largeBox(disc);
		return b[0] + "," + b[1] + "," + b[2] + "," + b[3];
	}

	/** The centre (x, y) of disc 1 or 2 of {@link #large()}. */
	public static int[] largeCentre(final int disc) {
		return LARGE_CENTRES[disc - 1].clone();
	}

	/**
	 * Asserts that {@code label} of a label image of {@link #large()}'s size is disc
	 * {@code disc} at full resolution and at its place: the centre pixel carries the label,
	 * the label's area over the whole image is 0.8 to 1.3 times the disc's (pi r^2), and its
	 * Dice with the disc ({@code fillOval}'s pixels: centres within r) exceeds 0.85.
	 */
	public static void assertLargeDisc(final ImageProcessor labels, final int label,
		final int disc, final String what)
	{
		assertEquals(LARGE_W, labels.getWidth(), what + ": width");
		assertEquals(LARGE_H, labels.getHeight(), what + ": height");
		final int[] c = LARGE_CENTRES[disc - 1];
		assertEquals(label, labels.get(c[0], c[1]), what + ": the disc's centre pixel");
		long inter = 0, area = 0, truth = 0;
		for (int y = 0; y < LARGE_H; y++) {
			for (int x = 0; x < LARGE_W; x++) {
				final boolean p = labels.get(x, y) == label;
				final boolean t = Math.abs(x - c[0]) <= LARGE_R && Math.abs(y - c[1]) <= LARGE_R &&
					Math.hypot(x + 0.5 - c[0], y + 0.5 - c[1]) <= LARGE_R;
				if (p) area++;
				if (t) truth++;
				if (p && t) inter++;
			}
		}
		final double full = Math.PI * LARGE_R * LARGE_R, dice = 2.0 * inter / (area + truth);
		assertTrue(area > 0.8 * full && area < 1.3 * full, what + ": area " + area +
			" px, at full resolution about " + Math.round(full));
		assertTrue(dice > 0.85, what + ": Dice " + dice + " with the disc");
	}
}

package org.anyseg.ops.prompt;

import org.anyseg.ops.AnySegException;

/**
 * A box in ImageJ's rectangle convention: top-left pixel {@code (x0, y0)} and exclusive end
 * {@code (x1, y1)} = {@code (x + width, y + height)}, so a box covering exactly pixels
 * 10..19 horizontally has {@code x0 = 10, x1 = 20}.
 */
public record BoxPrompt(double x0, double y0, double x1, double y1) {

	public BoxPrompt {
		if (!(x1 > x0 && y1 > y0)) {
			throw new AnySegException("Box (" + x0 + "," + y0 + ")-(" + x1 + "," + y1 +
				") is empty: give the top-left corner first and the bottom-right corner " +
				"(exclusive, x + width, y + height) second.");
		}
	}

	/**
	 * Segment Anything's box: the inclusive pixel indices of the first and last covered
	 * pixel, {@code (x0, y0, x1 - 1, y1 - 1)}, as SAM computes boxes from masks.
	 */
	public double[] inclusiveCorners() {
		return new double[] { x0, y0, Math.max(x0, x1 - 1), Math.max(y0, y1 - 1) };
	}

	public double width() {
		return x1 - x0;
	}

	public double height() {
		return y1 - y0;
	}
}

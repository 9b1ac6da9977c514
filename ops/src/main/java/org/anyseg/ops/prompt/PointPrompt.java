package org.anyseg.ops.prompt;

/**
 * A click on pixel {@code (x, y)}, in ImageJ's convention: {@code x} and {@code y} are pixel
 * indices from the top-left (0, 0), sub-pixel values allowed. {@code positive} marks the
 * object, otherwise the click marks background.
 */
public record PointPrompt(double x, double y, boolean positive) {

	@Override
	public String toString() {
		return (positive ? "+" : "-") + "(" + x + "," + y + ")";
	}
}

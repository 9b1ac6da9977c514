package org.anyseg.ops.model;

/**
 * The one place where image pixel coordinates meet a model's input frame, for models that
 * resize the longest side to {@code longSide} keeping the aspect ratio (Segment Anything's
 * {@code ResizeLongestSide}):
 * <pre>
 * s = longSide / max(H, W)
 * newH = int(H * s + 0.5),  newW = int(W * s + 0.5)
 * x' = x * newW / W,        y' = y * newH / H
 * </pre>
 * Coordinates are ImageJ pixel indices on input and SAM's pixel-index frame on output (the
 * model itself adds the half-pixel offset).
 */
public record ModelFrame(int width, int height, int longSide) implements PromptFrame {

	public int resizedWidth() {
		return (int) (width * scale() + 0.5);
	}

	public int resizedHeight() {
		return (int) (height * scale() + 0.5);
	}

	/** {@code longSide / max(H, W)}. */
	public double scale() {
		return longSide * 1.0 / Math.max(width, height);
	}

	@Override
	public double mapX(final double x) {
		return x * resizedWidth() / width;
	}

	@Override
	public double mapY(final double y) {
		return y * resizedHeight() / height;
	}
}

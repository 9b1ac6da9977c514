package org.anyseg.ops.family;


import org.anyseg.ops.image.Resampler;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.ModelFrame;

/**
 * Segment Anything's image preprocessing ({@code ResizeLongestSide} then
 * {@code Sam.preprocess}): resize so the longest side is {@code longSide} (Pillow bilinear:
 * Pillow's 8-bit arithmetic when the channels are a uint8 image, as in the official code, see
 * {@link InputRecipe}), subtract {@link #mean(int)}, divide by {@link #std(int)} (0..255
 * scale), zero-pad bottom and right to {@code longSide x longSide}.
 */
public final class SamPreprocessing {

	private static final float[] MEAN = { 123.675f, 116.28f, 103.53f };
	private static final float[] STD = { 58.395f, 57.12f, 57.375f };

	private SamPreprocessing() {}

	/** SAM's pixel mean of channel {@code c} (RGB), 0..255 scale. */
	public static float mean(final int c) {
		return MEAN[c];
	}

	/** SAM's pixel standard deviation of channel {@code c} (RGB), 0..255 scale. */
	public static float std(final int c) {
		return STD[c];
	}

	/**
	 * Resizes each channel to the frame's resized size as {@code ResizeLongestSide} does
	 * (0..255 values kept; 8-bit Pillow arithmetic for a uint8 image, see {@link InputRecipe}).
	 */
	public static float[][] resize(final float[][] rgb255, final ModelFrame frame) {
		return InputRecipe.sam(frame.longSide()).resized(rgb255, frame.width(), frame.height());
	}

	/** The normalized, padded {@code [1, 3, S, S]} tensor. */
	public static FloatTensor normalizedPadded(final float[][] rgb255, final ModelFrame frame) {
		return normalizedPadded(rgb255, frame, null);
	}

	/**
	 * The normalized, padded {@code [1, 3, S, S]} tensor, written into {@code reuse} when it
	 * has that shape (every value is overwritten, padding included), else into a new one.
	 */
	public static FloatTensor normalizedPadded(final float[][] rgb255, final ModelFrame frame,
		final FloatTensor reuse)
	{
		return InputRecipe.sam(frame.longSide()).tensor(rgb255, frame.width(), frame.height(),
			reuse);
	}

	/** Logit magnitude given to a drawn mask's inside (+) and outside (-). */
	public static final float MASK_LOGIT = 8f;

	/**
	 * A binary mask in the low-res mask frame of a long-side-resized, padded model input: the
	 * mask is resized like the image (to {@code resized / (longSide / side)}), inside becomes
	 * {@code +MASK_LOGIT}, outside and padding {@code -MASK_LOGIT}.
	 */
	public static float[] maskToLowRes(final byte[] mask, final ModelFrame frame,
		final int side)
	{
		final double f = (double) side / frame.longSide();
		final int lw = Math.max(1, (int) Math.round(frame.resizedWidth() * f));
		final int lh = Math.max(1, (int) Math.round(frame.resizedHeight() * f));
		final float[] m = new float[mask.length];
		for (int i = 0; i < m.length; i++) m[i] = mask[i] != 0 ? 1 : 0;
		final float[] r = Resampler.resize(m, frame.width(), frame.height(), lw, lh);
		final float[] out = new float[side * side];
		java.util.Arrays.fill(out, -MASK_LOGIT);
		for (int y = 0; y < lh; y++) {
			for (int x = 0; x < lw; x++) {
				out[y * side + x] = r[y * lw + x] >= 0.5f ? MASK_LOGIT : -MASK_LOGIT;
			}
		}
		return out;
	}

	/** The resized image as {@code [newH, newW, 3]} 0..255 (for "preprocessing inside" graphs). */
	public static FloatTensor resizedHwc(final float[][] rgb255, final ModelFrame frame) {
		final float[][] r = resize(rgb255, frame);
		final int nw = frame.resizedWidth(), nh = frame.resizedHeight();
		final float[] hwc = new float[nw * nh * 3];
		for (int i = 0; i < nw * nh; i++) {
			hwc[3 * i] = r[0][i];
			hwc[3 * i + 1] = r[1][i];
			hwc[3 * i + 2] = r[2][i];
		}
		return FloatTensor.of(hwc, nh, nw, 3);
	}
}

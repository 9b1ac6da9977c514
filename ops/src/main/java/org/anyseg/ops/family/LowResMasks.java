package org.anyseg.ops.family;

import org.anyseg.ops.image.TorchResize;
import org.anyseg.ops.model.ModelFrame;

/**
 * Turning a decoder's low-res logits into logits at the image size, as the families'
 * own predictors do it (PyTorch bilinear, align_corners=False).
 */
public final class LowResMasks {

	private LowResMasks() {}

	/**
	 * Segment Anything's {@code postprocess_masks}: upsample the low-res square to the padded
	 * input ({@code frame.longSide()}), crop the padding away, resize to the image.
	 */
	public static float[] unpad(final float[] low, final int lowSide, final ModelFrame frame) {
		final int s = frame.longSide();
		final int rw = frame.resizedWidth(), rh = frame.resizedHeight();
		final float[] cropped = TorchResize.bilinearCrop(low, lowSide, lowSide, s, s, rw, rh);
		return TorchResize.bilinear(cropped, rw, rh, frame.width(), frame.height());
	}

	/** SAM 2 / MedSAM: the low-res square covers the whole (stretched) image. */
	public static float[] stretch(final float[] low, final int lowSide, final int width,
		final int height)
	{
		return TorchResize.bilinear(low, lowSide, lowSide, width, height);
	}

	/** Logits to probabilities. */
	public static void sigmoid(final float[] v) {
		for (int i = 0; i < v.length; i++) v[i] = (float) (1 / (1 + Math.exp(-v[i])));
	}

	/**
	 * Probabilities back to logits, so that every family reports "mask = value > 0" and
	 * overlapping objects compare on one scale; clamped to {@code [1e-7, 1 - 1e-7]}.
	 */
	public static void logit(final float[] p) {
		for (int i = 0; i < p.length; i++) {
			final double q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
			p[i] = (float) Math.log(q / (1 - q));
		}
	}
}

package org.anyseg.ops.model;

/**
 * One mask a decoder proposed for a prompt.
 *
 * @param index the decoder's output token (0 = single-mask output, 1.. = multi-mask)
 * @param iou the decoder's predicted IoU
 * @param logits logits at the original image size, row-major; the mask is {@code logit > 0}
 * @param lowRes low-res logits, suitable as the next prompt's mask input
 */
public record MaskCandidate(int index, float iou, float[] logits, float[] lowRes) {

	public int area() {
		int n = 0;
		for (final float v : logits) if (v > 0) n++;
		return n;
	}
}

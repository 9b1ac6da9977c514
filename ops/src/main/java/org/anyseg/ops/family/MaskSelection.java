package org.anyseg.ops.family;

import java.util.List;

import org.anyseg.ops.model.MaskCandidate;

/**
 * Which of a decoder's masks to use. Four masks (Segment Anything's single-mask token 0 and
 * multi-mask tokens 1..3, as in its ONNX export's {@code select_masks}): an ambiguous prompt
 * (one click, no box) takes the multi-mask output with the highest predicted IoU, any other
 * prompt token 0. Three masks (multi-mask outputs only: SAM 2 and EfficientSAM exports):
 * the highest predicted IoU, as their predictors' examples do. One mask: that one.
 */
public final class MaskSelection {

	private MaskSelection() {}

	/** Index into {@code candidates} of the mask to use. */
	public static int choose(final List<MaskCandidate> candidates, final boolean singleClick) {
		final int n = candidates.size();
		if (n == 1) return 0;
		if (n == 4 && !singleClick) return 0;
		int best = n == 4 ? 1 : 0;
		for (int i = best + 1; i < n; i++) {
			if (candidates.get(i).iou() > candidates.get(best).iou()) best = i;
		}
		return best;
	}
}

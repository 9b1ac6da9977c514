package org.anyseg.ops.family;

import java.util.List;

import org.anyseg.ops.model.MaskCandidate;

/**
 * Segment Anything's rule for choosing among a multi-mask decoder's outputs (as in its ONNX
 * export's {@code select_masks}): an ambiguous prompt (one click, no box) takes the
 * multi-mask output (tokens 1..) with the highest predicted IoU; any other prompt takes the
 * single-mask output (token 0).
 */
public final class MaskSelection {

	private MaskSelection() {}

	/** Index into {@code candidates} of the mask to use. */
	public static int choose(final List<MaskCandidate> candidates, final boolean singleClick) {
		if (candidates.size() == 1 || !singleClick) return 0;
		int best = 1;
		for (int i = 2; i < candidates.size(); i++) {
			if (candidates.get(i).iou() > candidates.get(best).iou()) best = i;
		}
		return best;
	}
}

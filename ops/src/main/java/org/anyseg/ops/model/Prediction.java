package org.anyseg.ops.model;

import java.util.List;

/**
 * The decoder's answer for one object: every candidate mask it returned, and which one the
 * family's selection rule chose.
 */
public record Prediction(int label, int width, int height, List<MaskCandidate> candidates,
	int chosen)
{

	public Prediction {
		candidates = List.copyOf(candidates);
		if (chosen < 0 || chosen >= candidates.size()) {
			throw new IllegalArgumentException("chosen " + chosen + " of " + candidates.size());
		}
	}

	public MaskCandidate best() {
		return candidates.get(chosen);
	}

	/** The same prediction with another candidate chosen (cycling multi-mask outputs). */
	public Prediction choose(final int index) {
		return new Prediction(label, width, height, candidates, index);
	}

	public float iou() {
		return best().iou();
	}
}

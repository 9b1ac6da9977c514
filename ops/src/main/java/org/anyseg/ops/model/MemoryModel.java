package org.anyseg.ops.model;

import java.util.List;

import org.anyseg.ops.prompt.ObjectPrompt;

/**
 * A model that tracks an object from frame to frame (slice to slice) through a memory of
 * earlier frames, as SAM 2's video predictor does, instead of being re-prompted on each
 * frame. The memory bank (which frames are kept) is the caller's; the model turns one frame
 * and the chosen memories into a mask and that frame's own memory.
 */
public interface MemoryModel extends PromptableModel {

	/** What one segmented frame leaves in memory, with its prediction. */
	interface Memory {

		/** Index of the frame (slice) it came from. */
		int frame();

		Prediction prediction();
	}

	/** Segments a prompted frame; its memory conditions every later frame. */
	Memory prompted(Embedding embedding, int frame, ObjectPrompt prompt);

	/**
	 * Segments an unprompted frame from the memories of the prompted frames
	 * ({@code conditioning}: the frame the walk started from first, then the object's other
	 * prompted or corrected frames, as SAM 2's video predictor conditions on every prompted
	 * frame) and of the frames already tracked in this direction ({@code recent}, oldest
	 * first); the model uses as many of them as it was built for.
	 */
	Memory track(Embedding embedding, int frame, int label, List<Memory> conditioning,
		List<Memory> recent);

	/** How many recent memories {@link #track} can use (the caller may drop older ones). */
	int maxRecent();
}

package org.anyseg.ops.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.ObjectPrompt;

/**
 * Segmenting prompts on one plane, the way every entry point does it (CLI, batch, the ROI
 * command, macro functions, the interactive tool): a plane whose larger side exceeds
 * {@link #WINDOW} is segmented at full resolution, each object in a window around its
 * prompt ({@link PromptWindow}); a smaller plane, or any plane when the whole image is asked
 * for, is segmented whole (shrunk to the model's input like any image).
 */
public final class PlaneSegmentation {

	/**
	 * Side of the full-resolution windows, the encoder input side of the SAM family; planes
	 * larger than this are segmented in windows. The one place of this policy.
	 */
	public static final int WINDOW = 1024;

	/**
	 * What a run produced.
	 *
	 * @param labels the full-size label image (row-major, {@code width * height})
	 * @param predictions one per prompt, in prompt order, in the coordinates of its region
	 * @param regions the region {x, y, w, h} of each prediction: its window, or the whole
	 *          plane
	 */
	public record Result(int width, int height, short[] labels, List<Prediction> predictions,
		List<int[]> regions)
	{

		/** Whether the plane was segmented in windows. */
		public boolean windowed() {
			return regions.stream().anyMatch(r -> r[2] != width || r[3] != height);
		}
	}

	private PlaneSegmentation() {}

	/** Whether a plane of this size is segmented in full-resolution windows. */
	public static boolean windowed(final int width, final int height) {
		return Math.max(width, height) > WINDOW;
	}

	/** Segments the prompts on a plane (whole-plane mask inputs of the prompts are used). */
	public static Result segment(final Segmenter seg, final PromptWindow.Source source,
		final Normalization norm, final List<ObjectPrompt> prompts)
	{
		return segment(seg, source, norm, prompts, false, null);
	}

	/**
	 * Segments the prompts on a plane.
	 *
	 * @param wholeImage segment the whole plane even when it is large
	 * @param windowMaskInput for windows: the mask input of prompt {@code i} in the frame of
	 *          its window {x, y, w, h}, or null (the prompts' own mask inputs, made for the
	 *          whole plane, are used only when it is segmented whole)
	 */
	public static Result segment(final Segmenter seg, final PromptWindow.Source source,
		final Normalization norm, final List<ObjectPrompt> prompts, final boolean wholeImage,
		final BiFunction<Integer, int[], float[]> windowMaskInput)
	{
		final int w = source.width();
		final int h = source.height();
		for (final ObjectPrompt p : prompts) p.checkInside(w, h);
		if (wholeImage || !windowed(w, h)) {
			final Plane plane = source.crop(0, 0, w, h);
			final List<Prediction> preds = seg.segment(plane, norm, prompts);
			return new Result(w, h, LabelComposer.compose(w, h, preds), preds, Collections.nCopies(
				preds.size(), new int[] { 0, 0, w, h }));
		}
		final List<Prediction> preds = new ArrayList<>();
		final List<int[]> regions = new ArrayList<>();
		final short[] labels = PromptWindow.segmentEach(source, WINDOW, seg, norm, prompts,
			windowMaskInput, preds, regions);
		return new Result(w, h, labels, preds, regions);
	}
}

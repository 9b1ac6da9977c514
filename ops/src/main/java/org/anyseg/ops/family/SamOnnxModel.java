package org.anyseg.ops.family;

import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelFrame;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.prompt.ObjectPrompt;

import ai.onnxruntime.OrtException;

/**
 * A model with Segment Anything's decoder export: SAM preprocessing (or the resized image
 * for "preprocessing inside" encoders), prompts in the resized long-side frame
 * ({@link ModelFrame}) with a padding point, mask input, and masks at the image size made
 * by the graph itself. MedSAM reuses it with its own recipe and output handling.
 */
class SamOnnxModel extends EncoderDecoderModel {

	protected final InputRecipe recipe;
	/** Name of a box-only model (points refused, no mask input), or null. */
	private final String boxOnly;
	private final boolean hwc;
	private final String iou;

	SamOnnxModel(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
		final InputRecipe recipe)
	{
		this(family, encoder, decoder, recipe, null);
	}

	/** @param boxOnly the model's name when it takes boxes only (MedSAM), else null */
	SamOnnxModel(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
		final InputRecipe recipe, final String boxOnly)
	{
		super(family, encoder, decoder, java.util.Map.of(SamOnnx.embeddingOutput(encoder),
			SamOnnx.EMBEDDINGS));
		this.recipe = recipe;
		this.hwc = encoder.inputs().values().iterator().next().rank() == 3;
		this.iou = SamOnnx.iouOutput(decoder);
		this.boxOnly = boxOnly;
	}

	@Override
	public int maskInputSize() {
		return boxOnly != null ? 0 : SamOnnx.MASK_SIDE;
	}

	@Override
	public float[] maskInput(final byte[] mask, final int width, final int height) {
		return boxOnly != null ? null : recipe.lowResMask(mask, width, height, SamOnnx.MASK_SIDE);
	}

	@Override
	protected void checkPrompt(final ObjectPrompt prompt) {
		if (boxOnly != null) BoxOnly.check(boxOnly, prompt);
	}

	@Override
	protected FloatTensor preprocess(final float[][] rgb255, final int width, final int height,
		final FloatTensor reuse)
	{
		if (hwc) {
			return SamPreprocessing.resizedHwc(rgb255, new ModelFrame(width, height,
				SamOnnx.LONG_SIDE));
		}
		return recipe.tensor(rgb255, width, height, reuse);
	}

	/** Prompt coordinates in the model's frame. */
	protected org.anyseg.ops.model.PromptFrame frame(final int width, final int height) {
		return new ModelFrame(width, height, SamOnnx.LONG_SIDE);
	}

	@Override
	protected List<Feed> promptFeeds(final ObjectPrompt prompt, final int width,
		final int height)
	{
		final float[][] pts = SamPrompts.encode(prompt, frame(width, height), true);
		final int n = pts[1].length, side = SamOnnx.MASK_SIDE;
		final float[] maskIn = prompt.maskInput() != null ? prompt.maskInput()
			: new float[side * side];
		if (maskIn.length != side * side) {
			throw new AnySegException("Mask input has " + maskIn.length + " values; this model " +
				"takes a " + side + "x" + side + " low-res mask.");
		}
		return List.of(Feed.floats(SamOnnx.POINT_COORDS, pts[0], 1, n, 2), Feed.floats(
			SamOnnx.POINT_LABELS, pts[1], 1, n), Feed.floats(SamOnnx.MASK_INPUT, maskIn, 1, 1,
				side, side), Feed.floats(SamOnnx.HAS_MASK_INPUT, new float[] { prompt
					.maskInput() != null ? 1 : 0 }, 1), Feed.floats(SamOnnx.ORIG_SIZE, new float[] {
						height, width }, 2));
	}

	/** The decoder's predicted IoUs. */
	protected float[] ious(final Outputs out) throws OrtException {
		return out.floats(iou);
	}

	@Override
	protected List<MaskCandidate> candidates(final Outputs out, final int width,
		final int height) throws OrtException
	{
		return candidates(out.floats(SamOnnx.MASKS), out.floats(SamOnnx.LOW_RES), ious(out),
			width * height, SamOnnx.MASK_SIDE * SamOnnx.MASK_SIDE);
	}
}

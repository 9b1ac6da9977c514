package org.anyseg.ops.family;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptFrame;
import org.anyseg.ops.prompt.ObjectPrompt;

import ai.onnxruntime.OrtException;

/**
 * A SAM 2 image model (families B and C): the image stretched to 1024x1024 with ImageNet
 * normalization, prompts scaled per axis with the box corners first and no padding point
 * (the graph adds it), a 256x256 mask input in the stretched frame, and masks resized from
 * the low-res logits in one bilinear step ({@code SAM2Transforms.postprocess_masks}) unless
 * the graph returns them at the image size.
 */
final class Sam2Model extends RecipeModel {

	static final int SIDE = 1024;
	static final int LOW = 256;

	/** The tensor names that differ between the two exports. */
	enum Names {
		SPLIT(Sam2Split.MASK_INPUT, Sam2Split.HAS_MASK_INPUT, null, SamOnnx.MASKS),
		ORT(Sam2Ort.MASK_INPUT, Sam2Ort.HAS_MASK_INPUT, Sam2Ort.ORIG_SIZE, SamOnnx.LOW_RES);

		final String maskInput, hasMaskInput, origSize, lowRes;

		Names(final String maskInput, final String hasMaskInput, final String origSize,
			final String lowRes)
		{
			this.maskInput = maskInput;
			this.hasMaskInput = hasMaskInput;
			this.origSize = origSize;
			this.lowRes = lowRes;
		}
	}

	private final Names names;

	Sam2Model(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
		final InputRecipe recipe, final Names names)
	{
		super(family, encoder, decoder, java.util.Map.of(), recipe);
		this.names = names;
	}

	static InputRecipe recipe(final ModelConfig config) {
		final InputRecipe r = new InputRecipe(InputRecipe.Geometry.STRETCH, SIDE,
			InputRecipe.Values.IMAGENET);
		return config.normalization() == null ? r : r.withValues(InputRecipe.Values.parse(config
			.normalization()));
	}

	@Override
	public int maskInputSize() {
		return LOW;
	}

	@Override
	public float[] maskInput(final byte[] mask, final int width, final int height) {
		return recipe.lowResMask(mask, width, height, LOW);
	}

	@Override
	protected List<Feed> promptFeeds(final ObjectPrompt prompt, final int width,
		final int height)
	{
		final float[][] pts = SamPrompts.encode(prompt, PromptFrame.stretched(width, height,
			SIDE), false, true);
		final int n = pts[1].length;
		final float[] maskIn = prompt.maskInput() != null ? prompt.maskInput()
			: new float[LOW * LOW];
		if (maskIn.length != LOW * LOW) {
			throw new AnySegException("Mask input has " + maskIn.length + " values; this model " +
				"takes a " + LOW + "x" + LOW + " low-res mask.");
		}
		final List<Feed> feeds = new ArrayList<>(List.of(Feed.floats(SamOnnx.POINT_COORDS, pts[0],
			1, n, 2), Feed.as(decoder, SamOnnx.POINT_LABELS, pts[1], 1, n), Feed.floats(
				names.maskInput, maskIn, 1, 1, LOW, LOW), Feed.floats(names.hasMaskInput,
					new float[] { prompt.maskInput() != null ? 1 : 0 }, 1)));
		if (names.origSize != null) {
			feeds.add(Feed.as(decoder, names.origSize, new float[] { height, width }, 2));
		}
		return feeds;
	}

	@Override
	protected List<MaskCandidate> candidates(final Outputs out, final int width,
		final int height) throws OrtException
	{
		final float[] iou = out.floats(SamOnnx.IOU);
		final float[] low = out.floats(names.lowRes);
		final int plane = width * height, lowPlane = LOW * LOW;
		if (names.origSize != null) {
			return candidates(out.floats(SamOnnx.MASKS), low, iou, plane, lowPlane);
		}
		return fromLowRes(low, iou, LOW, width, height, p -> LowResMasks.stretch(p, LOW, width,
			height));
	}
}

package org.anyseg.ops.family;

import static org.anyseg.ops.family.Graphs.F32;
import static org.anyseg.ops.family.Graphs.in;

import java.util.List;

import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelFrame;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.prompt.ObjectPrompt;

import ai.onnxruntime.OrtException;

/**
 * Decoders that take only the embedding, {@code point_coords} and {@code point_labels} and
 * return low-res masks (EdgeSAM, EfficientViT-SAM): SAM preprocessing at the encoder's side,
 * prompts in the 1024 long-side frame without a padding point, and SAM's unpad-and-resize
 * of the 256x256 logits.
 */
final class LowResDecoderModel extends RecipeModel {

	private static final int FRAME = 1024;
	private static final int LOW = 256;

	private final String iou;

	LowResDecoderModel(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
		final InputRecipe recipe, final String iou)
	{
		super(family, encoder, decoder, java.util.Map.of(), recipe);
		this.iou = iou;
	}

	static boolean isDecoder(final OnnxGraph g, final String iouName) {
		return Graphs.inputsAre(g, SamOnnx.EMBEDDINGS, SamOnnx.POINT_COORDS,
			SamOnnx.POINT_LABELS) && in(g, SamOnnx.POINT_COORDS, F32, -1, -1, 2) && in(g,
				SamOnnx.POINT_LABELS, F32, -1, -1) && Graphs.outputsInclude(g, SamOnnx.MASKS,
					iouName);
	}

	@Override
	protected List<Feed> promptFeeds(final ObjectPrompt prompt, final int width,
		final int height)
	{
		final float[][] pts = SamPrompts.encode(prompt, new ModelFrame(width, height, FRAME),
			false);
		final int n = pts[1].length;
		return List.of(Feed.floats(SamOnnx.POINT_COORDS, pts[0], 1, n, 2), Feed.floats(
			SamOnnx.POINT_LABELS, pts[1], 1, n));
	}

	@Override
	protected List<MaskCandidate> candidates(final Outputs out, final int width,
		final int height) throws OrtException
	{
		final float[] low = out.floats(SamOnnx.MASKS);
		final float[] scores = out.floats(iou);
		final ModelFrame frame = new ModelFrame(width, height, FRAME);
		return fromLowRes(low, scores, LOW, width, height, p -> LowResMasks.unpad(p, LOW, frame));
	}
}

package org.anyseg.ops.family;

import static org.anyseg.ops.family.Graphs.F32;
import static org.anyseg.ops.family.Graphs.in;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptFrame;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.ObjectPrompt;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;

/**
 * EfficientSAM ({@code yformer/EfficientSAM}'s export): the encoder takes the 0..1 image at
 * its own size and resizes inside; the decoder takes prompts in image pixels, at most
 * {@value #MAX_POINTS} of them (a box counts two), and returns three masks at the image
 * size. No mask input.
 */
public final class EfficientSam implements ModelFamily {

	static final int MAX_POINTS = 6;
	static final String IMAGES = "batched_images";
	static final String COORDS = "batched_point_coords";
	static final String LABELS = "batched_point_labels";
	static final String MASKS = "output_masks";

	@Override
	public String id() {
		return "efficientsam";
	}

	@Override
	public String name() {
		return "EfficientSAM";
	}

	@Override
	public String expected() {
		return "an encoder with input batched_images float[B,3,H,W] and output " +
			"image_embeddings; a decoder with inputs image_embeddings, batched_point_coords " +
			"float[1,1,N,2], batched_point_labels float[1,1,N], orig_im_size int64[2] and " +
			"outputs output_masks, iou_predictions";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		return Graphs.pair(graphs, g -> g.inputs().size() == 1 && in(g, IMAGES, F32, -1, 3, -1,
			-1) && Graphs.outputsInclude(g, SamOnnx.EMBEDDINGS), g -> Graphs.inputsAre(g,
				SamOnnx.EMBEDDINGS, COORDS, LABELS, SamOnnx.ORIG_SIZE) && in(g, COORDS, F32, 1, 1, -1,
					2) && in(g, SamOnnx.ORIG_SIZE, OnnxJavaType.INT64, 2) && Graphs.outputsInclude(g,
						MASKS, SamOnnx.IOU)).map(p -> new Model(id(), p[0], p[1]));
	}

	private static final class Model extends EncoderDecoderModel {

		private static final InputRecipe RECIPE = new InputRecipe(
			InputRecipe.Geometry.ORIGINAL, 0, InputRecipe.Values.UNIT);

		Model(final String family, final OnnxGraph encoder, final OnnxGraph decoder) {
			super(family, encoder, decoder);
		}

		@Override
		protected FloatTensor preprocess(final float[][] rgb255, final int width,
			final int height, final FloatTensor reuse)
		{
			return RECIPE.tensor(rgb255, width, height, reuse);
		}

		@Override
		protected void checkPrompt(final ObjectPrompt prompt) {
			final int n = prompt.points().size() + (prompt.box() != null ? 2 : 0);
			if (n > MAX_POINTS) {
				throw new AnySegException("EfficientSAM takes at most " + MAX_POINTS + " prompt " +
					"points (a box counts as 2); object " + prompt.label() + " has " + n + ". Remove " +
					"some clicks.");
			}
		}

		@Override
		protected List<Feed> promptFeeds(final ObjectPrompt prompt, final int width,
			final int height)
		{
			final float[][] pts = SamPrompts.encode(prompt, PromptFrame.PIXELS, false);
			final int n = pts[1].length;
			return List.of(Feed.floats(COORDS, pts[0], 1, 1, n, 2), Feed.as(decoder, LABELS,
				pts[1], 1, 1, n), Feed.as(decoder, SamOnnx.ORIG_SIZE, new float[] { height, width },
					2));
		}

		@Override
		protected List<MaskCandidate> candidates(final Outputs out, final int width,
			final int height) throws OrtException
		{
			return candidates(out.floats(MASKS), null, out.floats(SamOnnx.IOU), width * height, 0);
		}
	}
}

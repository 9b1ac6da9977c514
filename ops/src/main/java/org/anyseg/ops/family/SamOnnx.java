package org.anyseg.ops.family;

import static org.anyseg.ops.family.Graphs.F32;
import static org.anyseg.ops.family.Graphs.in;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.TensorSpec;

/**
 * Family A: the original segment-anything decoder export (SAM ViT-B/L/H, MobileSAM,
 * micro-sam) with a community encoder export. Tensor names live here and nowhere else.
 */
public final class SamOnnx implements ModelFamily {

	static final String ENC_IN = "input_image";
	static final String EMBEDDINGS = "image_embeddings";
	static final String POINT_COORDS = "point_coords";
	static final String POINT_LABELS = "point_labels";
	static final String MASK_INPUT = "mask_input";
	static final String HAS_MASK_INPUT = "has_mask_input";
	static final String ORIG_SIZE = "orig_im_size";
	static final String MASKS = "masks";
	static final String IOU = "iou_predictions";
	static final String SCORES = "scores";
	static final String LOW_RES = "low_res_masks";

	static final int EMBED_SIDE = 64;
	/**
	 * Embedding channels: 256 in every published SAM; any width where the encoder and decoder
	 * agree (AnySeg's own graphs of a checkpoint take the width from its state dict).
	 */
	static final int ANY_WIDTH = -1;
	static final int MASK_SIDE = 256;
	static final int LONG_SIDE = 1024;

	@Override
	public String id() {
		return "sam";
	}

	@Override
	public String name() {
		return "SAM decoder export";
	}

	@Override
	public String expected() {
		return "an encoder with one input, input_image float[1,3,1024,1024] (or [1,3,512,512], " +
			"or the resized image float[H,W,3]) and output image_embeddings " +
			"float[1,256,64,64]; a decoder with inputs " +
			"image_embeddings, point_coords float[1,N,2], point_labels float[1,N], " +
			"mask_input float[1,1,256,256], has_mask_input float[1], orig_im_size float[2] and " +
			"outputs masks, iou_predictions (or scores), low_res_masks";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		return Graphs.pair(graphs, SamOnnx::isEncoder, SamOnnx::isDecoder).filter(
			p -> sameWidth(p[0], p[1])).map(
			p -> new SamOnnxModel(id(), p[0], p[1], InputRecipe.sam(inputSide(p[0]))));
	}

	/**
	 * One input, named as the exporter chose ({@code input_image}; labelme's {@code x}):
	 * normalized {@code [1,3,S,S]} with S 1024 (SAM) or 512 (EfficientViT-SAM L exported
	 * with SAM's decoder), or the resized {@code [H,W,3]} image; one
	 * {@code [1,256,64,64]} embedding output.
	 */
	static boolean isEncoder(final OnnxGraph g) {
		if (g.inputs().size() != 1 || embeddingOutput(g) == null) return false;
		final TensorSpec in = g.inputs().values().iterator().next();
		return in.matches(F32, 1, 3, LONG_SIDE, LONG_SIDE) || in.matches(F32, 1, 3, 512, 512) ||
			in.matches(F32, -1, -1, 3);
	}

	/** The encoder output holding the embedding: {@code image_embeddings}, or the only one. */
	static String embeddingOutput(final OnnxGraph g) {
		if (Graphs.out(g, EMBEDDINGS, F32, 1, ANY_WIDTH, EMBED_SIDE, EMBED_SIDE)) return EMBEDDINGS;
		final List<TensorSpec> outs = List.copyOf(g.outputs().values());
		return outs.size() == 1 && outs.get(0).matches(F32, 1, ANY_WIDTH, EMBED_SIDE,
			EMBED_SIDE) ? outs
			.get(0).name() : null;
	}

	/** Whether the encoder's embedding has the channels the decoder takes. */
	static boolean sameWidth(final OnnxGraph encoder, final OnnxGraph decoder) {
		final long out = encoder.outputs().get(embeddingOutput(encoder)).shape()[1];
		final long in = decoder.input(EMBEDDINGS).shape()[1];
		return out < 0 || in < 0 || out == in;
	}

	static int inputSide(final OnnxGraph encoder) {
		final TensorSpec in = encoder.inputs().values().iterator().next();
		return in.rank() == 4 ? (int) in.shape()[3] : LONG_SIDE;
	}

	static boolean isDecoder(final OnnxGraph g) {
		return g.inputs().size() == 6 && in(g, EMBEDDINGS, F32, 1, ANY_WIDTH, EMBED_SIDE,
			EMBED_SIDE) &&
			in(g, POINT_COORDS, F32, 1, -1, 2) && in(g, POINT_LABELS, F32, 1, -1) && in(g,
				MASK_INPUT, F32, 1, 1, MASK_SIDE, MASK_SIDE) && in(g, HAS_MASK_INPUT, F32, 1) && in(g,
					ORIG_SIZE, F32, 2) && Graphs.outputsInclude(g, MASKS, LOW_RES) && iouOutput(
						g) != null;
	}

	/** The decoder's IoU output: {@code iou_predictions}, or {@code scores} (labelme). */
	static String iouOutput(final OnnxGraph g) {
		return g.outputs().containsKey(IOU) ? IOU : g.outputs().containsKey(SCORES) ? SCORES
			: null;
	}
}

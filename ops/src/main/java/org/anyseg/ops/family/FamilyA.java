package org.anyseg.ops.family;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.TensorSpec;

import ai.onnxruntime.OnnxJavaType;

/**
 * Family A: the original segment-anything decoder export (SAM ViT-B/L/H, MobileSAM,
 * micro-sam) with a community encoder export. Tensor names live here and nowhere else.
 */
public final class FamilyA implements ModelFamily {

	static final String ENC_IN = "input_image";
	static final String EMBEDDINGS = "image_embeddings";
	static final String POINT_COORDS = "point_coords";
	static final String POINT_LABELS = "point_labels";
	static final String MASK_INPUT = "mask_input";
	static final String HAS_MASK_INPUT = "has_mask_input";
	static final String ORIG_SIZE = "orig_im_size";
	static final String MASKS = "masks";
	static final String IOU = "iou_predictions";
	static final String LOW_RES = "low_res_masks";

	static final int EMBED_SIDE = 64;
	static final int MASK_SIDE = 256;
	static final int LONG_SIDE = 1024;

	private static final OnnxJavaType F32 = OnnxJavaType.FLOAT;

	@Override
	public String name() {
		return "A (SAM decoder export)";
	}

	@Override
	public String expected() {
		return "an encoder with input input_image float[1,3,1024,1024] or float[H,W,3] and " +
			"output image_embeddings float[1,256,64,64]; a decoder with inputs " +
			"image_embeddings, point_coords float[1,N,2], point_labels float[1,N], " +
			"mask_input float[1,1,256,256], has_mask_input float[1], orig_im_size float[2] and " +
			"outputs masks, iou_predictions, low_res_masks";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs) {
		final OnnxGraph enc = graphs.stream().filter(FamilyA::isEncoder).findFirst().orElse(null);
		final OnnxGraph dec = graphs.stream().filter(FamilyA::isDecoder).findFirst().orElse(null);
		if (enc == null || dec == null || graphs.size() != 2) return Optional.empty();
		return Optional.of(new FamilyAModel(name(), enc, dec));
	}

	static boolean isEncoder(final OnnxGraph g) {
		final TensorSpec in = g.input(ENC_IN);
		final TensorSpec out = g.outputs().get(EMBEDDINGS);
		return g.inputs().size() == 1 && in != null && out != null && out.matches(F32, 1, 256,
			EMBED_SIDE, EMBED_SIDE) && (in.matches(F32, 1, 3, LONG_SIDE, LONG_SIDE) || in.matches(
				F32, -1, -1, 3));
	}

	static boolean isDecoder(final OnnxGraph g) {
		return g.inputs().size() == 6 && spec(g, EMBEDDINGS, 1, 256, EMBED_SIDE, EMBED_SIDE) &&
			spec(g, POINT_COORDS, 1, -1, 2) && spec(g, POINT_LABELS, 1, -1) && spec(g, MASK_INPUT,
				1, 1, MASK_SIDE, MASK_SIDE) && spec(g, HAS_MASK_INPUT, 1) && spec(g, ORIG_SIZE, 2) &&
			g.outputs().keySet().containsAll(List.of(MASKS, IOU, LOW_RES));
	}

	private static boolean spec(final OnnxGraph g, final String name, final long... dims) {
		final TensorSpec s = g.input(name);
		return s != null && s.matches(F32, dims);
	}

	/** True when the encoder takes the resized {@code [H,W,3]} image (preprocessing inside). */
	static boolean takesHwc(final OnnxGraph encoder) {
		return encoder.input(ENC_IN).rank() == 3;
	}
}

package org.anyseg.ops.family;

import static org.anyseg.ops.family.Graphs.F32;
import static org.anyseg.ops.family.Graphs.in;
import static org.anyseg.ops.family.Graphs.out;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptableModel;

import ai.onnxruntime.OnnxJavaType;

/**
 * Family C: SAM 2 / 2.1 exported by ONNX Runtime's own tooling
 * ({@code onnxruntime/transformers/models/sam2}): int32 labels and image size, masks at the
 * image size (boolean, or logits when exported so) and low-res logits for refinement.
 */
public final class Sam2Ort implements ModelFamily {

	static final String IMAGE = "image";
	static final String FEATS_0 = "image_features_0";
	static final String FEATS_1 = "image_features_1";
	static final String EMBED = "image_embeddings";
	static final String MASK_INPUT = "input_masks";
	static final String HAS_MASK_INPUT = "has_input_masks";
	static final String ORIG_SIZE = "original_image_size";

	@Override
	public String id() {
		return "sam2-ort";
	}

	@Override
	public String name() {
		return "SAM 2 export of ONNX Runtime's tooling";
	}

	@Override
	public String expected() {
		return "an encoder with input image float[1,3,1024,1024] and outputs image_features_0 " +
			"float[1,32,256,256], image_features_1 float[1,64,128,128], image_embeddings " +
			"float[1,256,64,64]; a decoder with inputs image_features_0, image_features_1, " +
			"image_embeddings, point_coords float[L,N,2], point_labels int32[L,N], input_masks " +
			"float[L,1,256,256], has_input_masks float[L], original_image_size int32[2] and " +
			"outputs masks, iou_predictions, low_res_masks";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		return Graphs.pair(graphs, Sam2Ort::isEncoder, Sam2Ort::isDecoder).map(p -> new Sam2Model(
			id(), p[0], p[1], Sam2Model.recipe(config), Sam2Model.Names.ORT));
	}

	static boolean isEncoder(final OnnxGraph g) {
		return g.inputs().size() == 1 && in(g, IMAGE, F32, 1, 3, 1024, 1024) && out(g, FEATS_0,
			F32, 1, 32, 256, 256) && out(g, FEATS_1, F32, 1, 64, 128, 128) && out(g, EMBED, F32, 1,
				256, 64, 64);
	}

	static boolean isDecoder(final OnnxGraph g) {
		return Graphs.inputsAre(g, FEATS_0, FEATS_1, EMBED, SamOnnx.POINT_COORDS,
			SamOnnx.POINT_LABELS, MASK_INPUT, HAS_MASK_INPUT, ORIG_SIZE) && in(g,
				SamOnnx.POINT_COORDS, F32, -1, -1, 2) && in(g, SamOnnx.POINT_LABELS,
					OnnxJavaType.INT32, -1, -1) && in(g, ORIG_SIZE, OnnxJavaType.INT32, 2) && Graphs
						.outputsInclude(g, SamOnnx.MASKS, SamOnnx.IOU, SamOnnx.LOW_RES);
	}
}

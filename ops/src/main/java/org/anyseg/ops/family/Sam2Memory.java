package org.anyseg.ops.family;

import static org.anyseg.ops.family.Graphs.F32;
import static org.anyseg.ops.family.Graphs.in;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptableModel;

/**
 * SAM 2 exported as four graphs for video (Aimol-l/SAM2Export): image encoder, image
 * decoder, memory attention and memory encoder. It segments single planes like the other
 * families and, in 3D, tracks objects through the slices with SAM 2's memory (see
 * {@code tools/fixtures/SPEC_sam2_memory.md}).
 */
public final class Sam2Memory implements ModelFamily {

	// tensor names of the four graphs (Aimol-l/SAM2Export)
	static final String IMAGE = "image";
	static final String PIX_FEAT = "pix_feat";
	static final String HIGH_RES_FEAT0 = "high_res_feat0";
	static final String HIGH_RES_FEAT1 = "high_res_feat1";
	static final String VISION_FEATS = "vision_feats";
	static final String VISION_POS_EMBED = "vision_pos_embed";
	static final String POINT_COORDS = "point_coords";
	static final String POINT_LABELS = "point_labels";
	static final String FRAME_SIZE = "frame_size";
	static final String IMAGE_EMBED = "image_embed";
	static final String HIGH_RES_FEATS_0 = "high_res_feats_0";
	static final String HIGH_RES_FEATS_1 = "high_res_feats_1";
	static final String OBJ_PTR = "obj_ptr";
	static final String MASK_FOR_MEM = "mask_for_mem";
	static final String PRED_MASK = "pred_mask";
	static final String CURRENT_VISION_FEAT = "current_vision_feat";
	static final String CURRENT_VISION_POS_EMBED = "current_vision_pos_embed";
	static final String MEMORY_0 = "memory_0";
	static final String MEMORY_1 = "memory_1";
	static final String MEMORY_POS_EMBED = "memory_pos_embed";
	static final String MASKMEM_FEATURES = "maskmem_features";
	static final String MASKMEM_POS_ENC = "maskmem_pos_enc";
	static final String TEMPORAL_CODE = "temporal_code";

	static final String[] ENCODER_OUT = { PIX_FEAT, HIGH_RES_FEAT0, HIGH_RES_FEAT1,
		VISION_FEATS, VISION_POS_EMBED };

	@Override
	public String id() {
		return "sam2-memory";
	}

	@Override
	public String name() {
		return "SAM 2 video export (four graphs with memory)";
	}

	@Override
	public String expected() {
		return "four graphs: image_encoder (image float[1,3,1024,1024] -> pix_feat, " +
			"high_res_feat0, high_res_feat1, vision_feats, vision_pos_embed), image_decoder " +
			"(point_coords, point_labels, frame_size int64[2], image_embed, high_res_feats_0, " +
			"high_res_feats_1 -> obj_ptr, mask_for_mem, pred_mask), memory_attention " +
			"(current_vision_feat, current_vision_pos_embed, memory_0, memory_1, " +
			"memory_pos_embed -> image_embed), memory_encoder (mask_for_mem, pix_feat -> " +
			"maskmem_features, maskmem_pos_enc, temporal_code)";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		if (graphs.size() != 4) return Optional.empty();
		OnnxGraph enc = null, dec = null, att = null, mem = null;
		for (final OnnxGraph g : graphs) {
			if (Graphs.inputsAre(g, IMAGE) && in(g, IMAGE, F32, 1, 3, 1024, 1024) && Graphs
				.outputsInclude(g, ENCODER_OUT)) enc = g;
			else if (Graphs.inputsAre(g, POINT_COORDS, POINT_LABELS, FRAME_SIZE,
				IMAGE_EMBED, HIGH_RES_FEATS_0, HIGH_RES_FEATS_1) && Graphs.outputsInclude(g,
					OBJ_PTR, MASK_FOR_MEM, PRED_MASK)) dec = g;
			else if (Graphs.inputsAre(g, CURRENT_VISION_FEAT, CURRENT_VISION_POS_EMBED,
				MEMORY_0, MEMORY_1, MEMORY_POS_EMBED) && Graphs.outputsInclude(g,
					IMAGE_EMBED)) att = g;
			else if (Graphs.inputsAre(g, MASK_FOR_MEM, PIX_FEAT) && Graphs.outputsInclude(g,
				MASKMEM_FEATURES, MASKMEM_POS_ENC, TEMPORAL_CODE)) mem = g;
		}
		if (enc == null || dec == null || att == null || mem == null) return Optional.empty();
		return Optional.of(new Sam2MemoryModel(id(), enc, dec, att, mem, Sam2Model.recipe(
			config)));
	}
}

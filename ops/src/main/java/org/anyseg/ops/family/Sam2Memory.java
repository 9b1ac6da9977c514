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

	static final String[] ENCODER_OUT = { "pix_feat", "high_res_feat0", "high_res_feat1",
		"vision_feats", "vision_pos_embed" };

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
			if (Graphs.inputsAre(g, "image") && in(g, "image", F32, 1, 3, 1024, 1024) && Graphs
				.outputsInclude(g, ENCODER_OUT)) enc = g;
			else if (Graphs.inputsAre(g, "point_coords", "point_labels", "frame_size",
				"image_embed", "high_res_feats_0", "high_res_feats_1") && Graphs.outputsInclude(g,
					"obj_ptr", "mask_for_mem", "pred_mask")) dec = g;
			else if (Graphs.inputsAre(g, "current_vision_feat", "current_vision_pos_embed",
				"memory_0", "memory_1", "memory_pos_embed") && Graphs.outputsInclude(g,
					"image_embed")) att = g;
			else if (Graphs.inputsAre(g, "mask_for_mem", "pix_feat") && Graphs.outputsInclude(g,
				"maskmem_features", "maskmem_pos_enc", "temporal_code")) mem = g;
		}
		if (enc == null || dec == null || att == null || mem == null) return Optional.empty();
		return Optional.of(new Sam2MemoryModel(id(), enc, dec, att, mem, Sam2Model.recipe(
			config)));
	}
}

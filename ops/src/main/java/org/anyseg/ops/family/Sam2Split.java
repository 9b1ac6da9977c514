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

/**
 * Family B: SAM 2 / 2.1 split into an image encoder and a prompt decoder, as exported by
 * samexporter and similar community tools. The decoder adds the padding point itself and
 * returns three low-res masks that the caller upsamples.
 */
public final class Sam2Split implements ModelFamily {

	static final String IMAGE = "image";
	static final String FEATS_0 = "high_res_feats_0";
	static final String FEATS_1 = "high_res_feats_1";
	static final String EMBED = "image_embed";
	static final String MASK_INPUT = "mask_input";
	static final String HAS_MASK_INPUT = "has_mask_input";

	@Override
	public String id() {
		return "sam2";
	}

	@Override
	public String name() {
		return "SAM 2 split export (samexporter)";
	}

	@Override
	public String expected() {
		return "an encoder with input image float[1,3,1024,1024] and outputs high_res_feats_0 " +
			"float[1,32,256,256], high_res_feats_1 float[1,64,128,128], image_embed " +
			"float[1,256,64,64]; a decoder with inputs image_embed, high_res_feats_0, " +
			"high_res_feats_1, point_coords float[L,N,2], point_labels float[L,N], mask_input " +
			"float[L,1,256,256], has_mask_input float[L] and outputs masks, iou_predictions";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		return Graphs.pair(graphs, Sam2Split::isEncoder, Sam2Split::isDecoder).map(
			p -> new Sam2Model(id(), p[0], p[1], Sam2Model.recipe(config), Sam2Model.Names.SPLIT));
	}

	static boolean isEncoder(final OnnxGraph g) {
		return g.inputs().size() == 1 && in(g, IMAGE, F32, 1, 3, 1024, 1024) && out(g, FEATS_0,
			F32, 1, 32, 256, 256) && out(g, FEATS_1, F32, 1, 64, 128, 128) && out(g, EMBED, F32, 1,
				256, 64, 64);
	}

	static boolean isDecoder(final OnnxGraph g) {
		return Graphs.inputsAre(g, EMBED, FEATS_0, FEATS_1, SamOnnx.POINT_COORDS,
			SamOnnx.POINT_LABELS, MASK_INPUT, HAS_MASK_INPUT) && in(g, SamOnnx.POINT_COORDS, F32,
				-1, -1, 2) && in(g, SamOnnx.POINT_LABELS, F32, -1, -1) && in(g, MASK_INPUT, F32, -1,
					1, 256, 256) && Graphs.outputsInclude(g, SamOnnx.MASKS, SamOnnx.IOU);
	}
}

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
 * EdgeSAM ({@code chongzhou96/EdgeSAM}'s export): SAM's preprocessing and prompt frame, no
 * padding point, no mask input; the decoder returns {@code scores} and four low-res
 * {@code masks} that the caller unpads and resizes. Non-commercial licence (S-Lab).
 */
public final class EdgeSam implements ModelFamily {

	static final String IMAGE = "image";

	@Override
	public String id() {
		return "edgesam";
	}

	@Override
	public String name() {
		return "EdgeSAM";
	}

	@Override
	public String expected() {
		return "an encoder with input image float[1,3,1024,1024] and output image_embeddings " +
			"float[1,256,64,64]; a decoder with inputs image_embeddings, point_coords " +
			"float[1,N,2], point_labels float[1,N] and outputs scores, masks";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		return Graphs.pair(graphs, g -> Graphs.inputsAre(g, IMAGE) && in(g, IMAGE, F32, 1, 3, 1024,
			1024) && g.outputs().size() == 1 && Graphs.out(g, SamOnnx.EMBEDDINGS, F32, 1, 256, 64,
				64), g -> LowResDecoderModel.isDecoder(g, SamOnnx.SCORES)).map(
					p -> new LowResDecoderModel(id(), p[0], p[1], InputRecipe.sam(1024),
						SamOnnx.SCORES));
	}
}

package org.anyseg.ops.family;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.ModelFrame;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptFrame;
import org.anyseg.ops.model.PromptableModel;

import ai.onnxruntime.OrtException;

/**
 * LiteMedSAM (MedSAM-Lite) as exported for the CVPR 2024 "MedSAM on laptop" challenge: SAM's
 * decoder interface behind a 256x256 encoder. The long side is resized to 256, min-max
 * scaled to 0..1 and zero-padded; the box is scaled by {@code 256 / max(H, W)}; the low-res
 * logits are cropped to the resized image and resized to the image
 * ({@code CVPR24_LiteMedSAM_infer.py}). Points are refused.
 */
public final class LiteMedSam implements ModelFamily {

	static final int SIDE = 256;

	@Override
	public String id() {
		return "litemedsam";
	}

	@Override
	public String name() {
		return "LiteMedSAM (SAM decoder export, 256 input)";
	}

	@Override
	public String expected() {
		return "an encoder with input input_image float[1,3,256,256] and output " +
			"image_embeddings float[1,256,64,64], and a decoder of family sam";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		InputRecipe r = new InputRecipe(InputRecipe.Geometry.LONG_SIDE_PAD, SIDE,
			InputRecipe.Values.MINMAX);
		if (config.normalization() != null) r = r.withValues(InputRecipe.Values.parse(config
			.normalization()));
		final InputRecipe recipe = r;
		return Graphs.pair(graphs, LiteMedSam::isEncoder, SamOnnx::isDecoder).map(p -> new Model(
			id(), p[0], p[1], recipe));
	}

	static boolean isEncoder(final OnnxGraph g) {
		return g.inputs().size() == 1 && Graphs.in(g, SamOnnx.ENC_IN, Graphs.F32, 1, 3, SIDE,
			SIDE) && Graphs.out(g, SamOnnx.EMBEDDINGS, Graphs.F32, 1, 256, SamOnnx.EMBED_SIDE,
				SamOnnx.EMBED_SIDE);
	}

	private static final class Model extends SamOnnxModel {

		Model(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
			final InputRecipe recipe)
		{
			super(family, encoder, decoder, recipe, "LiteMedSAM");
		}

		@Override
		protected PromptFrame frame(final int width, final int height) {
			return PromptFrame.scaled((double) SIDE / Math.max(width, height));
		}

		@Override
		protected List<MaskCandidate> candidates(final Outputs out, final int width,
			final int height) throws OrtException
		{
			final ModelFrame frame = new ModelFrame(width, height, SIDE);
			return fromLowRes(out.floats(SamOnnx.LOW_RES), ious(out), SamOnnx.MASK_SIDE, width,
				height, p -> LowResMasks.unpad(p, SamOnnx.MASK_SIDE, frame));
		}
	}
}

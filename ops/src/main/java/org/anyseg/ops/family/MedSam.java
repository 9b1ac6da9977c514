package org.anyseg.ops.family;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptFrame;
import org.anyseg.ops.model.PromptableModel;

import ai.onnxruntime.OrtException;

/**
 * MedSAM: a SAM ViT-B fine-tuned on medical images, exported with SAM's decoder interface,
 * so it is chosen through {@code anyseg-model.json} ({@code "family": "medsam"}), never by
 * detection. Its image is stretched to 1024x1024 and min-max scaled to 0..1, the box is
 * scaled per axis, and the mask is {@code sigmoid(low-res logits)} resized to the image
 * (MedSAM's {@code medsam_inference}); points are refused.
 */
public final class MedSam implements ModelFamily {

	@Override
	public String id() {
		return "medsam";
	}

	@Override
	public String name() {
		return "MedSAM (SAM decoder export, chosen by anyseg-model.json)";
	}

	@Override
	public String expected() {
		return "the files of family sam (SAM decoder export) with an encoder input " +
			"input_image float[1,3,S,S], and anyseg-model.json naming family medsam";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		if (!id().equals(config.family())) return Optional.empty();
		return Graphs.pair(graphs, g -> g.inputs().size() == 1 && Graphs.in(g, SamOnnx.ENC_IN,
			Graphs.F32, 1, 3, -1, -1) && Graphs.outputsInclude(g, SamOnnx.EMBEDDINGS),
			SamOnnx::isDecoder).map(p -> new Model(id(), p[0], p[1], recipe(p[0], config)));
	}

	private static InputRecipe recipe(final OnnxGraph encoder, final ModelConfig config) {
		final long side = encoder.input(SamOnnx.ENC_IN).shape()[3];
		InputRecipe r = new InputRecipe(InputRecipe.Geometry.STRETCH, side > 0 ? (int) side
			: SamOnnx.LONG_SIDE, InputRecipe.Values.MINMAX);
		if (config.inputSize() != null) r = r.withSide(config.inputSize());
		if (config.normalization() != null) r = r.withValues(InputRecipe.Values.parse(config
			.normalization()));
		return r;
	}

	private static final class Model extends SamOnnxModel {

		Model(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
			final InputRecipe recipe)
		{
			super(family, encoder, decoder, recipe, "MedSAM");
		}

		@Override
		protected PromptFrame frame(final int width, final int height) {
			return PromptFrame.stretched(width, height, recipe.side());
		}

		@Override
		protected List<MaskCandidate> candidates(final Outputs out, final int width,
			final int height) throws OrtException
		{
			return fromLowRes(out.floats(SamOnnx.LOW_RES), ious(out), SamOnnx.MASK_SIDE, width,
				height, p -> {
					LowResMasks.sigmoid(p);
					final float[] up = LowResMasks.stretch(p, SamOnnx.MASK_SIDE, width, height);
					LowResMasks.logit(up);
					return up;
				});
		}
	}
}

package org.anyseg.ops.family;

import java.util.List;
import java.util.Optional;

import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelFamily;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.TensorSpec;

/**
 * EfficientViT-SAM ({@code mit-han-lab/efficientvit}'s ONNX export): SAM preprocessing at
 * the encoder's side (512 for L0-L2, 1024 for XL0-XL1), prompts in the 1024 long-side frame
 * whatever the encoder side, no padding point, no mask input; low-res masks (four, or one
 * with {@code --return-single-mask}) unpadded and resized by the caller.
 */
public final class EfficientVitSam implements ModelFamily {

	@Override
	public String id() {
		return "efficientvit-sam";
	}

	@Override
	public String name() {
		return "EfficientViT-SAM";
	}

	@Override
	public String expected() {
		return "an encoder with input input_image float[B,3,512,512] or [B,3,1024,1024] and " +
			"output image_embeddings float[B,256,64,64]; a decoder with inputs " +
			"image_embeddings, point_coords float[B,N,2], point_labels float[B,N] and outputs " +
			"masks, iou_predictions";
	}

	@Override
	public Optional<PromptableModel> bind(final List<OnnxGraph> graphs,
		final ModelConfig config)
	{
		return Graphs.pair(graphs, EfficientVitSam::isEncoder, g -> LowResDecoderModel.isDecoder(
			g, SamOnnx.IOU)).map(p -> {
				final int side = config.inputSize() != null ? config.inputSize() : (int) p[0].input(
					SamOnnx.ENC_IN).shape()[3];
				return new LowResDecoderModel(id(), p[0], p[1], InputRecipe.sam(side), SamOnnx.IOU);
			});
	}

	static boolean isEncoder(final OnnxGraph g) {
		final TensorSpec in = g.input(SamOnnx.ENC_IN);
		return g.inputs().size() == 1 && in != null && (in.matches(Graphs.F32, -1, 3, 512,
			512) || in.matches(Graphs.F32, -1, 3, 1024, 1024)) && in.shape()[3] > 0 && Graphs.out(g,
				SamOnnx.EMBEDDINGS, Graphs.F32, -1, 256, 64, 64);
	}
}

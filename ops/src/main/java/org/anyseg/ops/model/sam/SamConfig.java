package org.anyseg.ops.model.sam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;

/**
 * The shape of a Segment Anything model (Meta's {@code ImageEncoderViT}, {@code PromptEncoder}
 * and {@code MaskDecoder}), recognised from a state dict's tensor shapes alone:
 * <ul>
 * <li>encoder width {@code C}: {@code patch_embed.proj.weight[0]}; patch side: its last
 * dimension; embedding grid {@code G}: {@code pos_embed[1]} (image side = G x patch);</li>
 * <li>depth: the number of {@code blocks.N}; per block, the rows of {@code rel_pos_h}: 2G-1 for
 * global attention, 2w-1 for windows of side w; head width: its second dimension (heads =
 * C / head width); MLP width: {@code mlp.lin1.weight[0]};</li>
 * <li>prompt width {@code P}: {@code neck.0.weight[0]}; mask-input channels:
 * {@code mask_downscaling.3.weight[0]};</li>
 * <li>decoder: depth = number of {@code transformer.layers.N}, MLP width from
 * {@code mlp.lin1}, cross-attention width from {@code cross_attn_token_to_image.q_proj};
 * mask tokens from {@code mask_tokens.weight[0]}; IoU head depth and width from its
 * layers. The decoder's head count is not in the shapes: 8, as in every published SAM.</li>
 * </ul>
 * ViT-B, ViT-L and ViT-H are named when width, depth and global blocks are theirs;
 * fine-tunes of them (MedSAM, micro-sam) have the same shapes.
 */
public record SamConfig(int width, int patch, int grid, int depth, int heads, int mlpWidth,
	int window, List<Integer> globalBlocks, int promptWidth, int maskInChannels,
	int decoderDepth, int decoderMlpWidth, int crossWidth, int decoderHeads, int maskTokens,
	int iouDepth, int iouWidth)
{

	static final String ENC = "image_encoder.";
	static final String PROMPT = "prompt_encoder.";
	static final String DEC = "mask_decoder.";

	public SamConfig {
		globalBlocks = List.copyOf(globalBlocks);
	}

	/** The side of the square input image (1024 for every published SAM). */
	public int imageSide() {
		return grid * patch;
	}

	/** ViT-B, ViT-L, ViT-H or a custom size. */
	public String variant() {
		if (depth == 12 && width == 768 && globalBlocks.equals(List.of(2, 5, 8, 11))) {
			return "vit_b";
		}
		if (depth == 24 && width == 1024 && globalBlocks.equals(List.of(5, 11, 17, 23))) {
			return "vit_l";
		}
		if (depth == 32 && width == 1280 && globalBlocks.equals(List.of(7, 15, 23, 31))) {
			return "vit_h";
		}
		return "custom (width " + width + ", depth " + depth + ", global blocks " +
			globalBlocks + ")";
	}

	/** Whether the keys are a SAM state dict's (Meta's names). */
	static boolean claims(final Map<String, long[]> shapes) {
		return shapes.containsKey(ENC + "patch_embed.proj.weight") && shapes.containsKey(
			DEC + "mask_tokens.weight");
	}

	/**
	 * Recognises the configuration.
	 *
	 * @throws AnySegException naming the first key that is missing or has an unexpected
	 *           rank
	 */
	public static SamConfig recognise(final Map<String, long[]> shapes) {
		final long[] pe = need(shapes, ENC + "patch_embed.proj.weight", 4);
		final int width = (int) pe[0], patch = (int) pe[3];
		final long[] pos = need(shapes, ENC + "pos_embed", 4);
		final int grid = (int) pos[1];
		final int depth = count(shapes, ENC + "blocks.", ".norm1.weight");
		if (depth == 0) throw new AnySegException("The checkpoint has no image encoder blocks " +
			"(image_encoder.blocks.N); it is not a Segment Anything ViT.");
		final List<Integer> global = new ArrayList<>();
		int window = 0, headWidth = 0;
		for (int i = 0; i < depth; i++) {
			final long[] rel = need(shapes, ENC + "blocks." + i + ".attn.rel_pos_h", 2);
			headWidth = (int) rel[1];
			if (rel[0] == 2L * grid - 1) global.add(i);
			else if (window == 0) window = (int) (rel[0] + 1) / 2;
			else if (rel[0] != 2L * window - 1) {
				throw new AnySegException("Block " + i + " of the image encoder has relative " +
					"positions for windows of " + (rel[0] + 1) / 2 + " but block 0 for " + window +
					"; AnySeg expects one window size.");
			}
		}
		if (headWidth <= 0 || width % headWidth != 0) {
			throw new AnySegException("The image encoder's width " + width + " is not a multiple " +
				"of its head width " + headWidth + " (from rel_pos_h); not a SAM ViT.");
		}
		final int mlp = (int) need(shapes, ENC + "blocks.0.mlp.lin1.weight", 2)[0];
		final int prompt = (int) need(shapes, ENC + "neck.0.weight", 4)[0];
		final int maskIn = (int) need(shapes, PROMPT + "mask_downscaling.3.weight", 4)[0];
		final String t = DEC + "transformer.layers.";
		final int decDepth = count(shapes, t, ".norm1.weight");
		if (decDepth == 0) throw new AnySegException("The checkpoint's mask decoder has no " +
			"transformer layers (mask_decoder.transformer.layers.N).");
		final int decMlp = (int) need(shapes, t + "0.mlp.lin1.weight", 2)[0];
		final int cross = (int) need(shapes, t + "0.cross_attn_token_to_image.q_proj.weight",
			2)[0];
		final int tokens = (int) need(shapes, DEC + "mask_tokens.weight", 2)[0];
		final int iouDepth = count(shapes, DEC + "iou_prediction_head.layers.", ".weight");
		final int iouWidth = (int) need(shapes, DEC + "iou_prediction_head.layers.0.weight",
			2)[0];
		if (window == 0) window = 14;
		return new SamConfig(width, patch, grid, depth, width / headWidth, mlp, window, global,
			prompt, maskIn, decDepth, decMlp, cross, 8, tokens, iouDepth, iouWidth);
	}

	private static long[] need(final Map<String, long[]> shapes, final String key,
		final int rank)
	{
		final long[] s = shapes.get(key);
		if (s == null) {
			throw new AnySegException("The checkpoint has no tensor '" + key + "'; it is not a " +
				"Segment Anything model of the plain SAM architecture.");
		}
		if (s.length != rank || Arrays.stream(s).anyMatch(d -> d <= 0 || d > 1 << 20)) {
			throw new AnySegException("Tensor '" + key + "' has shape " + Arrays.toString(s) +
				"; a SAM checkpoint has a rank-" + rank + " tensor there.");
		}
		return s;
	}

	private static int count(final Map<String, long[]> shapes, final String prefix,
		final String suffix)
	{
		int n = 0;
		while (shapes.containsKey(prefix + n + suffix)) n++;
		return n;
	}
}

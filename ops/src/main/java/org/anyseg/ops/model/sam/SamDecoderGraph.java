package org.anyseg.ops.model.sam;

import org.anyseg.ops.model.graph.OnnxGraphBuilder;
import org.anyseg.ops.model.graph.OnnxGraphBuilder.Attr;

/**
 * SAM's prompt encoder and mask decoder as one ONNX graph with the interface of Meta's own
 * ONNX export ({@code SamOnnxModel}, all four masks): inputs {@code image_embeddings},
 * {@code point_coords [1,N,2]} (resized-image pixels), {@code point_labels [1,N]} (1, 0, 2/3
 * box corners, -1 padding), {@code mask_input [1,1,256,256]}, {@code has_mask_input [1]},
 * {@code orig_im_size [2]}; outputs {@code masks [1,4,H,W]} (logits at the image size),
 * {@code iou_predictions [1,4]}, {@code low_res_masks [1,4,256,256]}. Batch 1, tokens as rows.
 */
final class SamDecoderGraph {

	private static final float LN2D_EPS = 1e-6f, LN_EPS = 1e-5f;

	private final SamConfig c;
	private final OnnxGraphBuilder b = new OnnxGraphBuilder("sam_mask_decoder", 17);
	private final Layers l = new Layers(b);

	SamDecoderGraph(final SamConfig config) {
		this.c = config;
	}

	OnnxGraphBuilder build() {
		final int p = c.promptWidth(), g = c.grid(), side = c.imageSide(), low = 4 * g;
		final String emb = b.input("image_embeddings", OnnxGraphBuilder.FLOAT, 1, p, g, g);
		final String coords = b.input("point_coords", OnnxGraphBuilder.FLOAT, 1, -1, 2);
		final String labels = b.input("point_labels", OnnxGraphBuilder.FLOAT, 1, -1);
		final String maskIn = b.input("mask_input", OnnxGraphBuilder.FLOAT, 1, 1, low, low);
		final String hasMask = b.input("has_mask_input", OnnxGraphBuilder.FLOAT, 1);
		final String orig = b.input("orig_im_size", OnnxGraphBuilder.FLOAT, 2);

		// sparse prompt embeddings [N, P]
		final String xy = l.reshape(coords, -1, 2);
		final String pts = pe(b.op("Div", l.add(xy, b.scalar(0.5f)), b.scalar(side)));
		final String lab = l.reshape(labels, -1, 1);
		String sparse = l.mul(pts, mask(b.op1("Not", equal(lab, -1))));
		sparse = l.add(sparse, l.mul(b.weight(SamConfig.PROMPT + "not_a_point_embed.weight", 1,
			p), mask(equal(lab, -1))));
		for (int i = 0; i < 4; i++) {
			sparse = l.add(sparse, l.mul(b.weight(SamConfig.PROMPT + "point_embeddings." + i +
				".weight", 1, p), mask(equal(lab, i))));
		}

		// dense prompt embedding [1, P, G, G]
		final String has = l.reshape(hasMask, 1, 1, 1, 1);
		final String dense = l.add(l.mul(has, maskDownscaling(maskIn)), l.mul(b.op("Sub", b
			.scalar(1), has), l.reshape(b.weight(SamConfig.PROMPT + "no_mask_embed.weight", 1, p),
				1, p, 1, 1)));

		// two-way transformer on token rows
		final int tokens = c.maskTokens();
		final String outTokens = l.concat(0, b.weight(SamConfig.DEC + "iou_token.weight", 1, p),
			b.weight(SamConfig.DEC + "mask_tokens.weight", tokens, p));
		final String queriesPe = l.concat(0, outTokens, sparse);
		final long hw = (long) g * g;
		final String keys0 = l.transpose(l.reshape(l.add(emb, dense), p, hw), 1, 0);
		final String keyPe = densePe();
		String q = queriesPe, k = keys0;
		final String t = SamConfig.DEC + "transformer.";
		for (int i = 0; i < c.decoderDepth(); i++) {
			final String key = t + "layers." + i;
			if (i == 0) q = attention(q, q, q, key + ".self_attn", p);
			else {
				final String qq = l.add(q, queriesPe);
				q = l.add(q, attention(qq, qq, q, key + ".self_attn", p));
			}
			q = l.layerNorm(q, key + ".norm1", p, LN_EPS);
			q = l.add(q, attention(l.add(q, queriesPe), l.add(k, keyPe), k, key +
				".cross_attn_token_to_image", c.crossWidth()));
			q = l.layerNorm(q, key + ".norm2", p, LN_EPS);
			q = l.add(q, l.linear(l.relu(l.linear(q, key + ".mlp.lin1", p, c.decoderMlpWidth())),
				key + ".mlp.lin2", c.decoderMlpWidth(), p));
			q = l.layerNorm(q, key + ".norm3", p, LN_EPS);
			final String qp = l.add(q, queriesPe), kp = l.add(k, keyPe);
			k = l.add(k, attention(kp, qp, q, key + ".cross_attn_image_to_token", c.crossWidth()));
			k = l.layerNorm(k, key + ".norm4", p, LN_EPS);
		}
		q = l.add(q, attention(l.add(q, queriesPe), l.add(k, keyPe), k, t +
			"final_attn_token_to_image", c.crossWidth()));
		q = l.layerNorm(q, t + "norm_final_attn", p, LN_EPS);

		// masks from the upscaled image embedding and the hypernetworks
		final String src = l.reshape(l.transpose(k, 1, 0), 1, p, g, g);
		final String d = SamConfig.DEC + "output_upscaling.";
		String up = l.convTranspose(src, d + "0", p, p / 4, 2);
		up = l.gelu(l.layerNorm2d(up, d + "1", p / 4, LN2D_EPS));
		up = l.gelu(l.convTranspose(up, d + "3", p / 4, p / 8, 2));
		final String[] hyper = new String[tokens];
		for (int i = 0; i < tokens; i++) {
			final String tok = l.slice(q, 0, 1 + i, 2 + i);
			hyper[i] = mlp(tok, SamConfig.DEC + "output_hypernetworks_mlps." + i, new int[] { p,
				p, p, p / 8 });
		}
		final String lowRes = l.reshape(l.matmul(l.concat(0, hyper), l.reshape(up, p / 8,
			(long) low * low)), 1, tokens, low, low);
		final int[] iouDims = new int[c.iouDepth() + 1];
		iouDims[0] = p;
		for (int i = 1; i < c.iouDepth(); i++) iouDims[i] = c.iouWidth();
		iouDims[c.iouDepth()] = tokens;
		final String iou = mlp(l.slice(q, 0, 0, 1), SamConfig.DEC + "iou_prediction_head",
			iouDims);

		b.output("masks", postprocess(lowRes, orig, side), OnnxGraphBuilder.FLOAT, 1, tokens,
			-1, -1);
		b.output("iou_predictions", iou, OnnxGraphBuilder.FLOAT, 1, tokens);
		b.output("low_res_masks", lowRes, OnnxGraphBuilder.FLOAT, 1, tokens, low, low);
		return b;
	}

	/** {@code PositionEmbeddingRandom._pe_encoding} of coordinates in 0..1, rows {@code [n,2]}. */
	private String pe(final String xy01) {
		final String gauss = b.weight(SamConfig.PROMPT + "pe_layer.positional_encoding_" +
			"gaussian_matrix", 2, c.promptWidth() / 2);
		final String t = l.mul(l.matmul(b.op("Sub", l.mul(xy01, b.scalar(2)), b.scalar(1)),
			gauss), b.scalar((float) (2 * Math.PI)));
		return l.concat(-1, b.op1("Sin", t), b.op1("Cos", t));
	}

	/** {@code get_dense_pe()} as key rows {@code [G*G, P]}: the encoding of pixel centres. */
	private String densePe() {
		final int g = c.grid();
		final float[] xy = new float[g * g * 2];
		for (int y = 0; y < g; y++) {
			for (int x = 0; x < g; x++) {
				xy[2 * (y * g + x)] = (x + 0.5f) / g;
				xy[2 * (y * g + x) + 1] = (y + 0.5f) / g;
			}
		}
		return pe(b.floats(xy, (long) g * g, 2));
	}

	private String equal(final String labels, final float v) {
		return b.op("Equal", labels, b.scalar(v));
	}

	private String mask(final String bool) {
		return b.op1("Cast", bool, Attr.i("to", OnnxGraphBuilder.FLOAT));
	}

	/** {@code prompt_encoder.mask_downscaling} of {@code [1,1,4G,4G]} to {@code [1,P,G,G]}. */
	private String maskDownscaling(final String m) {
		final String k = SamConfig.PROMPT + "mask_downscaling.";
		final int ch = c.maskInChannels();
		String x = l.conv(m, k + "0", ch / 4, 1, 2, 2, 0, true);
		x = l.gelu(l.layerNorm2d(x, k + "1", ch / 4, LN2D_EPS));
		x = l.conv(x, k + "3", ch, ch / 4, 2, 2, 0, true);
		x = l.gelu(l.layerNorm2d(x, k + "4", ch, LN2D_EPS));
		return l.conv(x, k + "6", c.promptWidth(), ch, 1, 1, 0, true);
	}

	/** The decoder's {@code Attention} with its {@code 8} heads, rows in and out. */
	private String attention(final String q, final String k, final String v, final String key,
		final int inner)
	{
		final int p = c.promptWidth(), heads = c.decoderHeads(), hd = inner / heads;
		final String qh = heads(l.linear(q, key + ".q_proj", p, inner), heads, hd);
		final String kh = heads(l.linear(k, key + ".k_proj", p, inner), heads, hd);
		final String vh = heads(l.linear(v, key + ".v_proj", p, inner), heads, hd);
		final String s = l.softmax(l.mul(l.matmul(qh, l.transpose(kh, 0, 2, 1)), b.scalar(
			(float) (1 / Math.sqrt(hd)))));
		final String o = l.reshape(l.transpose(l.matmul(s, vh), 1, 0, 2), -1, inner);
		return l.linear(o, key + ".out_proj", inner, p);
	}

	private String heads(final String rows, final int heads, final int hd) {
		return l.transpose(l.reshape(rows, -1, heads, hd), 1, 0, 2);
	}

	/** SAM's {@code MLP}: linear layers with ReLU between them. */
	private String mlp(final String x, final String key, final int[] dims) {
		String y = x;
		for (int i = 0; i + 1 < dims.length; i++) {
			y = l.linear(y, key + ".layers." + i, dims[i], dims[i + 1]);
			if (i + 2 < dims.length) y = l.relu(y);
		}
		return y;
	}

	/**
	 * {@code SamOnnxModel.mask_postprocessing}: bilinear to the padded input side, crop to the
	 * resized image, bilinear to the original size (half-pixel centres, as
	 * {@code align_corners=False}).
	 */
	private String postprocess(final String lowRes, final String orig, final int side) {
		final String full = resize(lowRes, b.shape(1, c.maskTokens(), side, side));
		final String scale = b.op("Div", b.scalar(side), b.op1("ReduceMax", orig, Attr.i(
			"keepdims", 1)));
		final String pre = b.op1("Cast", b.op1("Floor", l.add(l.mul(orig, scale), b.scalar(
			0.5f))), Attr.i("to", OnnxGraphBuilder.INT64));
		final String cropped = b.op("Slice", new String[] { full, b.shape(0, 0), pre, b.shape(2,
			3) });
		final String size = l.concat(0, b.shape(1, c.maskTokens()), b.op1("Cast", orig, Attr.i(
			"to", OnnxGraphBuilder.INT64)));
		return resize(cropped, size);
	}

	private String resize(final String x, final String sizes) {
		return b.op("Resize", new String[] { x, "", "", sizes }, Attr.s("mode", "linear"), Attr
			.s("coordinate_transformation_mode", "pytorch_half_pixel"));
	}
}

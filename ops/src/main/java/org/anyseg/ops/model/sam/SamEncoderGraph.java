package org.anyseg.ops.model.sam;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.model.graph.OnnxGraphBuilder;
import org.anyseg.ops.model.graph.OnnxGraphBuilder.Attr;

/**
 * SAM's image encoder ({@code ImageEncoderViT}) as an ONNX graph: input {@code input_image}
 * {@code [1,3,S,S]} (normalised and padded, as {@code SamPredictor} makes it), output
 * {@code image_embeddings} {@code [1,P,G,G]}.
 * <p>
 * Memory-lean: global attention is computed for a few rows of the token grid at a time
 * ({@code chunkRows}), with the decomposed relative positions sliced to those rows, so no
 * {@code [heads, G*G, G*G]} tensor is ever whole. The nodes of one chunk are written before
 * the next chunk's, which makes ONNX Runtime finish a chunk (and free its scores) before
 * starting the next.
 */
final class SamEncoderGraph {

	static final String INPUT = "input_image";
	static final String OUTPUT = "image_embeddings";
	private static final float EPS = 1e-6f;

	private final SamConfig c;
	private final int chunkRows;
	private final OnnxGraphBuilder b = new OnnxGraphBuilder("sam_image_encoder", 17);
	private final Layers l = new Layers(b);

	/** @param chunkRows grid rows per chunk of global attention; 0 for none (whole) */
	SamEncoderGraph(final SamConfig config, final int chunkRows) {
		this.c = config;
		this.chunkRows = chunkRows;
	}

	OnnxGraphBuilder build() {
		final int g = c.grid(), w = c.width();
		final String x0 = b.input(INPUT, OnnxGraphBuilder.FLOAT, 1, 3, c.imageSide(), c
			.imageSide());
		String x = l.conv(x0, SamConfig.ENC + "patch_embed.proj", w, 3, c.patch(), c.patch(), 0,
			true);
		x = l.add(l.transpose(x, 0, 2, 3, 1), b.weight(SamConfig.ENC + "pos_embed", 1, g, g, w));
		x = l.reshape(x, (long) g * g, w);
		for (int i = 0; i < c.depth(); i++) x = block(x, i);
		String y = l.transpose(l.reshape(x, 1, g, g, w), 0, 3, 1, 2);
		final int p = c.promptWidth();
		final String neck = SamConfig.ENC + "neck.";
		y = l.conv(y, neck + "0", p, w, 1, 1, 0, false);
		y = l.layerNorm2d(y, neck + "1", p, EPS);
		y = l.conv(y, neck + "2", p, p, 3, 1, 1, false);
		y = l.layerNorm2d(y, neck + "3", p, EPS);
		b.output(OUTPUT, y, OnnxGraphBuilder.FLOAT, 1, p, g, g);
		return b;
	}

	/** One ViT block on the token rows {@code [G*G, C]}. */
	private String block(final String x, final int i) {
		final String key = SamConfig.ENC + "blocks." + i;
		final int g = c.grid(), w = c.width();
		final String h = l.layerNorm(x, key + ".norm1", w, EPS);
		final String a;
		if (c.globalBlocks().contains(i)) {
			a = attention(h, key + ".attn", 1, g, g);
		}
		else {
			final int ws = c.window(), nw = (g + ws - 1) / ws, gp = nw * ws;
			String t = l.reshape(h, g, g, w);
			if (gp != g) {
				t = b.op("Pad", t, b.shape(0, 0, 0, gp - g, gp - g, 0));
			}
			t = l.reshape(l.transpose(l.reshape(t, nw, ws, nw, ws, w), 0, 2, 1, 3, 4), (long) gp *
				gp, w);
			t = attention(t, key + ".attn", nw * nw, ws, ws);
			t = l.reshape(l.transpose(l.reshape(t, nw, nw, ws, ws, w), 0, 2, 1, 3, 4), gp, gp, w);
			if (gp != g) t = l.slice(l.slice(t, 0, 0, g), 1, 0, g);
			a = l.reshape(t, (long) g * g, w);
		}
		final String x1 = l.add(x, a);
		final String m = l.layerNorm(x1, key + ".norm2", w, EPS);
		final String mlp = l.linear(l.gelu(l.linear(m, key + ".mlp.lin1", w, c.mlpWidth())),
			key + ".mlp.lin2", c.mlpWidth(), w);
		return l.add(x1, mlp);
	}

	/**
	 * Multi-head attention with decomposed relative positions over {@code batch} windows of
	 * {@code sh x sw} tokens, rows {@code [batch*sh*sw, C]} in and out.
	 */
	private String attention(final String x, final String key, final int batch, final int sh,
		final int sw)
	{
		final int w = c.width(), heads = c.heads(), hd = w / heads, bh = batch * heads;
		final long t = (long) sh * sw;
		String qkv = l.linear(x, key + ".qkv", w, 3 * w);
		qkv = l.reshape(l.transpose(l.reshape(qkv, batch, t, 3, heads, hd), 2, 0, 3, 1, 4), 3,
			bh, t, hd);
		final String q = l.pick(qkv, 0), k = l.pick(qkv, 1), v = l.pick(qkv, 2);
		final String kt = l.transpose(k, 0, 2, 1);
		final String relH = relPos(key + ".rel_pos_h", sh, hd);
		final String relW = relPos(key + ".rel_pos_w", sw, hd);
		final float scale = (float) (1 / Math.sqrt(hd));
		final int rows = chunkRows <= 0 || chunkRows >= sh ? sh : chunkRows;
		final List<String> outs = new ArrayList<>();
		for (int r0 = 0; r0 < sh; r0 += rows) {
			final int r1 = Math.min(sh, r0 + rows), n = r1 - r0;
			final String qc = rows == sh ? q : l.slice(q, 1, (long) r0 * sw, (long) r1 * sw);
			final String rh = rows == sh ? relH : l.slice(relH, 0, r0, r1);
			String s = l.matmul(l.mul(qc, b.scalar(scale)), kt);
			final String rq = l.reshape(qc, bh, n, sw, hd);
			final String eh = b.op("Einsum", rq, rh, Attr.s("equation", "bhwc,hkc->bhwk"));
			final String ew = b.op("Einsum", rq, relW, Attr.s("equation", "bhwc,wkc->bhwk"));
			s = l.reshape(s, bh, n, sw, sh, sw);
			s = l.add(l.add(s, b.op("Unsqueeze", eh, b.shape(4))), b.op("Unsqueeze", ew, b.shape(
				3)));
			s = l.softmax(l.reshape(s, bh, (long) n * sw, t));
			outs.add(l.matmul(s, v));
		}
		final String o = outs.size() == 1 ? outs.get(0) : l.concat(1, outs.toArray(String[]::new));
		final String rows2 = l.reshape(l.transpose(l.reshape(o, batch, heads, sh, sw, hd), 0, 2,
			3, 1, 4), batch * t, w);
		return l.linear(rows2, key + ".proj", w, w);
	}

	/**
	 * {@code get_rel_pos}: the table rows for every query and key position,
	 * {@code [size, size, hd]}, gathered at {@code q - k + size - 1}.
	 */
	private String relPos(final String key, final int size, final int hd) {
		final long[] idx = new long[size * size];
		for (int i = 0; i < size; i++) {
			for (int j = 0; j < size; j++) idx[i * size + j] = i - j + size - 1;
		}
		final String table = b.weight(key, 2L * size - 1, hd);
		return b.op("Gather", new String[] { table, b.longs(idx, size, size) }, Attr.i("axis",
			0));
	}
}

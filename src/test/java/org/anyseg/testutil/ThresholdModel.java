package org.anyseg.testutil;

import java.util.Map;

import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;

/**
 * A deterministic stand-in for a promptable model, for testing engine logic (propagation,
 * batch) where a trained model's quirks would blur what is tested: the mask is every pixel
 * brighter than 128 (on the 0..255 scale) inside the box; with clicks and no box, the
 * bright 4-connected component under the first click (nothing when it is dark). Predicted
 * IoU is the mask's share of the box (0.95 for clicks). Logits are +-5. It counts encoder
 * runs.
 */
public final class ThresholdModel implements PromptableModel {

	public int encodes;

	@Override
	public String family() {
		return "threshold";
	}

	@Override
	public int maskInputSize() {
		return 4;
	}

	@Override
	public Embedding encode(final float[][] rgb255, final int width, final int height) {
		encodes++;
		return new Embedding(width, height, Map.of("image", FloatTensor.of(rgb255[0].clone(),
			height, width)));
	}

	@Override
	public float[] maskInput(final byte[] mask, final int width, final int height) {
		return new float[16];
	}

	@Override
	public Prediction decode(final Embedding e, final ObjectPrompt p) {
		final int w = e.width(), h = e.height();
		final float[] img = e.tensor("image").toArray();
		if (p.box() == null && !p.points().isEmpty()) return click(p, img, w, h);
		final BoxPrompt b = p.box() != null ? p.box() : new BoxPrompt(0, 0, w, h);
		final float[] logits = new float[w * h];
		int in = 0;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final boolean inside = x >= b.x0() && x < b.x1() && y >= b.y0() && y < b.y1() &&
					img[y * w + x] > 128;
				logits[y * w + x] = inside ? 5 : -5;
				if (inside) in++;
			}
		}
		final float iou = (float) (in / (b.width() * b.height()));
		return new Prediction(p.label(), w, h, java.util.List.of(new MaskCandidate(0, iou, logits,
			new float[16])), 0);
	}

	private static Prediction click(final ObjectPrompt p, final float[] img, final int w,
		final int h)
	{
		final float[] logits = new float[w * h];
		java.util.Arrays.fill(logits, -5);
		final int s = (int) p.points().get(0).y() * w + (int) p.points().get(0).x();
		final java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>();
		if (img[s] > 128) {
			logits[s] = 5;
			q.add(s);
		}
		while (!q.isEmpty()) {
			final int i = q.poll(), x = i % w, y = i / w;
			for (final int n : new int[] { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w
				: -1, y < h - 1 ? i + w : -1 })
			{
				if (n >= 0 && logits[n] < 0 && img[n] > 128) {
					logits[n] = 5;
					q.add(n);
				}
			}
		}
		return new Prediction(p.label(), w, h, java.util.List.of(new MaskCandidate(0, 0.95f,
			logits, new float[16])), 0);
	}

	@Override
	public void close() {}
}

package org.anyseg.ops.auto;

import java.util.ArrayDeque;

/**
 * As Segment Anything's {@code remove_small_regions}: holes smaller than the area are
 * filled, then islands smaller than it are removed (4-connectivity). Unlike SAM, a mask
 * made only of small islands is removed entirely (SAM would keep its largest speck).
 */
final class Cleanup {

	private Cleanup() {}

	static BitMask removeSmall(final BitMask m, final int minArea) {
		if (minArea <= 0) return m;
		final int w = m.width() + 2, h = m.height() + 2;
		final boolean[] in = new boolean[w * h];
		for (int y = 0; y < m.height(); y++) {
			for (int x = 0; x < m.width(); x++) in[(y + 1) * w + x + 1] = m.bits().get(y * m.width() +
				x);
		}
		// holes: background components not touching the padded border
		final boolean[] bg = new boolean[w * h];
		for (int i = 0; i < in.length; i++) bg[i] = !in[i];
		final int[] bgLabel = components(bg, w, h);
		final int[] bgSize = sizes(bgLabel);
		for (int i = 0; i < in.length; i++) {
			if (bg[i] && bgLabel[i] != bgLabel[0] && bgSize[bgLabel[i]] < minArea) in[i] = true;
		}
		final int[] fg = components(in, w, h);
		final int[] fgSize = sizes(fg);
		final float[] logits = new float[m.width() * m.height()];
		for (int y = 0; y < m.height(); y++) {
			for (int x = 0; x < m.width(); x++) {
				final int i = (y + 1) * w + x + 1;
				final boolean keep = in[i] && fgSize[fg[i]] >= minArea;
				logits[y * m.width() + x] = keep ? 1 : -1;
			}
		}
		return BitMask.of(logits, m.width(), m.height(), m.x0(), m.y0(), 0f);
	}

	/** 4-connected components of the true pixels, labels 1.. (0 = false). */
	private static int[] components(final boolean[] px, final int w, final int h) {
		final int[] lab = new int[px.length];
		int next = 0;
		final ArrayDeque<Integer> q = new ArrayDeque<>();
		for (int s = 0; s < px.length; s++) {
			if (!px[s] || lab[s] != 0) continue;
			lab[s] = ++next;
			q.add(s);
			while (!q.isEmpty()) {
				final int i = q.poll(), x = i % w, y = i / w;
				final int[] nb = { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y <
					h - 1 ? i + w : -1 };
				for (final int n : nb) {
					if (n >= 0 && px[n] && lab[n] == 0) {
						lab[n] = next;
						q.add(n);
					}
				}
			}
		}
		return lab;
	}

	private static int[] sizes(final int[] lab) {
		int max = 0;
		for (final int l : lab) max = Math.max(max, l);
		final int[] s = new int[max + 1];
		for (final int l : lab) s[l]++;
		return s;
	}

}

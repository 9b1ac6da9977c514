package org.anyseg.ops.auto;

import java.util.BitSet;

/**
 * A binary mask stored compactly as its bounding box (image coordinates, x1/y1 exclusive)
 * and the bits inside it, so thousands of candidate masks of a large image fit in memory.
 */
public record BitMask(int x0, int y0, int x1, int y1, BitSet bits, int area) {

	public int width() {
		return x1 - x0;
	}

	public int height() {
		return y1 - y0;
	}

	public boolean get(final int x, final int y) {
		return x >= x0 && x < x1 && y >= y0 && y < y1 && bits.get((y - y0) * width() + x - x0);
	}

	/**
	 * The pixels {@code logits > threshold} of a {@code w x h} plane whose origin lies at
	 * {@code (ox, oy)} in the image; null when empty.
	 */
	public static BitMask of(final float[] logits, final int w, final int h, final int ox,
		final int oy, final float threshold)
	{
		int x0 = w, y0 = h, x1 = -1, y1 = -1;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				if (logits[y * w + x] > threshold) {
					x0 = Math.min(x0, x);
					x1 = Math.max(x1, x);
					y0 = Math.min(y0, y);
					y1 = Math.max(y1, y);
				}
			}
		}
		if (x1 < 0) return null;
		final int bw = x1 - x0 + 1;
		final BitSet b = new BitSet();
		int area = 0;
		for (int y = y0; y <= y1; y++) {
			for (int x = x0; x <= x1; x++) {
				if (logits[y * w + x] > threshold) {
					b.set((y - y0) * bw + x - x0);
					area++;
				}
			}
		}
		return new BitMask(x0 + ox, y0 + oy, x1 + 1 + ox, y1 + 1 + oy, b, area);
	}

	/** Intersection over union of the boxes. */
	public double boxIou(final BitMask o) {
		final long iw = Math.max(0, Math.min(x1, o.x1) - Math.max(x0, o.x0));
		final long ih = Math.max(0, Math.min(y1, o.y1) - Math.max(y0, o.y0));
		final long inter = iw * ih;
		final long union = (long) width() * height() + (long) o.width() * o.height() - inter;
		return union == 0 ? 0 : (double) inter / union;
	}

	/** Intersection over union of the masks. */
	public double maskIou(final BitMask o) {
		final int ix0 = Math.max(x0, o.x0), iy0 = Math.max(y0, o.y0);
		final int ix1 = Math.min(x1, o.x1), iy1 = Math.min(y1, o.y1);
		long inter = 0;
		for (int y = iy0; y < iy1; y++) {
			for (int x = ix0; x < ix1; x++) if (get(x, y) && o.get(x, y)) inter++;
		}
		final long union = area + o.area - inter;
		return union == 0 ? 0 : (double) inter / union;
	}
}

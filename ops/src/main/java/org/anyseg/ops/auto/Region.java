package org.anyseg.ops.auto;

import java.util.BitSet;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;

/**
 * The part of an image that segment everything is limited to (a selection, a tissue mask),
 * as plain bits: {@link AutoSegmenter} encodes only the tiles and crops that hold a grid
 * point inside it, prompts only those points, and keeps an object when more than
 * {@link #minInside} of its area lies inside (or all of it). Objects are kept whole, not
 * clipped to the region.
 */
public final class Region {

	/** Whether the pixel {@code (x, y)} of the image belongs to the region. */
	@FunctionalInterface
	public interface Pixels {

		boolean inside(int x, int y);
	}

	/** The default of {@link #minInside}: most of an object's area. */
	public static final double MOST = 0.5;

	private final int width, height;
	private final BitMask mask;
	private final double minInside;

	private Region(final int width, final int height, final BitMask mask,
		final double minInside)
	{
		this.width = width;
		this.height = height;
		this.mask = mask;
		this.minInside = minInside;
	}

	/**
	 * The region of a {@code width x height} image whose pixels inside the box
	 * {@code (bx, by, bw, bh)} pass {@code inside} (the box is clipped to the image; no pixel
	 * outside it belongs to the region).
	 *
	 * @throws AnySegException when no pixel of the image belongs to it
	 */
	public static Region of(final int width, final int height, final int bx, final int by,
		final int bw, final int bh, final Pixels inside)
	{
		final int x0 = Math.max(0, bx), y0 = Math.max(0, by);
		final int x1 = (int) Math.min(width, (long) bx + bw), y1 = (int) Math.min(height,
			(long) by + bh);
		final BitSet bits = new BitSet();
		int area = 0;
		final int w = Math.max(0, x1 - x0);
		for (int y = y0; y < y1; y++) {
			for (int x = x0; x < x1; x++) {
				if (inside.inside(x, y)) {
					bits.set((y - y0) * w + x - x0);
					area++;
				}
			}
		}
		if (area == 0) {
			throw new AnySegException("The region holds no pixel of the " + width + "x" + height +
				" image: give a selection that overlaps the image, or a mask with non-zero pixels.");
		}
		return new Region(width, height, new BitMask(x0, y0, x1, y1, bits, area), MOST);
	}

	/** The region of a whole {@code width x height} mask: its pixels that pass {@code inside}. */
	public static Region of(final int width, final int height, final Pixels inside) {
		return of(width, height, 0, 0, width, height, inside);
	}

	/**
	 * The same region keeping objects with more than {@code fraction} of their area inside
	 * (or all of it): 0 = any overlap, 0.5 = most, 1 = wholly inside.
	 *
	 * @throws AnySegException outside {@link Limits#REGION_MIN_INSIDE}
	 */
	public Region withMinInside(final double fraction) {
		return new Region(width, height, mask, Limits.REGION_MIN_INSIDE.check(fraction));
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	/** Pixels in the region. */
	public int area() {
		return mask.area();
	}

	public double minInside() {
		return minInside;
	}

	public boolean contains(final int x, final int y) {
		return mask.get(x, y);
	}

	/** Whether any pixel of the box {@code (x, y, w, h)} lies in the region. */
	public boolean intersects(final int x, final int y, final int w, final int h) {
		final int xa = Math.max(x, mask.x0()), xb = Math.min(x + w, mask.x1());
		final int ya = Math.max(y, mask.y0()), yb = Math.min(y + h, mask.y1());
		final int mw = mask.width();
		for (int yy = ya; yy < yb && xa < xb; yy++) {
			final int row = (yy - mask.y0()) * mw - mask.x0();
			final int s = mask.bits().nextSetBit(row + xa);
			if (s >= 0 && s < row + xb) return true;
		}
		return false;
	}

	/** Pixels of {@code m} inside the region. */
	public int inside(final BitMask m) {
		final int mw = m.width();
		int n = 0;
		for (int i = m.bits().nextSetBit(0); i >= 0; i = m.bits().nextSetBit(i + 1)) {
			if (mask.get(m.x0() + i % mw, m.y0() + i / mw)) n++;
		}
		return n;
	}

	/**
	 * Whether an object is kept: more than {@link #minInside} of its area lies in the region,
	 * or all of it.
	 */
	public boolean keeps(final BitMask m) {
		final int in = inside(m);
		return in == m.area() || in > minInside * m.area();
	}
}

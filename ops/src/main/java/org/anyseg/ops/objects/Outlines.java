package org.anyseg.ops.objects;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Outlines of the objects of a 2D label image, traced along pixel corners so that the
 * polygons enclose exactly the object's pixels: each 4-connected piece of a label is one
 * {@link Piece}, an outer ring plus its holes. The shoelace area of the outer ring minus
 * those of the holes equals the piece's pixel count.
 *
 * <p>Rings run clockwise on screen (y down) for outer boundaries, counter-clockwise for
 * holes, closed (last point = first), with collinear points removed. Where two pixels of a
 * label touch only at a corner, the rings keep them apart (4-connectivity): at a vertex with
 * two ways on, the tracer turns towards the object.
 */
public final class Outlines {

	private Outlines() {}

	/** One 4-connected piece: outer ring then holes, each as {x0, y0, x1, y1, ...}. */
	public record Piece(int[] outer, List<int[]> holes, long pixels) {}

	/** Pieces by label, labels ascending. */
	public static Map<Integer, List<Piece>> trace(final int[] labels, final int w,
		final int h)
	{
		final Map<Integer, List<Piece>> out = new TreeMap<>();
		final boolean[] seen = new boolean[w * h];
		final int[] queue = new int[w * h];
		for (int start = 0; start < w * h; start++) {
			final int l = labels[start];
			if (l <= 0 || seen[start]) continue;
			// the 4-connected piece, breadth first
			int head = 0, tail = 0;
			queue[tail++] = start;
			seen[start] = true;
			while (head < tail) {
				final int i = queue[head++];
				final int x = i % w, y = i / w;
				if (x > 0 && !seen[i - 1] && labels[i - 1] == l) {
					seen[i - 1] = true;
					queue[tail++] = i - 1;
				}
				if (x < w - 1 && !seen[i + 1] && labels[i + 1] == l) {
					seen[i + 1] = true;
					queue[tail++] = i + 1;
				}
				if (y > 0 && !seen[i - w] && labels[i - w] == l) {
					seen[i - w] = true;
					queue[tail++] = i - w;
				}
				if (y < h - 1 && !seen[i + w] && labels[i + w] == l) {
					seen[i + w] = true;
					queue[tail++] = i + w;
				}
			}
			out.computeIfAbsent(l, k -> new ArrayList<>()).add(piece(labels, w, h, l, queue,
				tail));
		}
		return out;
	}

	/** Boundary edges of the piece's pixels, with the object on the right, chained. */
	private static Piece piece(final int[] labels, final int w, final int h, final int l,
		final int[] px, final int n)
	{
		// outgoing edges by start vertex: direction codes 0 east, 1 south, 2 west, 3 north
		final Map<Long, int[]> from = new HashMap<>();
		int edges = 0;
		for (int k = 0; k < n; k++) {
			final int i = px[k], x = i % w, y = i / w;
			if (y == 0 || labels[i - w] != l) edges += add(from, x, y, 0);
			if (x == w - 1 || labels[i + 1] != l) edges += add(from, x + 1, y, 1);
			if (y == h - 1 || labels[i + w] != l) edges += add(from, x + 1, y + 1, 2);
			if (x == 0 || labels[i - 1] != l) edges += add(from, x, y + 1, 3);
		}
		int[] outer = null;
		long outerArea = 0;
		final List<int[]> holes = new ArrayList<>();
		while (!from.isEmpty()) {
			// the top-left vertex left: a corner with a single way on (the piece's first pixel's
			// top-left corner for the outer ring)
			int x = Integer.MAX_VALUE, y = Integer.MAX_VALUE;
			for (final long k : from.keySet()) {
				final int kx = (int) (k >> 32), ky = (int) k;
				if (ky < y || ky == y && kx < x) {
					x = kx;
					y = ky;
				}
			}
			final List<Integer> ring = new ArrayList<>();
			int dir = -1;
			while (true) {
				final long key = key(x, y);
				final int[] ds = from.get(key);
				int d = -1;
				// turn towards the object first (right), then straight, then left
				if (dir < 0) d = first(ds);
				else if (ds != null) {
					for (final int t : new int[] { (dir + 1) & 3, dir, (dir + 3) & 3 }) {
						if (has(ds, t)) {
							d = t;
							break;
						}
					}
				}
				if (d < 0) break; // back at the start
				remove(from, key, ds, d);
				if (d != dir) {
					ring.add(x);
					ring.add(y);
				}
				dir = d;
				x += d == 0 ? 1 : d == 2 ? -1 : 0;
				y += d == 1 ? 1 : d == 3 ? -1 : 0;
			}
			// the start may be mid-side: drop it when the last direction carries on through it
			final int[] r = close(ring);
			final long a2 = area2(r);
			if (a2 > 0) {
				if (outer != null) throw new IllegalStateException("Two outer rings in one piece");
				outer = r;
				outerArea = a2;
			}
			else holes.add(r);
		}
		long holeArea = 0;
		for (final int[] r : holes) holeArea -= area2(r);
		return new Piece(outer, holes, (outerArea - holeArea) / 2);
	}

	private static int[] close(final List<Integer> ring) {
		// remove a start vertex that lies on a straight run (first segment continues the last)
		List<Integer> r = ring;
		final int m = r.size() / 2;
		if (m >= 3) {
			final int ax = r.get(2 * (m - 1)), ay = r.get(2 * (m - 1) + 1);
			final int bx = r.get(0), by = r.get(1), cx = r.get(2), cy = r.get(3);
			if ((long) (bx - ax) * (cy - by) - (long) (by - ay) * (cx - bx) == 0) {
				r = new ArrayList<>(r.subList(2, r.size()));
			}
		}
		final int[] out = new int[r.size() + 2];
		for (int i = 0; i < r.size(); i++) out[i] = r.get(i);
		out[r.size()] = r.get(0);
		out[r.size() + 1] = r.get(1);
		return out;
	}

	/** Twice the shoelace area of a closed ring (positive: clockwise on screen). */
	public static long area2(final int[] r) {
		long s = 0;
		for (int i = 0; i + 3 < r.length; i += 2) {
			s += (long) r[i] * r[i + 3] - (long) r[i + 2] * r[i + 1];
		}
		return s;
	}

	private static long key(final int x, final int y) {
		return ((long) x << 32) | (y & 0xffffffffL);
	}

	private static int add(final Map<Long, int[]> from, final int x, final int y,
		final int d)
	{
		final int[] ds = from.computeIfAbsent(key(x, y), k -> new int[] { -1, -1 });
		ds[ds[0] < 0 ? 0 : 1] = d;
		return 1;
	}

	private static boolean has(final int[] ds, final int d) {
		return ds != null && (ds[0] == d || ds[1] == d);
	}

	private static int first(final int[] ds) {
		return ds[0] >= 0 ? ds[0] : ds[1];
	}

	private static void remove(final Map<Long, int[]> from, final long key, final int[] ds,
		final int d)
	{
		if (ds[0] == d) ds[0] = -1;
		else ds[1] = -1;
		if (ds[0] < 0 && ds[1] < 0) from.remove(key);
	}
}

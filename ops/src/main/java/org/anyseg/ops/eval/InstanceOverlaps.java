package org.anyseg.ops.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The areas of the instances of a ground-truth and a predicted label volume and the
 * intersection of every overlapping pair, counted in one pass over the voxels (sparse:
 * memory grows with the number of overlapping pairs, not with their product).
 * Package-private: the engine behind {@link Instances}.
 * <p>
 * Instances are indexed densely, in order of increasing label: {@code gtLabel[i]} is the
 * label of ground-truth instance i, {@code gtArea[i]} its voxel count; likewise for the
 * prediction. Pair k joins ground truth {@code pairGt[k]} and prediction {@code pairPred[k]}
 * with {@code pairIntersection[k]} common voxels, pairs sorted by (gt, pred).
 */
final class InstanceOverlaps {

	final int[] gtLabel, predLabel;
	final long[] gtArea, predArea;
	final int[] pairGt, pairPred;
	final long[] pairIntersection;

	private InstanceOverlaps(final int[] gtLabel, final long[] gtArea, final int[] predLabel,
		final long[] predArea, final int[] pairGt, final int[] pairPred, final long[] inter)
	{
		this.gtLabel = gtLabel;
		this.gtArea = gtArea;
		this.predLabel = predLabel;
		this.predArea = predArea;
		this.pairGt = pairGt;
		this.pairPred = pairPred;
		this.pairIntersection = inter;
	}

	/** IoU of pair k: |G&cap;P| / (|G| + |P| - |G&cap;P|). */
	double iou(final int k) {
		final long i = pairIntersection[k];
		return (double) i / (gtArea[pairGt[k]] + predArea[pairPred[k]] - i);
	}

	static InstanceOverlaps count(final int[] gt, final int[] pred) {
		final Index gi = new Index(), pi = new Index();
		final LongCounts pairs = new LongCounts();
		for (int i = 0; i < gt.length; i++) {
			final int g = gt[i], p = pred[i];
			final int a = g == 0 ? -1 : gi.add(g);
			final int b = p == 0 ? -1 : pi.add(p);
			if (a >= 0 && b >= 0) pairs.increment((long) a << 32 | b);
		}
		// renumber by increasing label
		final int[] gOrder = gi.order(), pOrder = pi.order();
		final int[] gRank = rank(gOrder), pRank = rank(pOrder);
		final long[] keys = pairs.keys();
		final int m = keys.length;
		final long[] renumbered = new long[m];
		for (int k = 0; k < m; k++)
			renumbered[k] = (long) gRank[(int) (keys[k] >>> 32)] << 32 | pRank[(int) keys[k]];
		final Integer[] byPair = new Integer[m];
		for (int k = 0; k < m; k++)
			byPair[k] = k;
		Arrays.sort(byPair, (x, y) -> Long.compare(renumbered[x], renumbered[y]));
		final int[] pg = new int[m], pp = new int[m];
		final long[] counts = new long[m];
		for (int j = 0; j < m; j++) {
			final int k = byPair[j];
			pg[j] = (int) (renumbered[k] >>> 32);
			pp[j] = (int) renumbered[k];
			counts[j] = pairs.get(keys[k]);
		}
		return new InstanceOverlaps(gi.labels(gOrder), gi.areas(gOrder), pi.labels(pOrder), pi
			.areas(pOrder), pg, pp, counts);
	}

	private static int[] rank(final int[] order) {
		final int[] r = new int[order.length];
		for (int k = 0; k < order.length; k++)
			r[order[k]] = k;
		return r;
	}

	/** Dense indices of labels in order of first appearance, with their voxel counts. */
	private static final class Index {

		private final Map<Integer, Integer> index = new HashMap<>();
		private int[] label = new int[16];
		private long[] area = new long[16];
		private int n, last, lastIndex = -1;

		int add(final int l) {
			if (lastIndex < 0 || l != last) {
				Integer k = index.get(l);
				if (k == null) {
					k = n++;
					index.put(l, k);
					if (k == label.length) {
						label = Arrays.copyOf(label, 2 * k);
						area = Arrays.copyOf(area, 2 * k);
					}
					label[k] = l;
				}
				last = l;
				lastIndex = k;
			}
			area[lastIndex]++;
			return lastIndex;
		}

		/** Indices in order of increasing label. */
		int[] order() {
			final Integer[] o = new Integer[n];
			for (int k = 0; k < n; k++)
				o[k] = k;
			Arrays.sort(o, (x, y) -> Integer.compare(label[x], label[y]));
			return Arrays.stream(o).mapToInt(Integer::intValue).toArray();
		}

		int[] labels(final int[] order) {
			return Arrays.stream(order).map(k -> label[k]).toArray();
		}

		long[] areas(final int[] order) {
			return Arrays.stream(order).mapToLong(k -> area[k]).toArray();
		}
	}

	/** Counts keyed by non-negative longs: open addressing, linear probing. */
	private static final class LongCounts {

		private long[] keys = emptyKeys(64);
		private long[] values = new long[64];
		private int size;
		private long lastKey = -1;
		private int lastSlot;

		private static long[] emptyKeys(final int n) {
			final long[] k = new long[n];
			Arrays.fill(k, -1);
			return k;
		}

		void increment(final long key) {
			if (key != lastKey) {
				lastSlot = slot(key);
				if (keys[lastSlot] < 0) {
					keys[lastSlot] = key;
					if (++size * 2 > keys.length) {
						grow();
						lastSlot = slot(key);
					}
				}
				lastKey = key;
			}
			values[lastSlot]++;
		}

		long get(final long key) {
			final int s = slot(key);
			return keys[s] == key ? values[s] : 0;
		}

		long[] keys() {
			final long[] out = new long[size];
			int j = 0;
			for (final long k : keys)
				if (k >= 0) out[j++] = k;
			return out;
		}

		private int slot(final long key) {
			final int mask = keys.length - 1;
			int s = (int) (key * 0x9E3779B97F4A7C15L >>> 32) & mask;
			while (keys[s] >= 0 && keys[s] != key)
				s = s + 1 & mask;
			return s;
		}

		private void grow() {
			final long[] oldKeys = keys, oldValues = values;
			keys = emptyKeys(oldKeys.length * 2);
			values = new long[oldKeys.length * 2];
			for (int i = 0; i < oldKeys.length; i++) {
				if (oldKeys[i] < 0) continue;
				final int s = slot(oldKeys[i]);
				keys[s] = oldKeys[i];
				values[s] = oldValues[i];
			}
		}
	}
}

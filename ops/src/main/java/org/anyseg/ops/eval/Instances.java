package org.anyseg.ops.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;

/**
 * Instance matching of a predicted instance label image against a ground truth (object
 * detection scores of instance segmentation, as in the cell-segmentation literature).
 * <p>
 * Every non-zero label is one instance on each side (a label's voxels need not be
 * connected). The IoU |G&cap;P| / |G&cup;P| of every overlapping pair of a ground-truth
 * instance G and a predicted instance P is computed in one pass over the voxels with sparse
 * counts, so images with thousands of instances are fast; pairs that do not overlap have IoU
 * 0 and are never matched.
 * <p>
 * Matching: a one-to-one matching of the pairs with IoU &ge; the threshold that maximises the
 * number of matched pairs (tp), and among those the total IoU of the matched pairs.
 * <ul>
 * <li>Threshold &ge; 0.5: IoU &ge; 0.5 means 3|G&cap;P| &ge; |G| + |P|, hence |G&cap;P| &ge;
 * |G|/2 and |G&cap;P| &ge; |P|/2. Two predictions (disjoint, being labels of one image) can
 * then share a ground-truth instance only when each covers exactly half of it and lies
 * inside it (both IoU exactly 0.5), and likewise the other way round, so the candidate pairs
 * form isolated pairs and stars of equal IoU. The greedy matching (pairs by decreasing IoU,
 * taken when both instances are free; ties by increasing labels) is then optimal, and unique
 * above 0.5.</li>
 * <li>Threshold &lt; 0.5: each connected group of candidate pairs is solved exactly with the
 * Hungarian algorithm on the weights 1 + IoU / (m + 1) (0 for pairs below the threshold, m
 * the smaller side of the group), which ranks a matching first by its number of pairs, then
 * by its total IoU. It costs O(r&sup2;c) for a group of r &times; c instances: fine for the
 * small groups of real images.</li>
 * </ul>
 * Scores: precision = tp / (tp + fp), recall = tp / (tp + fn), f1 = 2tp / (2tp + fp + fn),
 * with the conventions of {@link Detection} when a side has no instances (both empty:
 * precision = recall = f1 = 1; any other 0/0 is 0; the mean matched IoU is {@code NaN} when
 * tp = 0).
 */
public final class Instances {

	private Instances() {}

	/**
	 * Matches the instances of {@code pred} to those of {@code gt}.
	 *
	 * @param iouThreshold the minimum IoU of a match, in (0, 1]; 0.5 is the usual choice
	 * @throws AnySegException if the sizes differ or the threshold is outside (0, 1]
	 */
	public static Detection match(final LabelVolume gt, final LabelVolume pred,
		final double iouThreshold)
	{
		Metrics.requireSameSize(gt, pred);
		if (!(iouThreshold > 0 && iouThreshold <= 1)) throw new AnySegException(
			"Invalid IoU threshold " + iouThreshold +
				": give a value in (0, 1] (0.5 is the usual choice; 0 would match objects " +
				"that do not overlap).");
		return match(InstanceOverlaps.count(gt.labels(), pred.labels()), iouThreshold);
	}

	static Detection match(final InstanceOverlaps o, final double threshold) {
		final List<Integer> candidates = new ArrayList<>();
		for (int k = 0; k < o.pairGt.length; k++)
			if (o.iou(k) >= threshold) candidates.add(k);
		final List<Integer> matched = threshold >= 0.5 ? greedy(o, candidates) : optimal(o,
			candidates);
		double sum = 0;
		for (final int k : matched)
			sum += o.iou(k);
		final int tp = matched.size();
		final int fp = o.predLabel.length - tp, fn = o.gtLabel.length - tp;
		final boolean bothEmpty = tp + fp + fn == 0;
		return new Detection(tp, fp, fn, ratio(tp, tp + fp, bothEmpty), ratio(tp, tp + fn,
			bothEmpty), ratio(2.0 * tp, 2.0 * tp + fp + fn, bothEmpty), tp == 0 ? Double.NaN : sum /
				tp);
	}

	private static double ratio(final double num, final double den, final boolean bothEmpty) {
		if (den > 0) return num / den;
		return bothEmpty ? 1 : 0;
	}

	/** Pairs by decreasing IoU (ties: the stored (gt, pred) order), taken when both free. */
	private static List<Integer> greedy(final InstanceOverlaps o, final List<Integer> cand) {
		final List<Integer> sorted = new ArrayList<>(cand);
		sorted.sort((a, b) -> Double.compare(o.iou(b), o.iou(a)));
		final boolean[] gUsed = new boolean[o.gtLabel.length];
		final boolean[] pUsed = new boolean[o.predLabel.length];
		final List<Integer> out = new ArrayList<>();
		for (final int k : sorted) {
			if (gUsed[o.pairGt[k]] || pUsed[o.pairPred[k]]) continue;
			gUsed[o.pairGt[k]] = true;
			pUsed[o.pairPred[k]] = true;
			out.add(k);
		}
		return out;
	}

	/** Each connected group of candidate pairs solved by the Hungarian algorithm. */
	private static List<Integer> optimal(final InstanceOverlaps o, final List<Integer> cand) {
		final int nG = o.gtLabel.length;
		final int[] parent = new int[nG + o.predLabel.length];
		for (int i = 0; i < parent.length; i++)
			parent[i] = i;
		for (final int k : cand)
			parent[root(parent, o.pairGt[k])] = root(parent, nG + o.pairPred[k]);
		final Map<Integer, List<Integer>> groups = new HashMap<>();
		for (final int k : cand)
			groups.computeIfAbsent(root(parent, o.pairGt[k]), r -> new ArrayList<>()).add(k);
		final List<Integer> out = new ArrayList<>();
		for (final List<Integer> group : groups.values()) {
			if (group.size() == 1) out.addAll(group);
			else out.addAll(assign(o, group));
		}
		out.sort(null);
		return out;
	}

	private static List<Integer> assign(final InstanceOverlaps o, final List<Integer> group) {
		final Map<Integer, Integer> row = new HashMap<>(), col = new HashMap<>();
		for (final int k : group) {
			row.putIfAbsent(o.pairGt[k], row.size());
			col.putIfAbsent(o.pairPred[k], col.size());
		}
		final int m = Math.min(row.size(), col.size());
		final double[][] w = new double[row.size()][col.size()];
		final int[][] pair = new int[row.size()][col.size()];
		for (final int[] r : pair)
			Arrays.fill(r, -1);
		for (final int k : group) {
			final int r = row.get(o.pairGt[k]), c = col.get(o.pairPred[k]);
			w[r][c] = 1 + o.iou(k) / (m + 1);
			pair[r][c] = k;
		}
		final int[] rowToCol = HungarianAssignment.maximise(w);
		final List<Integer> out = new ArrayList<>();
		for (int r = 0; r < rowToCol.length; r++)
			if (rowToCol[r] >= 0 && pair[r][rowToCol[r]] >= 0) out.add(pair[r][rowToCol[r]]);
		return out;
	}

	private static int root(final int[] parent, int i) {
		while (parent[i] != i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	}
}

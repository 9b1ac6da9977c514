package org.anyseg.ops.eval;

import static org.anyseg.testutil.InstanceScenes.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.anyseg.ops.AnySegException;
import org.anyseg.testutil.InstanceScenes;
import org.junit.jupiter.api.Test;

class InstancesTest {

	private static final double EPS = 1e-12;

	/*
	 * 60x20 image, rows 0..9. gt: 1 = x 0..9, 2 = x 20..29, 3 = x 40..49 (100 voxels each).
	 * pred: 1 = x 0..9 (= gt 1, IoU 1); 2 = x 20..25 (60 voxels inside gt 2: IoU 60/100 =
	 * 0.6); 3 = x 40..43 (40 inside gt 3: IoU 0.4); 4 = x 55..59 (overlaps nothing).
	 * At 0.5: matches (1,1) and (2,2): tp = 2; fp = pred 3, 4 = 2; fn = gt 3 = 1.
	 * precision = 2/4 = 0.5, recall = 2/3, f1 = 4/(4+2+1) = 4/7, mean IoU = (1 + 0.6)/2 = 0.8.
	 * At 0.3 (Hungarian path): (3,3) matches too: tp = 3, fp = 1, fn = 0, mean = 2/3.
	 */
	@Test
	void workedExample() {
		final int[] g = new int[60 * 20], p = new int[60 * 20];
		fill(g, 60, 20, 1, 0, 9, 0, 9, 0, 0);
		fill(g, 60, 20, 2, 20, 29, 0, 9, 0, 0);
		fill(g, 60, 20, 3, 40, 49, 0, 9, 0, 0);
		fill(p, 60, 20, 1, 0, 9, 0, 9, 0, 0);
		fill(p, 60, 20, 2, 20, 25, 0, 9, 0, 0);
		fill(p, 60, 20, 3, 40, 43, 0, 9, 0, 0);
		fill(p, 60, 20, 4, 55, 59, 0, 9, 0, 0);
		final LabelVolume gv = LabelVolume.of2D(60, 20, g), pv = LabelVolume.of2D(60, 20, p);
		final Detection d = Instances.match(gv, pv, 0.5);
		assertEquals(2, d.tp());
		assertEquals(2, d.fp());
		assertEquals(1, d.fn());
		assertEquals(0.5, d.precision(), EPS);
		assertEquals(2.0 / 3, d.recall(), EPS);
		assertEquals(4.0 / 7, d.f1(), EPS);
		assertEquals(0.8, d.meanMatchedIou(), EPS);
		final Detection low = Instances.match(gv, pv, 0.3);
		assertEquals(3, low.tp());
		assertEquals(1, low.fp());
		assertEquals(0, low.fn());
		assertEquals(0.75, low.precision(), EPS);
		assertEquals(1, low.recall(), EPS);
		assertEquals(6.0 / 7, low.f1(), EPS);
		assertEquals(2.0 / 3, low.meanMatchedIou(), EPS);
	}

	/*
	 * Greedy is not optimal below 0.5. Rows 0..9. gt 1 = x 0..9 (100), gt 2 = x 10..12 (30);
	 * pred 2 = x 0..2 (30), pred 1 = x 3..12 (100). IoU(g1,p1) = 70/(100+100-70) = 70/130
	 * = 0.538; IoU(g1,p2) = 30/100 = 0.3; IoU(g2,p1) = 30/100 = 0.3.
	 * At 0.25 greedy would take (g1,p1) and stop at 1 match; the optimum is (g1,p2), (g2,p1):
	 * tp = 2, mean IoU 0.3. At 0.5 only (g1,p1) qualifies: tp = 1, mean 70/130.
	 */
	@Test
	void lowThresholdMaximisesTheNumberOfMatches() {
		final int[] g = new int[20 * 10], p = new int[20 * 10];
		fill(g, 20, 10, 1, 0, 9, 0, 9, 0, 0);
		fill(g, 20, 10, 2, 10, 12, 0, 9, 0, 0);
		fill(p, 20, 10, 2, 0, 2, 0, 9, 0, 0);
		fill(p, 20, 10, 1, 3, 12, 0, 9, 0, 0);
		final LabelVolume gv = LabelVolume.of2D(20, 10, g), pv = LabelVolume.of2D(20, 10, p);
		final Detection low = Instances.match(gv, pv, 0.25);
		assertEquals(2, low.tp());
		assertEquals(0, low.fp());
		assertEquals(0.3, low.meanMatchedIou(), EPS);
		final Detection half = Instances.match(gv, pv, 0.5);
		assertEquals(1, half.tp());
		assertEquals(70.0 / 130, half.meanMatchedIou(), EPS);
	}

	@Test
	void emptySides() {
		final LabelVolume empty = LabelVolume.of2D(10, 10, new int[100]);
		final Detection both = Instances.match(empty, empty, 0.5);
		assertEquals(0, both.tp() + both.fp() + both.fn());
		assertEquals(1, both.precision());
		assertEquals(1, both.recall());
		assertEquals(1, both.f1());
		assertTrue(Double.isNaN(both.meanMatchedIou()));
		final int[] two = new int[100];
		two[0] = 1;
		two[50] = 7;
		final LabelVolume objects = LabelVolume.of2D(10, 10, two);
		assertEquals(new Detection(0, 2, 0, 0, 0, 0, Double.NaN), Instances.match(empty, objects,
			0.5));
		assertEquals(new Detection(0, 0, 2, 0, 0, 0, Double.NaN), Instances.match(objects, empty,
			0.5));
	}

	@Test
	void anyNonZeroLabelIsAnInstance() {
		final int[] g = { 5, 5, 0, -3, -3, 0 }, p = { 9, 9, 0, 0, -3, 0 };
		final Detection d = Instances.match(LabelVolume.of2D(6, 1, g), LabelVolume.of2D(6, 1, p),
			0.5);
		assertEquals(2, d.tp()); // 5-9 (IoU 1) and -3 vs -3 (IoU 1/2)
		assertEquals(0.75, d.meanMatchedIou(), EPS);
	}

	@Test
	void invalidThresholdAndSizes() {
		final LabelVolume a = LabelVolume.of2D(4, 4, new int[16]);
		for (final double t : new double[] { 0, -0.1, 1.01, Double.NaN })
			assertThrows(AnySegException.class, () -> Instances.match(a, a, t));
		final AnySegException e = assertThrows(AnySegException.class, () -> Instances.match(a,
			LabelVolume.of2D(4, 5, new int[20]), 0.5));
		assertTrue(e.getMessage().contains("4x4x1") && e.getMessage().contains("4x5x1"), e
			.getMessage());
	}

	/**
	 * About 1000 small squares on a grid ({@link InstanceScenes#randomSquares}): the sparse
	 * one-pass matcher agrees with a brute-force O(n^2) IoU matrix and augmenting-path maximum
	 * matching, and its counts are sparse: it keeps exactly the overlapping pairs, a few per
	 * instance, not one per (ground truth, prediction) pair, which is what keeps it linear in
	 * the voxels (timed by {@code org.anyseg.bench.InstancesBenchmark}, not here: a unit test
	 * asserts no wall-clock time).
	 */
	@Test
	void largeRandomCaseAgreesWithBruteForce() {
		final InstanceScenes.Scene scene = InstanceScenes.randomSquares(42, 40, 25);
		final int[] g = scene.gt(), p = scene.pred();
		final LabelVolume gv = LabelVolume.of2D(scene.nx(), scene.ny(), g), pv = LabelVolume.of2D(
			scene.nx(), scene.ny(), p);
		assertTrue(gv.labelSet().size() > 900 && pv.labelSet().size() > 900);

		final double[][] iou = bruteForceIou(g, p, gv.labelSet().stream().mapToInt(i -> i)
			.toArray(), pv.labelSet().stream().mapToInt(i -> i).toArray());
		for (final double threshold : new double[] { 0.5, 0.7, 0.3, 0.1 }) {
			final Detection d = Instances.match(gv, pv, threshold);
			final int[] m = maxMatching(iou, threshold);
			int tp = 0;
			double sum = 0;
			for (int i = 0; i < m.length; i++)
				if (m[i] >= 0) {
					tp++;
					sum += iou[i][m[i]];
				}
			assertEquals(tp, d.tp(), "threshold " + threshold);
			assertEquals(iou.length - tp, d.fn());
			assertEquals(iou[0].length - tp, d.fp());
			// at >= 0.5 the matching is unique, so the mean IoU must agree too
			if (threshold >= 0.5) assertEquals(sum / tp, d.meanMatchedIou(), 1e-12);
			else assertTrue(d.meanMatchedIou() * tp >= sum - 1e-9, "max total IoU");
		}

		final InstanceOverlaps o = InstanceOverlaps.count(g, p);
		assertEquals(iou.length, o.gtLabel.length);
		assertEquals(iou[0].length, o.predLabel.length);
		final long overlapping = Arrays.stream(iou).flatMapToDouble(Arrays::stream).filter(
			v -> v > 0).count();
		assertEquals(overlapping, o.pairGt.length, "exactly the overlapping pairs are counted");
		assertTrue(o.pairGt.length < 3 * (iou.length + iou[0].length), o.pairGt.length +
			" pairs for " + iou.length + " x " + iou[0].length + " instances");
		for (int k = 0; k < o.pairGt.length; k++) {
			assertEquals(iou[o.pairGt[k]][o.pairPred[k]], o.iou(k), 1e-12, "pair " + k);
		}
	}

	/** IoU of every (gt, pred) pair from each instance's pixel list: O(n^2) pairs. */
	private static double[][] bruteForceIou(final int[] g, final int[] p, final int[] gl,
		final int[] pl)
	{
		final int[][] gPix = pixels(g, gl), pPix = pixels(p, pl);
		final double[][] iou = new double[gl.length][pl.length];
		for (int i = 0; i < gl.length; i++)
			for (int j = 0; j < pl.length; j++) {
				if (gPix[i][0] > pPix[j][pPix[j].length - 1] || pPix[j][0] > gPix[i][gPix[i].length -
					1]) continue; // index ranges disjoint: no common pixel
				int inter = 0;
				for (final int k : gPix[i])
					if (Arrays.binarySearch(pPix[j], k) >= 0) inter++;
				iou[i][j] = (double) inter / (gPix[i].length + pPix[j].length - inter);
			}
		return iou;
	}

	private static int[][] pixels(final int[] l, final int[] labels) {
		final int[][] out = new int[labels.length][];
		for (int k = 0; k < labels.length; k++) {
			final int label = labels[k];
			out[k] = java.util.stream.IntStream.range(0, l.length).filter(i -> l[i] == label)
				.toArray();
		}
		return out;
	}

	/** Maximum-cardinality matching (Kuhn's augmenting paths) of pairs with IoU >= t. */
	private static int[] maxMatching(final double[][] iou, final double t) {
		final int[] predOf = new int[iou.length], gtOf = new int[iou[0].length];
		Arrays.fill(predOf, -1);
		Arrays.fill(gtOf, -1);
		for (int i = 0; i < iou.length; i++)
			augment(i, iou, t, predOf, gtOf, new boolean[gtOf.length]);
		return predOf;
	}

	private static boolean augment(final int i, final double[][] iou, final double t,
		final int[] predOf, final int[] gtOf, final boolean[] seen)
	{
		for (int j = 0; j < gtOf.length; j++) {
			if (iou[i][j] < t || iou[i][j] == 0 || seen[j]) continue;
			seen[j] = true;
			if (gtOf[j] < 0 || augment(gtOf[j], iou, t, predOf, gtOf, seen)) {
				predOf[i] = j;
				gtOf[j] = i;
				return true;
			}
		}
		return false;
	}
}

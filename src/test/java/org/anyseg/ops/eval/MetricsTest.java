package org.anyseg.ops.eval;

import static org.anyseg.testutil.InstanceScenes.fill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.SortedMap;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;

class MetricsTest {

	private static final double EPS = 1e-12;

	/** A 10x10 square x in [x0, x0+9], y in [y0, y0+9] on a 30x30 image with spacing sx, sy. */
	private static LabelVolume square(final int x0, final int y0, final double sx,
		final double sy)
	{
		final int[] l = new int[30 * 30];
		fill(l, 30, 30, 1, x0, x0 + 9, y0, y0 + 9, 0, 0);
		return new LabelVolume(30, 30, 1, sx, sy, 1, l);
	}

	/*
	 * A = x 5..14, y 5..14; B = x 8..17, y 5..14 (shift 3 in x). |A| = |B| = 100, |A∩B| = 7
	 * columns x 10 = 70: Dice = 140/200 = 0.7, IoU = 70/130. ∂A = the 36 perimeter voxels of A,
	 * ∂B likewise. d(∂A -> ∂B), only boundary voxels count:
	 * - top row y=5: x=8..14 lie on B's top row: 0 (7 voxels); x=5,6,7: to (8,5): 3, 2, 1
	 * - bottom row y=14: the same: 7 zeros and 3, 2, 1
	 * - left column x=5, y=6..13: nearest is B's left column x=8: 3 (8 voxels)
	 * - right column x=14, y=6..13 (inside B): min(3 to B's right column x=17, y-5 to B's
	 *   top row, 14-y to its bottom row) = 1, 2, 3, 3, 3, 3, 2, 1
	 * => 14 x 0, 4 x 1, 4 x 2, 14 x 3 (36 values); d(∂B -> ∂A) is the mirror image, the same.
	 * P95: h = 35 * 0.95 = 33.25, sorted[33] = sorted[34] = 3 (3s start at index 22): HD95 = 3.
	 * NSD: tau=0: 14+14 of 72 = 7/18; tau=1: 18+18 of 72 = 1/2; tau=2: 22+22 of 72 = 11/18;
	 * tau=3: all = 1.
	 */
	@Test
	void squaresShiftedInX() {
		final LabelVolume a = square(5, 5, 1, 1), b = square(8, 5, 1, 1);
		final Scores s = Metrics.compare(a, b, 1, 1);
		assertEquals(0.7, s.dice(), EPS);
		assertEquals(70.0 / 130, s.iou(), EPS);
		assertEquals(3, s.hd95(), EPS);
		assertEquals(0.5, s.nsd(), EPS);
		assertEquals(100, s.gtVoxels());
		assertEquals(100, s.predVoxels());
		assertEquals(7.0 / 18, Metrics.compare(a, b, 1, 0).nsd(), EPS);
		assertEquals(11.0 / 18, Metrics.compare(a, b, 1, 2).nsd(), EPS);
		assertEquals(1, Metrics.compare(a, b, 1, 3).nsd(), EPS);
		assertEquals(1, Metrics.compare(b, a, 1, 3).nsd(), EPS);
		assertEquals(3, Metrics.compare(b, a, 1, 3).hd95(), EPS);
	}

	/*
	 * The same with sx = 2: x distances double. d(∂A -> ∂B):
	 * - top and bottom rows: 7 zeros each, then (8,5)-(x,5) = 6, 4, 2 for x = 5, 6, 7
	 * - left column: 2 * 3 = 6 (8 voxels; the corner (8,5) is sqrt(36 + dy^2) > 6)
	 * - right column y=6..13: min(6, y-5, 14-y) = 1, 2, 3, 4, 4, 3, 2, 1
	 * => 14 x 0, 2 x 1, 4 x 2, 2 x 3, 4 x 4, 10 x 6; P95 at h = 33.25: 6s fill indices 26..35,
	 * HD95 = 6 (doubled). NSD tau=2: 14+2+4 = 20 per side of 36 = 5/9; tau=3: 22/36 = 11/18;
	 * tau=6: 1. Dice and IoU do not depend on spacing.
	 */
	@Test
	void anisotropicShiftAlongX() {
		final LabelVolume a = square(5, 5, 2, 1), b = square(8, 5, 2, 1);
		final Scores s = Metrics.compare(a, b, 1, 3);
		assertEquals(0.7, s.dice(), EPS);
		assertEquals(70.0 / 130, s.iou(), EPS);
		assertEquals(6, s.hd95(), EPS);
		assertEquals(11.0 / 18, s.nsd(), EPS);
		assertEquals(5.0 / 9, Metrics.compare(a, b, 1, 2).nsd(), EPS);
		assertEquals(1, Metrics.compare(a, b, 1, 6).nsd(), EPS);
	}

	/*
	 * sx = 2 but a shift of 3 along y: B = x 5..14, y 8..17. d(∂A -> ∂B):
	 * - left and right columns: y=8..14 on B's columns: 7 zeros each; y=5,6,7: 3, 2, 1
	 * - top row y=5, x=6..13: 3 to B's top row y=8 (diagonals are longer): 8 x 3
	 * - bottom row y=14, x=6..13 (inside B): min(3 to y=17, 2(x-5), 2(14-x)) = 2,3,3,3,3,3,3,2
	 * => 14 x 0, 2 x 1, 4 x 2, 16 x 3: HD95 = 3 (spacing along x does not matter here);
	 * NSD tau=1: 16/36 = 4/9.
	 */
	@Test
	void anisotropicShiftAlongY() {
		final LabelVolume a = square(5, 5, 2, 1), b = square(5, 8, 2, 1);
		final Scores s = Metrics.compare(a, b, 1, 1);
		assertEquals(3, s.hd95(), EPS);
		assertEquals(4.0 / 9, s.nsd(), EPS);
	}

	/*
	 * 3D, sz = 3: two one-voxel-thick 10x10 plates at z=2 and z=5 (3 slices apart). Every
	 * plate voxel is boundary (its z neighbours are outside); each one's nearest boundary
	 * voxel on the other side is straight above or below: 3 slices * 3 = 9. HD95 = 9;
	 * NSD tau=9: 1, tau=8.9: 0; no overlap: Dice 0.
	 */
	@Test
	void platesShiftedAlongZ() {
		final int[] a = new int[30 * 30 * 8], b = new int[30 * 30 * 8];
		fill(a, 30, 30, 1, 5, 14, 5, 14, 2, 2);
		fill(b, 30, 30, 1, 5, 14, 5, 14, 5, 5);
		final LabelVolume ga = new LabelVolume(30, 30, 8, 1, 1, 3, a);
		final LabelVolume pb = new LabelVolume(30, 30, 8, 1, 1, 3, b);
		final Scores s = Metrics.compare(ga, pb, 1, 9);
		assertEquals(9, s.hd95(), EPS);
		assertEquals(1, s.nsd(), EPS);
		assertEquals(0, s.dice(), EPS);
		assertEquals(0, Metrics.compare(ga, pb, 1, 8.9).nsd(), EPS);
	}

	/*
	 * 3D blocks x,y 5..14: A z 2..4, B z 3..5 (shift one slice), sz = 3.
	 * |A| = |B| = 300, |A∩B| = 200: Dice = 400/600 = 2/3, IoU = 200/400 = 1/2.
	 * ∂A: z=2 plane (100), z=4 plane (100), z=3 perimeter (36) = 236; ∂B: z=3 and z=5 planes,
	 * z=4 perimeter. d(∂A -> ∂B):
	 * - z=2 (100): B's z=3 plane, one slice: 3
	 * - z=3 perimeter (36): on B's z=3 plane: 0
	 * - z=4 perimeter (36): on B's z=4 perimeter: 0
	 * - z=4 interior 8x8: min(3 to B's z=3 or z=5 plane, in-plane distance r to B's z=4
	 *   perimeter): ring r=1: 28 voxels -> 1; r=2: 20 -> 2; r=3: 12 -> 3; r=4: 4 -> 3
	 * => 72 x 0, 28 x 1, 20 x 2, 116 x 3; the other way is the mirror image. P95 at
	 * h = 235 * 0.95 = 223.25 (3s from index 120): HD95 = 3 = one slice of 3.
	 * NSD tau=1: (100 + 100) / 472; tau=2: 240 / 472; tau=3: 1.
	 * With sz = 1 every distance is 0 or 1: HD95 = 1.
	 */
	@Test
	void blocksShiftedAlongZ() {
		final int[] a = new int[20 * 20 * 8], b = new int[20 * 20 * 8];
		fill(a, 20, 20, 1, 5, 14, 5, 14, 2, 4);
		fill(b, 20, 20, 1, 5, 14, 5, 14, 3, 5);
		final LabelVolume ga = new LabelVolume(20, 20, 8, 1, 1, 3, a);
		final LabelVolume pb = new LabelVolume(20, 20, 8, 1, 1, 3, b);
		final Scores s = Metrics.compare(ga, pb, 1, 1);
		assertEquals(2.0 / 3, s.dice(), EPS);
		assertEquals(0.5, s.iou(), EPS);
		assertEquals(3, s.hd95(), EPS);
		assertEquals(200.0 / 472, s.nsd(), EPS);
		assertEquals(240.0 / 472, Metrics.compare(ga, pb, 1, 2).nsd(), EPS);
		assertEquals(1, Metrics.compare(ga, pb, 1, 3).nsd(), EPS);
		final LabelVolume iso = new LabelVolume(20, 20, 8, 1, 1, 1, a);
		assertEquals(1, Metrics.compare(iso, new LabelVolume(20, 20, 8, 1, 1, 1, b), 1, 1)
			.hd95(), EPS);
	}

	@Test
	void identicalMasks() {
		final Random r = new Random(3);
		final int[] l = new int[25 * 20];
		for (int i = 0; i < l.length; i++)
			l[i] = r.nextInt(3);
		final LabelVolume v = LabelVolume.of2D(25, 20, l);
		for (final Scores s : Metrics.perLabel(v, LabelVolume.of2D(25, 20, l.clone()), 0)
			.values())
		{
			assertEquals(1, s.dice(), EPS);
			assertEquals(1, s.iou(), EPS);
			assertEquals(1, s.nsd(), EPS);
			assertEquals(0, s.hd95(), EPS);
			assertEquals(s.gtVoxels(), s.predVoxels());
		}
		assertEquals(List.of(1, 2), List.copyOf(v.labelSet()));
	}

	@Test
	void emptyOnBothSides() {
		final LabelVolume e = LabelVolume.of2D(10, 10, new int[100]);
		assertEquals(new Scores(1, 1, 1, 0, 0, 0), Metrics.compare(e, e, 1, 2));
		assertTrue(Metrics.perLabel(e, e, 2).isEmpty());
	}

	@Test
	void emptyOnOneSide() {
		final LabelVolume e = LabelVolume.of2D(30, 30, new int[900]);
		final LabelVolume sq = square(5, 5, 1, 1);
		assertEquals(new Scores(0, 0, 0, Double.NaN, 100, 0), Metrics.compare(sq, e, 1, 2));
		assertEquals(new Scores(0, 0, 0, Double.NaN, 0, 100), Metrics.compare(e, sq, 1, 2));
	}

	/*
	 * gt: label 1 = x 0..4 rows 0..4, label 2 = x 10..14 rows 0..4 (25 voxels each).
	 * pred: label 1 = the same as gt's 1, label 3 = x 20..24 rows 0..4. perLabel covers
	 * 1 (perfect), 2 (missing from pred: 0, 0, 0, NaN, 25, 0) and 3 (missing from gt).
	 */
	@Test
	void perLabelCoversLabelsOfEitherSide() {
		final int[] g = new int[30 * 10], p = new int[30 * 10];
		fill(g, 30, 10, 1, 0, 4, 0, 4, 0, 0);
		fill(g, 30, 10, 2, 10, 14, 0, 4, 0, 0);
		fill(p, 30, 10, 1, 0, 4, 0, 4, 0, 0);
		fill(p, 30, 10, 3, 20, 24, 0, 4, 0, 0);
		final SortedMap<Integer, Scores> m = Metrics.perLabel(LabelVolume.of2D(30, 10, g),
			LabelVolume.of2D(30, 10, p), 1);
		assertEquals(List.of(1, 2, 3), List.copyOf(m.keySet()));
		assertEquals(new Scores(1, 1, 1, 0, 25, 25), m.get(1));
		assertEquals(new Scores(0, 0, 0, Double.NaN, 25, 0), m.get(2));
		assertEquals(new Scores(0, 0, 0, Double.NaN, 0, 25), m.get(3));
	}

	@Test
	void perLabelAgreesWithCompare() {
		final Random r = new Random(11);
		final int nx = 23, ny = 17, nz = 5;
		final int[] g = new int[nx * ny * nz], p = new int[nx * ny * nz];
		for (int k = 0; k < 12; k++) {
			final int x = r.nextInt(nx - 5), y = r.nextInt(ny - 5), z = r.nextInt(nz - 1);
			fill(g, nx, ny, 1 + r.nextInt(4), x, x + r.nextInt(5), y, y + r.nextInt(5), z, z + 1);
			final int dx = r.nextInt(3), dy = r.nextInt(3);
			fill(p, nx, ny, 1 + r.nextInt(5), x + dx, x + dx + r.nextInt(3), y + dy, y + dy + r
				.nextInt(3), z, z + r.nextInt(2));
		}
		final LabelVolume gv = new LabelVolume(nx, ny, nz, 0.8, 1.1, 2.5, g);
		final LabelVolume pv = new LabelVolume(nx, ny, nz, 0.8, 1.1, 2.5, p);
		final SortedMap<Integer, Scores> m = Metrics.perLabel(gv, pv, 1.5);
		assertTrue(m.size() >= 4);
		for (final int label : m.keySet())
			assertEquals(Metrics.compare(gv, pv, label, 1.5), m.get(label), "label " + label);
	}

	/*
	 * A = the single voxel (5,5); B = the 2x2 block x 5..6, y 5..6. Dice = 2*1/(1+4) = 0.4,
	 * IoU = 1/4. ∂A = {(5,5)}; ∂B = all 4 voxels (each has a neighbour outside B).
	 * d(∂A -> ∂B) = {0}: P95 = 0. d(∂B -> ∂A) = {0, 1, 1, sqrt 2}: h = 3 * 0.95 = 2.85,
	 * P95 = 1 + 0.85 (sqrt 2 - 1) = 1.35213...; HD95 = that. NSD tau=1: (1 + 3) / 5 = 0.8.
	 */
	@Test
	void singleVoxelAgainstBlock() {
		final int[] a = new int[100], b = new int[100];
		a[5 + 10 * 5] = 1;
		fill(b, 10, 10, 1, 5, 6, 5, 6, 0, 0);
		final Scores s = Metrics.compare(LabelVolume.of2D(10, 10, a), LabelVolume.of2D(10, 10, b),
			1, 1);
		assertEquals(0.4, s.dice(), EPS);
		assertEquals(0.25, s.iou(), EPS);
		assertEquals(1 + 0.85 * (Math.sqrt(2) - 1), s.hd95(), 1e-12);
		assertEquals(0.8, s.nsd(), EPS);
	}

	/*
	 * Boundary definitions: a 3x3 block has 8 boundary voxels (all but its centre), a 3x3x3
	 * cube 26; a mask filling a 3x3 image has its 8 border voxels as boundary (outside the
	 * image is background) but not its centre, and in a 2D image (nz = 1) the missing z
	 * neighbours do not make every voxel boundary.
	 */
	@Test
	void boundaryDefinition() {
		final boolean[] block = new boolean[25];
		for (int y = 1; y <= 3; y++)
			for (int x = 1; x <= 3; x++)
				block[x + 5 * y] = true;
		assertEquals(8, count(SurfaceDistances.boundary(block, 5, 5, 1, false)));
		final boolean[] cube = new boolean[125];
		for (int z = 1; z <= 3; z++)
			for (int y = 1; y <= 3; y++)
				for (int x = 1; x <= 3; x++)
					cube[x + 5 * (y + 5 * z)] = true;
		assertEquals(26, count(SurfaceDistances.boundary(cube, 5, 5, 5, true)));
		final boolean[] full = new boolean[9];
		java.util.Arrays.fill(full, true);
		assertEquals(8, count(SurfaceDistances.boundary(full, 3, 3, 1, false)));
		// a 1-voxel-thick 3D slab is all boundary: its z neighbours are outside
		assertEquals(9, count(SurfaceDistances.boundary(full, 3, 3, 1, true)));
		// the whole image as a mask on both sides: HD95 = 0, NSD = 1
		final int[] ones = new int[9];
		java.util.Arrays.fill(ones, 1);
		final Scores s = Metrics.compare(LabelVolume.of2D(3, 3, ones), LabelVolume.of2D(3, 3,
			ones), 1, 0);
		assertEquals(new Scores(1, 1, 1, 0, 9, 9), s);
	}

	private static int count(final boolean[] b) {
		int n = 0;
		for (final boolean v : b)
			if (v) n++;
		return n;
	}

	@Test
	void spacingComesFromGroundTruth() {
		final LabelVolume a = square(5, 5, 2, 1);
		final LabelVolume b = square(8, 5, 1, 1);
		assertEquals(6, Metrics.compare(a, b, 1, 1).hd95(), EPS);
		assertEquals(3, Metrics.compare(b, a, 1, 1).hd95(), EPS);
	}

	@Test
	void sizeMismatchSaysBothSizesAndWhatToDo() {
		final LabelVolume a = LabelVolume.of2D(30, 30, new int[900]);
		final LabelVolume b = new LabelVolume(20, 30, 2, 1, 1, 1, new int[1200]);
		final AnySegException e = assertThrows(AnySegException.class, () -> Metrics.compare(a, b,
			1, 1));
		assertTrue(e.getMessage().contains("30x30x1"), e.getMessage());
		assertTrue(e.getMessage().contains("20x30x2"), e.getMessage());
		assertTrue(e.getMessage().contains("same image"), e.getMessage());
		assertThrows(AnySegException.class, () -> Metrics.perLabel(a, b, 1));
	}

	@Test
	void invalidArgumentsAreRefused() {
		final LabelVolume a = LabelVolume.of2D(3, 3, new int[9]);
		assertThrows(AnySegException.class, () -> Metrics.compare(a, a, 0, 1));
		assertThrows(AnySegException.class, () -> Metrics.compare(a, a, 1, -1));
		assertThrows(AnySegException.class, () -> Metrics.compare(a, a, 1, Double.NaN));
	}

	@Test
	void percentileMatchesNumpy() {
		// numpy.percentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) = 9.5 (h = 9.5)
		assertEquals(9.5, Metrics.percentile95(new double[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
			10 }), EPS);
		// numpy.percentile([1, 2, 4, 8], 95) = 4 + 0.85 * 4 = 7.4 (h = 2.85)
		assertEquals(7.4, Metrics.percentile95(new double[] { 1, 2, 4, 8 }), 1e-12);
		assertEquals(5, Metrics.percentile95(new double[] { 5 }), EPS);
	}
}

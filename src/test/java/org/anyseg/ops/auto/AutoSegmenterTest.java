package org.anyseg.ops.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.eval.Detection;
import org.anyseg.ops.eval.Instances;
import org.anyseg.ops.eval.LabelVolume;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.Test;

/**
 * Segment everything with a deterministic click-to-component model, so the generator's own
 * logic is what is tested: a grid finds every disc once (duplicates from several clicks on
 * one disc suppressed), background clicks add nothing, tiling with overlap keeps a disc on a
 * tile border whole and single, each tile is encoded once, and specks are removed.
 */
class AutoSegmenterTest {

	static final int W = 300, H = 220;
	static final int[][] DISCS = { { 30, 30 }, { 100, 40 }, { 200, 35 }, { 60, 150 }, { 128,
		110 }, { 250, 170 } };

	static Plane image(final boolean speck) {
		final float[] f = new float[W * H];
		final int[] truth = new int[W * H];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				for (int d = 0; d < DISCS.length; d++) {
					if (Math.hypot(x - DISCS[d][0], y - DISCS[d][1]) <= 12) {
						f[y * W + x] = 220;
						truth[y * W + x] = d + 1;
					}
				}
				if (f[y * W + x] == 0) f[y * W + x] = 20;
			}
		}
		if (speck) f[3 * W + 285] = 220; // a single bright pixel, under a click of the 32 grid
		return new Plane(W, H, Plane.Kind.GRAY8, f);
	}

	static int[] truth() {
		final int[] t = new int[W * H];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				for (int d = 0; d < DISCS.length; d++) {
					if (Math.hypot(x - DISCS[d][0], y - DISCS[d][1]) <= 12) t[y * W + x] = d + 1;
				}
			}
		}
		return t;
	}

	private static Detection run(final AutoParams p, final ThresholdModel m) {
		try (Segmenter seg = new Segmenter(m, "threshold", new EmbeddingCache(64))) {
			final List<AutoSegmenter.Found> found = new AutoSegmenter(seg).run(image(true),
				Normalization.AUTO, p, null, null);
			final short[] l = AutoSegmenter.labels(found, W, H);
			final int[] li = new int[l.length];
			for (int i = 0; i < l.length; i++) li[i] = l[i] & 0xffff;
			return Instances.match(LabelVolume.of2D(W, H, truth()), LabelVolume.of2D(W, H, li), 0.9);
		}
	}

	@Test
	void everyDiscOnceWithoutSpecks() {
		final ThresholdModel m = new ThresholdModel();
		final Detection d = run(new AutoParams(32, 0.5, 0.9, 1, 0.7, 10, 0.25, 1024, 128),
			m);
		assertEquals(6, d.tp(), d.toString());
		assertEquals(0, d.fp(), "no duplicates and no speck: " + d);
		assertEquals(1, m.encodes, "one tile, one encoder run");
	}

	@Test
	void tilesWithOverlapKeepBorderObjectsWhole() {
		// 128 px tiles, 48 px overlap: the disc at x = 128 crosses tile borders
		final ThresholdModel m = new ThresholdModel();
		final Detection d = run(new AutoParams(16, 0.5, 0.9, 1, 0.7, 10, 0.5, 128, 48),
			m);
		assertEquals(6, d.tp(), d.toString());
		assertEquals(0, d.fp(), "cut copies of a border disc are suppressed: " + d);
		assertEquals(AutoSegmenter.tiles(W, H, 128, 48).size(), m.encodes, "each tile encoded " +
			"once");
		assertTrue(m.encodes > 1);
	}

	@Test
	void cropLayersFindWhatASparseGridMissesWithoutCutCopies() {
		final AutoParams sparse = new AutoParams(8, 0.5, 0.9, 1, 0.7, 10, 0.5,
			1024, 128);
		final Detection without = run(sparse, new ThresholdModel());
		assertTrue(without.tp() < 6, "an 8x8 grid misses discs: " + without);
		final ThresholdModel m = new ThresholdModel();
		final Detection with = run(sparse.withCropLayers(1), m);
		assertEquals(6, with.tp(), with.toString());
		assertEquals(0, with.fp(), "discs cut by inner crop edges are dropped: " + with);
		assertEquals(5, m.encodes, "the image and its 4 crops, each encoded once");
		try (Segmenter seg = new Segmenter(new ThresholdModel(), "threshold", new EmbeddingCache(
			64)))
		{
			// the disc at (60,150) crosses the first crop's lower edge: its cut part is not kept
			assertEquals(6, new AutoSegmenter(seg).run(image(true), Normalization.AUTO,
				new AutoParams(16, 0.5, 0.9, 1, 0.7, 10, 0.5, 1024, 128).withCropLayers(1),
				null, null).size(), "one mask per disc");
		}
	}

	@Test
	void cropBoxesCoverTheTileWithOverlap() {
		final AutoParams p = AutoParams.defaults().withCropLayers(2);
		final List<int[]> boxes = AutoSegmenter.cropBoxes(300, 220, p);
		assertEquals(1 + 4 + 16, boxes.size());
		for (int layer = 1; layer <= 2; layer++) {
			final boolean[] covered = new boolean[300 * 220];
			for (final int[] b : boxes) {
				if (b[4] != layer) continue;
				assertTrue(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= 300 && b[1] + b[3] <= 220);
				for (int y = b[1]; y < b[1] + b[3]; y++) {
					for (int x = b[0]; x < b[0] + b[2]; x++) covered[y * 300 + x] = true;
				}
			}
			for (final boolean c : covered) assertTrue(c, "layer " + layer + " covers the tile");
		}
		// SAM's numbers for a 300x220 image, layer 1: overlap int(512/1500 * 220) = 75
		assertTrue(java.util.Arrays.equals(new int[] { 0, 0, 188, 148, 1, 32 }, boxes.get(1)));
		assertTrue(java.util.Arrays.equals(new int[] { 113, 73, 187, 147, 1, 32 }, boxes.get(4)));
	}

	@Test
	void tilesCoverTheImage() {
		for (final int[] s : new int[][] { { 300, 220 }, { 1000, 1000 }, { 129, 128 } }) {
			final boolean[] covered = new boolean[s[0] * s[1]];
			for (final int[] t : AutoSegmenter.tiles(s[0], s[1], 128, 32)) {
				assertTrue(t[0] >= 0 && t[1] >= 0 && t[0] + t[2] <= s[0] && t[1] + t[3] <= s[1]);
				for (int y = t[1]; y < t[1] + t[3]; y++) {
					for (int x = t[0]; x < t[0] + t[2]; x++) covered[y * s[0] + x] = true;
				}
			}
			for (final boolean c : covered) assertTrue(c);
		}
	}

	@Test
	void nmsComparesNeighboursOnlyButKeepsWhatBruteForceKeeps() {
		final java.util.Random r = new java.util.Random(7);
		final List<AutoSegmenter.Found> in = new java.util.ArrayList<>();
		for (int i = 0; i < 600; i++) {
			final boolean big = i % 5 == 0;
			final int w = 5 + r.nextInt(big ? 600 : 60), h = 5 + r.nextInt(big ? 600 : 60);
			final int x = r.nextInt(2000), y = r.nextInt(2000);
			final float[] l = new float[w * h];
			for (int k = 0; k < l.length; k++) l[k] = r.nextInt(10) < 8 ? 1 : -1;
			in.add(new AutoSegmenter.Found(BitMask.of(l, w, h, x, y, 0), r.nextFloat(), r
				.nextDouble()));
		}
		final List<AutoSegmenter.Found> sorted = new java.util.ArrayList<>(in);
		sorted.sort(java.util.Comparator.comparingDouble((AutoSegmenter.Found f) -> -f.predIou())
			.thenComparingDouble(f -> -f.stability()).thenComparingInt(f -> -f.mask().area()));
		final List<AutoSegmenter.Found> brute = new java.util.ArrayList<>();
		for (final AutoSegmenter.Found f : sorted) {
			if (brute.stream().noneMatch(k -> f.mask().boxIou(k.mask()) > 0.3 || f.mask().maskIou(k
				.mask()) > 0.3)) brute.add(f);
		}
		final List<AutoSegmenter.Found> kept = AutoSegmenter.nms(in, 0.3);
		assertTrue(brute.size() < in.size(), "some overlap to suppress");
		assertEquals(brute.size(), kept.size(), "masks kept");
		assertTrue(brute.equals(kept), "the same masks in the same order as brute force");
	}
}

package org.anyseg.ops.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.testutil.CountingModel;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, segment everything inside a region, with the deterministic click-to-component
 * model: tiles and crops without a grid point inside the region are never encoded, only
 * the grid points inside it are decoded, and an object is kept when more than the
 * region's fraction of its area lies inside (strictly: an object half in, half out is
 * dropped at 0.5), whole.
 */
class AutoRegionTest {

	/** The deterministic click-to-component model, counting its runs. */
	private static CountingModel counting() {
		return new CountingModel(new ThresholdModel());
	}

	private static List<AutoSegmenter.Found> run(final Plane image, final AutoParams p,
		final Region r, final CountingModel m, final int[] total)
	{
		try (Segmenter seg = new Segmenter(m, "threshold", new EmbeddingCache(64))) {
			return new AutoSegmenter(seg).run(org.anyseg.ops.engine.PromptWindow.Source.of(image),
				Normalization.AUTO, p, r, (done, t) -> total[0] = t, null);
		}
	}

	/** The rectangle {@code x < xb, y < yb} of a W x H image. */
	private static Region rect(final int xb, final int yb) {
		return Region.of(AutoSegmenterTest.W, AutoSegmenterTest.H, (x, y) -> x < xb && y < yb);
	}

	@Test
	void tilesOutsideTheRegionAreNeverEncodedAndOnlyPointsInsideAreDecoded() {
		// tiles of 128 with 48 overlap: x at 0, 80, 160, 172; y at 0, 80, 92 (12 tiles)
		final AutoParams p = new AutoParams(16, 0.5, 0.9, 1, 0.7, 10, 0.5, 128, 48);
		final Region r = rect(100, 70);
		final CountingModel m = counting();
		final int[] total = { 0 };
		final List<AutoSegmenter.Found> found = run(AutoSegmenterTest.image(false), p, r, m,
			total);
		assertEquals(12, AutoSegmenter.tiles(300, 220, 128, 48).size());
		int intersecting = 0;
		for (final int[] t : AutoSegmenter.tiles(300, 220, 128, 48)) {
			if (t[0] < 100 && t[1] < 70) intersecting++;
		}
		assertEquals(2, intersecting);
		assertEquals(intersecting, m.encodes, "only the tiles that meet the region");
		// grid points inside, brute force: 16 x 16 per tile at floor((i + 0.5) * 128 / 16)
		int inside = 0;
		for (final int[] t : AutoSegmenter.tiles(300, 220, 128, 48)) {
			for (int j = 0; j < 16; j++) {
				for (int i = 0; i < 16; i++) {
					if (t[0] + (int) Math.floor((i + 0.5) * 8) < 100 && t[1] + (int) Math.floor((j +
						0.5) * 8) < 70) inside++;
				}
			}
		}
		assertEquals(inside, m.decodes, "one decoder run per grid point inside");
		assertEquals(inside, total[0], "progress counts the points inside only");
		assertTrue(inside < 16 * 16 * 2);
		// discs at (30,30) and (100,40): the first wholly inside, the second mostly outside
		assertEquals(1, found.size(), "the disc inside");
		assertEquals(30, (found.get(0).mask().x0() + found.get(0).mask().x1()) / 2, 1);
		for (final AutoSegmenter.Found f : found) {
			assertTrue(r.contains((int) f.promptX(), (int) f.promptY()), "its click inside");
		}
	}

	@Test
	void cropLayersOutsideTheRegionAreNeverEncoded() {
		final AutoParams p = new AutoParams(8, 0.5, 0.9, 1, 0.7, 10, 0.5, 1024, 128)
			.withCropLayers(1);
		final CountingModel whole = counting(), part = counting();
		run(AutoSegmenterTest.image(false), p, null, whole, new int[1]);
		assertEquals(5, whole.encodes, "the image and its 4 crops");
		// the upper-left crop is x 0..187, y 0..147 (AutoSegmenterTest): a region in its corner
		final Region r = rect(60, 60);
		run(AutoSegmenterTest.image(false), p, r, part, new int[1]);
		assertEquals(2, part.encodes, "the image and the one crop that meets the region");
		int expected = 0;
		for (final int[] c : AutoSegmenter.cropBoxes(300, 220, p)) {
			for (final ObjectPrompt o : AutoSegmenter.grid(c[2], c[3], c[5])) {
				final PointPrompt q = o.points().get(0);
				if (r.contains(c[0] + (int) q.x(), c[1] + (int) q.y())) expected++;
			}
		}
		assertEquals(expected, part.decodes, "only the grid points inside, crops included");
	}

	@Test
	void gridKeepsOnlyPointsInsideTheRegion() {
		final java.util.Random rnd = new java.util.Random(3);
		final boolean[] in = new boolean[300 * 220];
		for (int k = 0; k < in.length; k++) in[k] = rnd.nextInt(3) == 0;
		final Region r = Region.of(300, 220, (x, y) -> in[y * 300 + x]);
		final List<ObjectPrompt> g = AutoSegmenter.grid(40, 30, 200, 150, 32, r);
		final List<ObjectPrompt> all = AutoSegmenter.grid(200, 150, 32);
		int expected = 0;
		for (final ObjectPrompt o : all) {
			final PointPrompt q = o.points().get(0);
			if (in[(30 + (int) q.y()) * 300 + 40 + (int) q.x()]) expected++;
		}
		assertEquals(expected, g.size());
		for (final ObjectPrompt o : g) {
			final PointPrompt q = o.points().get(0);
			assertTrue(in[(30 + (int) q.y()) * 300 + 40 + (int) q.x()], "inside: " + q);
		}
		assertTrue(expected > 0 && expected < all.size());
	}

	@Test
	void intersectsAgreesWithBruteForce() {
		final java.util.Random rnd = new java.util.Random(5);
		final Region r = Region.of(300, 220, 50, 40, 120, 90, (x, y) -> (x * 7 + y * 13) % 97 == 0);
		for (int k = 0; k < 2000; k++) {
			final int x = rnd.nextInt(320) - 10, y = rnd.nextInt(240) - 10;
			final int w = 1 + rnd.nextInt(60), h = 1 + rnd.nextInt(60);
			boolean brute = false;
			for (int yy = y; yy < y + h; yy++) {
				for (int xx = x; xx < x + w; xx++) brute |= r.contains(xx, yy);
			}
			assertEquals(brute, r.intersects(x, y, w, h), x + "," + y + " " + w + "x" + h);
		}
	}

	/** Three objects across the region's edge x = 150 (clicks of a 32 grid fall on each). */
	private static Plane edgeObjects() {
		final int w = AutoSegmenterTest.W, h = AutoSegmenterTest.H;
		final float[] f = new float[w * h];
		java.util.Arrays.fill(f, 20);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				if (Math.hypot(x - 147, y - 40) <= 12) f[y * w + x] = 220; // mostly inside
				if (Math.hypot(x - 153, y - 100) <= 12) f[y * w + x] = 220; // mostly outside
				if (x >= 140 && x < 160 && y >= 150 && y < 170) f[y * w + x] = 220; // half and half
			}
		}
		return new Plane(w, h, Plane.Kind.GRAY8, f);
	}

	private static List<Integer> centresY(final List<AutoSegmenter.Found> found) {
		final List<Integer> out = new ArrayList<>();
		for (final AutoSegmenter.Found f : found) out.add((f.mask().y0() + f.mask().y1()) / 2);
		out.sort(null);
		return out;
	}

	@Test
	void objectsAreKeptWhenMostOfTheirAreaLiesInsideAndKeptWhole() {
		final AutoParams p = new AutoParams(32, 0.5, 0.9, 1, 0.7, 10, 0.5, 1024, 128);
		final Region r = rect(150, 220);
		assertEquals(List.of(40, 100, 160), centresY(run(edgeObjects(), p, null, counting(),
			new int[1])), "without a region: all three");
		final List<AutoSegmenter.Found> most = run(edgeObjects(), p, r, counting(), new int[1]);
		assertEquals(List.of(40), centresY(most), "0.5: the disc mostly inside only; the " +
			"square half in, half out is dropped");
		final BitMask kept = most.get(0).mask();
		assertEquals(135, kept.x0());
		assertEquals(160, kept.x1(), "kept whole, not clipped at the region's edge");
		assertTrue(r.inside(kept) > kept.area() / 2 && r.inside(kept) < kept.area());
		assertEquals(List.of(40, 160), centresY(run(edgeObjects(), p, r.withMinInside(0.45),
			counting(), new int[1])), "0.45: the square too");
		assertEquals(List.of(40, 100, 160), centresY(run(edgeObjects(), p, r.withMinInside(0),
			counting(), new int[1])), "0: any overlap");
		assertEquals(List.of(), centresY(run(edgeObjects(), p, r.withMinInside(1),
			counting(), new int[1])), "1: wholly inside only");
	}

	@Test
	void regionsOfAnotherSizeOrEmptyOrBadFractionsAreRefused() {
		final AutoParams p = new AutoParams(4, 0.5, 0.9, 1, 0.7, 10, 0.5, 1024, 128);
		final Region small = Region.of(100, 100, (x, y) -> true);
		final AnySegException e = assertThrows(AnySegException.class, () -> run(
			AutoSegmenterTest.image(false), p, small, counting(), new int[1]));
		assertTrue(e.getMessage().contains("100x100") && e.getMessage().contains("300x220"), e
			.getMessage());
		assertTrue(assertThrows(AnySegException.class, () -> Region.of(300, 220, (x, y) -> false))
			.getMessage().contains("no pixel"));
		assertTrue(assertThrows(AnySegException.class, () -> Region.of(300, 220, 400, 0, 50, 50,
			(x, y) -> true)).getMessage().contains("no pixel"), "a box outside the image");
		final String m = assertThrows(AnySegException.class, () -> small.withMinInside(1.5))
			.getMessage();
		assertTrue(m.contains("region_min_inside") && m.contains("from 0 to 1"), m);
		assertFalse(small.withMinInside(1).minInside() != 1);
	}
}

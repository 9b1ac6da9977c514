package org.anyseg.ops.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation.Options;
import org.anyseg.ops.volume.Propagation.Result;
import org.anyseg.ops.volume.Propagation.Seed;
import org.anyseg.ops.volume.Propagation.Target;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stop rules of {@link StopRules} on synthetic volumes where the object ends at a known
 * slice (10) and a neighbouring bright structure follows it, so the old rule (predicted IoU
 * and area collapse only) runs on past the object's end.
 */
class StopRulesTest {

	static final int NX = 128, NY = 128, NZ = 21, END = 10;
	static Segmenter seg;

	@BeforeAll
	static void setUp() {
		seg = new Segmenter(new ThresholdModel(), "threshold", new EmbeddingCache(256));
	}

	@AfterAll
	static void tearDown() {
		seg.close();
	}

	/** Object: square x,y 40..59 on slices 0..END; after it, square [bx..bx+bs)^2. */
	static Volume volume(final int bx, final int bs) {
		final List<float[]> slices = new ArrayList<>();
		for (int z = 0; z < NZ; z++) {
			final float[] s = new float[NX * NY];
			for (int y = 0; y < NY; y++) {
				for (int x = 0; x < NX; x++) {
					final boolean in = z <= END ? x >= 40 && x < 60 && y >= 40 && y < 60 : x >= bx &&
						x < bx + bs && y >= bx && y < bx + bs;
					s[y * NX + x] = in ? 200 : 40;
				}
			}
			slices.add(s);
		}
		return Volume.of(NX, NY, Plane.Kind.GRAY32, slices);
	}

	/** The last slice the object got a mask on, walking up from slice 5. */
	static int lastSlice(final Volume v, final Options o) {
		final Result r = new Propagator(seg).propagate(v, Normalization.AUTO, List.of(new Target(
			1, List.of(new Seed(5, ObjectPrompt.ofBox(1, new BoxPrompt(40, 40, 60, 60)))))), o,
			null, null);
		int last = -1;
		for (int z = 0; z < NZ; z++) {
			for (final short p : r.labels()[z]) {
				if (p == 1) {
					last = z;
					break;
				}
			}
		}
		return last;
	}

	static Options old() {
		return Options.defaults().withMinIou(0.5).withMinAreaRatio(0.2);
	}

	@Test
	void areaJumpStopsWhereTheObjectMergesIntoALargerNeighbour() {
		// after slice 10 a large bright square (20..99) holds the object's place
		final Volume v = volume(20, 80);
		assertEquals(NZ - 1, lastSlice(v, old()), "the old rule grows into the neighbour");
		assertEquals(END, lastSlice(v, old().withMaxAreaRatio(1.3)));
	}

	@Test
	void driftStopsWhereTheMaskMovesOffTheObject() {
		// after slice 10 a square of the same size, shifted half its size: same area, the
		// click at the previous centre lands on it
		final Volume v = volume(50, 20);
		final Options o = old().withFollow(Propagation.Follow.POINT);
		assertEquals(NZ - 1, lastSlice(v, o), "the old rule follows the shifted square");
		assertEquals(END, lastSlice(v, o.withMinInside(0.6)));
	}

	@Test
	void insideIsTheShareOfTheNewMaskInTheDilatedPrevious() {
		final float[] prev = new float[NX * NY], next = new float[NX * NY];
		for (int y = 0; y < NY; y++) {
			for (int x = 0; x < NX; x++) {
				prev[y * NX + x] = x >= 40 && x < 60 && y >= 40 && y < 60 ? 1 : -1;
				next[y * NX + x] = x >= 50 && x < 70 && y >= 50 && y < 70 ? 1 : -1;
			}
		}
		// radius round(0.1 * 20) = 2: x, y 50..61 of 50..69 lie inside
		assertEquals(144 / 400.0, StopRules.inside(prev, next, NX, NY, 0.1), 1e-9);
		assertEquals(1.0, StopRules.inside(prev, prev, NX, NY, 0.1), 1e-9);
		assertTrue(StopRules.inside(prev, new float[NX * NY], NX, NY, 0.1) == 0);
	}

	@Test
	void contrastStopsWhereTheMaskNoLongerStandsOut() {
		// after slice 10 the whole slice is as bright as the object was (a large organ): the
		// box finds "something" everywhere, area and position give no sign of the end
		final Volume v = volume(0, NX);
		final Options o = old().withMinIou(-100);
		assertEquals(NZ - 1, lastSlice(v, o), "the old rule walks on through the bright slices");
		assertEquals(END, lastSlice(v, o.withMinContrast(0.5)));
		assertEquals(NZ - 1, lastSlice(v, o.withMinContrast(0)), "0 = off");
	}

	@Test
	void contrastIsTheMeanInsideLessTheRingAround() {
		final float[] values = new float[NX * NY], mask = new float[NX * NY];
		for (int y = 0; y < NY; y++) {
			for (int x = 0; x < NX; x++) {
				final boolean in = x >= 40 && x < 60 && y >= 40 && y < 60;
				mask[y * NX + x] = in ? 1 : -1;
				// inside 100; ring of radius round(0.1 * 20) = 2 at 30; further out 1000
				final boolean ring = x >= 38 && x < 62 && y >= 38 && y < 62;
				values[y * NX + x] = in ? 100 : ring ? 30 : 1000;
			}
		}
		assertEquals(70, StopRules.contrast(values, mask, NX, NY, 0.1), 1e-9);
		values[0] = Float.NaN; // left out
		assertEquals(70, StopRules.contrast(values, mask, NX, NY, 0.1), 1e-9);
		assertTrue(Double.isNaN(StopRules.contrast(values, new float[NX * NY], NX, NY, 0.1)));
		// a prompted mask that does not stand out from its ring: the rule is off for that walk
		assertTrue(StopRules.Contrast.of(Options.defaults().withMinContrast(0.5), new float[NX *
			NY], mask, NX, NY) == null);
	}

	@Test
	void theDefaultsKeepTheOldRule() {
		assertEquals(0, Options.defaults().maxAreaRatio());
		assertEquals(0, Options.defaults().minInside());
		assertEquals(0, Options.defaults().minContrast());
	}
}

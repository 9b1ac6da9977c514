package org.anyseg.ops.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;
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
 * Propagation through a synthetic volume holding an ellipsoid (bright on dark, with noise),
 * with a deterministic threshold "model" ({@link ThresholdModel}) so the engine's logic is
 * what is tested: one box on the middle slice segments the object through the volume and
 * stops where it vanishes; every slice is encoded once; along y as along z; several
 * prompted slices; the stop criteria; cancelling leaves a partial result. The demo model
 * runs once to show the engine works with a real ONNX model (its masks are judged on real
 * data in {@code VolumeRealDataTest}).
 */
class PropagatorTest {

	static final int NX = 256, NY = 224, NZ = 21;
	static Segmenter seg;
	static ThresholdModel model;
	static Volume volume;
	static boolean[][] truth;

	@BeforeAll
	static void setUp() {
		model = new ThresholdModel();
		seg = new Segmenter(model, "threshold", new EmbeddingCache(512));
		final Random r = new Random(3);
		final List<float[]> slices = new ArrayList<>();
		truth = new boolean[NZ][NX * NY];
		for (int z = 0; z < NZ; z++) {
			final float[] s = new float[NX * NY];
			for (int y = 0; y < NY; y++) {
				for (int x = 0; x < NX; x++) {
					final double d = sq((x - 120) / 12.0) + sq((y - 100) / 10.0) + sq((z - 10) / 8.5);
					truth[z][y * NX + x] = d < 1;
					s[y * NX + x] = (float) ((d < 1 ? 200 : 40) + 10 * r.nextGaussian());
				}
			}
			slices.add(s);
		}
		volume = Volume.of(NX, NY, Plane.Kind.GRAY32, slices);
	}

	@AfterAll
	static void tearDown() {
		seg.close();
	}

	static double sq(final double v) {
		return v * v;
	}

	/** Bounding box of the truth on slice z (ImageJ convention). */
	static BoxPrompt box(final int z) {
		final int[] b = Propagator.bounds(toLogits(truth[z]), NX, NY);
		return new BoxPrompt(b[0], b[1], b[2], b[3]);
	}

	static float[] toLogits(final boolean[] m) {
		final float[] f = new float[m.length];
		for (int i = 0; i < m.length; i++) f[i] = m[i] ? 1 : -1;
		return f;
	}

	static double dice(final short[][] labels, final int label) {
		long inter = 0, a = 0, b = 0;
		for (int z = 0; z < NZ; z++) {
			for (int i = 0; i < NX * NY; i++) {
				final boolean p = labels[z][i] == label, t = truth[z][i];
				if (p) a++;
				if (t) b++;
				if (p && t) inter++;
			}
		}
		return 2.0 * inter / (a + b);
	}

	static Options options() {
		return Options.defaults().withMinIou(0.05);
	}

	@Test
	void oneBoxSegmentsTheObjectThroughTheVolume() {
		final int before = model.encodes;
		final Result r = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(10, ObjectPrompt.ofBox(1, box(10)))))), options(), null,
			null);
		final double d = dice(r.labels(), 1);
		assertTrue(d > 0.95, "3D Dice " + d + " slices " + r.slices() + " stops " + r.stops());
		assertFalse(r.partial());
		for (final int z : new int[] { 0, NZ - 1 }) {
			int n = 0;
			for (final short v : r.labels()[z]) if (v != 0) n++;
			assertEquals(0, n, "slice " + z + " lies outside the ellipsoid: " + r.stops());
		}
		assertTrue(model.encodes - before <= NZ - 2, "each slice encoded at most once: " + (model
			.encodes - before));
		assertEquals(2, r.stops().size());
		assertTrue(r.stops().stream().allMatch(s -> s.reason().equals("vanished")), r.stops()
			.toString());
	}

	@Test
	void alongYAsAlongZ() {
		// the y = 100 plane holds the (x, z) ellipse; prompts are in view coordinates (x, z)
		final Volume view = Axis.Y.view(volume);
		final boolean[] t = new boolean[view.nx() * view.ny()];
		for (int z = 0; z < NZ; z++) {
			for (int x = 0; x < NX; x++) t[z * NX + x] = truth[z][100 * NX + x];
		}
		final int[] b = Propagator.bounds(toLogits(t), view.nx(), view.ny());
		final Result r = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(100, ObjectPrompt.ofBox(1, new BoxPrompt(b[0], b[1], b[2],
				b[3])))))), options().withAxis(Axis.Y), null, null);
		final double d = dice(r.labels(), 1);
		assertTrue(d > 0.95, "3D Dice along y " + d + " stops " + r.stops());
	}

	@Test
	void promptedSlicesAreKeptAndObjectsGetTheirLabels() {
		final Result r = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(7, List.of(new Seed(6, ObjectPrompt.ofBox(7, box(6))), new Seed(14,
				ObjectPrompt.ofBox(7, box(14)))))), options(), null, null);
		assertTrue(r.slices().stream().filter(s -> s.prompted()).count() == 2);
		assertTrue(r.stops().stream().anyMatch(s -> s.reason().equals(
			"met the next prompted slice")), r.stops().toString());
		assertTrue(dice(r.labels(), 7) > 0.95, "label 7 is used: " + dice(r.labels(), 7));
	}

	@Test
	void cancelKeepsWhatWasDoneAndSaysPartial() {
		final AtomicInteger n = new AtomicInteger();
		final Result r = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(10, ObjectPrompt.ofBox(1, box(10)))))), options(), (d, t,
				last) -> n.incrementAndGet(), () -> n.get() >= 3);
		assertTrue(r.partial());
		assertEquals(3, r.slices().size());
		int labelled = 0;
		for (final short[] s : r.labels()) {
			for (final short v : s) {
				if (v != 0) {
					labelled++;
					break;
				}
			}
		}
		assertEquals(3, labelled);
	}

	@Test
	void aHighIouThresholdStopsTheWalkEarly() {
		final Result r = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(10, ObjectPrompt.ofBox(1, box(10)))))), options()
				.withMinIou(0.6), null, null);
		assertTrue(r.stops().stream().allMatch(s -> s.reason().startsWith("predicted IoU")), r
			.stops().toString());
		assertTrue(r.slices().size() < NZ - 4, r.slices().toString());
	}

	@Test
	void theDemoModelRunsThroughTheEngine() {
		try (Segmenter demo = new Segmenter(ModelLoader.load(ModelCatalog.demoFiles(),
			RuntimeOptions.defaults()), "demo", new EmbeddingCache(512)))
		{
			final Result r = new Propagator(demo).propagate(volume, Normalization.AUTO, List.of(
				new Target(1, List.of(new Seed(10, ObjectPrompt.ofBox(1, box(10)))))), options()
					.withMinIou(-10).withMaxSlices(3), null, null);
			assertEquals(7, r.slices().size(), "3 slices each way plus the prompted one");
			assertEquals(7, demo.encoderRuns(), "each slice encoded once");
			long inter = 0, area = 0;
			for (int i = 0; i < NX * NY; i++) {
				if (r.labels()[10][i] == 1) {
					area++;
					if (truth[10][i]) inter++;
				}
			}
			assertTrue(inter > 0.8 * area, "the prompted slice's mask lies on the object");
		}
	}

	@Test
	void aPromptOutsideTheVolumeIsRefused() {
		final AnySegException e = assertThrows(AnySegException.class, () -> new Propagator(seg)
			.propagate(volume, Normalization.AUTO, List.of(new Target(1, List.of(new Seed(NZ,
				ObjectPrompt.ofBox(1, box(10)))))), options(), null, null));
		assertTrue(e.getMessage().contains("outside the volume"), e.getMessage());
	}

	/** The left part of slice z's truth box: a correction that changes the object. */
	static BoxPrompt leftHalf(final int z) {
		final BoxPrompt b = box(z);
		return new BoxPrompt(b.x0(), b.y0(), (b.x0() + b.x1()) / 2, b.y1());
	}

	static int count(final short[] slice, final int label) {
		int n = 0;
		for (final short v : slice) if (v == label) n++;
		return n;
	}

	@Test
	void aCorrectionChangesOnlyTheSlicesBetweenItsNeighbouringSeeds() {
		final Result before = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(5, ObjectPrompt.ofBox(1, box(5))), new Seed(15,
				ObjectPrompt.ofBox(1, box(15)))))), options(), null, null);
		// the tool's call: new prompts on slice 10, re-propagated up to the seeds at 5 and 15
		final Result fix = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(10, ObjectPrompt.ofBox(1, leftHalf(10)))))), options()
				.withSliceRange(6, 14), null, null);
		final short[][] after = new short[NZ][];
		for (int z = 0; z < NZ; z++) {
			if (z < 6 || z > 14) {
				assertEquals(0, count(fix.labels()[z], 1), "slice " + z + " lies outside the range");
				after[z] = before.labels()[z];
			}
			else after[z] = fix.labels()[z];
		}
		for (int z = 6; z <= 14; z++) {
			final int a = count(after[z], 1), b = count(before.labels()[z], 1);
			assertTrue(a > 0 && (z != 10 || a < 0.8 * b), "slice " + z + ": " + a + " px after, " + b +
				" before; stops " + fix.stops());
		}
		for (final int z : new int[] { 0, 4, 5, 15, 16, 20 }) {
			assertTrue(java.util.Arrays.equals(before.labels()[z], after[z]), "slice " + z);
		}
		assertEquals(9, fix.slices().size(), fix.slices().toString());
		assertTrue(fix.stops().stream().allMatch(s -> s.reason().equals("end of slice range")),
			fix.stops().toString());
	}

	@Test
	void severalSeedsEachReSegmentTheirSliceAndSeedsOutsideTheRangeAreIgnored() {
		final Result r = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(3, ObjectPrompt.ofBox(1, box(3))), new Seed(10,
				ObjectPrompt.ofBox(1, leftHalf(10))), new Seed(17, ObjectPrompt.ofBox(1, box(
					17)))))), options().withSliceRange(4, 16), null, null);
		final Result half = new Propagator(seg).propagate(volume, Normalization.AUTO, List.of(
			new Target(1, List.of(new Seed(10, ObjectPrompt.ofBox(1, leftHalf(10)))))), options()
				.withMaxSlices(0), null, null);
		assertEquals(count(half.labels()[10], 1), count(r.labels()[10], 1));
		for (final int z : new int[] { 0, 3, 17, 20 }) assertEquals(0, count(r.labels()[z], 1));
		assertEquals(1, r.slices().stream().filter(s -> s.prompted()).count());
		assertEquals(13, r.slices().size(), r.slices().toString());
	}

	@Test
	void anEmptyOrOutOfStackRangeIsRefused() {
		assertThrows(AnySegException.class, () -> options().withSliceRange(5, 4));
		assertThrows(AnySegException.class, () -> new Propagator(seg).propagate(volume,
			Normalization.AUTO, List.of(new Target(1, List.of(new Seed(10, ObjectPrompt.ofBox(1,
				box(10)))))), options().withSliceRange(NZ, NZ + 2), null, null));
	}
}

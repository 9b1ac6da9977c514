package org.anyseg.ops.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.store.EmbeddingKeys;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.store.EmbeddingStore;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with a store behind its cache: a precomputed plane is never encoded and gives
 * the same masks; an entry whose tensors do not fit the model is reported and the plane
 * encoded; the store is never written by a reader.
 */
class PrecomputedEmbeddingsTest {

	@TempDir
	Path tmp;
	static final String SHA = "c".repeat(64);
	static final ObjectPrompt BOX = ObjectPrompt.ofBox(1, new BoxPrompt(10, 10, 60, 50));

	static Plane plane(final int seed) {
		final float[] v = new float[80 * 64];
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 80; x++) {
				v[y * 80 + x] = (x - 35) * (x - 35) + (y - 30) * (y - 30) < 300 + seed * 40 ? 3000 : 200;
			}
		}
		return new Plane(80, 64, Plane.Kind.GRAY16, v);
	}

	private static Segmenter segmenter(final ThresholdModel m) {
		return new Segmenter(m, "threshold", new EmbeddingCache(64));
	}

	@Test
	void storedPlanesAreReadNotEncodedAndGiveTheSameMasks() {
		final List<String> notices = new ArrayList<>();
		final EmbeddingStore store = EmbeddingStore.create(tmp.resolve("s"), notices::add);
		final ThresholdModel writer = new ThresholdModel();
		try (Segmenter w = segmenter(writer)) {
			final Precomputer pre = new Precomputer(w, store, SHA, EmbeddingStore.Precision.FLOAT32,
				false);
			for (int i = 0; i < 3; i++) {
				assertEquals(Precomputer.Outcome.WRITTEN, pre.ensure(plane(i), Normalization.AUTO,
					new int[] { 0, 0, 80, 64 }, "v.tif", i));
			}
			// a second run finds them
			assertEquals(Precomputer.Outcome.PRESENT, pre.ensure(plane(1), Normalization.AUTO,
				new int[] { 0, 0, 80, 64 }, "v.tif", 1));
			assertEquals(3, w.encoderRuns());
		}
		final ThresholdModel cold = new ThresholdModel(), warm = new ThresholdModel();
		try (Segmenter c = segmenter(cold); Segmenter s = segmenter(warm)) {
			s.useEmbeddings(EmbeddingStore.open(tmp.resolve("s"), notices::add), SHA);
			for (int i = 0; i < 3; i++) {
				assertTrue(s.isEncoded(plane(i), Normalization.AUTO));
				final Prediction a = c.segment(plane(i), Normalization.AUTO, List.of(BOX)).get(0);
				final Prediction b = s.segment(plane(i), Normalization.AUTO, List.of(BOX)).get(0);
				assertArrayEquals(a.best().logits(), b.best().logits(), 0f, "plane " + i);
			}
			assertEquals(0, warm.encodes, "no plane the store holds was encoded");
			assertEquals(0, s.encoderRuns());
			assertEquals(3, s.storeReads());
			// another normalization of the same pixels is not in the store
			s.segment(plane(0), Normalization.window(1000, 2000), List.of(BOX));
			assertEquals(1, warm.encodes);
		}
		assertEquals(List.of(), notices);
	}

	@Test
	void anEntryThatDoesNotFitTheModelIsReportedAndThePlaneEncoded() {
		final List<String> notices = new ArrayList<>();
		final EmbeddingStore store = EmbeddingStore.create(tmp.resolve("s"), notices::add);
		final Plane p = plane(0), q = plane(1);
		final float[][] rgb = Normalization.AUTO.toRgb255(q);
		// an entry for q with a tensor of another shape than the model's (e.g. another export)
		store.write(EmbeddingKeys.key(SHA, 80, 64, rgb), SHA, new Embedding(80, 64, Map.of(
			"image", FloatTensor.of(new float[32 * 32], 32, 32))), new EmbeddingStore.Info("x",
				"auto", new int[] { 0, 0, 80, 64 }, null, -1), EmbeddingStore.Precision.FLOAT32, false,
			false);
		final ThresholdModel m = new ThresholdModel();
		try (Segmenter s = segmenter(m)) {
			s.useEmbeddings(EmbeddingStore.open(tmp.resolve("s"), notices::add), SHA);
			s.segment(p, Normalization.AUTO, List.of(BOX)); // encoded: the model's shapes are known
			final Prediction b = s.segment(q, Normalization.AUTO, List.of(BOX)).get(0);
			assertEquals(2, m.encodes, "the mismatched entry was not used");
			assertTrue(b.best().area() > 0);
		}
		assertEquals(1, notices.size(), notices.toString());
		assertTrue(notices.get(0).contains("differ from the model's"), notices.get(0));
		assertEquals(1, store.keys().size(), "a reader never writes the store");
	}
}

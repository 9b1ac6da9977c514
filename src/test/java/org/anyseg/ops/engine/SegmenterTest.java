package org.anyseg.ops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** Embedding reuse and prompt handling, on the Family A fixture model. */
class SegmenterTest {

	private static Segmenter segmenter(final long cacheMb) {
		return new Segmenter(ModelLoader.load(Fixtures.samOnnxModel("encoder_normalized.onnx",
			"decoder_m4.onnx"), RuntimeOptions.defaults()), "fixture", new EmbeddingCache(
				cacheMb));
	}

	private static Plane plane(final int seed) {
		final float[] v = new float[120 * 80];
		for (int i = 0; i < v.length; i++) v[i] = (i * 31 + seed * 7) % 251;
		return new Plane(120, 80, Plane.Kind.GRAY8, v);
	}

	private static final ObjectPrompt CLICK = ObjectPrompt.ofPoints(1, List.of(new PointPrompt(
		40, 30, true)));

	@Test
	void samePlaneIsEncodedOnce() {
		try (Segmenter s = segmenter(64)) {
			s.segment(plane(1), Normalization.AUTO, List.of(CLICK));
			s.segment(plane(1), Normalization.AUTO, List.of(ObjectPrompt.ofBox(2, new BoxPrompt(5,
				5, 50, 40))));
			assertEquals(1, s.encoderRuns(), "a second prompt on the same plane re-ran the encoder");
			assertTrue(s.isEncoded(plane(1), Normalization.AUTO));
			assertFalse(s.isEncoded(plane(2), Normalization.AUTO));
			s.segment(plane(2), Normalization.AUTO, List.of(CLICK));
			s.segment(plane(1), Normalization.AUTO, List.of(CLICK));
			assertEquals(2, s.encoderRuns());
			s.segment(plane(1), Normalization.MINMAX, List.of(CLICK));
			assertEquals(3, s.encoderRuns(), "another normalization is another encoder input");
		}
	}

	@Test
	void cacheIsBoundedBySize() {
		try (Segmenter s = segmenter(5)) { // one 4 MiB embedding fits, two do not
			s.segment(plane(1), Normalization.AUTO, List.of(CLICK));
			s.segment(plane(2), Normalization.AUTO, List.of(CLICK));
			s.segment(plane(1), Normalization.AUTO, List.of(CLICK));
			assertEquals(3, s.encoderRuns(), "plane 1 should have been evicted");
		}
	}

	@Test
	void concurrentRequestsShareOneEncoderRun() throws Exception {
		final ExecutorService pool = Executors.newFixedThreadPool(4);
		try (Segmenter s = segmenter(64)) {
			final List<Future<List<Prediction>>> f = pool.invokeAll(List.of(() -> s.segment(plane(
				3), Normalization.AUTO, List.of(CLICK)), () -> s.segment(plane(3), Normalization.AUTO,
					List.of(CLICK)), () -> s.segment(plane(3), Normalization.AUTO, List.of(CLICK))));
			for (final Future<List<Prediction>> x : f) x.get();
			assertEquals(1, s.encoderRuns());
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void refinementWithMaskInputChangesTheMask() {
		try (Segmenter s = segmenter(64)) {
			final Prediction first = s.segment(plane(1), Normalization.AUTO, List.of(CLICK)).get(0);
			final Prediction again = s.segment(plane(1), Normalization.AUTO, List.of(CLICK
				.withMaskInput(first.best().lowRes()))).get(0);
			assertTrue(first.best().area() != again.best().area() || first.iou() != again.iou());
		}
	}

	@Test
	void badPromptsAreRefusedBeforeEncoding() {
		try (Segmenter s = segmenter(64)) {
			final AnySegException out = assertThrows(AnySegException.class, () -> s.segment(plane(
				1), Normalization.AUTO, List.of(ObjectPrompt.ofPoints(1, List.of(new PointPrompt(120,
					10, true))))));
			assertTrue(out.getMessage().contains("outside the 120x80 image"), out.getMessage());
			final AnySegException box = assertThrows(AnySegException.class, () -> s.segment(plane(
				1), Normalization.AUTO, List.of(ObjectPrompt.ofBox(1, new BoxPrompt(10, 10, 121,
					20)))));
			assertTrue(box.getMessage().contains("reaches outside"), box.getMessage());
			final AnySegException none = assertThrows(AnySegException.class, () -> s.segment(plane(
				1), Normalization.AUTO, List.of()));
			assertTrue(none.getMessage().contains("No prompts"), none.getMessage());
			assertEquals(0, s.encoderRuns());
		}
		assertThrows(AnySegException.class, () -> new ObjectPrompt(1, List.of(), null, null));
	}

	@Test
	void severalBoxesAreSeveralObjects() {
		try (Segmenter s = segmenter(64)) {
			final List<Prediction> p = s.segment(plane(1), Normalization.AUTO, List.of(ObjectPrompt
				.ofBox(1, new BoxPrompt(0, 0, 60, 40)), ObjectPrompt.ofBox(7, new BoxPrompt(60, 40,
					120, 80))));
			assertEquals(2, p.size());
			final short[] labels = LabelComposer.compose(120, 80, p);
			int ones = 0, sevens = 0;
			for (final short l : labels) {
				if (l == 1) ones++;
				if (l == 7) sevens++;
			}
			assertTrue(ones > 0 && sevens > 0, "both objects appear: " + ones + ", " + sevens);
		}
	}
}

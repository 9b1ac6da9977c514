package org.anyseg.ops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.Test;

/**
 * One session call per prompt change: {@link PromptSession#predict(org.anyseg.ops.prompt
 * .ObjectPrompt, java.util.function.Consumer)} finds the region once, says before the one
 * slow encoding of a region, and encodes nothing twice.
 */
class PromptSessionOneCallTest {

	/** A 3000x2000 plane that counts how often a region is read. */
	static final class Counting implements PromptWindow.Source {

		int crops;

		@Override
		public int width() {
			return 3000;
		}

		@Override
		public int height() {
			return 2000;
		}

		@Override
		public Plane crop(final int x, final int y, final int w, final int h) {
			crops++;
			final float[] f = new float[w * h];
			for (int i = 0; i < f.length; i++) f[i] = (i % w + x) % 50 < 25 ? 200 : 20;
			return new Plane(w, h, Plane.Kind.GRAY8, f);
		}
	}

	@Test
	void encodingIsAnnouncedOncePerRegionAndRegionsAreReadOnce() {
		final ThresholdModel m = new ThresholdModel();
		final Counting src = new Counting();
		final List<Boolean> announced = new ArrayList<>();
		try (Segmenter seg = new Segmenter(m, "t", new EmbeddingCache(64))) {
			final PromptSession s = new PromptSession(seg, src, Normalization.AUTO);
			s.addPoint(new PointPrompt(100, 100, true));
			s.accept(s.predict(s.snapshot(1), announced::add));
			s.addPoint(new PointPrompt(120, 110, true));
			s.accept(s.predict(s.snapshot(1), announced::add));
			assertEquals(List.of(true), announced, "one announcement, for a window");
			assertEquals(1, m.encodes);
			assertEquals(1, src.crops, "the window was read once for two prompt changes");
			s.clear();
			s.addPoint(new PointPrompt(2900, 1900, true));
			s.predict(s.snapshot(1), announced::add);
			assertEquals(List.of(true, true), announced, "a new window is encoded and announced");
			assertEquals(2, m.encodes);
			assertEquals(2, src.crops);
		}
	}
}

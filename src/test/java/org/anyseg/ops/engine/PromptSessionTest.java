package org.anyseg.ops.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.Test;

/**
 * The interactive session on a plane larger than the window: each prediction is made in a
 * full-resolution window around the prompts and located in the image; prompts inside the
 * window reuse its embedding; a prompt far away moves the window (and a mask input from the
 * old window is not used); small planes are handled whole.
 */
class PromptSessionTest {

	/** A 5000x4000 8-bit plane read through a source that counts conversions. */
	static final class Big implements PromptWindow.Source {

		int crops;
		long maxPixels;

		@Override
		public int width() {
			return 5000;
		}

		@Override
		public int height() {
			return 4000;
		}

		@Override
		public Plane crop(final int x, final int y, final int w, final int h) {
			crops++;
			maxPixels = Math.max(maxPixels, (long) w * h);
			final float[] f = new float[w * h];
			for (int j = 0; j < h; j++) {
				for (int i = 0; i < w; i++) {
					final int gx = x + i, gy = y + j;
					final boolean disc = Math.hypot(gx - 4000, gy - 3000) <= 15 || Math.hypot(gx - 500,
						gy - 400) <= 15;
					f[j * w + i] = disc ? 220 : 20;
				}
			}
			return new Plane(w, h, Plane.Kind.GRAY8, f);
		}
	}

	@Test
	void largePlanesArePromptedInLocatedWindows() {
		final ThresholdModel m = new ThresholdModel();
		final Big src = new Big();
		try (Segmenter seg = new Segmenter(m, "t", new EmbeddingCache(64))) {
			final PromptSession s = new PromptSession(seg, src, Normalization.AUTO);
			assertTrue(s.windowed());
			s.setBox(new BoxPrompt(3980, 2980, 4020, 3020));
			PromptSession.Located p = s.predict(s.snapshot(1));
			assertEquals(1024, p.region()[2]);
			assertTrue(p.x() <= 3980 && p.x() + 1024 >= 4020, "the window holds the box");
			// the mask is at the disc, in window coordinates
			final float[] l = p.prediction().best().logits();
			assertTrue(l[(3000 - p.y()) * 1024 + 4000 - p.x()] > 0);
			assertFalse(l[(3000 - p.y()) * 1024 + 3900 - p.x()] > 0);
			s.accept(p);
			s.addPoint(new PointPrompt(4000, 3000, true));
			final PromptSession.Located q = s.predict(s.snapshot(1));
			assertArrayEquals(p.region(), q.region(), "a prompt inside keeps the window");
			assertEquals(1, src.crops, "the window was read once for both predictions");
			assertEquals(1, m.encodes, "and its embedding");
			s.clear();
			s.addPoint(new PointPrompt(500, 400, true));
			final PromptSession.Located r = s.predict(s.snapshot(1));
			assertTrue(r.x() <= 500 && r.x() + 1024 > 500 && r.y() <= 400, "the window moved");
			assertEquals(2, m.encodes);
			assertTrue(src.maxPixels <= 1024 * 1024, "never more than a window converted");
		}
	}

	@Test
	void smallPlanesAreWhole() {
		final ThresholdModel m = new ThresholdModel();
		final float[] f = new float[300 * 200];
		final Plane plane = new Plane(300, 200, Plane.Kind.GRAY8, f);
		try (Segmenter seg = new Segmenter(m, "t", new EmbeddingCache(64))) {
			final PromptSession s = new PromptSession(seg, new PromptWindow.Source() {

				@Override
				public int width() {
					return 300;
				}

				@Override
				public int height() {
					return 200;
				}

				@Override
				public Plane crop(final int x, final int y, final int w, final int h) {
					return plane;
				}
			}, Normalization.AUTO);
			assertFalse(s.windowed());
			s.addPoint(new PointPrompt(10, 10, true));
			assertArrayEquals(new int[] { 0, 0, 300, 200 }, s.predict(s.snapshot(1)).region());
		}
	}
}

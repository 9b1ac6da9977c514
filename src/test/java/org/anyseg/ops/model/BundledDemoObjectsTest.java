package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled demo (v2 of issue 18) serves small and large objects: boxes whose longer side
 * in the model's 1024 frame is under its gate (112) go to the nuclei-trained small-object
 * network, larger ones to the large-object network. Images are made here (shaded, textured,
 * low-contrast objects as in tools/demo_model's generators), not taken from the shared data.
 * The demo before v2 failed the large objects (measured on this test's images: see the
 * figures beside each assertion; one run, ONNX Runtime 1.24.2, 2 cores).
 */
class BundledDemoObjectsTest {

	static Segmenter seg;

	@BeforeAll
	static void load() {
		seg = new Segmenter(ModelLoader.load(ModelCatalog.demoFiles(), RuntimeOptions.defaults()),
			"demo", new EmbeddingCache(256));
	}

	@AfterAll
	static void close() {
		seg.close();
	}

	/**
	 * A W x H grey image: an ellipse (centre, radii) brighter than the background by
	 * {@code contrast}, shaded like a dome, on a textured, noisy background; truth in
	 * {@code truth}.
	 */
	static Plane ellipse(final int w, final int h, final double cx, final double cy,
		final double rx, final double ry, final double contrast, final boolean[] truth)
	{
		final Random r = new Random(7);
		final float[] v = new float[w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final double d = sq((x - cx) / rx) + sq((y - cy) / ry);
				final boolean in = d <= 1;
				truth[y * w + x] = in;
				double g = 90 + 12 * Math.sin(x / 9.0) * Math.cos(y / 13.0);
				if (in) g += contrast * (0.6 + 0.4 * Math.sqrt(1 - d));
				v[y * w + x] = (float) Math.max(0, Math.min(255, g + 6 * r.nextGaussian()));
			}
		}
		return new Plane(w, h, Plane.Kind.GRAY8, v);
	}

	static double sq(final double v) {
		return v * v;
	}

	static double dice(final float[] logits, final boolean[] truth) {
		int inter = 0, p = 0, t = 0;
		for (int i = 0; i < truth.length; i++) {
			final boolean m = logits[i] > 0;
			if (m) p++;
			if (truth[i]) t++;
			if (m && truth[i]) inter++;
		}
		return 2.0 * inter / Math.max(1, p + t);
	}

	static double boxDice(final Plane p, final boolean[] truth) {
		int x0 = p.width(), y0 = p.height(), x1 = 0, y1 = 0;
		for (int i = 0; i < truth.length; i++) {
			if (!truth[i]) continue;
			x0 = Math.min(x0, i % p.width());
			y0 = Math.min(y0, i / p.width());
			x1 = Math.max(x1, i % p.width() + 1);
			y1 = Math.max(y1, i / p.width() + 1);
		}
		final Prediction r = seg.segment(p, Normalization.AUTO, List.of(ObjectPrompt.ofBox(1,
			new BoxPrompt(x0, y0, x1, y1)))).get(0);
		return dice(r.best().logits(), truth);
	}

	@Test
	void aLargeLowContrastObjectFillsItsBox() {
		final boolean[] truth = new boolean[320 * 320];
		final Plane p = ellipse(320, 320, 165, 150, 115, 95, 35, truth);
		final double d = boxDice(p, truth);
		assertTrue(d >= 0.75, "large object, box Dice " + d); // v2 0.861; demo before v2 0.059
	}

	@Test
	void aFrameSizedObjectIsSegmented() {
		final boolean[] truth = new boolean[256 * 200];
		final Plane p = ellipse(256, 200, 128, 100, 124, 96, 50, truth);
		final double d = boxDice(p, truth);
		assertTrue(d >= 0.75, "frame-sized object, box Dice " + d); // v2 0.838; before 0.096
	}

	@Test
	void aSmallObjectStillGoesToTheNucleiNetwork() {
		final boolean[] truth = new boolean[256 * 256];
		final Plane p = ellipse(256, 256, 100, 120, 10, 8, 80, truth);
		final double d = boxDice(p, truth);
		// v2 0.923, before 0.916; the large-object network alone 0.717
		assertTrue(d >= 0.85, "small object, box Dice " + d);
	}

	@Test
	void aClickWithoutABoxGoesToTheNucleiNetwork() {
		// clicks have no size: the gate sends them to the small-object network, whose masks
		// lie where the click was (on a large object it marks a part, not the background)
		final boolean[] truth = new boolean[320 * 320];
		final Plane p = ellipse(320, 320, 165, 150, 115, 95, 35, truth);
		final Prediction r = seg.segment(p, Normalization.AUTO, List.of(ObjectPrompt.ofPoints(1,
			List.of(new PointPrompt(165, 150, true))))).get(0);
		int in = 0, n = 0;
		for (int i = 0; i < truth.length; i++) {
			if (r.best().logits()[i] <= 0) continue;
			n++;
			if (truth[i]) in++;
		}
		assertTrue(n > 0 && in >= 0.9 * n, in + " of " + n + " mask pixels on the object");
	}
}

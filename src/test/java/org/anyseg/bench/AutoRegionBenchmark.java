package org.anyseg.bench;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.auto.AutoParams;
import org.anyseg.ops.auto.AutoSegmenter;
import org.anyseg.ops.auto.Region;
import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.PromptWindow;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;

import org.anyseg.testutil.CountingModel;

import ij.ImagePlus;
import ij.process.ByteProcessor;

/**
 * Issue 17: segment everything on a slide-like synthetic image that is mostly background
 * (default 4096 x 4096: three tissue ellipses covering about 20 %, grey with bright
 * nuclei-sized discs, on a dark textured background), whole image against the tissue as a region
 * (the ellipses' mask, as a tissue detector would give), with the bundled demo model and its
 * own thresholds, tiles of 1024 with 128 overlap. Runs alternate (whole, region) in one
 * process; prints encoder runs, decoder runs (prompts decoded), objects and wall time of
 * each, then the medians and their ratio.
 * <p>
 * Arguments: [side] [points per side] [repetitions] (defaults 4096 4 3: a 4 x 4 grid per tile
 * keeps a whole-image run to minutes with the demo, whose decoder makes full-size masks).
 */
public final class AutoRegionBenchmark {

	private AutoRegionBenchmark() {}

	/** Tissue ellipses {cx, cy, a, b} as fractions of the side. */
	static final double[][] TISSUE = { { 0.27, 0.25, 0.17, 0.12 }, { 0.73, 0.29, 0.15, 0.11 }, {
		0.49, 0.73, 0.19, 0.135 } };

	static boolean tissue(final int x, final int y, final int n) {
		for (final double[] t : TISSUE) {
			final double dx = (x - t[0] * n) / (t[2] * n), dy = (y - t[1] * n) / (t[3] * n);
			if (dx * dx + dy * dy <= 1) return true;
		}
		return false;
	}

	public static void main(final String[] args) {
		final int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
		final int pps = args.length > 1 ? Integer.parseInt(args[1]) : 4;
		final int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
		final ByteProcessor bp = new ByteProcessor(n, n);
		final byte[] px = (byte[]) bp.getPixels();
		long inTissue = 0;
		for (int y = 0; y < n; y++) {
			for (int x = 0; x < n; x++) {
				final boolean t = tissue(x, y, n);
				// a texture, so no two background tiles are alike (as on a real slide, where the
				// embedding cache cannot share one tile's embedding with the next)
				px[y * n + x] = (byte) ((t ? 90 : 20) + (x * 7 + y * 13) % 11);
				if (t) inTissue++;
			}
		}
		// nuclei: discs of radius 9 every 48 pixels, shifted by row, inside the tissue
		bp.setValue(230);
		for (int y = 24; y < n; y += 48) {
			for (int x = 24 + (y / 48 % 2) * 24; x < n; x += 48) {
				if (tissue(x, y, n)) bp.fillOval(x - 9, y - 9, 18, 18);
			}
		}
		final ImagePlus imp = new ImagePlus("slide", bp);
		final PromptWindow.Source source = ImagePlanes.sourceOf(imp, PlaneSelection.FIRST);
		final Region region = Region.of(n, n, (x, y) -> tissue(x, y, n));
		final AutoParams p = AutoParams.defaults(ModelConfig.of(ModelCatalog.demoFiles())).with(
			java.util.Map.of("points_per_side", pps));
		System.out.printf("%dx%d, tissue %.1f %% of the image, %d tiles of %d (overlap %d), %d " +
			"points per side, demo model, %d repetitions%n", n, n, 100.0 * inTissue / ((long) n * n),
			AutoSegmenter.tileCount(n, n, p), p.tileSize(), p.tileOverlap(), pps, reps);
		final List<Double> whole = new ArrayList<>(), inside = new ArrayList<>();
		for (int r = 0; r < reps; r++) {
			for (final boolean limited : new boolean[] { false, true }) {
				final CountingModel m = new CountingModel(ModelLoader.load(ModelCatalog.demoFiles(),
					RuntimeOptions.defaults()));
				final long t0 = System.nanoTime();
				final int objects;
				try (Segmenter seg = new Segmenter(m, "demo", new EmbeddingCache(64))) {
					objects = new AutoSegmenter(seg).run(source, Normalization.AUTO, p, limited ? region
						: null, null, null).size();
				}
				final double s = (System.nanoTime() - t0) / 1e9;
				(limited ? inside : whole).add(s);
				System.out.printf("  rep %d %-12s encoder runs %3d, decoder runs %5d, objects %5d, " +
					"%.1f s%n", r + 1, limited ? "region" : "whole image", m.encodes, m.decodes, objects,
					s);
			}
		}
		final double mw = median(whole), mr = median(inside);
		System.out.printf("median whole image %.1f s, region %.1f s: %.1fx faster, %.0f %% of " +
			"the time saved%n", mw, mr, mw / mr, 100 * (1 - mr / mw));
	}

	static double median(final List<Double> v) {
		final List<Double> s = new ArrayList<>(v);
		s.sort(null);
		final int k = s.size();
		return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
	}
}

package org.anyseg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

import org.anyseg.ops.auto.AutoParams;
import org.anyseg.ops.auto.AutoSegmenter;
import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;

import ij.ImagePlus;
import ij.process.ByteProcessor;

/**
 * Segment everything on a 20,000 x 20,000 8-bit image (default) of bright nuclei-sized
 * discs every 100 pixels, with the demo model: tiles of 1024 with 128 overlap read one by
 * one from the image as ImageJ holds it, every candidate kept (thresholds 0, the worst case
 * for memory), NMS across tiles, a full-size 16-bit label image. A sparse grid (default 4
 * points per side) keeps the run to minutes; memory does not depend on it beyond the number
 * of masks. Prints time, masks and the peak heap; run with {@code -Xmx2g}.
 * <p>
 * Arguments: [side] [points per side].
 */
public final class AutoLargeImageBenchmark {

	private AutoLargeImageBenchmark() {}

	public static void main(final String[] args) {
		final int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
		final int pps = args.length > 1 ? Integer.parseInt(args[1]) : 4;
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
		final long t0 = System.nanoTime();
		final ByteProcessor bp = org.anyseg.testutil.Discs.background(n, n);
		for (int y = 50; y < n; y += 100) {
			for (int x = 50; x < n; x += 100) bp.fillOval(x - 12, y - 12, 24, 24);
		}
		final ImagePlus imp = new ImagePlus("slide", bp);
		final AutoParams d = AutoParams.defaults();
		final AutoParams p = new AutoParams(pps, 0, 0, d
			.stabilityScoreOffset(), d.boxNmsThresh(), d.minMaskRegionArea(), d.maxMaskAreaFraction(),
			d.tileSize(), d.tileOverlap());
		final long t1 = System.nanoTime();
		final List<AutoSegmenter.Found> found;
		final int[] last = { -1 };
		try (Segmenter seg = new Segmenter(ModelLoader.load(ModelCatalog.demoFiles(),
			RuntimeOptions.defaults()), "demo", new EmbeddingCache(64)))
		{
			found = new AutoSegmenter(seg).run(ImagePlanes.sourceOf(imp, PlaneSelection.FIRST),
				Normalization.AUTO, p, (done, total) -> {
					final int pct = (int) (100L * done / total);
					if (pct / 10 != last[0]) {
						last[0] = pct / 10;
						System.out.printf("  %d%% (%d/%d prompts, %.0f s)%n", pct, done, total, (System
							.nanoTime() - t1) / 1e9);
					}
				}, null);
		}
		final long t2 = System.nanoTime();
		final short[] labels = AutoSegmenter.labels(found, n, n);
		int max = 0;
		for (int i = 0; i < labels.length; i += 997) max = Math.max(max, labels[i] & 0xffff);
		long peak = 0;
		for (final MemoryPoolMXBean mp : ManagementFactory.getMemoryPoolMXBeans()) {
			if (mp.getType() == MemoryType.HEAP) peak += mp.getPeakUsage().getUsed();
		}
		System.out.printf("%dx%d 8-bit, %d points per side per tile, %d tiles: image made in " +
			"%.1f s; segment everything %.1f s; %d masks kept; labels painted in %.1f s; peak heap " +
			"%.0f MB (image %d MB + labels %d MB), max heap %.0f MB%n", n, n, pps, AutoSegmenter
				.tileCount(n, n, p), (t1 - t0) / 1e9, (t2 - t1) / 1e9, found.size(), (System
					.nanoTime() - t2) / 1e9, peak / 1e6, (long) n * n / 1_000_000, 2L * n * n /
						1_000_000, Runtime.getRuntime().maxMemory() / 1e6);
	}
}

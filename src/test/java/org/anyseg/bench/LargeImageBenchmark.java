package org.anyseg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.LabelComposer;
import org.anyseg.ops.engine.PromptWindow;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;

import ij.process.ByteProcessor;

/**
 * Prompting a 20,000 x 20,000 8-bit image (default): the image is held as ImageJ keeps it
 * (bytes), each prompt is segmented in a full-resolution 1024 window cut out around it (a
 * second prompt inside the same window reuses its embedding), and the masks are pasted into
 * a full-size 16-bit label image. Prints times, encoder runs and the peak heap; run with
 * {@code -Xmx2g}.
 */
public final class LargeImageBenchmark {

	private LargeImageBenchmark() {}

	public static void main(final String[] args) {
		final int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
		final long t0 = System.nanoTime();
		final ByteProcessor bp = org.anyseg.testutil.Discs.background(n, n);
		final int[][] discs = { { n / 4, n / 4 }, { n / 4 + 200, n / 4 + 150 }, { 3 * n / 4, n /
			2 } };
		for (final int[] d : discs) bp.fillOval(d[0] - 20, d[1] - 20, 40, 40);
		final short[] labels = new short[n * n];
		final PromptWindow win = new PromptWindow(new PromptWindow.Source() {

			@Override
			public int width() {
				return n;
			}

			@Override
			public int height() {
				return n;
			}

			@Override
			public Plane crop(final int x, final int y, final int w, final int h) {
				bp.setRoi(x, y, w, h);
				return ImagePlanes.of(bp.crop(), false);
			}
		}, 1024);
		final long t1 = System.nanoTime();
		try (Segmenter seg = new Segmenter(ModelLoader.load(ModelCatalog.demoFiles(),
			RuntimeOptions.defaults()), "demo", new EmbeddingCache(256)))
		{
			int label = 1;
			for (final int[] d : discs) {
				final long s = System.nanoTime();
				final List<Prediction> p = win.segment(seg, Normalization.AUTO, List.of(ObjectPrompt
					.ofBox(label++, new BoxPrompt(d[0] - 20, d[1] - 20, d[0] + 20, d[1] + 20))));
				final int[] w = win.current();
				PromptWindow.paste(LabelComposer.compose(w[2], w[3], p), w, labels, n);
				System.out.printf("prompt at (%d,%d): window (%d,%d) %dx%d, area %d px, %.0f ms, " +
					"encoder runs so far %d%n", d[0], d[1], w[0], w[1], w[2], w[3], p.get(0).best().area(),
					(System.nanoTime() - s) / 1e6, seg.encoderRuns());
			}
		}
		long peak = 0;
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
			if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
		}
		System.out.printf("%dx%d 8-bit: image made in %.1f s; 3 prompts in %.1f s; peak heap %.0f " +
			"MB (image %d MB + labels %d MB), max heap %.0f MB%n", n, n, (t1 - t0) / 1e9, (System
				.nanoTime() - t1) / 1e9, peak / 1e6, (long) n * n / 1_000_000, 2L * n * n / 1_000_000,
			Runtime.getRuntime().maxMemory() / 1e6);
	}
}

package org.anyseg.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;

import org.anyseg.plugin.batch.EvaluationRun;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

/**
 * {@code evaluate} on one 256x256 ground-truth / prediction pair with many labels (1k, 10k,
 * 65535 by default; labels are runs of pixels in raster order, the prediction shifted by one
 * pixel), with and without instance matching: prints the wall time of the whole run
 * (metrics, summary, CSVs, box plots, HTML). It should grow about linearly with the number
 * of labels; it replaces a wall-clock assertion in the tests.
 * <p>
 * {@code java -cp ... org.anyseg.bench.EvaluateLabelsBenchmark [LABELS...]}
 */
public final class EvaluateLabelsBenchmark {

	private EvaluateLabelsBenchmark() {}

	/** A 256x256 16-bit label image of {@code n} labels (runs in raster order), shifted. */
	public static ImagePlus labels(final int n, final int shift) {
		final int w = 256, h = 256;
		final short[] px = new short[w * h];
		for (int i = shift; i < px.length; i++)
			px[i] = (short) (1 + (long) (i - shift) * n / px.length);
		return new ImagePlus("labels", new ShortProcessor(w, h, px, null));
	}

	public static void main(final String[] args) throws Exception {
		final int[] sizes = args.length == 0 ? new int[] { 1000, 10000, 65535 } : java.util.Arrays
			.stream(args).mapToInt(Integer::parseInt).toArray();
		final Path dir = Files.createTempDirectory("anyseg-eval-bench");
		for (final boolean instances : new boolean[] { false, true }) {
			for (final int n : sizes) {
				final Path gt = Files.createDirectories(dir.resolve("gt" + n));
				final Path pred = Files.createDirectories(dir.resolve("pred" + n));
				new FileSaver(labels(n, 0)).saveAsTiff(gt.resolve("a.tif").toString());
				new FileSaver(labels(n, 1)).saveAsTiff(pred.resolve("a.tif").toString());
				final LinkedHashMap<String, Path> preds = new LinkedHashMap<>();
				preds.put("m", pred);
				final long t = System.nanoTime();
				final EvaluationRun.Result r = new EvaluationRun(EvaluationRun.Options.defaults(gt,
					preds, dir.resolve("out" + n + instances), 1).withInstances(instances)).run();
				System.out.printf(Locale.ROOT,
					"%6d labels, instances %-5s: %8.2f s (%d metric rows, %d summary rows)%n", n,
					instances, (System.nanoTime() - t) / 1e9, r.rows().size(), r.summary().size());
			}
		}
	}
}

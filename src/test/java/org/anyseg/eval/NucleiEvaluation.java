package org.anyseg.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.plugin.cli.AnySegCli;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/**
 * Scores a model on the DSB 2018 nuclei through the CLI: each nucleus prompted by its
 * ground-truth box, or by one positive click at its centroid; mean Dice per nucleus, with
 * the no-model baselines (filled box, inscribed ellipse, Otsu inside the box: {@link
 * BoxBaselines}).
 */
public final class NucleiEvaluation {

	/** Mean Dice figures of one run. */
	public record Result(int nuclei, double box, double point, double filledBox,
		double ellipse, double otsu, double boxSeconds, double pointSeconds)
	{

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "nuclei %d: mean Dice box prompt %.4f, centroid " +
				"point %.4f; baselines filled box %.4f, inscribed ellipse %.4f, Otsu inside box %.4f; " +
				"CLI time box %.1f s, point %.1f s", nuclei, box, point, filledBox, ellipse, otsu,
				boxSeconds, pointSeconds);
		}
	}

	private NucleiEvaluation() {}

	public static Path dataDir(final Path shared) {
		return shared.resolve("dsb2018_nuclei");
	}

	public static Result run(final Path shared, final String model, final Path work)
		throws IOException
	{
		final Path img = dataDir(shared).resolve("img2d.tif");
		final InstanceMasks gt = groundTruth(shared);
		final StringBuilder boxes = new StringBuilder("object,type,x0,y0,x1,y1,label\n");
		final StringBuilder points = new StringBuilder("object,type,x0,y0,x1,y1,label\n");
		for (final InstanceMasks.Instance in : gt.instances) {
			boxes.append(in.label).append(",box,").append(in.x0).append(',').append(in.y0).append(
				',').append(in.x1 + 1).append(',').append(in.y1 + 1).append(",\n");
			final int[] p = gt.centroidPoint(in);
			points.append(in.label).append(",point,").append(p[0]).append(',').append(p[1]).append(
				",,,1\n");
		}
		final BoxBaselines.Scores base = baselines(shared, gt);
		final double[] box = score(gt, img, model, work, "box", boxes.toString());
		final double[] pt = score(gt, img, model, work, "point", points.toString());
		return new Result(gt.instances.size(), box[0], pt[0], base.filledBox(), base.ellipse(),
			base.otsu(), box[1], pt[1]);
	}

	/** The no-model baselines' mean Dice per nucleus (no CLI). */
	public static BoxBaselines.Scores baselines(final Path shared, final InstanceMasks gt) {
		final float[] grey = BoxBaselines.grey(ImageFiles.open(dataDir(shared).resolve(
			"img2d.tif")));
		return BoxBaselines.scoreAll(gt, grey, new BoxBaselines.Mean()).mean();
	}

	/** The ground-truth instances. */
	public static InstanceMasks groundTruth(final Path shared) {
		return read(dataDir(shared).resolve("mask2d.tif"));
	}

	private static double[] score(final InstanceMasks gt, final Path img, final String model,
		final Path work, final String kind, final String csv) throws IOException
	{
		final Path prompts = work.resolve("nuclei_" + kind + ".csv");
		Files.writeString(prompts, csv);
		final Path out = work.resolve("nuclei_" + kind + "_labels.tif");
		final StringWriter err = new StringWriter();
		final long t0 = System.nanoTime();
		final int rc = AnySegCli.run(new String[] { "segment", "--model", model, "--image", img
			.toString(), "--prompts", prompts.toString(), "--out", out.toString(), "--overlay", work
				.resolve("nuclei_" + kind + "_overlay.png").toString() }, new PrintWriter(
					new StringWriter()), new PrintWriter(err, true));
		final double secs = (System.nanoTime() - t0) / 1e9;
		if (rc != 0) throw new IllegalStateException("CLI failed: " + err);
		final int[] pred = read(out).labels;
		double sum = 0;
		for (final InstanceMasks.Instance in : gt.instances) sum += gt.dice(in, pred, in.label);
		return new double[] { sum / gt.instances.size(), secs };
	}

	static InstanceMasks read(final Path labels) {
		final ImagePlus imp = ImageFiles.open(labels);
		final ImageProcessor ip = imp.getProcessor();
		final int[] v = new int[imp.getWidth() * imp.getHeight()];
		for (int i = 0; i < v.length; i++) v[i] = (int) ip.getf(i);
		return new InstanceMasks(imp.getWidth(), imp.getHeight(), v);
	}

	/** Prints the figures for BENCHMARKS.md: {@code NucleiEvaluation SHARED_DATA [MODEL]}. */
	public static void main(final String[] args) throws IOException {
		final Path work = Files.createTempDirectory("anyseg-nuclei");
		System.out.println(run(Path.of(args[0]), args.length > 1 ? args[1] : "demo", work));
		System.out.println("outputs in " + work);
	}
}

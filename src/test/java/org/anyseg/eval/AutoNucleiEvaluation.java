package org.anyseg.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.anyseg.ops.eval.Detection;
import org.anyseg.ops.eval.Instances;
import org.anyseg.ops.eval.LabelVolume;
import org.anyseg.plugin.cli.AnySegCli;

/**
 * Segment everything on the DSB 2018 nuclei through the CLI ({@code auto}, the model's own
 * defaults unless options are given): detection precision, recall and F1 at IoU 0.5 against
 * the instance mask, and the run time.
 */
public final class AutoNucleiEvaluation {

	/** One run's figures. */
	public record Result(Detection detection, int objects, double seconds) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "segment everything on %d nuclei: %d objects, " +
				"F1 %.3f (precision %.3f, recall %.3f, mean IoU of matches %.3f) at IoU 0.5, %.1f s",
				detection.tp() + detection.fn(), objects, detection.f1(), detection.precision(),
				detection.recall(), detection.meanMatchedIou(), seconds);
		}
	}

	private AutoNucleiEvaluation() {}

	/** Runs {@code auto} with the model and extra CLI options, writing into {@code work}. */
	public static Result run(final Path shared, final String model, final Path work,
		final String... options) throws IOException
	{
		final Path dir = NucleiEvaluation.dataDir(shared);
		final Path out = work.resolve("nuclei_auto_labels.tif");
		final List<String> args = new ArrayList<>(List.of("auto", "--model", model, "--image", dir
			.resolve("img2d.tif").toString(), "--out", out.toString(), "--overlay", work.resolve(
				"nuclei_auto_overlay.png").toString()));
		args.addAll(List.of(options));
		final StringWriter err = new StringWriter();
		final long t0 = System.nanoTime();
		final int rc = AnySegCli.run(args.toArray(String[]::new), new PrintWriter(
			new StringWriter()), new PrintWriter(err, true));
		final double secs = (System.nanoTime() - t0) / 1e9;
		if (rc != 0) throw new IllegalStateException("CLI failed: " + err);
		final InstanceMasks gt = NucleiEvaluation.read(dir.resolve("mask2d.tif"));
		final InstanceMasks pred = NucleiEvaluation.read(out);
		final Detection d = Instances.match(LabelVolume.of2D(gt.width, gt.height, gt.labels),
			LabelVolume.of2D(pred.width, pred.height, pred.labels), 0.5);
		return new Result(d, d.tp() + d.fp(), secs);
	}

	/**
	 * Prints the figures for BENCHMARKS.md:
	 * {@code AutoNucleiEvaluation SHARED_DATA [MODEL [CLI options...]]}.
	 */
	public static void main(final String[] args) throws IOException {
		final Path work = Files.createTempDirectory("anyseg-nuclei-auto");
		final String[] options = args.length > 2 ? java.util.Arrays.copyOfRange(args, 2,
			args.length) : new String[0];
		System.out.println(run(Path.of(args[0]), args.length > 1 ? args[1] : "demo", work,
			options));
		System.out.println("outputs in " + work);
	}
}

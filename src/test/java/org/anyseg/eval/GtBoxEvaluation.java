package org.anyseg.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.anyseg.ops.eval.LabelVolume;
import org.anyseg.ops.io.FileNames;
import org.anyseg.ops.io.ij.GroundTruth;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.plugin.batch.EvaluationRun;
import org.anyseg.plugin.cli.AnySegCli;

/**
 * A folder of 2D images with ground truth, each object prompted by its ground-truth box,
 * through the CLI exactly as README's worked example ({@code batch --prompts-from gt:DIR:box}
 * then {@code evaluate}): the mean Dice over all objects of all images (evaluate's
 * summary.csv, label "all"), with the no-model baselines computed here on the same ground
 * truth ({@link GroundTruth#find}: a label image per image, or one mask per object).
 */
public final class GtBoxEvaluation {

	/** Images, their ground truth, and the threshold that makes it binary (null: labels). */
	public record Dataset(String name, Path images, Path masks, Integer gtThreshold) {}

	/** A model's figures: objects scored, mean Dice, CLI seconds (batch, evaluate). */
	public record Result(int objects, double dice, double batchSeconds, double evalSeconds) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d objects: mean Dice %.4f; batch %.1f s, evaluate " +
				"%.1f s", objects, dice, batchSeconds, evalSeconds);
		}
	}

	private GtBoxEvaluation() {}

	/** Kvasir-SEG: 5 RGB JPEGs, one binary JPEG mask each (object where > 127). */
	public static Dataset kvasir(final Path shared) {
		final Path k = shared.resolve("kvasir_seg/Kvasir-SEG");
		return new Dataset("kvasir", k.resolve("images"), k.resolve("masks"), 127);
	}

	/**
	 * SAM-Med2D CT slices: one 0/255 PNG per organ, {@code masks/IMAGE_organ_NNN.png}; the 30
	 * masks belong to 4 of the 5 images (label2image_test.json and image2label_train.json
	 * together give the same pairing as the names).
	 */
	public static Dataset ct(final Path shared) {
		final Path c = shared.resolve("sammed2d_ct_slices/data_demo");
		return new Dataset("ct", c.resolve("images"), c.resolve("masks"), null);
	}

	/** Runs batch and evaluate for {@code model}, writing under {@code work}. */
	public static Result run(final Dataset d, final String model, final Path work)
		throws IOException
	{
		final Path pred = work.resolve(d.name() + "_box"), report = work.resolve(d.name() +
			"_report");
		final List<String> batch = new ArrayList<>(List.of("batch", "--model", model, "--input", d
			.images().toString(), "--prompts-from", "gt:" + d.masks() + ":box", "--out", pred
				.toString(), "--overwrite"));
		final List<String> eval = new ArrayList<>(List.of("evaluate", "--gt", d.masks().toString(),
			"--pred", "model=" + pred, "--out", report.toString(), "--tolerance", "2"));
		if (d.gtThreshold() != null) {
			batch.addAll(List.of("--gt-threshold", d.gtThreshold().toString()));
			eval.addAll(List.of("--gt-threshold", d.gtThreshold().toString()));
		}
		final double tb = cli(batch), te = cli(eval);
		for (final String line : Files.readAllLines(report.resolve("summary.csv"))) {
			// method,label,metric,n,undefined,mean,median,q1,q3
			final String[] f = line.split(",");
			if (f[0].equals("model") && f[1].equals(EvaluationRun.ALL) && f[2].equals("dice")) {
				return new Result((int) Double.parseDouble(f[3]), Double.parseDouble(f[5]), tb, te);
			}
		}
		throw new IllegalStateException("no Dice summary in " + report);
	}

	/** Runs one CLI command in-process; its seconds, or an exception with its errors. */
	static double cli(final List<String> args) {
		final StringWriter err = new StringWriter();
		final long t0 = System.nanoTime();
		final int rc = AnySegCli.run(args.toArray(String[]::new), new PrintWriter(
			new StringWriter()), new PrintWriter(err, true));
		if (rc != 0) throw new IllegalStateException("CLI " + args + " failed: " + err);
		return (System.nanoTime() - t0) / 1e9;
	}

	/** The baselines' mean Dice over all objects of all images that have ground truth. */
	public static BoxBaselines.Mean baselines(final Dataset d) throws IOException {
		final BoxBaselines.Mean mean = new BoxBaselines.Mean();
		try (Stream<Path> s = Files.list(d.images())) {
			for (final Path img : s.filter(FileNames::isImage).sorted().toList()) {
				final GroundTruth.Loaded gt = GroundTruth.find(d.masks(), FileNames.base(img), d
					.gtThreshold());
				if (gt == null) continue;
				final LabelVolume l = gt.labels();
				final float[] grey = BoxBaselines.grey(ImageFiles.open(img));
				if (grey.length != l.labels().length) {
					throw new IllegalStateException(img + ": ground truth of another size");
				}
				BoxBaselines.scoreAll(new InstanceMasks(l.nx(), l.ny(), l.labels()), grey, mean);
			}
		}
		return mean;
	}

	/** Prints one dataset's figures: {@code GtBoxEvaluation SHARED_DATA kvasir|ct [MODEL]}. */
	public static void main(final String[] args) throws IOException {
		final Path shared = Path.of(args[0]);
		final Dataset d = args[1].equals("kvasir") ? kvasir(shared) : ct(shared);
		final Path work = Files.createTempDirectory("anyseg-gtbox");
		System.out.println(run(d, args.length > 2 ? args[2] : "demo", work));
		final BoxBaselines.Mean b = baselines(d);
		System.out.println(b.count() + " objects, baselines " + b.mean());
		System.out.println("outputs in " + work);
	}
}

package org.anyseg.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.anyseg.ops.io.nifti.NiftiVolume;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.volume.Propagation;

/**
 * {@link StopRuleEvaluation}'s cases through the CLI ({@code segment --propagate} with a
 * prompt table with a z column, the case's window, and the model's own propagation
 * defaults from its anyseg-model.json): per object, the Dice on the prompted slice (its
 * ground-truth box on its largest slice), the fraction of its ground-truth slices that got
 * a mask, the slices with a mask where the ground truth has none, and the Dice over the
 * whole volume; with the box
 * baselines on the prompted slice (grey = the raw NIfTI values of that slice).
 */
public final class VolumeCliEvaluation {

	/** One object's figures. */
	public record Obj(int label, int slice, double promptDice, double volumeDice, int gtSlices,
		int covered, int beyond, BoxBaselines.Scores baselines)
	{

		public double coveredFraction() {
			return covered / (double) gtSlices;
		}
	}

	/** One case's objects and the CLI's seconds. */
	public record Result(StopRuleEvaluation.Case c, List<Obj> objects, double seconds) {

		public double meanPromptDice() {
			return objects.stream().mapToDouble(Obj::promptDice).average().orElse(Double.NaN);
		}

		public double meanVolumeDice() {
			return objects.stream().mapToDouble(Obj::volumeDice).average().orElse(Double.NaN);
		}

		public double meanCovered() {
			return objects.stream().mapToDouble(Obj::coveredFraction).average().orElse(Double.NaN);
		}

		public int beyond() {
			return objects.stream().mapToInt(Obj::beyond).sum();
		}

		public BoxBaselines.Scores baselines() {
			final BoxBaselines.Mean m = new BoxBaselines.Mean();
			for (final Obj o : objects) m.add(o.baselines());
			return m.mean();
		}

		@Override
		public String toString() {
			final StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
				"%s (window %s, %.1f s):", Path.of(c.image()).getFileName(), c.window(), seconds));
			for (final Obj o : objects) {
				s.append(String.format(Locale.ROOT, " [label %d, slice %d: Dice %.3f (baselines box " +
					"%.3f, ellipse %.3f, Otsu %.3f), %d GT slices, covered %d, beyond %d, 3D Dice %.3f]",
					o.label(), o.slice(), o.promptDice(), o.baselines().filledBox(), o.baselines()
						.ellipse(), o.baselines().otsu(), o.gtSlices(), o.covered(), o.beyond(), o
							.volumeDice()));
			}
			return s.toString();
		}
	}

	private VolumeCliEvaluation() {}

	/** Runs one case for {@code model}, writing under {@code work}. */
	public static Result run(final Path shared, final StopRuleEvaluation.Case c,
		final String model, final Path work) throws IOException
	{
		final NiftiVolume gt = NiftiVolume.read(shared.resolve(c.labels()));
		final List<Propagation.Target> targets = StopRuleEvaluation.targets(gt, c.objects());
		final StringBuilder csv = new StringBuilder("object,type,x0,y0,x1,y1,label,z\n");
		for (final Propagation.Target t : targets) {
			final Propagation.Seed s = t.seeds().get(0);
			final BoxPrompt b = s.prompt().box();
			csv.append(String.format(Locale.ROOT, "%d,box,%d,%d,%d,%d,,%d%n", t.label(), (int) b
				.x0(), (int) b.y0(), (int) b.x1(), (int) b.y1(), s.slice()));
		}
		final String name = stem(c.image());
		final Path prompts = work.resolve(name + "_prompts.csv");
		Files.writeString(prompts, csv);
		final Path out = work.resolve(name + "_labels.nii.gz");
		final double secs = GtBoxEvaluation.cli(List.of("segment", "--model", model, "--image",
			shared.resolve(c.image()).toString(), "--prompts", prompts.toString(), "--propagate",
			"--window", c.window(), "--out", out.toString()));
		final NiftiVolume pred = NiftiVolume.read(out);
		final NiftiVolume image = NiftiVolume.read(shared.resolve(c.image()));
		final int nx = gt.nx(), ny = gt.ny();
		final List<Obj> objs = new ArrayList<>();
		for (final Propagation.Target t : targets) {
			final int label = t.label(), z = t.seeds().get(0).slice();
			final boolean[] predicted = new boolean[gt.nz()];
			for (int k = 0; k < gt.nz(); k++) {
				for (final float f : pred.slice(k)) {
					if (Math.round(f) == label) {
						predicted[k] = true;
						break;
					}
				}
			}
			final int[] cov = StopRuleEvaluation.coverage(gt, label, predicted);
			final float[] g = gt.slice(z);
			final int[] only = new int[nx * ny];
			for (int i = 0; i < only.length; i++) only[i] = Math.round(g[i]) == label ? label : 0;
			final InstanceMasks m = new InstanceMasks(nx, ny, only);
			final BoxBaselines.Scores base = BoxBaselines.score(m, m.instances.get(0), image.slice(
				z));
			objs.add(new Obj(label, z, VolumeRealDataTest.dice(pred, gt, label, false, false, z),
				VolumeRealDataTest.dice(pred, gt, label, false, false, -1), cov[0], cov[1], cov[2],
				base));
		}
		return new Result(c, objs, secs);
	}

	/** A file name without its folder and extensions. */
	private static String stem(final String path) {
		final String f = Path.of(path).getFileName().toString();
		return f.substring(0, f.indexOf('.'));
	}

	/** Prints every case's figures: {@code VolumeCliEvaluation SHARED_DATA [MODEL]}. */
	public static void main(final String[] args) throws IOException {
		final Path work = Files.createTempDirectory("anyseg-volume-cli");
		for (final StopRuleEvaluation.Case c : StopRuleEvaluation.CASES) {
			System.out.println(run(Path.of(args[0]), c, args.length > 1 ? args[1] : "demo", work));
		}
		System.out.println("outputs in " + work);
	}
}

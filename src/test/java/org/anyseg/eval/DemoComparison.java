package org.anyseg.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.anyseg.ops.auto.AutoParams;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelConfig;

/**
 * Issue 18's comparison table: one or more models against the no-model baselines on all the
 * shared data, every model run through the CLI ({@link org.anyseg.plugin.cli.AnySegCli},
 * in-process) as the other evaluations of this package do:
 * <ol>
 * <li>DSB 2018 nuclei, ground-truth box per nucleus: mean Dice per nucleus
 * ({@link NucleiEvaluation}, {@code segment});</li>
 * <li>the same nuclei, one click at the centroid (the nearest object pixel when the centroid
 * is outside);</li>
 * <li>Kvasir-SEG polyps (5 JPEGs, masks > 127), box from the mask: mean Dice over images
 * ({@link GtBoxEvaluation}, {@code batch} + {@code evaluate});</li>
 * <li>SAM-Med2D CT slices, box per organ mask: mean Dice over the 30 organs (same);</li>
 * <li>the shared 3D volumes ({@link StopRuleEvaluation#CASES}: the largest labels of the
 * TotalSegmentator CT and MR, BraTS edema), each prompted with its ground-truth box on its
 * largest slice and propagated with the model's own propagation defaults
 * ({@link VolumeCliEvaluation}, {@code segment --propagate}): Dice on the prompted slice,
 * the mean fraction of ground-truth slices covered, the slices segmented beyond the
 * objects (summed over a volume's objects) and the mean 3D Dice;</li>
 * <li>segment everything on DSB ({@link AutoNucleiEvaluation}, {@code auto}): F1 at IoU 0.5,
 * with the model's default grid unless {@code --points-per-side N}.</li>
 * </ol>
 * Baselines ({@link BoxBaselines}: filled box, inscribed ellipse, Otsu inside the box) for
 * the box rows, computed here without a model. Prints a markdown table, a table of seconds,
 * and the per-object 3D figures. Usage: {@code DemoComparison SHARED_DATA MODEL [MODEL...]
 * [--points-per-side N] [--work DIR]}, MODEL = {@code demo} (bundled) or a model folder.
 */
public final class DemoComparison {

	private static final String NA = "-";

	/** One line of the table: its title, a cell per model, the baselines' cells, seconds. */
	private static final class Line {

		final String title;
		final List<String> cells = new ArrayList<>();
		final List<String> seconds = new ArrayList<>();
		String[] baselines = { NA, NA, NA };
		String baselineSeconds = NA;

		Line(final String title) {
			this.title = title;
		}
	}

	private DemoComparison() {}

	public static void main(final String[] args) throws Exception {
		final List<String> models = new ArrayList<>();
		Integer grid = null;
		Path work = null;
		Path shared = null;
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--points-per-side")) grid = Integer.parseInt(args[++i]);
			else if (args[i].equals("--work")) work = Path.of(args[++i]);
			else if (shared == null) shared = Path.of(args[i]);
			else models.add(args[i]);
		}
		if (shared == null || models.isEmpty()) {
			System.err.println("usage: DemoComparison SHARED_DATA MODEL [MODEL...] " +
				"[--points-per-side N] [--work DIR]   (MODEL: demo or a model folder)");
			System.exit(2);
		}
		if (work == null) work = Files.createTempDirectory("anyseg-demo-comparison");
		final long start = System.nanoTime();
		final Map<String, Line> lines = new LinkedHashMap<>();
		final Line dsbBox = line(lines, "DSB 2018 nuclei (125), GT box: mean Dice per nucleus");
		final Line dsbPoint = line(lines, "DSB 2018 nuclei, centroid click: mean Dice per nucleus");
		final Line kvasir = line(lines, "Kvasir-SEG polyps (5 images), GT box: mean Dice");
		final Line ct = line(lines, "SAM-Med2D CT slices (30 organs, 4 images), GT box: mean " +
			"Dice");
		final List<Line[]> vol = new ArrayList<>();
		for (final StopRuleEvaluation.Case c : StopRuleEvaluation.CASES) {
			final String v = volumeName(c) + " (" + c.objects() + (c.objects() == 1 ? " object"
				: " largest labels") + ")";
			vol.add(new Line[] { line(lines, "3D " + v + ", GT box on largest slice: Dice on that " +
				"slice (mean)"), line(lines, "3D " + v + ", propagation: GT slices covered (mean " +
					"fraction)"), line(lines, "3D " + v + ", propagation: slices beyond the object " +
						"(sum)"), line(lines, "3D " + v + ", propagation: 3D Dice (mean)") });
		}
		final Line auto = line(lines, "DSB 2018 segment everything: F1 @ IoU 0.5 (precision, " +
			"recall, grid)");

		// baselines: no model
		final Path sh = shared;
		timed(dsbBox, () -> {
			dsbBox.baselines = cells(NucleiEvaluation.baselines(sh, NucleiEvaluation.groundTruth(
				sh)));
			return null;
		});
		timed(kvasir, () -> {
			kvasir.baselines = cells(GtBoxEvaluation.baselines(GtBoxEvaluation.kvasir(sh)).mean());
			return null;
		});
		timed(ct, () -> {
			final BoxBaselines.Mean m = GtBoxEvaluation.baselines(GtBoxEvaluation.ct(sh));
			ct.baselines = cells(m.mean());
			return null;
		});

		final List<String> details = new ArrayList<>();
		for (int mi = 0; mi < models.size(); mi++) {
			final String model = models.get(mi);
			final Path w = Files.createDirectories(work.resolve("model" + (mi + 1)));
			System.err.println("== " + model + " (outputs in " + w + ")");
			// 1, 2: DSB box and click (one call, two CLI runs)
			try {
				final NucleiEvaluation.Result r = NucleiEvaluation.run(sh, model, w);
				dsbBox.cells.add(f3(r.box()));
				dsbBox.seconds.add(f1(r.boxSeconds()));
				dsbPoint.cells.add(f3(r.point()));
				dsbPoint.seconds.add(f1(r.pointSeconds()));
				System.err.println("  DSB: " + r);
			}
			catch (final Exception e) {
				fail(dsbBox, e);
				dsbPoint.cells.add("error");
				dsbPoint.seconds.add(NA);
			}
			// 3, 4: Kvasir and CT through batch + evaluate
			for (final Map.Entry<Line, GtBoxEvaluation.Dataset> d : List.of(Map.entry(kvasir,
				GtBoxEvaluation.kvasir(sh)), Map.entry(ct, GtBoxEvaluation.ct(sh))))
			{
				final Line l = d.getKey();
				try {
					final GtBoxEvaluation.Result r = GtBoxEvaluation.run(d.getValue(), model, w);
					final int expected = l == kvasir ? 5 : 30;
					l.cells.add(f3(r.dice()) + (r.objects() != expected ? " (n=" + r.objects() + ")"
						: ""));
					l.seconds.add(f1(r.batchSeconds()) + " + " + f1(r.evalSeconds()));
					System.err.println("  " + d.getValue().name() + ": " + r);
				}
				catch (final Exception e) {
					fail(l, e);
				}
			}
			// 5: volumes
			for (int ci = 0; ci < StopRuleEvaluation.CASES.size(); ci++) {
				final Line[] l = vol.get(ci);
				try {
					final VolumeCliEvaluation.Result r = VolumeCliEvaluation.run(sh, StopRuleEvaluation
						.CASES.get(ci), model, w);
					l[0].cells.add(f3(r.meanPromptDice()));
					l[1].cells.add(f2(r.meanCovered()));
					l[2].cells.add(Integer.toString(r.beyond()));
					l[3].cells.add(f3(r.meanVolumeDice()));
					l[0].seconds.add(f1(r.seconds()));
					for (int k = 1; k < l.length; k++) l[k].seconds.add("(same run)");
					if (l[0].baselines[0].equals(NA)) l[0].baselines = cells(r.baselines());
					details.add(model + ": " + r);
					System.err.println("  " + r);
				}
				catch (final Exception e) {
					fail(l[0], e);
					for (int k = 1; k < l.length; k++) {
						l[k].cells.add("error");
						l[k].seconds.add(NA);
					}
				}
			}
			// 6: segment everything
			try {
				final int g = grid != null ? grid : AutoParams.defaults(ModelConfig.of(ModelCatalog
					.standard().resolve(model))).pointsPerSide();
				final AutoNucleiEvaluation.Result r = AutoNucleiEvaluation.run(sh, model, w, grid ==
					null ? new String[0] : new String[] { "--points-per-side", grid.toString() });
				auto.cells.add(String.format(Locale.ROOT, "%.3f (P %.2f, R %.2f, %dx%d%s)", r
					.detection().f1(), r.detection().precision(), r.detection().recall(), g, g,
					grid == null ? " default" : ""));
				auto.seconds.add(f1(r.seconds()));
				System.err.println("  auto: " + r);
			}
			catch (final Exception e) {
				fail(auto, e);
			}
		}

		final StringBuilder head = new StringBuilder("| line |");
		final StringBuilder rule = new StringBuilder("|---|");
		for (final String m : models) {
			head.append(' ').append(m.equals("demo") ? "demo (bundled)" : m).append(" |");
			rule.append("---|");
		}
		System.out.println("## Model comparison (" + java.time.LocalDate.now() + ", " + Runtime
			.getRuntime().availableProcessors() + " cores)");
		System.out.println();
		System.out.println(head + " filled box | inscribed ellipse | Otsu inside box |");
		System.out.println(rule + "---|---|---|");
		for (final Line l : lines.values()) {
			System.out.println("| " + l.title + " | " + String.join(" | ", l.cells) + " | " + String
				.join(" | ", l.baselines) + " |");
		}
		System.out.println();
		System.out.println("Seconds per line (CLI wall time, in-process; Kvasir and CT: batch + " +
			"evaluate; baselines: all three together):");
		System.out.println();
		System.out.println(head + " baselines |");
		System.out.println(rule + "---|");
		for (final Line l : lines.values()) {
			System.out.println("| " + l.title + " | " + String.join(" | ", l.seconds) + " | " +
				l.baselineSeconds + " |");
		}
		System.out.println();
		System.out.println("3D per object (slice = 0-based NIfTI k of the prompt):");
		for (final String d : details) System.out.println("- " + d);
		System.out.printf(Locale.ROOT, "%ntotal %.1f s; outputs in %s%n", (System.nanoTime() -
			start) / 1e9, work);
	}

	private static Line line(final Map<String, Line> lines, final String title) {
		final Line l = new Line(title);
		lines.put(title, l);
		return l;
	}

	/** Runs a line's baselines and notes their seconds. */
	private static void timed(final Line l, final Callable<Void> c) throws Exception {
		final long t0 = System.nanoTime();
		c.call();
		l.baselineSeconds = f1((System.nanoTime() - t0) / 1e9);
	}

	private static void fail(final Line l, final Exception e) {
		System.err.println("  FAILED " + l.title + ": " + e);
		l.cells.add("error");
		l.seconds.add(NA);
	}

	private static String volumeName(final StopRuleEvaluation.Case c) {
		if (c.image().contains("example_ct")) return "TotalSegmentator CT";
		if (c.image().contains("example_mr")) return "TotalSegmentator MR";
		return "BraTS FLAIR edema";
	}

	private static String[] cells(final BoxBaselines.Scores s) {
		return new String[] { f3(s.filledBox()), f3(s.ellipse()), f3(s.otsu()) };
	}

	private static String f3(final double v) {
		return String.format(Locale.ROOT, "%.3f", v);
	}

	private static String f2(final double v) {
		return String.format(Locale.ROOT, "%.2f", v);
	}

	private static String f1(final double v) {
		return String.format(Locale.ROOT, "%.1f", v);
	}
}

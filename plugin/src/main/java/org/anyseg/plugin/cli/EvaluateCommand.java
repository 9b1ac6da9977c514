package org.anyseg.plugin.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;

import org.anyseg.ops.AnySegException;
import org.anyseg.plugin.batch.EvaluationRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code evaluate}: score prediction folders against ground truth. */
@Command(name = "evaluate", sortOptions = false, description = {
	"Score label images of one or more methods against ground truth, paired by base name.",
	"Writes metrics.csv, detection.csv (--instances), summary.csv, boxplot_*.png and " +
		"report.html." })
final class EvaluateCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--gt", required = true, paramLabel = "DIR",
		description = "Ground-truth label images (or per-object masks NAME_*.png).")
	Path gt;

	@Option(names = "--pred", required = true, paramLabel = "NAME=DIR",
		description = "A method's label images; repeat for several methods.")
	List<String> preds = new ArrayList<>();

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "Report folder.")
	Path out;

	@Option(names = "--tolerance", defaultValue = "1", paramLabel = "MM",
		description = "NSD tolerance in the ground truth's physical units (default: " +
			"${DEFAULT-VALUE}).")
	double tolerance;

	@Option(names = "--instances", description = "Also detection precision/recall/F1 at IoU " +
		"0.5 (instance label images, e.g. nuclei).")
	boolean instances;

	@Option(names = "--gt-threshold", paramLabel = "T",
		description = "Ground truth is binary: object where the value exceeds T (127 for JPEG " +
			"masks; -1 = label images, as when not given).")
	Integer gtThreshold;

	@Option(names = "--pred-threshold", paramLabel = "T",
		description = "Predictions are binary: object where the value exceeds T.")
	Integer predThreshold;

	@Override
	public Integer call() {
		final LinkedHashMap<String, Path> methods = new LinkedHashMap<>();
		for (final String p : preds) {
			final int eq = p.indexOf('=');
			if (eq < 1) throw new AnySegException("--pred " + p + ": expected NAME=DIR.");
			methods.put(p.substring(0, eq), Paths.get(p.substring(eq + 1)));
		}
		final EvaluationRun.Result r = new EvaluationRun(EvaluationRun.Options.defaults(gt,
			methods, out, tolerance).withInstances(instances).withThresholds(gtThreshold,
				predThreshold)).run();
		for (final String p : r.problems()) spec.commandLine().getErr().println("  not evaluated: " +
			p);
		spec.commandLine().getOut().printf("%d rows (image x method x label) in %s; summary:%n", r
			.rows().size(), out.resolve("metrics.csv"));
		for (final String[] s : r.summary()) {
			if (s[2].equals("dice") && (s[1].equals(EvaluationRun.ALL) || r.summary().size() <= 40)) {
				spec.commandLine().getOut().printf("  %-16s label %-4s Dice mean %s median %s (n=%s)%n",
					s[0], s[1], s[5], s[6], s[3]);
			}
		}
		return 0;
	}
}

package org.anyseg.plugin.fiji;

import java.io.File;
import java.util.LinkedHashMap;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;
import org.anyseg.plugin.batch.EvaluationRun;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;

/**
 * Plugins &gt; AnySeg &gt; Evaluate Segmentations: scores up to three methods' label images
 * against ground truth; the summary as a results table, per-image CSVs, box plots and an
 * HTML report in the output folder.
 */
@Plugin(type = Command.class, headless = true,
	menuPath = "Plugins>AnySeg>Evaluate Segmentations")
public class EvaluateSegmentationsCommand implements Command {

	@Parameter(label = "Ground-truth folder", style = "directory")
	private File ground_truth;

	@Parameter(label = "Method 1 name")
	private String name1 = "anyseg";

	@Parameter(label = "Method 1 label images", style = "directory")
	private File folder1;

	@Parameter(label = "Method 2 name", required = false)
	private String name2 = "";

	@Parameter(label = "Method 2 label images", style = "directory", required = false)
	private File folder2;

	@Parameter(label = "Method 3 name", required = false)
	private String name3 = "";

	@Parameter(label = "Method 3 label images", style = "directory", required = false)
	private File folder3;

	@Parameter(label = "Report folder", style = "directory")
	private File report;

	@Parameter(label = "NSD tolerance (physical units)", min = "0", max = "1000000")
	private double tolerance = 1;

	@Parameter(label = "Instances (detection F1 at IoU 0.5)")
	private boolean instances = false;

	@Parameter(label = "Ground truth is binary above (-1 = label images)", min = "-1",
		max = "65535")
	private int gt_threshold = -1;

	@Parameter(label = "Summary", type = ItemIO.OUTPUT)
	private ResultsTable summary;

	@Override
	public void run() {
		UserErrors.run(() -> {
			Limits.TOLERANCE.check(tolerance);
			Limits.GT_THRESHOLD.check(gt_threshold);
			final LinkedHashMap<String, java.nio.file.Path> m = new LinkedHashMap<>();
			add(m, name1, folder1);
			add(m, name2, folder2);
			add(m, name3, folder3);
			if (m.isEmpty()) throw new AnySegException("Give at least one method's folder.");
			final EvaluationRun.Result r = new EvaluationRun(EvaluationRun.Options.defaults(
				ground_truth.toPath(), m, report.toPath(), tolerance).withInstances(instances)
				.withThresholds(gt_threshold, null)).run();
			summary = new ResultsTable();
			for (final String[] s : r.summary()) {
				summary.incrementCounter();
				final String[] cols = { "Method", "Label", "Metric", "n", "Undefined", "Mean", "Median",
					"Q1", "Q3" };
				for (int i = 0; i < cols.length; i++) summary.addValue(cols[i], s[i]);
			}
		});
	}

	private static void add(final LinkedHashMap<String, java.nio.file.Path> m, final String name,
		final File dir)
	{
		if (dir != null && name != null && !name.isBlank()) m.put(name, dir.toPath());
	}
}

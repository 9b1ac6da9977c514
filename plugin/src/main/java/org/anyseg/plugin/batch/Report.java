package org.anyseg.plugin.batch;

import java.util.List;
import java.util.Map;

/** The single-page HTML report of an evaluation (tables, plots, problems). */
final class Report {

	/** Above this many summary rows the page shows only the pooled rows (all labels). */
	static final int MAX_SUMMARY_ROWS = 2000;

	private Report() {}

	static String html(final EvaluationRun.Options o, final List<String[]> summary,
		final List<EvaluationRun.DetRow> dets, final List<String> problems,
		final Map<String, String> plots)
	{
		final StringBuilder b = new StringBuilder();
		b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>AnySeg evaluation" +
			"</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}" +
			"td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}th{background:#eee}" +
			"td:first-child,td:nth-child(2){text-align:left}</style></head><body>\n");
		b.append("<h1>AnySeg evaluation</h1>\n<p>Ground truth: ").append(esc(o.gt().toString()))
			.append("<br>Methods: ");
		o.preds().forEach((k, v) -> b.append(esc(k)).append(" (").append(esc(v.toString()))
			.append(") "));
		b.append("<br>NSD tolerance: ").append(o.tolerance()).append(
			" (physical units of the ground truth's voxel spacing)</p>\n");
		b.append("<p>Dice and IoU per label; NSD = normalized surface Dice (share of boundary " +
			"voxels within the tolerance of the other boundary); HD95 = the larger of the two " +
			"directed 95th-percentile boundary distances. Both empty: Dice = IoU = NSD = 1, " +
			"HD95 = 0; one empty: Dice = IoU = NSD = 0, HD95 undefined (counted as 'undefined', " +
			"left out of the statistics). Per-image values: metrics.csv.</p>\n");
		b.append("<h2>Summary</h2>\n<table><tr><th>method</th><th>label</th><th>metric</th>" +
			"<th>n</th><th>undefined</th><th>mean</th><th>median</th><th>Q1</th><th>Q3</th></tr>\n");
		final boolean perLabel = summary.size() <= MAX_SUMMARY_ROWS;
		for (final String[] r : summary) {
			if (!perLabel && !r[1].equals(EvaluationRun.ALL)) continue;
			b.append("<tr>");
			for (final String c : r) b.append("<td>").append(esc(c)).append("</td>");
			b.append("</tr>\n");
		}
		b.append("</table>\n");
		if (!perLabel) b.append("<p>").append(summary.size()).append(
			" summary rows: only all labels pooled are shown here; per-label rows are in " +
				"summary.csv.</p>\n");
		if (!dets.isEmpty()) {
			b.append("<h2>Detection (instances, IoU &ge; 0.5)</h2>\n<table><tr><th>method</th>" +
				"<th>TP</th><th>FP</th><th>FN</th><th>precision</th><th>recall</th><th>F1</th></tr>\n");
			EvaluationRun.detectionTotals(dets).forEach((m, t) -> {
				final double p = t[0] + t[1] == 0 ? 1 : (double) t[0] / (t[0] + t[1]);
				final double r = t[0] + t[2] == 0 ? 1 : (double) t[0] / (t[0] + t[2]);
				final double f = 2 * t[0] + t[1] + t[2] == 0 ? 1 : 2.0 * t[0] / (2 * t[0] + t[1] +
					t[2]);
				b.append("<tr><td>").append(esc(m)).append("</td><td>").append(t[0]).append(
					"</td><td>").append(t[1]).append("</td><td>").append(t[2]).append("</td><td>")
					.append(EvaluationRun.fmt(p)).append("</td><td>").append(EvaluationRun.fmt(r)).append(
						"</td><td>").append(EvaluationRun.fmt(f)).append("</td></tr>\n");
			});
			b.append("</table>\n");
		}
		b.append("<h2>Box plots</h2>\n");
		plots.forEach((m, f) -> b.append("<img src=\"").append(f).append("\" alt=\"").append(m)
			.append("\"> "));
		if (!problems.isEmpty()) {
			b.append("<h2>Not evaluated</h2>\n<ul>");
			for (final String p : problems) b.append("<li>").append(esc(p)).append("</li>");
			b.append("</ul>\n");
		}
		return b.append("</body></html>\n").toString();
	}

	private static String esc(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}

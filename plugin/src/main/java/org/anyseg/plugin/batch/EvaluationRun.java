package org.anyseg.plugin.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.eval.Detection;
import org.anyseg.ops.io.ij.GroundTruth;
import org.anyseg.ops.eval.Instances;
import org.anyseg.ops.eval.LabelVolume;
import org.anyseg.ops.eval.Metrics;
import org.anyseg.ops.eval.Scores;
import org.anyseg.ops.io.FileNames;
import org.anyseg.ops.io.ij.ImageFiles;

/**
 * Scores several folders of predicted label images against ground truth: pairs by base name
 * ({@code a.png} with {@code a.tif}), per image, method and label Dice, IoU, normalized
 * surface Dice at a tolerance in physical units, HD95; for instance masks also detection
 * precision, recall and F1 at IoU 0.5. Writes {@code metrics.csv} (one row per image, method
 * and label), {@code detection.csv}, {@code summary.csv} (mean, median, quartiles per method,
 * over all labels pooled ("all") and per label), a box plot per metric ({@code boxplot_METRIC.png}) and {@code report.html}.
 * <p>
 * Images are those of the ground-truth folder and those predicted by at least one method. A
 * method that has no prediction for a ground-truth image is scored as an empty prediction
 * for it (Dice 0 for each ground-truth label; the row's note says
 * {@value #NOTE_MISSING}), so that missing outputs lower the means instead of
 * vanishing from them. A ground-truth file {@code X_part.*} is a per-object mask of image
 * {@code X} (see {@link GroundTruth}) when some method predicted {@code X}, not an image of
 * its own. A prediction whose size (x by y by z voxels) differs from its ground truth is
 * refused, never compared or cropped: the pair is listed in the problems with both sizes,
 * and its rows (one per ground-truth label) have no scores and a note starting with
 * {@value #NOTE_REFUSED}; they are left out of the summary and the box plots.
 * <p>
 * Everything after the per-image scores (summary, CSVs, plots) is linear, or n log n for
 * the quartiles, in the number of rows, so images with tens of thousands of labels are
 * fine.
 */
public final class EvaluationRun {

	public static final List<String> METRICS = List.of("dice", "iou", "nsd", "hd95");
	/** The summary's label for all labels of a method pooled. */
	public static final String ALL = "all";
	/** The note of the rows of an image a method has no prediction for. */
	public static final String NOTE_MISSING = "no prediction: scored as empty; missing";
	/** The start of the note of the rows of a prediction refused for its size. */
	public static final String NOTE_REFUSED = "refused: size differs";

	/**
	 * @param preds method name to prediction folder, in report order
	 * @param tolerance NSD tolerance in physical units (voxel spacing of the ground truth)
	 */
	public record Options(Path gt, LinkedHashMap<String, Path> preds, Path out,
		double tolerance, boolean instances, Integer gtThreshold, Integer predThreshold)
	{

		/**
		 * The numbers checked against {@link org.anyseg.ops.Limits} whichever entry point
		 * built the options; a threshold of -1 means label images ({@code null}).
		 */
		public Options {
			org.anyseg.ops.Limits.TOLERANCE.check(tolerance);
			org.anyseg.ops.Limits.GT_THRESHOLD.checkIfGiven(gtThreshold);
			org.anyseg.ops.Limits.PRED_THRESHOLD.checkIfGiven(predThreshold);
			if (gtThreshold != null && gtThreshold < 0) gtThreshold = null;
			if (predThreshold != null && predThreshold < 0) predThreshold = null;
		}

		/** Semantic scores of label images, NSD tolerance {@code tolerance}. */
		public static Options defaults(final Path gt, final LinkedHashMap<String, Path> preds,
			final Path out, final double tolerance)
		{
			return new Options(gt, preds, out, tolerance, false, null, null);
		}

		/** Also match objects one to one (detection F1, panoptic quality). */
		public Options withInstances(final boolean b) {
			return new Options(gt, preds, out, tolerance, b, gtThreshold, predThreshold);
		}

		/** Binary masks above these values instead of label images (null: labels). */
		public Options withThresholds(final Integer gt0, final Integer pred0) {
			return new Options(gt, preds, out, tolerance, instances, gt0, pred0);
		}
	}

	/** One row of metrics.csv. */
	public record Row(String image, String method, int label, String labelName, Scores s,
		String note)
	{

		/** Whether the pair was scored (false: refused, no scores; left out of the summary). */
		public boolean scored() {
			return !note.startsWith(NOTE_REFUSED);
		}
	}

	/** One row of detection.csv. */
	public record DetRow(String image, String method, Detection d) {}

	/** Everything a run produced. */
	public record Result(List<Row> rows, List<DetRow> detections, List<String> problems,
		List<String[]> summary)
	{}

	private final Options o;

	public EvaluationRun(final Options o) {
		this.o = o;
	}

	public Result run() {
		if (!Files.isDirectory(o.gt())) {
			throw new AnySegException("Ground-truth folder " + o.gt() + " does not exist.");
		}
		final Map<String, Map<String, Path>> files = new LinkedHashMap<>();
		final TreeSet<String> images = new TreeSet<>();
		for (final Map.Entry<String, Path> m : o.preds().entrySet()) {
			final Map<String, Path> byBase = byBase(m.getValue());
			files.put(m.getKey(), byBase);
			images.addAll(byBase.keySet());
		}
		final TreeSet<String> predicted = new TreeSet<>(images);
		for (final String b : byBase(o.gt()).keySet()) {
			if (!isPartOfPredicted(b, predicted)) images.add(b);
		}
		final List<Row> rows = new ArrayList<>();
		final List<DetRow> dets = new ArrayList<>();
		final List<String> problems = new ArrayList<>();
		for (final String image : images) {
			final GroundTruth.Loaded gt;
			try {
				gt = GroundTruth.find(o.gt(), image, o.gtThreshold());
			}
			catch (final AnySegException e) {
				problems.add(image + ": " + e.getMessage());
				continue;
			}
			if (gt == null) {
				problems.add(image + ": no ground truth named " + image + ".* in " + o.gt());
				continue;
			}
			for (final Map.Entry<String, Map<String, Path>> m : files.entrySet()) {
				final Path p = m.getValue().get(image);
				try {
					final LabelVolume pred = p != null ? GroundTruth.read(p, o.predThreshold())
						: empty(gt.labels());
					final String mismatch = sizeMismatch(gt.labels(), pred);
					if (mismatch != null) {
						problems.add(image + " (" + m.getKey() + "): not compared: " + mismatch);
						refused(rows, image, m.getKey(), gt, mismatch);
						continue;
					}
					for (final Map.Entry<Integer, Scores> e : Metrics.perLabel(gt.labels(), pred, o
						.tolerance()).entrySet())
					{
						rows.add(new Row(image, m.getKey(), e.getKey(), gt.names().getOrDefault(e.getKey(),
							""), e.getValue(), p == null ? NOTE_MISSING : ""));
					}
					if (o.instances()) {
						dets.add(new DetRow(image, m.getKey(), Instances.match(gt.labels(), pred, 0.5)));
					}
				}
				catch (final AnySegException e) {
					problems.add(image + " (" + m.getKey() + "): " + e.getMessage());
				}
			}
		}
		final List<String[]> summary = summary(o.preds().keySet(), rows);
		write(rows, dets, problems, summary);
		return new Result(rows, dets, problems, summary);
	}

	/**
	 * Whether ground-truth base name {@code b} is a per-object mask {@code X_part} of a
	 * predicted image {@code X} (checks each {@code _} of {@code b}: linear in its length).
	 */
	static boolean isPartOfPredicted(final String b, final java.util.Set<String> predicted) {
		if (predicted.contains(b)) return false;
		for (int i = b.indexOf('_'); i > 0; i = b.indexOf('_', i + 1)) {
			if (predicted.contains(b.substring(0, i))) return true;
		}
		return false;
	}

	/** Why {@code pred} cannot be compared with {@code gt} (sizes), or null when it can. */
	static String sizeMismatch(final LabelVolume gt, final LabelVolume pred) {
		if (gt.nx() == pred.nx() && gt.ny() == pred.ny() && gt.nz() == pred.nz()) return null;
		return "the prediction is " + size(pred) + " but the ground truth is " + size(gt) +
			" (x by y by z voxels); predictions are never cropped or resampled: give a " +
			"prediction on the ground truth's grid.";
	}

	private static String size(final LabelVolume v) {
		return v.nx() + "x" + v.ny() + "x" + v.nz();
	}

	/** The rows of a refused pair: one per ground-truth label, no scores. */
	private static void refused(final List<Row> rows, final String image, final String method,
		final GroundTruth.Loaded gt, final String why)
	{
		final Map<Integer, long[]> counts = new TreeMap<>();
		for (final int l : gt.labels().labels()) {
			if (l != 0) counts.computeIfAbsent(l, k -> new long[1])[0]++;
		}
		final String note = NOTE_REFUSED + " (" + why.substring(0, why.indexOf(" (x by y"))
			.replace("the ", "") + ")";
		counts.forEach((l, c) -> rows.add(new Row(image, method, l, gt.names().getOrDefault(l,
			""), new Scores(Double.NaN, Double.NaN, Double.NaN, Double.NaN, c[0], -1), note)));
	}

	private static LabelVolume empty(final LabelVolume like) {
		final double[] s = like.spacing();
		return new LabelVolume(like.nx(), like.ny(), like.nz(), s[0], s[1], s[2],
			new int[like.labels().length]);
	}

	private static Map<String, Path> byBase(final Path dir) {
		if (!Files.isDirectory(dir)) {
			throw new AnySegException("Prediction folder " + dir + " does not exist.");
		}
		final Map<String, Path> m = new TreeMap<>();
		try (Stream<Path> s = Files.list(dir)) {
			s.filter(FileNames::isImage).filter(p -> !FileNames.base(p).endsWith("_overlay")).sorted()
				.forEach(p -> m.putIfAbsent(FileNames.base(p), p));
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot list " + dir + ": " + e.getMessage(), e);
		}
		return m;
	}

	/**
	 * Rows: method, label, metric, n, undefined, mean, median, q1, q3; per method (in the
	 * given order) first all labels pooled ({@link #ALL}), then each label in increasing
	 * order. One pass over the rows groups them by method and label; then each group's
	 * values are sorted once: O(n log n) in the number of rows (it was one pass over all
	 * rows per label and metric, quadratic in the number of labels). Refused rows are left
	 * out.
	 */
	static List<String[]> summary(final java.util.Collection<String> methods,
		final List<Row> rows)
	{
		final Map<String, Group> all = new LinkedHashMap<>();
		final Map<String, TreeMap<Integer, Group>> byLabel = new LinkedHashMap<>();
		for (final String method : methods) {
			all.put(method, new Group());
			byLabel.put(method, new TreeMap<>());
		}
		for (final Row r : rows) {
			if (!r.scored()) continue;
			final Group a = all.get(r.method());
			if (a == null) continue;
			a.add(r.s());
			byLabel.get(r.method()).computeIfAbsent(r.label(), k -> new Group()).add(r.s());
		}
		final List<String[]> out = new ArrayList<>();
		for (final String method : methods) {
			all.get(method).emit(out, method, ALL);
			byLabel.get(method).forEach((l, g) -> g.emit(out, method, Integer.toString(l)));
		}
		return out;
	}

	/** The values of each metric of a group of rows. */
	private static final class Group {

		private double[][] v = new double[METRICS.size()][4];
		private final int[] undefined = new int[METRICS.size()];
		private int n;

		void add(final Scores s) {
			if (n == v[0].length) {
				for (int m = 0; m < v.length; m++) v[m] = Arrays.copyOf(v[m], 2 * n);
			}
			for (int m = 0; m < v.length; m++) v[m][n] = value(s, METRICS.get(m));
			n++;
		}

		void emit(final List<String[]> out, final String method, final String label) {
			for (int m = 0; m < v.length; m++) {
				final double[] a = new double[n];
				int k = 0;
				for (int i = 0; i < n; i++) {
					if (Double.isNaN(v[m][i])) undefined[m]++;
					else a[k++] = v[m][i];
				}
				final double[] s = stats(Arrays.copyOf(a, k), undefined[m]);
				out.add(new String[] { method, label, METRICS.get(m), fmt(s[0]), fmt(s[1]), fmt(s[2]),
					fmt(s[3]), fmt(s[4]), fmt(s[5]) });
			}
		}
	}

	public static double value(final Scores s, final String metric) {
		return switch (metric) {
			case "dice" -> s.dice();
			case "iou" -> s.iou();
			case "nsd" -> s.nsd();
			default -> s.hd95();
		};
	}

	/** {n, undefined, mean, median, q1, q3} (numpy linear percentiles). */
	static double[] stats(final List<Double> v, final int undefined) {
		return stats(v.stream().mapToDouble(Double::doubleValue).toArray(), undefined);
	}

	/** {n, undefined, mean, median, q1, q3} of {@code values} (sorted here, in place). */
	static double[] stats(final double[] values, final int undefined) {
		final double[] a = values;
		Arrays.sort(a);
		if (a.length == 0) return new double[] { 0, undefined, Double.NaN, Double.NaN, Double.NaN,
			Double.NaN };
		return new double[] { a.length, undefined, Arrays.stream(a).average().orElse(Double.NaN),
			Metrics.percentile(a, 50), Metrics.percentile(a, 25), Metrics.percentile(a, 75) };
	}


	static String fmt(final double v) {
		if (Double.isNaN(v)) return "";
		if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
		return String.format(Locale.ROOT, "%.4f", v);
	}

	private void write(final List<Row> rows, final List<DetRow> dets,
		final List<String> problems, final List<String[]> summary)
	{
		try {
			Files.createDirectories(o.out());
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot create " + o.out() + ": " + e.getMessage(), e);
		}
		final StringBuilder m = new StringBuilder(
			"image,method,label,label_name,dice,iou,nsd,hd95,gt_voxels,pred_voxels,note\n");
		for (final Row r : rows) {
			m.append(String.join(",", BatchRun.csv(r.image()), BatchRun.csv(r.method()), Integer
				.toString(r.label()), BatchRun.csv(r.labelName()), fmt(r.s().dice()), fmt(r.s().iou()),
				fmt(r.s().nsd()), fmt(r.s().hd95()), Long.toString(r.s().gtVoxels()), r.scored() ? Long
					.toString(r.s().predVoxels()) : "", BatchRun.csv(r.note()))).append('\n');
		}
		save("metrics.csv", m.toString());
		if (o.instances()) {
			final StringBuilder d = new StringBuilder(
				"image,method,tp,fp,fn,precision,recall,f1,mean_matched_iou\n");
			for (final DetRow r : dets) {
				d.append(String.join(",", BatchRun.csv(r.image()), BatchRun.csv(r.method()), Integer
					.toString(r.d().tp()), Integer.toString(r.d().fp()), Integer.toString(r.d().fn()),
					fmt(r.d().precision()), fmt(r.d().recall()), fmt(r.d().f1()), fmt(r.d()
						.meanMatchedIou()))).append('\n');
			}
			save("detection.csv", d.toString());
		}
		final StringBuilder s = new StringBuilder(
			"method,label,metric,n,undefined,mean,median,q1,q3\n");
		for (final String[] r : summary) s.append(String.join(",", r)).append('\n');
		save("summary.csv", s.toString());
		final Map<String, String> plots = new LinkedHashMap<>();
		for (final String metric : METRICS) {
			final Map<String, double[]> values = new LinkedHashMap<>();
			for (final String method : o.preds().keySet()) {
				values.put(method, rows.stream().filter(r -> r.method().equals(method)).mapToDouble(
					r -> value(r.s(), metric)).filter(x -> !Double.isNaN(x)).toArray());
			}
			final String name = "boxplot_" + metric + ".png";
			BoxPlots.write(o.out().resolve(name), metric, values);
			plots.put(metric, name);
		}
		save("report.html", Report.html(o, summary, dets, problems, plots));
	}

	private void save(final String name, final String text) {
		AtomicFiles.writeAtomically(o.out().resolve(name), tmp -> Files.writeString(tmp, text));
	}

	/** Per-method detection totals: tp, fp, fn summed over images. */
	static SortedMap<String, int[]> detectionTotals(final List<DetRow> dets) {
		final SortedMap<String, int[]> t = new TreeMap<>();
		for (final DetRow d : dets) {
			final int[] a = t.computeIfAbsent(d.method(), k -> new int[3]);
			a[0] += d.d().tp();
			a[1] += d.d().fp();
			a[2] += d.d().fn();
		}
		return t;
	}
}

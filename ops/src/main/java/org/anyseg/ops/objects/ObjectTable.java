package org.anyseg.ops.objects;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

import org.anyseg.ops.io.AtomicFiles;

/**
 * One row per object of a 2D instance label image: its pixel count and calibrated area
 * (pixels x pixel width x pixel height), centroid (mean pixel index, times the pixel size,
 * as ImageJ's Measure), bounding box {x, y, w, h} in pixels, and what the run knew of how
 * it was made ({@link Origin}). Labels are listed in increasing order; 0 is background.
 */
public record ObjectTable(String unit, List<Row> rows) {

	/**
	 * How an object was made: scores (NaN when unknown), the prompt in words (empty when
	 * unknown) and the tile index (-1 when none).
	 */
	public record Origin(double predIou, double stability, String prompt, int tile) {

		public static final Origin UNKNOWN = new Origin(Double.NaN, Double.NaN, "", -1);
	}

	/** One object. Area in pixels and in {@code unit}^2; centroid in pixel indices. */
	public record Row(int label, long area, double calibratedArea, double cx, double cy,
		int bx, int by, int bw, int bh, Origin origin) {}

	/** The column names, as written to CSV and shown in ResultsTables. */
	public static final List<String> COLUMNS = List.of("label", "area_px", "area", "centroid_x",
		"centroid_y", "bbox_x", "bbox_y", "bbox_w", "bbox_h", "pred_iou", "stability", "prompt",
		"tile");

	/**
	 * The table of a prompted plane: each label's origin is its prompt in words
	 * ({@link org.anyseg.ops.prompt.ObjectPrompt#describe()}, several joined by ';') and its
	 * predicted IoU (from {@code predictions}, null or missing: unknown); a prompted
	 * segmentation has no stability score.
	 */
	public static ObjectTable ofPrompts(final int[] labels, final int w, final int h,
		final double pixelW, final double pixelH, final String unit,
		final List<org.anyseg.ops.prompt.ObjectPrompt> prompts,
		final List<org.anyseg.ops.model.Prediction> predictions)
	{
		final java.util.Map<Integer, String> said = new java.util.HashMap<>();
		for (final org.anyseg.ops.prompt.ObjectPrompt p : prompts) {
			said.merge(p.label(), p.describe(), (a, b) -> a + ";" + b);
		}
		final java.util.Map<Integer, Double> iou = new java.util.HashMap<>();
		if (predictions != null) for (final var p : predictions) iou.put(p.label(), (double) p.iou());
		return measure(labels, w, h, pixelW, pixelH, unit, k -> said.containsKey(k) || iou
			.containsKey(k) ? new Origin(iou.getOrDefault(k, Double.NaN), Double.NaN, said
				.getOrDefault(k, ""), -1) : null);
	}

	/**
	 * Measures every label of a {@code w x h} label image in one pass.
	 *
	 * @param pixelWidth calibrated width of a pixel (1 when uncalibrated)
	 * @param pixelHeight calibrated height of a pixel
	 * @param origins the origin of label k, or null for {@link Origin#UNKNOWN}
	 */
	public static ObjectTable measure(final int[] labels, final int w, final int h,
		final double pixelWidth, final double pixelHeight, final String unit,
		final IntFunction<Origin> origins)
	{
		int max = 0;
		for (final int v : labels) max = Math.max(max, v);
		final long[] n = new long[max + 1];
		final double[] sx = new double[max + 1], sy = new double[max + 1];
		final int[] x0 = new int[max + 1], y0 = new int[max + 1], x1 = new int[max + 1],
			y1 = new int[max + 1];
		java.util.Arrays.fill(x0, Integer.MAX_VALUE);
		java.util.Arrays.fill(y0, Integer.MAX_VALUE);
		java.util.Arrays.fill(x1, -1);
		java.util.Arrays.fill(y1, -1);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int l = labels[y * w + x];
				if (l <= 0) continue;
				n[l]++;
				sx[l] += x;
				sy[l] += y;
				if (x < x0[l]) x0[l] = x;
				if (x > x1[l]) x1[l] = x;
				if (y < y0[l]) y0[l] = y;
				if (y > y1[l]) y1[l] = y;
			}
		}
		final List<Row> rows = new ArrayList<>();
		for (int l = 1; l <= max; l++) {
			if (n[l] == 0) continue;
			Origin o = origins == null ? null : origins.apply(l);
			if (o == null) o = Origin.UNKNOWN;
			rows.add(new Row(l, n[l], n[l] * pixelWidth * pixelHeight, sx[l] / n[l] * pixelWidth,
				sy[l] / n[l] * pixelHeight, x0[l], y0[l], x1[l] - x0[l] + 1, y1[l] - y0[l] + 1, o));
		}
		return new ObjectTable(unit == null ? "pixel" : unit, rows);
	}

	/** The cells of a row, in {@link #COLUMNS} order. */
	public static List<String> cells(final Row r) {
		final Origin o = r.origin();
		return List.of(Integer.toString(r.label()), Long.toString(r.area()), num(r
			.calibratedArea()), num(r.cx()), num(r.cy()), Integer.toString(r.bx()), Integer
				.toString(r.by()), Integer.toString(r.bw()), Integer.toString(r.bh()), num(o
					.predIou()), num(o.stability()), o.prompt(), o.tile() < 0 ? "" : Integer
						.toString(o.tile()));
	}

	/**
	 * Writes the table as CSV (comma separated, a header row, empty cells for unknowns,
	 * quoted prompts), atomically. The area column's header names the unit:
	 * {@code area_um2} for micron.
	 */
	public void writeCsv(final Path out) {
		AtomicFiles.writeAtomically(out, tmp -> {
			try (BufferedWriter wr = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
				final List<String> head = new ArrayList<>(COLUMNS);
				head.set(2, "area_" + unitName(unit) + "2");
				wr.write(String.join(",", head));
				wr.write('\n');
				for (final Row r : rows) {
					final List<String> c = new ArrayList<>(cells(r));
					c.set(11, quote(c.get(11)));
					wr.write(String.join(",", c));
					wr.write('\n');
				}
			}
		});
	}

	/** A unit as a column-name word: µm or micron become um. */
	static String unitName(final String unit) {
		if (unit == null || unit.isEmpty() || unit.equals("pixel") || unit.equals("pixels")) {
			return "px";
		}
		final String u = unit.replace("\u00b5", "u").replace("micron", "um");
		return u.replaceAll("[^A-Za-z0-9]", "");
	}

	static String num(final double v) {
		if (Double.isNaN(v)) return "";
		return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
			.replaceAll("\\.(e|$)", "$1");
	}

	static String quote(final String s) {
		if (s.isEmpty()) return s;
		return '"' + s.replace("\"", "\"\"") + '"';
	}

	/** The origin of a single positive click at (x, y). */
	public static String click(final double x, final double y) {
		return String.format(Locale.ROOT, "point(%s,%s)", num(x), num(y));
	}
}

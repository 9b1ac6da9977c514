package org.anyseg.ops.objects;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.volume.Propagation;

/**
 * The objects of a label volume, one row each: voxels and calibrated volume, centroid and
 * bounding box in voxel indices (x, y, z), the slices it covers, how many of them were
 * prompted, the mean predicted IoU over its slices (NaN where the model gives none) and its
 * prompts in words ({@code z8: box(...)}, z as the array index). The 3D counterpart of
 * {@link ObjectTable}, for propagation runs (CLI, batch, Fiji).
 */
public record VolumeObjectTable(String unit, List<Row> rows) {

	/** One object of the volume. */
	public record Row(int label, long voxels, double volume, double cx, double cy, double cz,
		int bx, int by, int bz, int bw, int bh, int bd, int slices, int prompted, double meanIou,
		String prompt) {}

	/** The column names, as written to CSV (the volume's header names the unit there). */
	public static final List<String> COLUMNS = List.of("label", "voxels", "volume",
		"centroid_x", "centroid_y", "centroid_z", "bbox_x", "bbox_y", "bbox_z", "bbox_w",
		"bbox_h", "bbox_d", "slices", "prompted_slices", "mean_pred_iou", "prompt");

	/**
	 * Measures every label of {@code labels} (z, then y * nx + x; 16-bit labels as unsigned)
	 * in one pass.
	 *
	 * @param voxel calibrated size of a voxel: width, height, depth
	 * @param r the propagation that made the labels (predicted IoUs, prompted slices), or null
	 * @param targets the prompts (for the prompt column), or null
	 */
	public static VolumeObjectTable measure(final short[][] labels, final int nx,
		final double[] voxel, final String unit, final Propagation.Result r,
		final List<Propagation.Target> targets)
	{
		final Map<Integer, long[]> acc = new TreeMap<>(); // n, sx, sy, sz, x0, y0, z0, x1, y1, z1, slices
		for (int z = 0; z < labels.length; z++) {
			final short[] s = labels[z];
			if (s == null) continue;
			final java.util.Set<Integer> here = new java.util.HashSet<>();
			for (int i = 0; i < s.length; i++) {
				final int l = s[i] & 0xffff;
				if (l == 0) continue;
				final int x = i % nx, y = i / nx;
				final long[] a = acc.computeIfAbsent(l, k -> new long[] { 0, 0, 0, 0, Long.MAX_VALUE,
					Long.MAX_VALUE, Long.MAX_VALUE, -1, -1, -1, 0 });
				a[0]++;
				a[1] += x;
				a[2] += y;
				a[3] += z;
				a[4] = Math.min(a[4], x);
				a[5] = Math.min(a[5], y);
				a[6] = Math.min(a[6], z);
				a[7] = Math.max(a[7], x);
				a[8] = Math.max(a[8], y);
				a[9] = Math.max(a[9], z);
				if (here.add(l)) a[10]++;
			}
		}
		final Map<Integer, double[]> iou = new TreeMap<>(); // sum, n, prompted
		if (r != null) {
			for (final Propagation.SliceResult s : r.slices()) {
				final double[] v = iou.computeIfAbsent(s.label(), k -> new double[3]);
				if (!Float.isNaN(s.iou())) {
					v[0] += s.iou();
					v[1]++;
				}
				if (s.prompted()) v[2]++;
			}
		}
		final Map<Integer, String> said = new TreeMap<>();
		if (targets != null) {
			for (final Propagation.Target t : targets) {
				final List<String> parts = new ArrayList<>();
				for (final Propagation.Seed s : t.seeds()) {
					parts.add("z" + s.slice() + ": " + s.prompt().describe());
				}
				said.put(t.label(), String.join("; ", parts));
			}
		}
		final List<Row> rows = new ArrayList<>();
		final double dv = voxel[0] * voxel[1] * voxel[2];
		acc.forEach((l, a) -> {
			final double[] v = iou.getOrDefault(l, new double[3]);
			rows.add(new Row(l, a[0], a[0] * dv, a[1] / (double) a[0], a[2] / (double) a[0], a[3] /
				(double) a[0], (int) a[4], (int) a[5], (int) a[6], (int) (a[7] - a[4] + 1), (int) (a[8] -
					a[5] + 1), (int) (a[9] - a[6] + 1), (int) a[10], (int) v[2], v[1] == 0 ? Double.NaN
						: v[0] / v[1], said.getOrDefault(l, "")));
		});
		return new VolumeObjectTable(unit == null ? "pixel" : unit, rows);
	}

	/** The cells of a row, in {@link #COLUMNS} order. */
	public static List<String> cells(final Row r) {
		return List.of(Integer.toString(r.label()), Long.toString(r.voxels()), ObjectTable.num(r
			.volume()), ObjectTable.num(r.cx()), ObjectTable.num(r.cy()), ObjectTable.num(r.cz()),
			Integer.toString(r.bx()), Integer.toString(r.by()), Integer.toString(r.bz()), Integer
				.toString(r.bw()), Integer.toString(r.bh()), Integer.toString(r.bd()), Integer
					.toString(r.slices()), Integer.toString(r.prompted()), ObjectTable.num(r.meanIou()),
			r.prompt());
	}

	/** Writes the table as CSV, atomically; the volume column is {@code volume_um3} etc. */
	public void writeCsv(final Path out) {
		AtomicFiles.writeAtomically(out, tmp -> {
			try (BufferedWriter wr = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
				final List<String> head = new ArrayList<>(COLUMNS);
				head.set(2, "volume_" + ObjectTable.unitName(unit) + "3");
				wr.write(String.join(",", head));
				wr.write('\n');
				for (final Row r : rows) {
					final List<String> c = new ArrayList<>(cells(r));
					c.set(15, ObjectTable.quote(c.get(15)));
					wr.write(String.join(",", c));
					wr.write('\n');
				}
			}
		});
	}
}

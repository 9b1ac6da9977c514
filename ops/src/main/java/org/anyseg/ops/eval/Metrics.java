package org.anyseg.ops.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.anyseg.ops.AnySegException;

/**
 * Overlap and surface metrics of a predicted label volume against a ground truth, per label
 * (the metrics of the Medical Segmentation Decathlon, MONAI and nnU-Net's evaluation).
 * <p>
 * For a label, A is its voxels in the ground truth and B in the prediction:
 * <ul>
 * <li>Dice = 2|A&cap;B| / (|A| + |B|); IoU = |A&cap;B| / |A&cup;B|.</li>
 * <li>Boundary &part;M of a mask M: its voxels with at least one face neighbour
 * (4-connectivity in 2D, i.e. {@code nz = 1}; 6-connectivity in 3D) outside M; voxels on the
 * image border count as boundary (outside the image is background).</li>
 * <li>Surface distances: for each boundary voxel of A the Euclidean distance, in physical
 * units with the ground truth's (possibly anisotropic) spacing, to the nearest boundary
 * voxel of B, d(&part;A &rarr; &part;B); and vice versa. They come from an exact Euclidean
 * distance transform (separable squared-distance transform with the Felzenszwalb &amp;
 * Huttenlocher lower envelope and per-axis spacing) restricted to the bounding box of
 * A&cup;B padded by one voxel: exact, since every boundary voxel lies in it.</li>
 * <li>HD95 = max(P95(d(&part;A &rarr; &part;B)), P95(d(&part;B &rarr; &part;A))), P95 being
 * numpy's default (linear) percentile, as in MONAI's {@code compute_hausdorff_distance}.</li>
 * <li>NSD at tolerance &tau; (Nikolov et al. 2021, voxel-counting form): (#{a &isin; &part;A
 * : d(a, &part;B) &le; &tau;} + #{b &isin; &part;B : d(b, &part;A) &le; &tau;}) / (|&part;A|
 * + |&part;B|). A distance within a relative 1e-9 of &tau; counts as &le; &tau;, so that
 * rounding in spacing products (3 &times; 0.1 mm) does not flip a voxel exactly at the
 * tolerance.</li>
 * <li>Empty cases: both A and B empty: dice = iou = nsd = 1, hd95 = 0. Exactly one empty:
 * dice = iou = nsd = 0, hd95 = {@code NaN} (undefined: reports show it as empty and count
 * it separately).</li>
 * </ul>
 * Both volumes must have the same size; the spacing is taken from the ground truth.
 */
public final class Metrics {

	private static final double TOLERANCE_SLACK = 1e-9;

	private Metrics() {}

	/**
	 * The scores of one label.
	 *
	 * @param label a non-zero label (it need not be present on either side)
	 * @param tolerance the NSD tolerance &tau; in physical units (&ge; 0)
	 * @throws AnySegException if the sizes differ, the label is 0 or the tolerance is invalid
	 */
	public static Scores compare(final LabelVolume gt, final LabelVolume pred, final int label,
		final double tolerance)
	{
		requireSameSize(gt, pred);
		requireTolerance(tolerance);
		if (label == 0) throw new AnySegException(
			"Label 0 is background and has no scores: pass a non-zero label.");
		final int[] g = gt.labels(), p = pred.labels();
		final Stats s = new Stats();
		final int nx = gt.nx(), ny = gt.ny(), nz = gt.nz();
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					final boolean a = g[i] == label, b = p[i] == label;
					if (a || b) s.add(x, y, z, a, b);
				}
		return scores(gt, pred, label, s, tolerance);
	}

	/**
	 * The scores of every label present in the ground truth or the prediction (a label
	 * missing from one side scores dice = iou = nsd = 0, hd95 = {@code NaN}), by label.
	 * Labels are collected in one pass; each label's surface distances are computed in its
	 * own bounding box, so many small labels are fast.
	 *
	 * @param tolerance the NSD tolerance &tau; in physical units (&ge; 0)
	 * @throws AnySegException if the sizes differ or the tolerance is invalid
	 */
	public static SortedMap<Integer, Scores> perLabel(final LabelVolume gt,
		final LabelVolume pred, final double tolerance)
	{
		requireSameSize(gt, pred);
		requireTolerance(tolerance);
		final int[] g = gt.labels(), p = pred.labels();
		final Map<Integer, Stats> stats = new HashMap<>();
		int lastG = 0, lastP = 0;
		Stats sg = null, sp = null;
		final int nx = gt.nx(), ny = gt.ny(), nz = gt.nz();
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					final int a = g[i], b = p[i];
					if (a != 0) {
						if (sg == null || a != lastG) {
							sg = stats.computeIfAbsent(a, k -> new Stats());
							lastG = a;
						}
						sg.add(x, y, z, true, a == b);
					}
					if (b != 0 && b != a) {
						if (sp == null || b != lastP) {
							sp = stats.computeIfAbsent(b, k -> new Stats());
							lastP = b;
						}
						sp.add(x, y, z, false, true);
					}
				}
		final SortedMap<Integer, Scores> out = new TreeMap<>();
		for (final Map.Entry<Integer, Stats> e : new TreeMap<>(stats).entrySet())
			out.put(e.getKey(), scores(gt, pred, e.getKey(), e.getValue(), tolerance));
		return out;
	}

	/** Throws the user-facing size mismatch error. */
	static void requireSameSize(final LabelVolume gt, final LabelVolume pred) {
		if (gt == null || pred == null) throw new AnySegException(
			"Missing " + (gt == null ? "ground truth" : "prediction") + " label volume.");
		if (!gt.sameSize(pred)) throw new AnySegException("The ground truth is " + gt.size() +
			" but the prediction is " + pred.size() + " (x by y by z voxels): compare masks of " +
			"the same image, resampling or cropping the prediction to the ground truth's grid.");
	}

	private static void requireTolerance(final double tolerance) {
		if (!(tolerance >= 0) || Double.isInfinite(tolerance)) throw new AnySegException(
			"Invalid NSD tolerance " + tolerance +
				": give a finite distance >= 0 in the ground truth's physical units.");
	}

	private static Scores scores(final LabelVolume gt, final LabelVolume pred, final int label,
		final Stats s, final double tolerance)
	{
		if (s.gt == 0 && s.pred == 0) return new Scores(1, 1, 1, 0, 0, 0);
		if (s.gt == 0 || s.pred == 0) return new Scores(0, 0, 0, Double.NaN, s.gt, s.pred);
		final double dice = 2.0 * s.both / (s.gt + s.pred);
		final double iou = (double) s.both / (s.gt + s.pred - s.both);
		final double[][] d = surfaceDistances(gt, pred, label, s);
		final double limit = tolerance * (1 + TOLERANCE_SLACK);
		long within = 0;
		for (final double[] side : d)
			for (final double v : side)
				if (v <= limit) within++;
		final double nsd = (double) within / (d[0].length + d[1].length);
		final double hd95 = Math.max(percentile95(d[0]), percentile95(d[1]));
		return new Scores(dice, iou, nsd, hd95, s.gt, s.pred);
	}

	/** {d(&part;A &rarr; &part;B), d(&part;B &rarr; &part;A)}, each sorted ascending. */
	private static double[][] surfaceDistances(final LabelVolume gt, final LabelVolume pred,
		final int label, final Stats s)
	{
		final int x0 = Math.max(0, s.x0 - 1), y0 = Math.max(0, s.y0 - 1),
			z0 = Math.max(0, s.z0 - 1);
		final int bx = Math.min(gt.nx() - 1, s.x1 + 1) - x0 + 1;
		final int by = Math.min(gt.ny() - 1, s.y1 + 1) - y0 + 1;
		final int bz = Math.min(gt.nz() - 1, s.z1 + 1) - z0 + 1;
		final boolean[] ma = crop(gt.labels(), gt, label, x0, y0, z0, bx, by, bz);
		final boolean[] mb = crop(pred.labels(), gt, label, x0, y0, z0, bx, by, bz);
		final boolean threeD = gt.nz() > 1;
		final boolean[] ba = SurfaceDistances.boundary(ma, bx, by, bz, threeD);
		final boolean[] bb = SurfaceDistances.boundary(mb, bx, by, bz, threeD);
		final double[] sp = gt.spacing();
		final double[] toB = gather(SurfaceDistances.squaredDistance(bb, bx, by, bz, sp[0], sp[1],
			sp[2]), ba);
		final double[] toA = gather(SurfaceDistances.squaredDistance(ba, bx, by, bz, sp[0], sp[1],
			sp[2]), bb);
		return new double[][] { toB, toA };
	}

	private static boolean[] crop(final int[] labels, final LabelVolume grid, final int label,
		final int x0, final int y0, final int z0, final int bx, final int by, final int bz)
	{
		final boolean[] m = new boolean[bx * by * bz];
		final int nx = grid.nx(), ny = grid.ny();
		for (int z = 0, j = 0; z < bz; z++)
			for (int y = 0; y < by; y++) {
				final int row = x0 + nx * (y0 + y + ny * (z0 + z));
				for (int x = 0; x < bx; x++, j++)
					m[j] = labels[row + x] == label;
			}
		return m;
	}

	/** The square roots of {@code squared} at the voxels where {@code where}, sorted. */
	private static double[] gather(final double[] squared, final boolean[] where) {
		int n = 0;
		for (final boolean w : where)
			if (w) n++;
		final double[] d = new double[n];
		for (int i = 0, k = 0; i < where.length; i++)
			if (where[i]) d[k++] = Math.sqrt(squared[i]);
		Arrays.sort(d);
		return d;
	}

	/**
	 * numpy's {@code percentile(d, 95)} with the default linear method, of ascending values:
	 * virtual index h = (n - 1) * 0.95, linear interpolation between its neighbours (with
	 * numpy's lerp, so results agree to the last bit).
	 */
	static double percentile95(final double[] sorted) {
		return percentile(sorted, 95);
	}

	/** numpy's {@code percentile(d, p)} (linear method, numpy's lerp) of ascending values. */
	public static double percentile(final double[] sorted, final double p) {
		final int n = sorted.length;
		if (n == 0) return Double.NaN;
		final double h = (n - 1) * (p / 100);
		final int lo = (int) Math.floor(h);
		final int hi = Math.min(lo + 1, n - 1);
		final double t = h - lo, a = sorted[lo], b = sorted[hi], diff = b - a;
		return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
	}

	/** Voxel counts and the bounding box of A&cup;B (inclusive) of one label. */
	private static final class Stats {

		long gt, pred, both;
		int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, z0 = Integer.MAX_VALUE;
		int x1 = -1, y1 = -1, z1 = -1;

		void add(final int x, final int y, final int z, final boolean a, final boolean b) {
			if (a) gt++;
			if (b) pred++;
			if (a && b) both++;
			if (x < x0) x0 = x;
			if (x > x1) x1 = x;
			if (y < y0) y0 = y;
			if (y > y1) y1 = y;
			if (z < z0) z0 = z;
			if (z > z1) z1 = z;
		}
	}
}

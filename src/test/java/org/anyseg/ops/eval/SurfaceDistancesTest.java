package org.anyseg.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.anyseg.testutil.InstanceScenes;
import org.junit.jupiter.api.Test;

/** The exact distance transform and the surface metrics against brute-force searches. */
class SurfaceDistancesTest {

	@Test
	void distanceTransformMatchesBruteForce2D() {
		final Random r = new Random(1);
		for (int t = 0; t < 20; t++)
			checkTransform(r, 1 + r.nextInt(30), 1 + r.nextInt(30), 1, 0.3 + 2 * r.nextDouble(),
				0.3 + 2 * r.nextDouble(), 1);
	}

	@Test
	void distanceTransformMatchesBruteForce3D() {
		final Random r = new Random(2);
		for (int t = 0; t < 20; t++)
			checkTransform(r, 1 + r.nextInt(14), 1 + r.nextInt(12), 2 + r.nextInt(10), 0.3 + 2 * r
				.nextDouble(), 0.3 + 2 * r.nextDouble(), 0.3 + 3 * r.nextDouble());
	}

	@Test
	void noFeatureGivesInfinity() {
		final double[] d = SurfaceDistances.squaredDistance(new boolean[24], 4, 3, 2, 1, 1, 1);
		for (final double v : d)
			assertEquals(Double.POSITIVE_INFINITY, v);
	}

	private static void checkTransform(final Random r, final int nx, final int ny, final int nz,
		final double sx, final double sy, final double sz)
	{
		final boolean[] f = new boolean[nx * ny * nz];
		final double p = r.nextDouble() * 0.2;
		for (int i = 0; i < f.length; i++)
			f[i] = r.nextDouble() < p;
		f[r.nextInt(f.length)] = true;
		final double[] d = SurfaceDistances.squaredDistance(f, nx, ny, nz, sx, sy, sz);
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					double best = Double.POSITIVE_INFINITY;
					for (int c = 0, j = 0; c < nz; c++)
						for (int b = 0; b < ny; b++)
							for (int a = 0; a < nx; a++, j++)
								if (f[j]) best = Math.min(best, sq((a - x) * sx) + sq((b - y) * sy) + sq((c -
									z) * sz));
					assertEquals(best, d[i], 1e-9 * (1 + best), "voxel " + x + "," + y + "," + z);
				}
	}

	@Test
	void metricsMatchBruteForce2D() {
		final Random r = new Random(5);
		for (int t = 0; t < 30; t++)
			checkMetrics(r, 5 + r.nextInt(25), 5 + r.nextInt(25), 1, 0.5 + r.nextDouble() * 2, 0.5 +
				r.nextDouble() * 2, 1);
	}

	@Test
	void metricsMatchBruteForce3D() {
		final Random r = new Random(6);
		for (int t = 0; t < 20; t++)
			checkMetrics(r, 4 + r.nextInt(12), 4 + r.nextInt(12), 2 + r.nextInt(8), 0.5 + r
				.nextDouble() * 2, 0.5 + r.nextDouble() * 2, 0.5 + 3 * r.nextDouble());
	}

	/** Random blobby masks (often touching the border) scored by a naive implementation. */
	private static void checkMetrics(final Random r, final int nx, final int ny, final int nz,
		final double sx, final double sy, final double sz)
	{
		final int[] g = blobs(r, nx, ny, nz), p = blobs(r, nx, ny, nz);
		final LabelVolume gv = new LabelVolume(nx, ny, nz, sx, sy, sz, g);
		final LabelVolume pv = new LabelVolume(nx, ny, nz, sx, sy, sz, p);
		final double tau = r.nextDouble() * 3;
		final Scores s = Metrics.compare(gv, pv, 1, tau);
		final List<int[]> ba = boundary(g, nx, ny, nz), bb = boundary(p, nx, ny, nz);
		if (ba.isEmpty() || bb.isEmpty()) return;
		final double[] aToB = directed(ba, bb, sx, sy, sz), bToA = directed(bb, ba, sx, sy, sz);
		int within = 0;
		for (final double v : aToB)
			if (v <= tau) within++;
		for (final double v : bToA)
			if (v <= tau) within++;
		assertEquals((double) within / (aToB.length + bToA.length), s.nsd(), 1e-12);
		assertEquals(Math.max(p95(aToB), p95(bToA)), s.hd95(), 1e-9);
		assertTrue(s.dice() >= 0 && s.dice() <= 1);
	}

	private static int[] blobs(final Random r, final int nx, final int ny, final int nz) {
		final int[] l = new int[nx * ny * nz];
		for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
			final int x = r.nextInt(nx), y = r.nextInt(ny), z = r.nextInt(nz);
			InstanceScenes.fill(l, nx, ny, 1, x, Math.min(nx - 1, x + r.nextInt(nx)), y, Math.min(ny -
				1, y + r.nextInt(ny)), z, Math.min(nz - 1, z + r.nextInt(nz)));
		}
		for (int i = 0; i < l.length; i++)
			if (r.nextDouble() < 0.05) l[i] = 1 - l[i]; // holes and specks
		return l;
	}

	/** Voxels of label 1 with a face neighbour (x, y; z only if nz > 1) not of label 1. */
	private static List<int[]> boundary(final int[] l, final int nx, final int ny,
		final int nz)
	{
		final List<int[]> out = new ArrayList<>();
		final int[][] steps = nz > 1 ? new int[][] { { 1, 0, 0 }, { -1, 0, 0 }, { 0, 1, 0 }, { 0,
			-1, 0 }, { 0, 0, 1 }, { 0, 0, -1 } } : new int[][] { { 1, 0, 0 }, { -1, 0, 0 }, { 0, 1,
				0 }, { 0, -1, 0 } };
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					if (l[x + nx * (y + ny * z)] != 1) continue;
					for (final int[] s : steps) {
						final int a = x + s[0], b = y + s[1], c = z + s[2];
						if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz || l[a + nx * (b + ny *
							c)] != 1)
						{
							out.add(new int[] { x, y, z });
							break;
						}
					}
				}
		return out;
	}

	private static double[] directed(final List<int[]> from, final List<int[]> to,
		final double sx, final double sy, final double sz)
	{
		final double[] d = new double[from.size()];
		for (int i = 0; i < d.length; i++) {
			final int[] a = from.get(i);
			double best = Double.POSITIVE_INFINITY;
			for (final int[] b : to)
				best = Math.min(best, sq((a[0] - b[0]) * sx) + sq((a[1] - b[1]) * sy) + sq((a[2] -
					b[2]) * sz));
			d[i] = Math.sqrt(best);
		}
		Arrays.sort(d);
		return d;
	}

	/** numpy.percentile(d, 95), linear, of sorted values. */
	private static double p95(final double[] d) {
		final double h = (d.length - 1) * 0.95;
		final int lo = (int) h, hi = Math.min(lo + 1, d.length - 1);
		return d[lo] + (h - lo) * (d[hi] - d[lo]);
	}

	private static double sq(final double v) {
		return v * v;
	}
}

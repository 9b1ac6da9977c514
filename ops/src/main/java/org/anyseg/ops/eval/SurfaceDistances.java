package org.anyseg.ops.eval;

/**
 * Boundaries and exact Euclidean distance transforms on a box of voxels (x fastest, then y,
 * then z), with per-axis spacing. Package-private: the engine behind {@link Metrics}.
 * <p>
 * The squared distance transform is separable (Felzenszwalb &amp; Huttenlocher 2012,
 * "Distance Transforms of Sampled Functions"): one pass of the lower envelope of parabolas
 * {@code s^2 (q - p)^2 + f(p)} along x, then y, then z. It is exact: the result at every
 * voxel is the minimum over all feature voxels of the box of {@code (sx dx)^2 + (sy dy)^2 +
 * (sz dz)^2}.
 */
final class SurfaceDistances {

	private SurfaceDistances() {}

	/**
	 * The boundary of a mask on an {@code nx * ny * nz} box: mask voxels with at least one
	 * face neighbour (4 in 2D, 6 in 3D) outside the mask, where outside the box counts as
	 * outside the mask. With {@code threeD = false} the z neighbours are not considered (a
	 * 2D image; {@code nz} must then be 1).
	 */
	static boolean[] boundary(final boolean[] mask, final int nx, final int ny, final int nz,
		final boolean threeD)
	{
		final boolean[] b = new boolean[mask.length];
		final int sxy = nx * ny;
		for (int z = 0, i = 0; z < nz; z++) {
			for (int y = 0; y < ny; y++) {
				for (int x = 0; x < nx; x++, i++) {
					if (!mask[i]) continue;
					b[i] = x == 0 || x == nx - 1 || !mask[i - 1] || !mask[i + 1] || //
						y == 0 || y == ny - 1 || !mask[i - nx] || !mask[i + nx] || //
						threeD && (z == 0 || z == nz - 1 || !mask[i - sxy] || !mask[i + sxy]);
				}
			}
		}
		return b;
	}

	/**
	 * The squared Euclidean distance, in physical units, from every voxel of the box to the
	 * nearest feature voxel; {@code +Infinity} everywhere when there is none.
	 */
	static double[] squaredDistance(final boolean[] feature, final int nx, final int ny,
		final int nz, final double sx, final double sy, final double sz)
	{
		final double[] f = new double[feature.length];
		for (int i = 0; i < f.length; i++)
			f[i] = feature[i] ? 0 : Double.POSITIVE_INFINITY;
		final Envelope env = new Envelope(Math.max(nx, Math.max(ny, nz)));
		final int sxy = nx * ny;
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				env.transform(f, (y + ny * z) * nx, 1, nx, sx * sx);
		if (ny > 1) for (int z = 0; z < nz; z++)
			for (int x = 0; x < nx; x++)
				env.transform(f, x + sxy * z, nx, ny, sy * sy);
		if (nz > 1) for (int i = 0; i < sxy; i++)
			env.transform(f, i, sxy, nz, sz * sz);
		return f;
	}

	/** The 1D lower envelope of parabolas, with work arrays reused across lines. */
	private static final class Envelope {

		private final double[] in, zs;
		private final int[] v;

		Envelope(final int n) {
			in = new double[n];
			zs = new double[n + 1];
			v = new int[n];
		}

		/**
		 * {@code f[off + q*stride] = min_p w (q - p)^2 + f[off + p*stride]} for the n voxels
		 * of one line (in place).
		 */
		void transform(final double[] f, final int off, final int stride, final int n,
			final double w)
		{
			int k = -1;
			for (int q = 0; q < n; q++) {
				final double fq = f[off + q * stride];
				in[q] = fq;
				if (fq == Double.POSITIVE_INFINITY) continue;
				double s = Double.NEGATIVE_INFINITY;
				while (k >= 0) {
					final int p = v[k];
					s = (fq + w * q * q - (in[p] + w * (double) p * p)) / (2 * w * (q - p));
					if (s > zs[k]) break;
					k--;
				}
				if (k < 0) s = Double.NEGATIVE_INFINITY;
				k++;
				v[k] = q;
				zs[k] = s;
				zs[k + 1] = Double.POSITIVE_INFINITY;
			}
			if (k < 0) return; // no finite value on this line: stays infinite
			k = 0;
			for (int q = 0; q < n; q++) {
				while (zs[k + 1] < q)
					k++;
				final int p = v[k];
				f[off + q * stride] = w * (q - p) * (double) (q - p) + in[p];
			}
		}
	}
}

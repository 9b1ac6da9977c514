package org.anyseg.ops.eval;

import java.util.Arrays;

/**
 * Maximum-weight assignment (Hungarian algorithm, Kuhn-Munkres with potentials, O(r&sup2;c)
 * for r &le; c). Package-private: used by {@link Instances} below an IoU threshold of 0.5.
 */
final class HungarianAssignment {

	private HungarianAssignment() {}

	/**
	 * A one-to-one assignment of rows to columns maximising the total weight (every row
	 * gets a column when rows &le; columns, and vice versa).
	 *
	 * @param w a rectangular matrix of finite weights, {@code w[row][col]}
	 * @return for each row its column, or -1 when it has none
	 */
	static int[] maximise(final double[][] w) {
		final int rows = w.length, cols = rows == 0 ? 0 : w[0].length;
		if (rows == 0 || cols == 0) {
			final int[] none = new int[rows];
			Arrays.fill(none, -1);
			return none;
		}
		if (rows <= cols) return minimiseCost(w, rows, cols, false);
		final int[] colToRow = minimiseCost(w, cols, rows, true);
		final int[] rowToCol = new int[rows];
		Arrays.fill(rowToCol, -1);
		for (int c = 0; c < cols; c++)
			rowToCol[colToRow[c]] = c;
		return rowToCol;
	}

	/** Assigns each of n rows one of m &ge; n columns with cost -w (transposed if asked). */
	private static int[] minimiseCost(final double[][] w, final int n, final int m,
		final boolean transposed)
	{
		final double[] u = new double[n + 1], v = new double[m + 1], minv = new double[m + 1];
		final int[] p = new int[m + 1], way = new int[m + 1];
		final boolean[] used = new boolean[m + 1];
		for (int i = 1; i <= n; i++) {
			p[0] = i;
			int j0 = 0;
			Arrays.fill(minv, Double.POSITIVE_INFINITY);
			Arrays.fill(used, false);
			do {
				used[j0] = true;
				final int i0 = p[j0];
				double delta = Double.POSITIVE_INFINITY;
				int j1 = 0;
				for (int j = 1; j <= m; j++) {
					if (used[j]) continue;
					final double cost = -(transposed ? w[j - 1][i0 - 1] : w[i0 - 1][j - 1]);
					final double cur = cost - u[i0] - v[j];
					if (cur < minv[j]) {
						minv[j] = cur;
						way[j] = j0;
					}
					if (minv[j] < delta) {
						delta = minv[j];
						j1 = j;
					}
				}
				for (int j = 0; j <= m; j++) {
					if (used[j]) {
						u[p[j]] += delta;
						v[j] -= delta;
					}
					else minv[j] -= delta;
				}
				j0 = j1;
			}
			while (p[j0] != 0);
			do {
				final int j1 = way[j0];
				p[j0] = p[j1];
				j0 = j1;
			}
			while (j0 != 0);
		}
		final int[] rowToCol = new int[n];
		for (int j = 1; j <= m; j++)
			if (p[j] != 0) rowToCol[p[j] - 1] = j - 1;
		return rowToCol;
	}
}

package org.anyseg.ops.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Hungarian algorithm against trying every assignment on small random matrices. */
class HungarianAssignmentTest {

	@Test
	void matchesExhaustiveSearch() {
		final Random r = new Random(9);
		for (int t = 0; t < 300; t++) {
			final int rows = 1 + r.nextInt(6), cols = 1 + r.nextInt(6);
			final double[][] w = new double[rows][cols];
			for (final double[] row : w)
				for (int c = 0; c < cols; c++)
					row[c] = r.nextDouble() < 0.4 ? 0 : r.nextInt(5) + r.nextDouble();
			final int[] a = HungarianAssignment.maximise(w);
			final boolean[] used = new boolean[cols];
			double total = 0;
			for (int i = 0; i < rows; i++)
				if (a[i] >= 0) {
					assertEquals(false, used[a[i]], "one-to-one");
					used[a[i]] = true;
					total += w[i][a[i]];
				}
			assertEquals(best(w, 0, new boolean[cols]), total, 1e-9);
		}
	}

	private static double best(final double[][] w, final int row, final boolean[] used) {
		if (row == w.length) return 0;
		double b = best(w, row + 1, used); // row left unassigned
		for (int c = 0; c < used.length; c++) {
			if (used[c]) continue;
			used[c] = true;
			b = Math.max(b, w[row][c] + best(w, row + 1, used));
			used[c] = false;
		}
		return b;
	}
}

package org.anyseg.testutil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Label images painted box by box, for the metric and instance-matching tests. */
public final class InstanceScenes {

	private InstanceScenes() {}

	/** A ground-truth and a predicted instance label image of size nx x ny. */
	public record Scene(int nx, int ny, int[] gt, int[] pred) {}

	/** Fills the inclusive box of an nx x ny (x nz) label array with {@code label}. */
	public static void fill(final int[] l, final int nx, final int ny, final int label,
		final int x0, final int x1, final int y0, final int y1, final int z0, final int z1)
	{
		for (int z = z0; z <= z1; z++)
			for (int y = y0; y <= y1; y++)
				for (int x = x0; x <= x1; x++)
					l[x + nx * (y + ny * z)] = label;
	}

	/**
	 * Small squares on a grid of {@code cells x rows} cells of 20 px (one ground-truth square
	 * in 95 % of them), predictions shifted, resized, split, dropped and added at random
	 * (painted in random order, so they overlap their neighbours), labels shuffled.
	 */
	public static Scene randomSquares(final long seed, final int cells, final int rows) {
		final Random r = new Random(seed);
		final int cell = 20, nx = cells * cell, ny = rows * cell;
		final int[] g = new int[nx * ny], p = new int[nx * ny];
		final List<int[]> preds = new ArrayList<>();
		int nG = 0;
		final List<Integer> gLabels = shuffled(r, cells * rows, 7, 3);
		for (int cy = 0; cy < rows; cy++)
			for (int cx = 0; cx < cells; cx++) {
				final int s = 6 + r.nextInt(7);
				final int x0 = cx * cell + 4 + r.nextInt(13 - s), y0 = cy * cell + 4 + r.nextInt(13 -
					s);
				if (r.nextDouble() < 0.95) fill(g, nx, ny, gLabels.get(nG++), x0, x0 + s - 1, y0, y0 +
					s - 1, 0, 0);
				final double u = r.nextDouble();
				final int x = x0 + r.nextInt(13) - 6, y = y0 + r.nextInt(13) - 6, t = Math.max(2, s +
					r.nextInt(5) - 2);
				if (u < 0.1) { // split into two halves
					preds.add(new int[] { x, x + t / 2 - 1, y, y + t - 1 });
					preds.add(new int[] { x + t / 2, x + t - 1, y, y + t - 1 });
				}
				else if (u < 0.95) preds.add(new int[] { x, x + t - 1, y, y + t - 1 });
				if (r.nextDouble() < 0.05) preds.add(new int[] { cx * cell, cx * cell + 3, cy * cell,
					cy * cell + 3 });
			}
		Collections.shuffle(preds, r);
		final List<Integer> pLabels = shuffled(r, preds.size(), 1, 1);
		for (int k = 0; k < preds.size(); k++) {
			final int[] b = preds.get(k);
			fill(p, nx, ny, pLabels.get(k), Math.max(0, b[0]), Math.min(nx - 1, b[1]), Math.max(0,
				b[2]), Math.min(ny - 1, b[3]), 0, 0);
		}
		return new Scene(nx, ny, g, p);
	}

	private static List<Integer> shuffled(final Random r, final int n, final int step,
		final int offset)
	{
		final List<Integer> l = new ArrayList<>();
		for (int k = 0; k < n; k++)
			l.add(offset + step * k);
		Collections.shuffle(l, r);
		return l;
	}
}

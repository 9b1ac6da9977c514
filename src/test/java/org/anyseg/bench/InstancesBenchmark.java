package org.anyseg.bench;

import java.util.Arrays;
import java.util.Locale;

import org.anyseg.ops.eval.Detection;
import org.anyseg.ops.eval.Instances;
import org.anyseg.ops.eval.LabelVolume;
import org.anyseg.testutil.InstanceScenes;

/**
 * Instance-matching speed on the random squares of {@code InstancesTest} (about 1000
 * instances at the default 40x25 cells), and on grids 4 and 16 times as large: the time per
 * voxel should stay about the same (one pass with sparse counts). Prints the median of
 * {@code REPS} runs at IoU 0.5 (greedy) and 0.3 (Hungarian per group) after a warm-up. It
 * replaces the wall-clock assertion the unit test once had.
 * <p>
 * {@code java -cp ... org.anyseg.bench.InstancesBenchmark [CELLS ROWS [REPS]]}
 */
public final class InstancesBenchmark {

	private InstancesBenchmark() {}

	public static void main(final String[] args) {
		final int cells = args.length > 1 ? Integer.parseInt(args[0]) : 40;
		final int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
		final int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
		for (final int scale : new int[] { 1, 2, 4 }) {
			final InstanceScenes.Scene s = InstanceScenes.randomSquares(42, cells * scale, rows *
				scale);
			final LabelVolume gt = LabelVolume.of2D(s.nx(), s.ny(), s.gt());
			final LabelVolume pred = LabelVolume.of2D(s.nx(), s.ny(), s.pred());
			final long voxels = (long) s.nx() * s.ny();
			for (final double threshold : new double[] { 0.5, 0.3 }) {
				Instances.match(gt, pred, threshold); // warm-up (class loading, JIT)
				final double[] ms = new double[reps];
				Detection d = null;
				for (int r = 0; r < reps; r++) {
					final long t = System.nanoTime();
					d = Instances.match(gt, pred, threshold);
					ms[r] = (System.nanoTime() - t) / 1e6;
				}
				Arrays.sort(ms);
				System.out.printf(Locale.ROOT,
					"%dx%d px, %d gt / %d predicted instances, IoU %.1f: median %.1f ms (%.1f ns/voxel), " +
						"tp %d%n", s.nx(), s.ny(), gt.labelSet().size(), pred.labelSet().size(), threshold,
					ms[reps / 2], ms[reps / 2] * 1e6 / voxels, d.tp());
			}
		}
	}
}

package org.anyseg.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.volume.Volume;

/**
 * How the demo model's propagation stop rules behave on synthetic volumes (issue 16: the
 * demo's {@code propagation} defaults are chosen here, never on real data). Each volume is
 * 96 x 96 x 40 with noise: an ellipsoid object (slices 8..31) beside a second structure
 * that runs through all slices (a touching cylinder, a brighter blob after the object ends,
 * or nothing). Prompted with the truth box of the middle slice; printed per rule: the mean
 * fraction of the object's slices covered and the mean slices segmented beyond it. Usage:
 * {@code SyntheticStopRuleEvaluation minIou,minAreaRatio,maxAreaRatio,minInside[,minContrast] ...}.
 */
public final class SyntheticStopRuleEvaluation {

	static final int NX = 96, NY = 96, NZ = 40, Z0 = 8, Z1 = 31;

	private SyntheticStopRuleEvaluation() {}

	public static void main(final String[] args) {
		try (Segmenter seg = new Segmenter(ModelLoader.load(StopRuleEvaluation.modelFiles(),
			RuntimeOptions.defaults()), "demo", new EmbeddingCache(1024)))
		{
			for (final String rule : args) {
				final Propagation.Options o = StopRuleEvaluation.options("r=" + rule);
				double cov = 0, beyond = 0;
				int n = 0;
				for (int kind = 0; kind < 3; kind++) {
					for (int seed = 1; seed <= 3; seed++) {
						final double[] m = run(seg, volume(kind, seed), o);
						cov += m[0];
						beyond += m[1];
						n++;
					}
				}
				System.out.printf(Locale.ROOT, "%s: covered %.2f, beyond %.1f%n", rule, cov / n,
					beyond / n);
			}
		}
	}

	static boolean[][] truth;

	static Volume volume(final int kind, final int seed) {
		final Random r = new Random(seed);
		final double cx = 44 + r.nextInt(8), cy = 44 + r.nextInt(8), rx = 14 + r.nextInt(6),
			ry = 12 + r.nextInt(6), obj = 150 + r.nextInt(60);
		truth = new boolean[NZ][NX * NY];
		final List<float[]> slices = new ArrayList<>();
		for (int z = 0; z < NZ; z++) {
			final float[] s = new float[NX * NY];
			final double t = (z - (Z0 + Z1) / 2.0) / ((Z1 - Z0) / 2.0 + 0.5);
			final double f = Math.sqrt(Math.max(0, 1 - t * t));
			for (int y = 0; y < NY; y++) {
				for (int x = 0; x < NX; x++) {
					final boolean in = f > 0 && sq((x - cx) / (rx * f)) + sq((y - cy) / (ry * f)) < 1;
					truth[z][y * NX + x] = in;
					double v = 60;
					if (kind == 0 && sq(x - cx - rx - 8) + sq(y - cy) < 64) v = obj;
					if (kind == 1 && (z < Z0 || z > Z1) && sq(x - cx) + sq(y - cy) < sq(rx + 10)) {
						v = obj + 40;
					}
					if (in) v = obj;
					s[y * NX + x] = (float) (v + 12 * r.nextGaussian());
				}
			}
			slices.add(s);
		}
		return Volume.of(NX, NY, Plane.Kind.GRAY32, slices);
	}

	static double sq(final double v) {
		return v * v;
	}

	/** {covered fraction, slices beyond}. */
	static double[] run(final Segmenter seg, final Volume v, final Propagation.Options o) {
		final int zm = (Z0 + Z1) / 2;
		int x0 = NX, y0 = NY, x1 = 0, y1 = 0;
		for (int i = 0; i < NX * NY; i++) {
			if (truth[zm][i]) {
				x0 = Math.min(x0, i % NX);
				x1 = Math.max(x1, i % NX + 1);
				y0 = Math.min(y0, i / NX);
				y1 = Math.max(y1, i / NX + 1);
			}
		}
		final boolean[][] gt = truth;
		final Propagation.Result r = new Propagator(seg).propagate(v, Normalization.AUTO, List.of(
			new Propagation.Target(1, List.of(new Propagation.Seed(zm, ObjectPrompt.ofBox(1,
				new BoxPrompt(x0, y0, x1, y1)))))), o, null, null);
		int gtn = 0, cov = 0, beyond = 0;
		for (int z = 0; z < NZ; z++) {
			boolean p = false, g = false;
			for (int i = 0; i < NX * NY; i++) {
				p |= r.labels()[z][i] == 1;
				g |= gt[z][i];
			}
			if (g) gtn++;
			if (g && p) cov++;
			if (!g && p) beyond++;
		}
		return new double[] { cov / (double) gtn, beyond };
	}
}

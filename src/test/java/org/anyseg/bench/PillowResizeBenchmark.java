package org.anyseg.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

import org.anyseg.ops.family.InputRecipe;
import org.anyseg.ops.image.PillowResize;
import org.anyseg.ops.model.ModelFrame;

/**
 * SAM's long-side resize of a 2000x1500 RGB 8-bit image to 1024x768: Pillow's 8-bit
 * arithmetic ({@link PillowResize}, alone and as the SAM recipe runs it, with the uint8 check
 * and the conversions) against the float resize used before ({@code Resampler}, three channels
 * in parallel). Prints the median of 9 timed runs after 3 warm-up runs.
 * <p>
 * {@code java -cp ... org.anyseg.bench.PillowResizeBenchmark [WIDTH HEIGHT]}; add
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=1} for one thread.
 */
public final class PillowResizeBenchmark {

	private static final int WARMUP = 3, RUNS = 9;

	private PillowResizeBenchmark() {}

	public static void main(final String[] args) {
		final int w = args.length >= 2 ? Integer.parseInt(args[0]) : 2000;
		final int h = args.length >= 2 ? Integer.parseInt(args[1]) : 1500;
		final ModelFrame f = new ModelFrame(w, h, 1024);
		final int nw = f.resizedWidth(), nh = f.resizedHeight();
		final Random r = new Random(7);
		final float[][] rgb = new float[3][w * h];
		final byte[][] bytes = new byte[3][w * h];
		for (int c = 0; c < 3; c++) {
			for (int i = 0; i < w * h; i++) {
				// smooth plus noise, integral 0..255 (an 8-bit photograph stand-in)
				final int v = Math.min(255, Math.max(0, (int) (128 + 90 * Math.sin(i % w / 97.0 + c) *
					Math.cos(i / w / 71.0)) + r.nextInt(21) - 10));
				rgb[c][i] = v;
				bytes[c][i] = (byte) v;
			}
		}
		System.out.printf(Locale.ROOT, "== %dx%d RGB -> %dx%d, %d cores, median of %d runs%n", w,
			h, nw, nh, Runtime.getRuntime().availableProcessors(), RUNS);
		report("float resize (Resampler, before)", () -> InputRecipe.Resize.FLOAT.apply(rgb, w, h,
			nw, nh));
		report("PillowResize.bilinear(byte[][])", () -> PillowResize.bilinear(bytes, w, h, nw,
			nh));
		report("SAM recipe, uint8 path (check+convert)", () -> InputRecipe.Resize.PILLOW_UINT8
			.apply(rgb, w, h, nw, nh));
	}

	private static void report(final String name, final Supplier<Object> run) {
		for (int i = 0; i < WARMUP; i++) run.get();
		final double[] ms = new double[RUNS];
		for (int i = 0; i < RUNS; i++) {
			final long t = System.nanoTime();
			run.get();
			ms[i] = (System.nanoTime() - t) / 1e6;
		}
		Arrays.sort(ms);
		System.out.printf(Locale.ROOT, "%-40s %8.1f ms (min %.1f, max %.1f)%n", name,
			ms[RUNS / 2], ms[0], ms[RUNS - 1]);
	}
}

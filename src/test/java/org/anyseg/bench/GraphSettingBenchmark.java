package org.anyseg.bench;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.anyseg.ops.model.GraphCheck;
import org.anyseg.ops.model.GraphSetting;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.model.TensorSpec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Prints the speed table of issue 19 for BENCHMARKS.md: one graph (an encoder) run with
 * full optimisation as the file is, with ConstantFolding off, with its constant-condition
 * Ifs inlined first (AnySeg's default), and unoptimised; session creation and run times
 * (medians, the settings interleaved round by round in one process) and each setting's
 * largest difference from the unoptimised outputs. Usage:
 * {@code GraphSettingBenchmark GRAPH.onnx [--reps N] [--threads N]}; float inputs get the
 * probe x = ((c*31 + y*7 + x*13) % 256) / 255 - 0.5 pattern over their flat index.
 */
public final class GraphSettingBenchmark {

	private record Variant(String name, GraphSetting setting, boolean inline) {}

	private static final List<Variant> VARIANTS = List.of(new Variant(
		"full optimisation, graph as exported", GraphSetting.FULL, false), new Variant(
			"ConstantFolding off", GraphSetting.NO_CONSTANT_FOLDING, false), new Variant(
				"constant Ifs inlined, full optimisation", GraphSetting.FULL, true), new Variant(
					"no optimisation", GraphSetting.NONE, false));

	private GraphSettingBenchmark() {}

	public static void main(final String[] args) throws Exception {
		final ModelFile file = ModelFile.of(Path.of(args[0]));
		int reps = 5;
		RuntimeOptions opts = RuntimeOptions.defaults();
		for (int i = 1; i < args.length; i++) {
			if (args[i].equals("--reps")) reps = Integer.parseInt(args[++i]);
			else if (args[i].equals("--threads")) opts = opts.withThreads(Integer.parseInt(
				args[++i]));
		}
		System.out.printf(Locale.ROOT, "%s (%d MB), ONNX Runtime %s, %d threads, %d reps%n",
			file.path().getFileName(), file.size() >> 20, GraphCheck.runtime(), opts.threads(),
			reps);
		final Map<Variant, List<Double>> create = new LinkedHashMap<>();
		final Map<Variant, List<Double>> run = new LinkedHashMap<>();
		final Map<Variant, Double> diff = new LinkedHashMap<>();
		final Map<String, float[]> reference = new LinkedHashMap<>();
		for (int r = 0; r < reps; r++) {
			for (final Variant v : VARIANTS) {
				final long t0 = System.nanoTime();
				try (OnnxGraph g = OnnxGraph.open(file, opts, v.setting(), v.inline())) {
					final long t1 = System.nanoTime();
					final Map<String, OnnxTensor> feeds = feeds(g);
					try {
						runOnce(g, feeds, null); // first run: allocations, not timed
						final long t2 = System.nanoTime();
						final Map<String, float[]> out = new LinkedHashMap<>();
						runOnce(g, feeds, out);
						final long t3 = System.nanoTime();
						create.computeIfAbsent(v, k -> new ArrayList<>()).add((t1 - t0) / 1e6);
						run.computeIfAbsent(v, k -> new ArrayList<>()).add((t3 - t2) / 1e6);
						if (v.setting() == GraphSetting.NONE && reference.isEmpty()) reference.putAll(out);
						if (!reference.isEmpty()) diff.merge(v, maxDiff(reference, out), Math::max);
					}
					finally {
						feeds.values().forEach(OnnxTensor::close);
					}
				}
			}
		}
		final double base = median(run.get(VARIANTS.get(0)));
		System.out.println("| setting | session creation ms (median) | run ms (median) | run time " +
			"/ full optimisation | max abs diff from unoptimised |");
		System.out.println("|---|---|---|---|---|");
		for (final Variant v : VARIANTS) {
			System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.2f | %.3g |%n", v.name(), median(
				create.get(v)), median(run.get(v)), median(run.get(v)) / base, diff.getOrDefault(v,
					Double.NaN));
		}
	}

	private static Map<String, OnnxTensor> feeds(final OnnxGraph g) throws Exception {
		final Map<String, OnnxTensor> m = new LinkedHashMap<>();
		for (final TensorSpec s : g.inputs().values()) {
			final long[] shape = Arrays.stream(s.shape()).map(d -> d < 0 ? 1 : d).toArray();
			final int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
			final float[] x = new float[n];
			final int side = (int) shape[shape.length - 1];
			for (int i = 0; i < n; i++) {
				final int col = i % side;
				final int row = i / side % Math.max(1, (int) shape[shape.length - 2]);
				final int c = i / (side * Math.max(1, (int) shape[shape.length - 2]));
				x[i] = (c * 31 + row * 7 + col * 13) % 256 / 255f - 0.5f;
			}
			m.put(s.name(), OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer
				.wrap(x), shape));
		}
		return m;
	}

	private static void runOnce(final OnnxGraph g, final Map<String, OnnxTensor> feeds,
		final Map<String, float[]> out) throws Exception
	{
		try (OrtSession.Result r = g.run(feeds)) {
			if (out == null) return;
			for (final Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
				if (e.getValue() instanceof OnnxTensor t) {
					final FloatBuffer b = t.getFloatBuffer();
					final float[] a = new float[b.remaining()];
					b.get(a);
					out.put(e.getKey(), a);
				}
			}
		}
	}

	private static double maxDiff(final Map<String, float[]> ref, final Map<String, float[]> out) {
		double d = 0;
		for (final Map.Entry<String, float[]> e : ref.entrySet()) {
			final float[] a = e.getValue();
			final float[] b = out.get(e.getKey());
			for (int i = 0; i < a.length; i++) {
				final double x = Math.abs(a[i] - b[i]);
				d = Double.isNaN(x) ? Double.POSITIVE_INFINITY : Math.max(d, x);
			}
		}
		return d;
	}

	private static double median(final List<Double> v) {
		final double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
	}
}

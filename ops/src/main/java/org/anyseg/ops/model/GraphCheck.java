package org.anyseg.ops.model;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Checks that ONNX Runtime's optimised graphs compute what the graphs say. The whole model
 * runs once unoptimised on a fixed probe (an image with a disc, a box prompt and, for a
 * memory model, one tracked frame) while every graph's inputs and outputs are recorded.
 * Then each graph alone is re-run on its recorded inputs, in a fresh session each time:
 * twice with {@link GraphSetting#FULL}; if either differs from the unoptimised outputs by
 * more than {@link #TOLERANCE} (relative to the output's largest magnitude), the
 * {@link GraphSetting#fallbacks()} are tried in order, each twice, and the first exact one
 * is chosen ({@link GraphSetting#NONE} always is).
 */
public final class GraphCheck {

	/** Largest accepted |optimised - unoptimised| / max|unoptimised| of any output. */
	public static final double TOLERANCE = 1e-4;
	/** Fresh sessions per candidate setting. */
	static final int SESSIONS = 2;

	private GraphCheck() {}

	/**
	 * The check's finding for one model file.
	 *
	 * @param file file name (within its folder)
	 * @param sha256 the file's SHA-256, the key under which it is recorded
	 * @param size file size in bytes
	 * @param modified last-modified time (ms) of the file when checked, 0 for bundled files
	 * @param runtime ONNX Runtime version that was checked
	 * @param setting the fastest exact setting
	 * @param inlinedIfs constant-condition {@code If} nodes replaced under {@code FULL}
	 * @param fullError the relative error of {@code FULL} (worst of its sessions)
	 * @param slowdown run time of the chosen setting over that of {@code FULL} (1 when FULL)
	 * @param checked the date of the check
	 */
	public record Verdict(String file, String sha256, long size, long modified, String runtime,
		GraphSetting setting, int inlinedIfs, double fullError, double slowdown, String checked)
	{

		/** One line for the user. */
		public String describe() {
			final String ifs = inlinedIfs > 0 ? " (" + inlinedIfs + " constant If node" + (
				inlinedIfs == 1 ? "" : "s") + " replaced by their branch)" : "";
			if (setting == GraphSetting.FULL) {
				return file + ": full optimisation is exact with ONNX Runtime " + runtime + ifs + ".";
			}
			return String.format(java.util.Locale.ROOT, "%s: ONNX Runtime %s's full optimisation " +
				"computes wrong values (relative error %.3g)%s; using %s instead, %.1fx the run time " +
				"of the optimised graph.", file, runtime, fullError, ifs, setting.description(),
				slowdown);
		}
	}

	/** Checks every file of a model. */
	public static List<Verdict> check(final List<ModelFile> files, final ModelConfig config,
		final RuntimeOptions opts, final Consumer<String> progress)
	{
		return check(files, config, opts, progress, true);
	}

	/**
	 * As {@link #check(List, ModelConfig, RuntimeOptions, Consumer)}; without
	 * {@code inlineConstantIfs} the optimised graphs are not rewritten first (to measure
	 * what the rewrite saves, and to test the fallbacks).
	 */
	static List<Verdict> check(final List<ModelFile> files, final ModelConfig config,
		final RuntimeOptions opts, final Consumer<String> progress,
		final boolean inlineConstantIfs)
	{
		final GraphRecorder recorder = new GraphRecorder(2);
		final Map<ModelFile, OnnxGraph> opened = new HashMap<>();
		progress.accept("Checking the model's graphs with ONNX Runtime " + runtime() +
			" (once per model file)...");
		try (PromptableModel m = ModelLoader.open(files, config, opts, f -> GraphSetting.NONE,
			false, g -> {
				g.record(recorder);
				opened.put(g.file(), g);
			}))
		{
			probe(m);
		}
		final List<Verdict> out = new ArrayList<>();
		for (final ModelFile f : files) {
			final List<GraphRecorder.Run> runs = recorder.runs(opened.get(f));
			if (runs.isEmpty()) {
				throw new AnySegException("The check did not run " + f.name() + ": the probe " +
					"does not reach it. Report this with the model's name.");
			}
			out.add(checkGraph(f, runs, opts, progress, inlineConstantIfs));
		}
		return out;
	}

	private static Verdict checkGraph(final ModelFile f, final List<GraphRecorder.Run> runs,
		final RuntimeOptions opts, final Consumer<String> progress, final boolean inline)
	{
		final Trial full = trial(f, GraphSetting.FULL, runs, opts, inline);
		Trial chosen = full;
		if (full.error > TOLERANCE) {
			for (final GraphSetting s : GraphSetting.fallbacks()) {
				chosen = s == GraphSetting.NONE ? trialOnce(f, s, runs, opts, inline) : trial(f, s, runs,
					opts, inline);
				if (chosen.error <= TOLERANCE) break;
			}
		}
		final Verdict v = new Verdict(f.fileName(), f.sha256(), f.size(), f.lastModified(), runtime(),
			chosen.setting, full.inlinedIfs, full.error, full.seconds > 0 ? chosen.seconds /
				full.seconds : 1, LocalDate.now().toString());
		progress.accept(v.describe());
		return v;
	}

	private record Trial(GraphSetting setting, double error, double seconds, int inlinedIfs) {}

	/** {@link #SESSIONS} fresh sessions; the worst error, the fastest run. */
	private static Trial trial(final ModelFile f, final GraphSetting s,
		final List<GraphRecorder.Run> runs, final RuntimeOptions opts, final boolean inline)
	{
		Trial worst = null;
		for (int i = 0; i < SESSIONS; i++) {
			final Trial t = trialOnce(f, s, runs, opts, inline);
			worst = worst == null ? t : new Trial(s, Math.max(worst.error, t.error), Math.min(
				worst.seconds, t.seconds), t.inlinedIfs);
		}
		return worst;
	}

	private static Trial trialOnce(final ModelFile f, final GraphSetting s,
		final List<GraphRecorder.Run> runs, final RuntimeOptions opts, final boolean inline)
	{
		try (OnnxGraph g = OnnxGraph.open(f, opts, s, inline)) {
			double error = 0;
			final long t0 = System.nanoTime();
			for (final GraphRecorder.Run r : runs) error = Math.max(error, replay(g, r));
			return new Trial(s, error, (System.nanoTime() - t0) / 1e9, g.inlinedIfs());
		}
	}

	/** Relative error of one recorded run replayed on {@code g}. */
	static double replay(final OnnxGraph g, final GraphRecorder.Run run) {
		final Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
		try {
			for (final Map.Entry<String, GraphRecorder.Tensor> e : run.feeds().entrySet()) {
				feeds.put(e.getKey(), e.getValue().toOnnx());
			}
			try (OrtSession.Result r = g.run(feeds)) {
				double worst = 0;
				for (final Map.Entry<String, GraphRecorder.Tensor> e : run.outputs().entrySet()) {
					final OnnxTensor t = (OnnxTensor) r.get(e.getKey()).orElse(null);
					if (t == null) return Double.POSITIVE_INFINITY;
					worst = Math.max(worst, relativeError(e.getValue(), GraphRecorder.Tensor.of(t)));
				}
				return worst;
			}
		}
		catch (final OrtException e) {
			// a setting under which the graph fails is as unusable as a wrong one
			return Double.POSITIVE_INFINITY;
		}
		finally {
			feeds.values().forEach(OnnxTensor::close);
		}
	}

	/** max|a - b| / max|ref|; infinite when shapes differ or only one side is finite. */
	static double relativeError(final GraphRecorder.Tensor ref, final GraphRecorder.Tensor got) {
		if (got == null || got.size() != ref.size() || !java.util.Arrays.equals(ref.shape(), got
			.shape())) return Double.POSITIVE_INFINITY;
		double maxDiff = 0;
		double maxRef = 0;
		for (int i = 0; i < ref.size(); i++) {
			final double a = ref.get(i);
			final double b = got.get(i);
			if (!Double.isFinite(a) || !Double.isFinite(b)) {
				if (Double.compare(a, b) != 0) return Double.POSITIVE_INFINITY;
				continue;
			}
			maxDiff = Math.max(maxDiff, Math.abs(a - b));
			maxRef = Math.max(maxRef, Math.abs(a));
		}
		return maxDiff == 0 ? 0 : maxDiff / Math.max(maxRef, 1e-30);
	}

	/** The probe: a 160x120 image with a bright disc on a ramp, a box around the disc. */
	static void probe(final PromptableModel m) {
		final int w = 160;
		final int h = 120;
		final ObjectPrompt box = ObjectPrompt.ofBox(1, new BoxPrompt(50, 30, 110, 90));
		final Embedding e = m.encode(probeImage(w, h, 0), w, h);
		if (m instanceof MemoryModel mm) {
			final MemoryModel.Memory first = mm.prompted(e, 0, box);
			mm.track(m.encode(probeImage(w, h, 4), w, h), 1, 1, List.of(first), List.of());
		}
		else m.decode(e, box);
	}

	private static float[][] probeImage(final int w, final int h, final int shift) {
		final float[][] rgb = new float[3][w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final double dx = x - 80 - shift;
				final double dy = y - 60;
				final float v = (float) (dx * dx + dy * dy < 25 * 25 ? 220 : 30 + x * 0.5 + (x * 7 +
					y * 13) % 17);
				for (int c = 0; c < 3; c++) rgb[c][y * w + x] = v - 10 * c;
			}
		}
		return rgb;
	}

	/** The version of the ONNX Runtime in use. */
	public static String runtime() {
		try {
			return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
		}
		catch (final RuntimeException e) {
			return "unknown";
		}
	}
}

package org.anyseg.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Prints speed and memory figures for BENCHMARKS.md: first and steady encoder runs, decoder
 * per prompt, and the engine's overhead over bare ONNX Runtime {@code run} calls on the same
 * inputs, all measured in one process. Usage:
 * {@code EngineBenchmark MODEL IMAGE [--arena on|off] [--reps N] [--threads N]}.
 */
public final class EngineBenchmark {

	public static void main(final String[] args) throws Exception {
		final String model = args[0];
		final Path image = Path.of(args[1]);
		final List<String> rest = Arrays.asList(args).subList(2, args.length);
		final boolean arena = "on".equals(opt(rest, "--arena", "off"));
		final int reps = Integer.parseInt(opt(rest, "--reps", "10"));
		final int threads = Integer.parseInt(opt(rest, "--threads", "" + Runtime.getRuntime()
			.availableProcessors()));
		final RuntimeOptions ro = new RuntimeOptions(threads, arena, RuntimeOptions.CPU);
		final List<ModelFile> files = ModelCatalog.standard().resolve(model);
		final Plane plane = ImagePlanes.plane(ImageFiles.open(image), PlaneSelection.FIRST);
		final float[][] rgb = Normalization.AUTO.toRgb255(plane);
		final int w = plane.width(), h = plane.height();
		System.out.printf(Locale.ROOT, "model %s, image %s (%dx%d), threads %d, cpu arena %s%n",
			model, image.getFileName(), w, h, threads, arena ? "on" : "off");

		long t = System.nanoTime();
		final PromptableModel m = ModelLoader.load(files, ro);
		System.out.printf(Locale.ROOT, "session load: %.0f ms%n", ms(t));
		try (Segmenter seg = new Segmenter(m, model, new EmbeddingCache(0))) {
			final double[] first = new double[2];
			for (int i = 0; i < 2; i++) {
				t = System.nanoTime();
				seg.embed(plane, Normalization.AUTO);
				first[i] = ms(t);
			}
			System.out.printf(Locale.ROOT, "encoder first run %.0f ms, second %.0f ms, peak RSS " +
				"after them %d MB%n", first[0], first[1], peakRssMb());

			if (files.size() == 1 && ModelLoader.isCheckpoint(files.get(0).fileName())) {
				engineOnly(seg, plane, w, h, reps); // no ONNX file to run bare
				System.out.printf(Locale.ROOT, "peak RSS %d MB%n", peakRssMb());
				return;
			}
			// engine and bare runs alternate, so machine noise hits both alike
			final OrtEnvironment env = OrtEnvironment.getEnvironment();
			final double[] engineEnc = new double[reps], bareEnc = new double[reps];
			Embedding emb = null;
			try (OrtSession.SessionOptions so = ro.toSessionOptions();
					OrtSession enc = session(env, files, so, "input_image");
					OrtSession dec = session(env, files, so, "point_coords"))
			{
				final String in = enc.getInputNames().iterator().next();
				final boolean hwc = enc.getInputInfo().get(in).getInfo().toString().contains(
					"shape=[-1");
				final org.anyseg.ops.model.ModelFrame frame = new org.anyseg.ops.model.ModelFrame(w, h,
					1024);
				final FloatTensor input = hwc ? org.anyseg.ops.family.SamPreprocessing.resizedHwc(rgb,
					frame) : org.anyseg.ops.family.SamPreprocessing.normalizedPadded(rgb, frame);
				try (OnnxTensor x = input.toOnnx()) {
					enc.run(Map.of(in, x)).close();
					for (int i = 0; i < reps; i++) {
						t = System.nanoTime();
						emb = seg.embed(plane, Normalization.AUTO);
						engineEnc[i] = ms(t);
						t = System.nanoTime();
						enc.run(Map.of(in, x)).close();
						bareEnc[i] = ms(t);
					}
				}
				final double me = median(engineEnc), mb = median(bareEnc);
				System.out.printf(Locale.ROOT, "encoder median: engine %.1f ms, bare ORT run %.1f ms, " +
					"overhead %.1f ms = %.1f %%%n", me, mb, me - mb, 100 * (me / mb - 1));

				final List<ObjectPrompt> prompts = List.of(ObjectPrompt.ofPoints(1, List.of(
					new PointPrompt(w / 2.0, h / 2.0, true))), ObjectPrompt.ofBox(2, new BoxPrompt(w / 4.0,
						h / 4.0, w / 2.0, h / 2.0)));
				final int decReps = reps * 5;
				final double[] engineDec = new double[decReps], bareDec = new double[decReps];
				final Map<String, OnnxTensor> feeds = bareDecoderFeeds(emb, w, h);
				dec.run(feeds).close();
				for (int i = 0; i < decReps; i++) {
					t = System.nanoTime();
					seg.model().decode(emb, prompts.get(i % 2));
					engineDec[i] = ms(t);
					t = System.nanoTime();
					dec.run(feeds).close();
					bareDec[i] = ms(t);
				}
				feeds.values().forEach(OnnxTensor::close);
				final double md = median(engineDec), mbd = median(bareDec);
				System.out.printf(Locale.ROOT, "decoder median per prompt: engine %.2f ms, bare ORT " +
					"run %.2f ms, overhead %.2f ms%n", md, mbd, md - mbd);
			}
			System.out.printf(Locale.ROOT, "peak RSS %d MB%n", peakRssMb());
		}
	}

	/** Encoder and decoder medians of the engine alone (a checkpoint's graphs are in memory). */
	private static void engineOnly(final Segmenter seg, final Plane plane, final int w,
		final int h, final int reps)
	{
		final double[] enc = new double[reps];
		Embedding emb = null;
		for (int i = 0; i < reps; i++) {
			final long t = System.nanoTime();
			emb = seg.embed(plane, Normalization.AUTO);
			enc[i] = ms(t);
		}
		final List<ObjectPrompt> prompts = List.of(ObjectPrompt.ofPoints(1, List.of(
			new PointPrompt(w / 2.0, h / 2.0, true))), ObjectPrompt.ofBox(2, new BoxPrompt(w / 4.0,
				h / 4.0, w / 2.0, h / 2.0)));
		final double[] dec = new double[reps * 5];
		for (int i = 0; i < dec.length; i++) {
			final long t = System.nanoTime();
			seg.model().decode(emb, prompts.get(i % 2));
			dec[i] = ms(t);
		}
		System.out.printf(Locale.ROOT, "encoder median %.1f ms; decoder median per prompt " +
			"%.2f ms%n", median(enc), median(dec));
	}

	private static Map<String, OnnxTensor> bareDecoderFeeds(final Embedding emb, final int w,
		final int h) throws Exception
	{
		final Map<String, OnnxTensor> feeds = new HashMap<>();
		feeds.put("image_embeddings", emb.tensor("image_embeddings").toOnnx());
		feeds.put("point_coords", FloatTensor.of(new float[] { w, h, 0, 0 }, 1, 2, 2).toOnnx());
		feeds.put("point_labels", FloatTensor.of(new float[] { 1, -1 }, 1, 2).toOnnx());
		feeds.put("mask_input", FloatTensor.allocate(1, 1, 256, 256).toOnnx());
		feeds.put("has_mask_input", FloatTensor.of(new float[] { 0 }, 1).toOnnx());
		feeds.put("orig_im_size", FloatTensor.of(new float[] { h, w }, 2).toOnnx());
		return feeds;
	}

	/** The session of the file that has an input named {@code input}. */
	private static OrtSession session(final OrtEnvironment env, final List<ModelFile> files,
		final OrtSession.SessionOptions so, final String input) throws Exception
	{
		for (final ModelFile f : files) {
			final OrtSession s = env.createSession(bytes(f), so);
			if (s.getInputNames().contains(input)) return s;
			s.close();
		}
		throw new IllegalArgumentException("no graph with input " + input);
	}

	private static byte[] bytes(final ModelFile f) throws Exception {
		if (f.path() != null) return Files.readAllBytes(f.path());
		try (var in = EngineBenchmark.class.getClassLoader().getResourceAsStream(f.name()
			.substring("classpath:".length())))
		{
			return in.readAllBytes();
		}
	}

	static long peakRssMb() {
		try {
			for (final String l : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024;
			}
		}
		catch (final Exception e) {
			return -1;
		}
		return -1;
	}

	private static String opt(final List<String> a, final String name, final String dflt) {
		final int i = a.indexOf(name);
		return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : dflt;
	}

	private static double ms(final long t0) {
		return (System.nanoTime() - t0) / 1e6;
	}

	static double median(final double[] v) {
		final double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}

	private EngineBenchmark() {}
}

package org.anyseg.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.anyseg.ops.store.EmbeddingKeys;
import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Precomputer;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.ops.store.EmbeddingStore;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.volume.Volume;
import org.anyseg.ops.volume.VolumeNormalization;

/**
 * Issue 17: the first click on a volume whose embeddings were precomputed, against a cold
 * one, with the bundled demo model on a synthetic 16-bit volume (default 512x512x40, a tube
 * through every slice). The model is loaded and warmed up once; each "first click" is a
 * fresh engine (empty embedding cache, as a new Fiji session) clicking slice nz/2,
 * normalized alone as the interactive tool does. Also: embedding time and store size
 * (float32, float16+zlib), reading one entry, a whole-volume propagation cold and cached,
 * and the float16 masks against float32.
 * <p>
 * {@code java -cp ... org.anyseg.bench.EmbeddingsBenchmark [NX NY NZ [REPS]]}
 */
public final class EmbeddingsBenchmark {

	private EmbeddingsBenchmark() {}

	public static void main(final String[] args) throws IOException {
		final int nx = args.length > 0 ? Integer.parseInt(args[0]) : 512;
		final int ny = args.length > 1 ? Integer.parseInt(args[1]) : 512;
		final int nz = args.length > 2 ? Integer.parseInt(args[2]) : 40;
		final int reps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
		final Volume v = volume(nx, ny, nz);
		final Path dir = Files.createTempDirectory("anyseg-embed-bench");
		final PromptableModel model = ModelLoader.load(ModelCatalog.demoFiles(), RuntimeOptions
			.defaults());
		final String sha = EmbeddingKeys.modelSha256(ModelCatalog.demoFiles());
		final Normalization alone = Normalization.AUTO;
		final Normalization overVolume = VolumeNormalization.resolve(alone, v);
		final int z = nz / 2;
		final ObjectPrompt click = ObjectPrompt.ofPoints(1, List.of(new PointPrompt(tubeX(nx, z),
			ny / 2.0, true)));
		System.out.printf("== demo model, volume %dx%dx%d 16-bit, %d cores, %d reps%n", nx, ny, nz,
			Runtime.getRuntime().availableProcessors(), reps);
		// warm-up: ONNX Runtime's first runs
		fresh(model).segment(v.plane(0), alone, List.of(click));

		for (final EmbeddingStore.Precision p : EmbeddingStore.Precision.values()) {
			final boolean zlib = p == EmbeddingStore.Precision.FLOAT16;
			final Path store = dir.resolve(p.name().toLowerCase());
			final Segmenter w = fresh(model);
			final Precomputer pre = new Precomputer(w, EmbeddingStore.create(store, null), sha, p,
				zlib);
			final long t0 = System.nanoTime();
			for (int s = 0; s < nz; s++) {
				pre.ensure(v.plane(s), overVolume, new int[] { 0, 0, nx, ny }, "bench", s);
				pre.ensure(v.plane(s), alone, new int[] { 0, 0, nx, ny }, "bench", s);
			}
			final double secs = (System.nanoTime() - t0) / 1e9;
			System.out.printf("embed %s%s: %d planes encoded in %.1f s (%.3f s/plane incl. " +
				"writing), store %.1f MB (%.2f MB/plane)%n", p.name().toLowerCase(), zlib ? "+zlib"
					: "", w.encoderRuns(), secs, secs / w.encoderRuns(), size(store) / 1e6, size(store) /
						1e6 / w.encoderRuns());
		}
		final EmbeddingStore f32 = EmbeddingStore.open(dir.resolve("float32"), System.err::println);
		final EmbeddingStore f16 = EmbeddingStore.open(dir.resolve("float16"), System.err::println);

		final double[] cold = new double[reps], warm = new double[reps], warm16 = new double[reps],
			read = new double[reps], again = new double[reps];
		Prediction coldP = null, warmP = null, warm16P = null;
		for (int r = 0; r < reps; r++) {
			final Segmenter c = fresh(model);
			long t = System.nanoTime();
			coldP = c.segment(v.plane(z), alone, List.of(click)).get(0);
			cold[r] = ms(t);
			t = System.nanoTime();
			c.segment(v.plane(z), alone, List.of(click));
			again[r] = ms(t);
			final Segmenter s = fresh(model);
			s.useEmbeddings(f32, sha);
			t = System.nanoTime();
			warmP = s.segment(v.plane(z), alone, List.of(click)).get(0);
			warm[r] = ms(t);
			if (s.encoderRuns() != 0) throw new IllegalStateException("a cached click encoded");
			final Segmenter h = fresh(model);
			h.useEmbeddings(f16, sha);
			t = System.nanoTime();
			warm16P = h.segment(v.plane(z), alone, List.of(click)).get(0);
			warm16[r] = ms(t);
			final float[][] rgb = alone.toRgb255(v.plane(z));
			t = System.nanoTime();
			f32.read(EmbeddingKeys.key(sha, nx, ny, rgb), sha, nx, ny, null);
			read[r] = ms(t);
		}
		System.out.printf("first click, cold (encode + decode): median %.0f ms; a second click " +
			"on that plane (decode only): median %.0f ms%n", median(cold), median(again));
		System.out.printf("first click, cached float32 (hash + read + decode): median %.0f ms " +
			"(%.1fx faster); reading one entry alone (hash + read): median %.0f ms%n", median(warm),
			median(cold) / median(warm), median(read));
		System.out.printf("first click, cached float16+zlib: median %.0f ms%n", median(warm16));
		System.out.printf("masks: cached float32 = cold: %s; float16 vs float32 mask IoU %.4f " +
			"(%d vs %d px)%n", Arrays.equals(coldP.best().logits(), warmP.best().logits()), iou(warmP,
				warm16P), warmP.best().area(), warm16P.best().area());

		final List<Propagation.Seed> seed = List.of(new Propagation.Seed(z, ObjectPrompt.ofPoints(
			1, List.of(new PointPrompt(tubeX(nx, z), ny / 2.0, true)))));
		final Propagation.Options o = Propagation.Options.defaults().withMinIou(-100)
			.withMinAreaRatio(0);
		for (final boolean cached : new boolean[] { false, true }) {
			final Segmenter s = fresh(model);
			if (cached) s.useEmbeddings(f32, sha);
			final long t = System.nanoTime();
			final Propagation.Result res = new Propagator(s).propagate(v, alone, List.of(
				new Propagation.Target(1, seed)), o, null, null);
			System.out.printf("propagation through the volume, %s: %d slices in %.1f s, %d encoded, " +
				"%d read from the store%n", cached ? "cached" : "cold", res.slices().size(), ms(t) /
					1000, s.encoderRuns(), s.storeReads());
		}
		try (Stream<Path> w = Files.walk(dir)) {
			w.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
		}
		model.close();
	}

	private static Segmenter fresh(final PromptableModel model) {
		return new Segmenter(model, "demo", new EmbeddingCache(512));
	}

	static double tubeX(final int nx, final int z) {
		return nx / 2.0 + 20 * Math.sin(z / 30.0);
	}

	static Volume volume(final int nx, final int ny, final int nz) {
		final Random r = new Random(1);
		final List<float[]> slices = new ArrayList<>();
		for (int z = 0; z < nz; z++) {
			final float[] s = new float[nx * ny];
			final double cx = tubeX(nx, z), cy = ny / 2.0;
			for (int y = 0; y < ny; y++) {
				for (int x = 0; x < nx; x++) {
					final boolean in = (x - cx) * (x - cx) / 400 + (y - cy) * (y - cy) / 300 < 1;
					s[y * nx + x] = (float) ((in ? 3000 : 800) + 80 * r.nextGaussian());
				}
			}
			slices.add(s);
		}
		return Volume.of(nx, ny, Plane.Kind.GRAY16, slices);
	}

	private static double iou(final Prediction a, final Prediction b) {
		final float[] x = a.best().logits(), y = b.best().logits();
		int inter = 0, union = 0;
		for (int i = 0; i < x.length; i++) {
			if (x[i] > 0 && y[i] > 0) inter++;
			if (x[i] > 0 || y[i] > 0) union++;
		}
		return union == 0 ? 1 : inter / (double) union;
	}

	private static double ms(final long t0) {
		return (System.nanoTime() - t0) / 1e6;
	}

	private static double median(final double[] v) {
		final double[] s = v.clone();
		Arrays.sort(s);
		return s[s.length / 2];
	}

	private static long size(final Path p) throws IOException {
		try (Stream<Path> w = Files.walk(p)) {
			return w.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
		}
	}
}

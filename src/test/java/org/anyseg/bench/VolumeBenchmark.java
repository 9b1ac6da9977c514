package org.anyseg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.volume.Volume;

/**
 * Propagation speed and memory on a synthetic 16-bit volume (default 512x512x200): a tube of
 * nucleus-sized cross-sections through every slice, a box every 10 slices, walked
 * through the whole volume with the demo model (no early stop), embedding cache as the CLI's
 * (512 MB). Prints slices per second and the peak heap (sum of the heap pools' peaks, from
 * the JVM's own accounting), to be run with {@code -Xmx2g} to show it fits.
 * <p>
 * {@code java -Xmx2g -cp ... org.anyseg.bench.VolumeBenchmark [NX NY NZ]}
 */
public final class VolumeBenchmark {

	private VolumeBenchmark() {}

	public static void main(final String[] args) {
		final int nx = args.length > 0 ? Integer.parseInt(args[0]) : 512;
		final int ny = args.length > 1 ? Integer.parseInt(args[1]) : 512;
		final int nz = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
		final Random r = new Random(1);
		final List<float[]> slices = new ArrayList<>();
		for (int z = 0; z < nz; z++) {
			final float[] s = new float[nx * ny];
			final double cx = nx / 2.0 + 20 * Math.sin(z / 30.0), cy = ny / 2.0;
			for (int y = 0; y < ny; y++) {
				for (int x = 0; x < nx; x++) {
					final boolean in = (x - cx) * (x - cx) / 144 + (y - cy) * (y - cy) / 100 < 1;
					s[y * nx + x] = (float) ((in ? 3000 : 800) + 80 * r.nextGaussian());
				}
			}
			slices.add(s);
		}
		final Volume v = Volume.of(nx, ny, Plane.Kind.GRAY16, slices);
		// a box every 10 slices, so the whole volume is walked even where the demo loses the tube
		final List<Propagation.Seed> seeds = new ArrayList<>();
		for (int z = 5; z < nz; z += 10) {
			final double cx = nx / 2.0 + 20 * Math.sin(z / 30.0);
			seeds.add(new Propagation.Seed(z, ObjectPrompt.ofBox(1, new BoxPrompt(Math.floor(cx -
				12), ny / 2 - 10, Math.ceil(cx + 13), ny / 2 + 11))));
		}
		final long t0 = System.nanoTime();
		try (Segmenter seg = new Segmenter(ModelLoader.load(ModelCatalog.demoFiles(),
			RuntimeOptions.defaults()), "demo", new EmbeddingCache(512)))
		{
			final long t1 = System.nanoTime();
			final Propagation.Result res = new Propagator(seg).propagate(v, Normalization.AUTO, List
				.of(new Propagation.Target(1, seeds)), Propagation.Options.defaults().withMinIou(-100).withMinAreaRatio(0), null,
				null);
			final double secs = (System.nanoTime() - t1) / 1e9;
			long peak = 0;
			for (final MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
				if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
			}
			System.out.printf("volume %dx%dx%d, %d prompted slices: %d slices decoded, %d encoded in %.1f s = %.2f " +
				"slices/s (model load %.1f s); peak heap %.0f MB (max heap %.0f MB)%n", nx, ny, nz, seeds
					.size(), res.slices().size(), seg.encoderRuns(), secs, seg.encoderRuns() / secs, (t1 - t0) / 1e9,
				peak / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
		}
	}
}

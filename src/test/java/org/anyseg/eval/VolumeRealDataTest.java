package org.anyseg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.nifti.NiftiHeader;
import org.anyseg.ops.io.nifti.NiftiVolume;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.io.ij.VolumeFiles;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 3D propagation with the demo model on the real volumes of {@code ../shared/data}: each
 * object (the largest few of a multi-organ label volume) is prompted with the ground-truth
 * box of its largest slice and propagated along z; the label volume is written as NIfTI and
 * read back. Asserted: the written geometry is the input's, and the segmentation lines up
 * with the ground truth better than its mirror image in x and in y (a wrong axis or a
 * flipped geometry fails). The 3D Dice per object is printed for BENCHMARKS.md; the demo
 * model has no accuracy bar here.
 */
@Tag("realdata")
@Tag("slow")
class VolumeRealDataTest {

	@TempDir
	Path tmp;

	@Test
	void totalSegmentatorCt() {
		run("totalseg_small_3d/example_ct_sm.nii.gz", "totalseg_small_3d/example_seg.nii.gz", 4,
			"ct-soft");
	}

	@Test
	void totalSegmentatorMr() {
		run("totalseg_small_3d/example_mr_sm.nii.gz", "totalseg_small_3d/example_seg_mr.nii.gz",
			3, "mr");
	}

	@Test
	void bratsEdema() {
		run("brats2021_edema_3d/BraTS2021_01646_img.nii.gz",
			"brats2021_edema_3d/BraTS2021_01646_label.nii.gz", 1, "mr");
	}

	private void run(final String image, final String labels, final int objects,
		final String window)
	{
		final Path data = Fixtures.sharedData();
		final VolumeFiles.Loaded in = VolumeFiles.open(data.resolve(image), 1, 1);
		final NiftiVolume gt = NiftiVolume.read(data.resolve(labels));
		final int nx = gt.nx(), ny = gt.ny(), nz = gt.nz();
		final List<Integer> chosen = largest(gt, objects);
		final List<Propagation.Target> targets = new ArrayList<>();
		for (final int label : chosen) {
			final int z = largestSlice(gt, label);
			final int[] b = bounds(gt.slice(z), label, nx, ny);
			targets.add(new Propagation.Target(label, List.of(new Propagation.Seed(z, ObjectPrompt
				.ofBox(label, new BoxPrompt(b[0], b[1], b[2], b[3]))))));
		}
		final long t0 = System.nanoTime();
		final Propagation.Result r;
		final int encodes;
		try (Segmenter seg = new Segmenter(ModelLoader.load(ModelCatalog.demoFiles(),
			RuntimeOptions.defaults()), "demo", new EmbeddingCache(512)))
		{
			r = new Propagator(seg).propagate(in.volume(), Normalization.parse(window), targets,
				Propagation.Options.defaults().withMinIou(0), null, null);
			encodes = seg.encoderRuns();
		}
		final double secs = (System.nanoTime() - t0) / 1e9;
		final Path out = tmp.resolve("labels.nii.gz");
		VolumeFiles.writeLabels(out, in, r.labels());
		final NiftiHeader a = in.nifti(), b = NiftiHeader.read(out);
		assertArrayEquals(a.dims(), b.dims());
		assertArrayEquals(a.pixdim(), b.pixdim());
		assertEquals(a.qformCode(), b.qformCode());
		assertEquals(a.sformCode(), b.sformCode());
		assertArrayEquals(a.quatern(), b.quatern());
		for (int i = 0; i < 3; i++) assertArrayEquals(a.srow()[i], b.srow()[i]);
		final NiftiVolume back = NiftiVolume.read(out);
		double sum = 0, sumFlipX = 0, sumFlipY = 0, seeded = 0;
		final Map<Integer, Double> dice = new TreeMap<>();
		final Map<Integer, Double> seedDice = new TreeMap<>();
		for (final Propagation.Target t : targets) {
			final int label = t.label(), z = t.seeds().get(0).slice();
			dice.put(label, dice(back, gt, label, false, false, -1));
			final double d = dice(back, gt, label, false, false, z);
			seedDice.put(label, d);
			seeded += dice.get(label);
			sum += d;
			sumFlipX += dice(back, gt, label, true, false, z);
			sumFlipY += dice(back, gt, label, false, true, z);
		}
		System.out.printf("VOLUME %s: window %s, %dx%dx%d, objects %s, 3D Dice %s (mean %.3f), " +
			"prompted-slice Dice %s (mean %.3f; mirrored in x %.3f, in y %.3f), %d slices decoded, " +
			"%d encoded, %.1f s, %.1f slices/s%n", image, window, nx, ny, nz, chosen, dice, seeded /
				chosen.size(), seedDice, sum / chosen.size(), sumFlipX / chosen.size(), sumFlipY /
					chosen.size(), r.slices().size(), encodes, secs, encodes / secs);
		assertTrue(sum > 2 * sumFlipX && sum > 2 * sumFlipY, "the prompted slices line up with " +
			"the ground truth far better than their mirror images: " + sum + " vs " + sumFlipX +
			", " + sumFlipY);
	}

	static List<Integer> largest(final NiftiVolume v, final int n) {
		final Map<Integer, Long> count = new TreeMap<>();
		for (int z = 0; z < v.nz(); z++) {
			for (final float f : v.slice(z)) if (f > 0) count.merge(Math.round(f), 1L, Long::sum);
		}
		return count.entrySet().stream().sorted(Map.Entry.<Integer, Long> comparingByValue()
			.reversed()).limit(n).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
	}

	static int largestSlice(final NiftiVolume v, final int label) {
		int best = 0, bestN = -1;
		for (int z = 0; z < v.nz(); z++) {
			int n = 0;
			for (final float f : v.slice(z)) if (Math.round(f) == label) n++;
			if (n > bestN) {
				bestN = n;
				best = z;
			}
		}
		return best;
	}

	static int[] bounds(final float[] s, final int label, final int nx, final int ny) {
		int x0 = nx, y0 = ny, x1 = -1, y1 = -1;
		for (int y = 0; y < ny; y++) {
			for (int x = 0; x < nx; x++) {
				if (Math.round(s[y * nx + x]) == label) {
					x0 = Math.min(x0, x);
					x1 = Math.max(x1, x);
					y0 = Math.min(y0, y);
					y1 = Math.max(y1, y);
				}
			}
		}
		return new int[] { x0, y0, x1 + 1, y1 + 1 };
	}

	/** Dice of one label over the volume ({@code only} = -1) or on one slice. */
	static double dice(final NiftiVolume pred, final NiftiVolume gt, final int label,
		final boolean flipX, final boolean flipY, final int only)
	{
		final int nx = gt.nx(), ny = gt.ny();
		long inter = 0, a = 0, b = 0;
		for (int z = 0; z < gt.nz(); z++) {
			if (only >= 0 && z != only) continue;
			final float[] p = pred.slice(z), g = gt.slice(z);
			for (int y = 0; y < ny; y++) {
				for (int x = 0; x < nx; x++) {
					final int px = flipX ? nx - 1 - x : x, py = flipY ? ny - 1 - y : y;
					final boolean isP = Math.round(p[py * nx + px]) == label;
					final boolean isG = Math.round(g[y * nx + x]) == label;
					if (isP) a++;
					if (isG) b++;
					if (isP && isG) inter++;
				}
			}
		}
		return a + b == 0 ? 1 : 2.0 * inter / (a + b);
	}
}

package org.anyseg.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.VolumeFiles;
import org.anyseg.ops.io.nifti.NiftiVolume;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;

/**
 * Where propagation stops, measured on the shared 3D volumes with the demo model (issue 16):
 * each of the largest objects is prompted with the ground-truth box of its largest slice;
 * printed per object: the fraction of its ground-truth slices that got a mask, and the
 * slices segmented beyond the object (a mask where the ground truth has none). Usage:
 * {@code StopRuleEvaluation DATA_DIR [default|demo|NAME=minIou,minAreaRatio ...]} (default: the
 * engine's defaults, today's rule; demo: the demo's {@code anyseg-model.json} values).
 */
public final class StopRuleEvaluation {

	private StopRuleEvaluation() {}

	record Case(String image, String labels, int objects, String window) {}

	static final List<Case> CASES = List.of(new Case("totalseg_small_3d/example_ct_sm.nii.gz",
		"totalseg_small_3d/example_seg.nii.gz", 4, "ct-soft"), new Case(
			"totalseg_small_3d/example_mr_sm.nii.gz", "totalseg_small_3d/example_seg_mr.nii.gz", 3,
			"mr"), new Case("brats2021_edema_3d/BraTS2021_01646_img.nii.gz",
				"brats2021_edema_3d/BraTS2021_01646_label.nii.gz", 1, "mr"));

	public static void main(final String[] args) throws Exception {
		final Path data = Path.of(args[0]);
		final List<String> rules = args.length > 1 ? List.of(args).subList(1, args.length) : List
			.of("default");
		try (Segmenter seg = new Segmenter(ModelLoader.load(modelFiles(),
			RuntimeOptions.defaults()), "demo", new EmbeddingCache(1024)))
		{
			for (final String rule : rules) {
				final Propagation.Options o = options(rule);
				System.out.println("== rule " + rule + ": " + o);
				for (final Case c : CASES) run(seg, data, c, o);
			}
		}
	}

	/**
	 * {@code default} (the engine's defaults: today's rule), {@code demo} (the demo model's
	 * {@code propagation} block), or {@code NAME=minIou,minAreaRatio[,maxAreaRatio,minInside[,minContrast]]}
	 * on the engine's defaults.
	 */
	static Propagation.Options options(final String rule) {
		Propagation.Options o = Propagation.Options.defaults();
		if (rule.equals("default")) return o;
		if (rule.equals("demo")) {
			return Propagation.Options.defaults(org.anyseg.ops.model.ModelConfig.of(modelFiles()));
		}
		final String[] v = rule.substring(rule.indexOf('=') + 1).split(",");
		o = o.withMinIou(Double.parseDouble(v[0])).withMinAreaRatio(Double.parseDouble(v[1]));
		if (v.length >= 4) o = o.withMaxAreaRatio(Double.parseDouble(v[2])).withMinInside(Double
			.parseDouble(v[3]));
		return v.length >= 5 ? o.withMinContrast(Double.parseDouble(v[4])) : o;
	}

	/**
	 * The model evaluated: {@code -Danyseg.evalModel=demo|DIR|NAME} (default the bundled
	 * demo); "demo" rules read its {@code propagation} block.
	 */
	static List<org.anyseg.ops.model.ModelFile> modelFiles() {
		final String m = System.getProperty("anyseg.evalModel", "demo");
		return m.equals("demo") ? ModelCatalog.demoFiles() : ModelCatalog.standard().resolve(m);
	}

	/** Per chosen object: {label, ground-truth slices, covered slices, slices beyond}. */
	static List<int[]> run(final Segmenter seg, final Path data, final Case c,
		final Propagation.Options o)
	{
		final List<int[]> out = new ArrayList<>();
		final VolumeFiles.Loaded in = VolumeFiles.open(data.resolve(c.image()), 1, 1);
		final NiftiVolume gt = NiftiVolume.read(data.resolve(c.labels()));
		final int nx = gt.nx(), ny = gt.ny();
		final List<Propagation.Target> targets = targets(gt, c.objects());
		final Propagation.Result r = new Propagator(seg).propagate(in.volume(), Normalization
			.parse(c.window()), targets, o, null, null);
		final short[][] labels = r.labels();
		for (final Propagation.Target t : targets) {
			final int label = t.label();
			final boolean[] predicted = new boolean[gt.nz()];
			for (int z = 0; z < gt.nz(); z++) {
				for (int i = 0; i < nx * ny && !predicted[z]; i++) {
					predicted[z] = (labels[z][i] & 0xffff) == label;
				}
			}
			final int[] cov = coverage(gt, label, predicted);
			System.out.printf(Locale.ROOT, "%s label %d: %d ground-truth slices, covered %.2f, " +
				"%d slices beyond%n", Path.of(c.image()).getFileName(), label, cov[0], cov[1] /
					(double) cov[0], cov[2]);
			out.add(new int[] { label, cov[0], cov[1], cov[2] });
		}
		return out;
	}

	/**
	 * The prompts of a case: each of the {@code objects} largest labels prompted with the
	 * ground-truth box (exclusive upper corner) of its largest slice.
	 */
	static List<Propagation.Target> targets(final NiftiVolume gt, final int objects) {
		final List<Propagation.Target> targets = new ArrayList<>();
		for (final int label : VolumeRealDataTest.largest(gt, objects)) {
			final int z = VolumeRealDataTest.largestSlice(gt, label);
			final int[] b = VolumeRealDataTest.bounds(gt.slice(z), label, gt.nx(), gt.ny());
			targets.add(new Propagation.Target(label, List.of(new Propagation.Seed(z, ObjectPrompt
				.ofBox(label, new BoxPrompt(b[0], b[1], b[2], b[3]))))));
		}
		return targets;
	}

	/**
	 * {ground-truth slices of {@code label}, those of them {@code predicted} (per slice: the
	 * prediction has the label there), predicted slices where the ground truth has none}.
	 */
	static int[] coverage(final NiftiVolume gt, final int label, final boolean[] predicted) {
		int gtSlices = 0, covered = 0, beyond = 0;
		for (int z = 0; z < gt.nz(); z++) {
			boolean inGt = false;
			for (final float f : gt.slice(z)) {
				if (Math.round(f) == label) {
					inGt = true;
					break;
				}
			}
			if (inGt) gtSlices++;
			if (inGt && predicted[z]) covered++;
			if (!inGt && predicted[z]) beyond++;
		}
		return new int[] { gtSlices, covered, beyond };
	}
}

package org.anyseg.plugin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.plugin.batch.BatchRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code batch}: segment a folder of images or volumes. */
@Command(name = "batch", sortOptions = false, description = {
	"Segment every image (or volume) of a folder with prompts per image.",
	"Outputs: label images in the input's format and geometry (JPEG, BMP, GIF inputs give " +
		"PNG), optional overlays, and run_log.csv (file, objects, seconds, status, error)." })
final class BatchCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ModelOptions modelOptions = new ModelOptions();

	@Option(names = "--input", required = true, paramLabel = "DIR",
		description = "Folder of images or volumes (sorted by name).")
	Path input;

	@Option(names = "--prompts-from", required = true,
		paramLabel = "rois|csv:FILE|gt:DIR[:box|point|points=K]",
		description = { "rois: the ROI set NAME.zip (or NAME.roi) beside each image;",
			"csv:FILE: a prompt table with an 'image' column (file or base name);",
			"gt:DIR: ground-truth labels (NAME.* or per-object masks NAME_*.*) giving per " +
				"label its box (default), centre point, or K random interior points." })
	String promptsFrom;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
	Path out;

	@Option(names = "--shard", paramLabel = "K/N",
		description = "Process every N-th file starting at the K-th (0-based), for cluster " +
			"array jobs.")
	String shard;

	@Option(names = "--overwrite", description = "Redo images whose output exists.")
	boolean overwrite;

	@Option(names = "--jitter", defaultValue = "0", paramLabel = "PX",
		description = "gt prompts: move boxes' corners and points by up to PX pixels.")
	double jitter;

	@Option(names = "--seed", defaultValue = "1", paramLabel = "S",
		description = "Random seed of gt points and jitter (default: ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--gt-threshold", paramLabel = "T",
		description = "Ground truth is binary: object where the value exceeds T (e.g. 127 " +
			"for JPEG masks; -1 = label images, as when not given).")
	Integer gtThreshold;

	@Option(names = "--overlay", description = "Also write NAME_overlay.png per 2D image.")
	boolean overlay;

	@Option(names = "--objects", description = "Also write NAME_objects.csv beside each 2D " +
		"image's labels: one row per object (area, centroid, bounding box, its prompt).")
	boolean objects;

	@Option(names = "--rois", description = "Also write NAME_rois.zip (one outline ROI per " +
		"object) per 2D image.")
	boolean rois;

	@Option(names = "--no-propagate", description = "Volumes: segment the prompted slices " +
		"only.")
	boolean noPropagate;

	@Mixin
	PropagationOptions propagation = new PropagationOptions();

	@Mixin
	EmbeddingOptions embeddings = new EmbeddingOptions();

	@Override
	public Integer call() {
		final long t0 = System.nanoTime();
		final Normalization norm = modelOptions.normalization();
		final BatchRun.Options o = BatchRun.Options.defaults(input, out, promptsFrom).withNorm(
			norm).withOverwrite(overwrite).withShard(BatchRun.parseShard(shard)).withJitter(jitter,
				seed).withGtThreshold(gtThreshold).withOutputs(overlay, rois).withObjects(objects).withPropagation(
					propagation.resolve(modelOptions.config()), !noPropagate);
		final PrintWriter err = spec.commandLine().getErr();
		final List<BatchRun.Entry> log;
		try (Segmenter seg = embeddings.segmenter(modelOptions, 512, err)) {
			log = new BatchRun(seg, o).model(modelOptions.model, modelOptions.files()).run((i, n, f) -> {
				err.printf("\r[%d/%d] %s   ", i + 1, n, f.getFileName());
				err.flush();
			}, null);
			err.println();
			embeddings.report(seg, spec.commandLine().getOut());
		}
		final long ok = log.stream().filter(e -> e.status() == BatchRun.Status.OK).count();
		final long failed = log.stream().filter(e -> e.status() == BatchRun.Status.ERROR).count();
		for (final BatchRun.Entry e : log) {
			if (e.status() == BatchRun.Status.ERROR) err.println("  " + e.file() + ": " + e.error());
		}
		spec.commandLine().getOut().printf("%d images: %d segmented, %d skipped or without " +
			"prompts, %d failed (%.1f s); log in %s%n", log.size(), ok, log.size() - ok - failed,
			failed, (System.nanoTime() - t0) / 1e9, out);
		if (failed > 0) {
			throw new AnySegException(failed + " image(s) failed; see the run log. The others " +
				"were segmented.");
		}
		return 0;
	}
}

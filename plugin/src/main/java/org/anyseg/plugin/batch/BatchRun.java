package org.anyseg.plugin.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;
import org.anyseg.ops.engine.PlaneSegmentation;
import org.anyseg.ops.engine.PromptWindow;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.FileNames;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.OutputPaths;
import org.anyseg.ops.io.ij.ObjectTables;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.io.PromptCsv;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.plugin.record.PromptRecord;
import org.anyseg.plugin.record.RecordReplay;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.io.ij.VolumeFiles;
import org.anyseg.plugin.roi.RoiSets;
import org.anyseg.plugin.render.OverlayRenderer;

import ij.ImagePlus;

/**
 * Segments every image of a folder with prompts from ROI sets beside the images, a prompt
 * table with an {@code image} column, or ground-truth labels. Inputs are sorted and can be
 * split into shards; existing outputs are skipped unless asked to overwrite; a bad file is
 * logged and the run goes on; outputs (label images in the input's format and geometry,
 * optional overlays and ROI sets) are written atomically; a run log CSV records every file.
 */
public final class BatchRun {

	/**
	 * @param promptsFrom {@code rois}, {@code csv:FILE} or {@code gt:DIR[:box|point|points=K]}
	 * @param shard {@code {K, N}}: every N-th file starting at the K-th (0-based)
	 * @param gtThreshold ground truth is binary above this value (null: label images)
	 */
	public record Options(Path input, Path out, String promptsFrom, Normalization norm,
		boolean overwrite, int[] shard, double jitter, long seed, Integer gtThreshold,
		boolean overlays, Propagation.Options propagation, boolean propagate, boolean rois,
		boolean objects)
	{

		/**
		 * The numbers checked against {@link Limits} whichever entry point built the options
		 * (the CLI, the Fiji command, the macro function), before any file is read: jitter,
		 * seed, the ground-truth threshold (-1 = label images, kept as {@code null}) and K of
		 * {@code gt:DIR:points=K}.
		 */
		public Options {
			Limits.JITTER.check(jitter);
			Limits.SEED.check(seed);
			Limits.GT_THRESHOLD.checkIfGiven(gtThreshold);
			if (gtThreshold != null && gtThreshold < 0) gtThreshold = null;
			if (promptsFrom != null && promptsFrom.startsWith("gt:")) BatchPrompts.GtSource.parse(promptsFrom);
		}

		/**
		 * Every file of {@code input} with prompts from {@code promptsFrom}: automatic
		 * intensities, existing outputs kept, one shard, no jitter (seed 1), label-image
		 * ground truth, no overlays or ROI sets, volumes propagated with the default options.
		 */
		public static Options defaults(final Path input, final Path out,
			final String promptsFrom)
		{
			return new Options(input, out, promptsFrom, Normalization.AUTO, false, new int[] { 0,
				1 }, 0, 1, null, false, Propagation.Options.defaults(), true, false, false);
		}

		public Options withNorm(final Normalization n) {
			return new Options(input, out, promptsFrom, n, overwrite, shard, jitter, seed,
				gtThreshold, overlays, propagation, propagate, rois, objects);
		}

		public Options withOverwrite(final boolean b) {
			return new Options(input, out, promptsFrom, norm, b, shard, jitter, seed, gtThreshold,
				overlays, propagation, propagate, rois, objects);
		}

		/** {@code {K, N}}: every N-th file starting at the K-th. */
		public Options withShard(final int[] kn) {
			return new Options(input, out, promptsFrom, norm, overwrite, kn, jitter, seed,
				gtThreshold, overlays, propagation, propagate, rois, objects);
		}

		/** Ground-truth prompts moved by up to {@code px} pixels, reproducibly from {@code s}. */
		public Options withJitter(final double px, final long s) {
			return new Options(input, out, promptsFrom, norm, overwrite, shard, px, s, gtThreshold,
				overlays, propagation, propagate, rois, objects);
		}

		public Options withGtThreshold(final Integer t) {
			return new Options(input, out, promptsFrom, norm, overwrite, shard, jitter, seed, t,
				overlays, propagation, propagate, rois, objects);
		}

		/** Which outputs besides the labels: overlays, ROI sets. */
		public Options withOutputs(final boolean overlay, final boolean roiSets) {
			return new Options(input, out, promptsFrom, norm, overwrite, shard, jitter, seed,
				gtThreshold, overlay, propagation, propagate, roiSets, objects);
		}

		/** Also write NAME_objects.csv, the object table of each image or volume, beside its labels. */
		public Options withObjects(final boolean on) {
			return new Options(input, out, promptsFrom, norm, overwrite, shard, jitter, seed,
				gtThreshold, overlays, propagation, propagate, rois, on);
		}

		/** How volumes are propagated, and whether at all (else only prompted slices). */
		public Options withPropagation(final Propagation.Options p, final boolean on) {
			return new Options(input, out, promptsFrom, norm, overwrite, shard, jitter, seed,
				gtThreshold, overlays, p, on, rois, objects);
		}
	}

	/** What happened to one input; {@link #toString()} is the word written in the run log. */
	public enum Status {
		OK("ok"), NO_PROMPTS("no prompts"), SKIPPED("skipped"), CANCELLED("cancelled"),
		ERROR("error");

		private final String word;

		Status(final String word) {
			this.word = word;
		}

		@Override
		public String toString() {
			return word;
		}
	}

	/** One line of the run log. */
	public record Entry(String file, int objects, double seconds, Status status, String error) {}

	/** Progress: file {@code index} (0-based) of {@code count}. */
	public interface Listener {

		void file(int index, int count, Path file);
	}

	private final Segmenter seg;
	private final Options o;
	private String modelName = "unknown";
	private List<org.anyseg.ops.model.ModelFile> modelFiles = List.of();

	public BatchRun(final Segmenter seg, final Options o) {
		this.seg = seg;
		this.o = o;
	}

	/**
	 * Names the model in the prompt records written beside volume labels (its name as the
	 * user gave it, and its files for their SHA-256); returns this run.
	 */
	public BatchRun model(final String name, final List<org.anyseg.ops.model.ModelFile> files) {
		modelName = name;
		modelFiles = List.copyOf(files);
		return this;
	}

	/**
	 * Where the prompt record of a volume goes: {@code NAME_prompts.csv}, the prompt table
	 * {@code segment --prompts} replays (written for volumes only).
	 */
	public static Path record(final Path out, final Path input) {
		return out.resolve(FileNames.base(input) + "_prompts.csv");
	}

	/** The files this shard processes, sorted by name. */
	public static List<Path> inputs(final Path dir, final int[] shard) {
		if (!Files.isDirectory(dir)) {
			throw new AnySegException("Input folder " + dir + " does not exist.");
		}
		final List<Path> all;
		try (Stream<Path> s = Files.list(dir)) {
			all = s.filter(Files::isRegularFile).filter(FileNames::isImage).sorted().toList();
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot list " + dir + ": " + e.getMessage(), e);
		}
		final List<Path> mine = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) if (i % shard[1] == shard[0]) mine.add(all.get(i));
		return mine;
	}

	/** {@code K/N} with 0 <= K < N. */
	public static int[] parseShard(final String s) {
		if (s == null) return new int[] { 0, 1 };
		final String[] f = s.split("/");
		try {
			final int k = Integer.parseInt(f[0].trim()), n = Integer.parseInt(f[1].trim());
			if (f.length == 2 && n >= 1 && k >= 0 && k < n) return new int[] { k, n };
		}
		catch (final NumberFormatException | ArrayIndexOutOfBoundsException e) {
			// below
		}
		throw new AnySegException("--shard " + s + ": expected K/N with 0 <= K < N, e.g. 0/4 " +
			"for the first of four shards.");
	}

	/** Where the labels of an input go: same base name; JPEG, BMP, GIF become PNG. */
	public static Path output(final Path out, final Path input) {
		final String ext = FileNames.extension(input);
		final String o = switch (ext) {
			case "tif", "tiff", "png", "nii", "nii.gz" -> ext;
			case "dcm" -> "tif";
			default -> "png";
		};
		return out.resolve(FileNames.base(input) + "." + o);
	}

	public List<Entry> run(final Listener listener, final BooleanSupplier cancelled) {
		final List<Path> files = inputs(o.input(), o.shard());
		try {
			Files.createDirectories(o.out());
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot create output folder " + o.out() + ": " + e
				.getMessage(), e);
		}
		// every output named before anything is written: none may be an input or shared
		final Map<Path, List<Path>> targets = new java.util.LinkedHashMap<>();
		for (final Path f : files) {
			final List<Path> all = new ArrayList<>(outputsOf(f));
			all.add(record(o.out(), f)); // a volume's: named here so it cannot collide
			targets.put(f, all);
		}
		OutputPaths.checkBatch(targets);
		OutputPaths.deleteStaleParts(o.out(), targets.values().stream().flatMap(List::stream)
			.toList());
		final List<Entry> log = new ArrayList<>();
		for (int i = 0; i < files.size(); i++) {
			if (cancelled != null && cancelled.getAsBoolean()) {
				log.add(new Entry(files.get(i).getFileName().toString(), 0, 0, Status.CANCELLED,
					""));
				continue;
			}
			final Path f = files.get(i);
			if (listener != null) listener.file(i, files.size(), f);
			final Path target = output(o.out(), f);
			// skipped only when every requested output exists: a missing overlay or ROI set is
			// made again on a rerun
			if (!o.overwrite() && outputsOf(f).stream().allMatch(Files::exists)) {
				log.add(new Entry(f.getFileName().toString(), 0, 0, Status.SKIPPED,
					"output exists"));
				continue;
			}
			final long t0 = System.nanoTime();
			try {
				final int n = one(f, target);
				log.add(new Entry(f.getFileName().toString(), n, (System.nanoTime() - t0) / 1e9,
					n == 0 ? Status.NO_PROMPTS : Status.OK, ""));
			}
			catch (final AnySegException | IllegalArgumentException e) {
				log.add(new Entry(f.getFileName().toString(), 0, (System.nanoTime() - t0) / 1e9,
					Status.ERROR, e.getMessage()));
			}
		}
		writeLog(log);
		return log;
	}

	/** Every file a run writes for one input: labels, and the overlay and ROI set if asked. */
	private List<Path> outputsOf(final Path f) {
		final List<Path> out = new ArrayList<>(List.of(output(o.out(), f)));
		if (o.overlays()) out.add(o.out().resolve(FileNames.base(f) + "_overlay.png"));
		if (o.rois()) out.add(o.out().resolve(FileNames.base(f) + "_rois.zip"));
		if (o.objects()) out.add(o.out().resolve(FileNames.base(f) + "_objects.csv"));
		return out;
	}

	/** The prompt record of a volume beside its labels (issue 16: replayable). */
	private void writeRecord(final Path f, final List<Propagation.Target> targets,
		final int zBase)
	{
		final PromptRecord rec = PromptRecord.of(targets, o.propagate());
		rec.write(record(o.out(), f), RecordReplay.notes(f.getFileName().toString(), modelName,
			modelFiles, o.norm().toString(), o.propagation(), rec), zBase);
	}

	/** Segments one file; returns the number of objects. */
	private int one(final Path f, final Path target) {
		final ImagePlus imp = VolumeFiles.isNifti(f) ? null : ImageFiles.open(f);
		if (imp == null || imp.getNSlices() > 1) {
			final VolumeFiles.Loaded in = imp == null ? VolumeFiles.open(f, 1, null) : VolumeFiles.of(
				imp, 1, 1);
			final List<PromptCsv.SlicePrompt> prompts = BatchPrompts.of(o, seg.model(), f, imp);
			if (prompts.isEmpty()) return 0;
			final List<Propagation.Target> targets = Propagation.byObject(prompts.stream().map(
				p -> new Propagation.Seed(p.z() < 0 ? 0 : in.zeroBased() ? p.z() : p.z() - 1, p
					.prompt())).toList());
			final Propagation.Result r = new Propagator(seg).propagate(in.volume(), o.norm(),
				targets, o.propagate() ? o.propagation() : o.propagation().withMaxSlices(0), null,
				null);
			VolumeFiles.writeLabels(target, in, r.labels());
			writeRecord(f, targets, in.zeroBased() ? 0 : 1);
			if (o.objects()) ObjectTables.volume(r, in.volume().nx(), in.calibration(), targets).writeCsv(o.out().resolve(FileNames.base(f) +
				"_objects.csv"));
			return targets.size();
		}
		final List<PromptCsv.SlicePrompt> prompts = BatchPrompts.of(o, seg.model(), f, imp);
		if (prompts.isEmpty()) return 0;
		final List<ObjectPrompt> objects = prompts.stream().map(PromptCsv.SlicePrompt::prompt)
			.toList();
		final PromptWindow.Source source = ImagePlanes.sourceOf(imp, PlaneSelection.FIRST);
		final PlaneSegmentation.Result r = PlaneSegmentation.segment(seg, source, o.norm(),
			objects);
		final int w = r.width(), h = r.height();
		ImageFiles.writeLabels(target, r.labels(), w, h, imp.getCalibration());
		if (o.objects()) ObjectTables.plane(r.labels(), w, h, imp.getCalibration(), objects, r
			.predictions()).writeCsv(o.out().resolve(FileNames.base(f) + "_objects.csv"));
		if (o.rois()) {
			RoiSets.write(o.out().resolve(FileNames.base(f) + "_rois.zip"), RoiSets.outlines(r
				.labels(), w, h));
		}
		if (o.overlays()) {
			OverlayRenderer.writePng(o.out().resolve(FileNames.base(f) + "_overlay.png"), source, o
				.norm(), r.labels());
		}
		return objects.size();
	}

	private void writeLog(final List<Entry> log) {
		final String name = o.shard()[1] == 1 ? "run_log.csv" : String.format(Locale.ROOT,
			"run_log_%d_of_%d.csv", o.shard()[0], o.shard()[1]);
		final StringBuilder b = new StringBuilder("file,objects,seconds,status,error\n");
		for (final Entry e : log) {
			b.append(csv(e.file())).append(',').append(e.objects()).append(',').append(String
				.format(Locale.ROOT, "%.3f", e.seconds())).append(',').append(e.status()).append(',')
				.append(csv(e.error())).append('\n');
		}
		AtomicFiles.writeAtomically(o.out().resolve(name), tmp -> Files.writeString(tmp, b));
	}

	static String csv(final String s) {
		if (s == null) return "";
		return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"",
			"\"\"").replace('\n', ' ') + "\"" : s;
	}
}

package org.anyseg.plugin.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.io.PromptCsv;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Axis;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.io.ij.VolumeFiles;

/**
 * The volume path of {@code segment}: a NIfTI file or a stack, prompts on one or more
 * slices (the CLI's --box/--point on --slice, or a prompt table with a z column), either
 * that slice alone or, with --propagate, the whole volume; a label volume out with the
 * input's geometry.
 */
final class VolumeSegmentation {

	private final SegmentCommand c;

	VolumeSegmentation(final SegmentCommand c) {
		this.c = c;
	}

	int run() {
		final long t0 = System.nanoTime();
		final PrintWriter log = c.spec.commandLine().getOut();
		// options first: a bad number fails before the volume is read
		final Axis axis = Axis.parse(c.axis);
		Propagation.Options o = c.propagation.resolve(c.modelOptions.config()).withAxis(axis);
		final VolumeFiles.Loaded in = VolumeFiles.open(c.image, Math.max(1, c.channel), c.frame);
		if (!c.propagate) o = o.withMaxSlices(0);
		final List<Propagation.Target> targets = targets(in);
		try (Segmenter seg = c.embeddings.segmenter(c.modelOptions, 512, c.spec.commandLine()
			.getErr()))
		{
			final ConsoleBar bar = new ConsoleBar(c.spec.commandLine().getErr());
			final Propagation.Result r = new Propagator(seg).propagate(in.volume(), c.modelOptions
				.normalization(), targets, o, (done, total, last) -> bar.update(done, total, last),
				null);
			bar.finish();
			VolumeFiles.writeLabels(c.out, in, r.labels());
			if (c.objects != null) {
				org.anyseg.ops.io.ij.ObjectTables.volume(r, in.volume().nx(), in
					.calibration(), targets).writeCsv(c.objects);
			}
			final Map<Integer, int[]> perObject = new TreeMap<>();
			for (final Propagation.SliceResult s : r.slices()) {
				final int[] a = perObject.computeIfAbsent(s.label(), k -> new int[2]);
				a[0]++;
				a[1] += s.area();
			}
			perObject.forEach((label, a) -> log.printf("object %d: %d slices, %d voxels%n", label,
				a[0], a[1]));
			for (final Propagation.Stop s : c.propagate ? r.stops() : List.<Propagation.Stop>of()) {
				log.printf("object %d from slice %d going %s: stopped at slice %d (%s)%n", s.label(),
					display(in, s.fromSlice()), s.direction() < 0 ? "down" : "up", display(in, s
						.atSlice()), s.reason());
			}
			log.printf("wrote %s (%d objects, %d slices encoded, %.2f s)%n", c.out, targets.size(),
				seg.encoderRuns(), (System.nanoTime() - t0) / 1e9);
			c.embeddings.report(seg, log);
		}
		return 0;
	}

	/** The user's slice number for a 0-based slice index. */
	private static int display(final VolumeFiles.Loaded in, final int z) {
		return in.zeroBased() ? z : z + 1;
	}

	private List<Propagation.Target> targets(final VolumeFiles.Loaded in) {
		final List<Propagation.Seed> seeds = new ArrayList<>();
		if (c.prompts != null) {
			for (final PromptCsv.SlicePrompt p : PromptCsv.readSlices(c.prompts)) {
				seeds.add(new Propagation.Seed(index(in, p.z(), "the prompt table's z"), p.prompt()));
			}
		}
		if (!c.points.isEmpty() || !c.boxes.isEmpty()) {
			if (c.slice == null) {
				throw new AnySegException("Give the slice of the --box/--point prompts with --slice " +
					(in.zeroBased() ? "K (the NIfTI array index k, 0-based)" : "Z (1-based)") + ".");
			}
			final int next = seeds.stream().mapToInt(s -> s.prompt().label()).max().orElse(0) + 1;
			for (final ObjectPrompt p : c.optionObjects(next)) {
				seeds.add(new Propagation.Seed(index(in, c.slice, "--slice"), p));
			}
		}
		if (seeds.isEmpty()) {
			throw new AnySegException("No prompts given: add --box/--point with --slice, or " +
				"--prompts FILE.csv with a z column.");
		}
		return Propagation.byObject(seeds);
	}

	/** A user's slice number as a 0-based index along the propagation axis. */
	private int index(final VolumeFiles.Loaded in, final int z, final String what) {
		final int i = in.zeroBased() ? z : z - 1;
		final Axis axis = Axis.parse(c.axis);
		final int n = axis.view(in.volume()).nz();
		if (i < 0 || i >= n) {
			throw new AnySegException(what + " " + z + " is outside the volume: along " + axis
				.name().toLowerCase() + " it has " + n + " slices, " + (in.zeroBased() ? "0.." + (n -
					1) + " (0-based)" : "1.." + n + " (1-based)") + ".");
		}
		return i;
	}

	/** A console progress bar for slices. */
	private static final class ConsoleBar {

		private final PrintWriter err;
		private long last;

		ConsoleBar(final PrintWriter err) {
			this.err = err;
		}

		void update(final int done, final int total, final Propagation.SliceResult r) {
			final long now = System.nanoTime();
			if (now - last < 200_000_000L) return;
			last = now;
			err.printf("\rsegmented %d slices (object %d, slice index %d)   ", done, r.label(), r
				.slice());
			err.flush();
		}

		void finish() {
			if (last != 0) err.println();
		}
	}
}

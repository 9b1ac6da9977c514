package org.anyseg.plugin.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.auto.AutoParams;
import org.anyseg.ops.auto.EncodedRegions;
import org.anyseg.ops.engine.PlaneSegmentation;
import org.anyseg.ops.engine.Precomputer;
import org.anyseg.ops.engine.PromptWindow;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.ij.VolumeFiles;
import org.anyseg.ops.volume.Volume;
import org.anyseg.ops.volume.VolumeNormalization;

import ij.ImagePlus;

/**
 * {@code anyseg embed}: precomputes the embeddings the other runs would compute, the way
 * they compute them. A volume (NIfTI, or a stack of several slices) is encoded slice by
 * slice along z with the normalization resolved over the whole volume (as propagation and
 * batch do) and, unless {@code volumeOnly}, also with each slice normalized alone (as a
 * click of the interactive tool or {@code segment --slice} on one slice does; where the two
 * give the same encoder input, as for 8-bit data or a fixed window, it is encoded once);
 * a 2D image (its first plane, channels composed as displayed) is encoded whole
 * when it fits the window rule, else tile by tile as segment-everything reads it.
 * A folder's files are split between shards (every N-th file from the K-th); a single
 * file's planes are.
 */
public final class EmbedRun {

	/** One file's outcome. */
	public record Entry(Path file, int planes, int encoded, int present, double seconds,
		String error)
	{}

	/** Told after each plane. */
	public interface Listener {

		void plane(Path file, int done, int total, Precomputer.Outcome outcome);
	}

	private final Precomputer pre;
	private final Normalization norm;
	private final AutoParams auto;
	private final boolean volumeOnly;

	public EmbedRun(final Precomputer pre, final Normalization norm, final AutoParams auto,
		final boolean volumeOnly)
	{
		this.pre = pre;
		this.norm = norm;
		this.auto = auto;
		this.volumeOnly = volumeOnly;
	}

	/**
	 * Embeds a file or every image of a folder (sorted by name) of this shard; a file that
	 * fails is reported in its entry and the run goes on.
	 */
	public List<Entry> run(final Path input, final int[] shard, final Listener listener,
		final BooleanSupplier cancelled)
	{
		final boolean folder = Files.isDirectory(input);
		if (!folder && !Files.isRegularFile(input)) {
			throw new AnySegException("Input " + input + " does not exist.");
		}
		final List<Path> files = folder ? BatchRun.inputs(input, shard) : List.of(input);
		final int[] planeShard = folder ? new int[] { 0, 1 } : shard;
		final List<Entry> out = new ArrayList<>();
		for (final Path f : files) {
			if (cancelled != null && cancelled.getAsBoolean()) break;
			final long t0 = System.nanoTime();
			final int[] counts = new int[3];
			String error = null;
			try {
				one(f, planeShard, counts, listener, cancelled);
			}
			catch (final AnySegException e) {
				error = e.getMessage();
			}
			out.add(new Entry(f, counts[0], counts[1], counts[2], (System.nanoTime() - t0) / 1e9,
				error));
		}
		return out;
	}

	/** A unit of work: one plane of a file, where it lies, and whether normalized alone. */
	private record Unit(int slice, int[] window, boolean alone) {}

	private void one(final Path f, final int[] shard, final int[] counts, final Listener listener,
		final BooleanSupplier cancelled)
	{
		final String name = f.getFileName().toString();
		final ImagePlus imp = VolumeFiles.isNifti(f) ? null : ImageFiles.open(f);
		final List<Unit> units = new ArrayList<>();
		final Volume volume;
		final Normalization n;
		final PromptWindow.Source source;
		if (imp == null || imp.getNSlices() > 1) {
			volume = (imp == null ? VolumeFiles.open(f, 1, null) : VolumeFiles.of(imp, 1, 1))
				.volume();
			n = VolumeNormalization.resolve(norm, volume);
			source = null;
			for (int z = 0; z < volume.nz(); z++) {
				final int[] all = { 0, 0, volume.nx(), volume.ny() };
				units.add(new Unit(z, all, false));
				if (!volumeOnly) units.add(new Unit(z, all, true));
			}
		}
		else {
			volume = null;
			n = norm;
			source = ImagePlanes.sourceOf(imp, PlaneSelection.FIRST);
			final int w = source.width(), h = source.height();
			if (!PlaneSegmentation.windowed(w, h)) {
				units.add(new Unit(-1, new int[] { 0, 0, w, h }, true));
			}
			else {
				for (final int[] r : EncodedRegions.of(w, h, auto)) units.add(new Unit(-1, r, true));
			}
		}
		final List<Unit> mine = new ArrayList<>();
		for (int i = 0; i < units.size(); i++) if (i % shard[1] == shard[0]) mine.add(units.get(i));
		counts[0] = mine.size();
		int done = 0;
		for (final Unit u : mine) {
			if (cancelled != null && cancelled.getAsBoolean()) return;
			final int[] r = u.window();
			final Precomputer.Outcome o = volume != null ? pre.ensure(volume.plane(u.slice()), u
				.alone() ? norm : n, r, name, u.slice()) : pre.ensure(source.crop(r[0], r[1], r[2],
					r[3]), norm, r, name, -1);
			if (o == Precomputer.Outcome.PRESENT) counts[2]++;
			else counts[1]++;
			if (listener != null) listener.plane(f, ++done, mine.size(), o);
		}
	}
}

package org.anyseg.plugin.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.io.PromptCsv;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.ops.volume.Propagation;

/**
 * The prompts of every accepted object of one stack, corrections included: per object, at
 * most one prompt per slice (a correction on a slice already prompted replaces its prompt,
 * as a prompt table allows one prompt per object and slice). Written as the prompt table
 * {@code segment --prompts} reads ({@code object,type,x0,y0,x1,y1,label,z}; z counted as
 * {@code segment} counts it: from 1 on a TIFF stack, from 0 on a NIfTI volume), with
 * {@code #} comment lines after the header (the parser skips them) naming the model, its
 * SHA-256 and the settings, and the command line that replays it. Not thread-safe: the tool
 * copies it ({@link #copy()}) before handing it to its worker.
 */
public final class PromptRecord {

	private final Map<Integer, TreeMap<Integer, ObjectPrompt>> objects = new TreeMap<>();
	private boolean propagated;

	/** Sets (or replaces) the prompt of object {@code label} on slice {@code z} (0-based). */
	public void put(final int label, final int z, final ObjectPrompt p) {
		objects.computeIfAbsent(label, k -> new TreeMap<>()).put(z, new ObjectPrompt(label, p
			.points(), p.box(), null)); // no mask input: a table cannot carry one
	}

	/** The record of the objects {@code targets}, propagated or not. */
	public static PromptRecord of(final List<Propagation.Target> targets,
		final boolean propagated)
	{
		final PromptRecord r = new PromptRecord();
		for (final Propagation.Target t : targets) {
			for (final Propagation.Seed s : t.seeds()) r.put(t.label(), s.slice(), s.prompt());
		}
		r.propagated = propagated;
		return r;
	}

	public void remove(final int label) {
		objects.remove(label);
	}

	public boolean isEmpty() {
		return objects.isEmpty();
	}

	/** The labels in use, ascending. */
	public List<Integer> labels() {
		return List.copyOf(objects.keySet());
	}

	/** The prompted slices of an object, ascending (empty when unknown). */
	public List<Integer> slices(final int label) {
		final TreeMap<Integer, ObjectPrompt> m = objects.get(label);
		return m == null ? List.of() : List.copyOf(m.keySet());
	}

	/** Whether the objects are propagated through the stack (else each stays on its slices). */
	public boolean propagated() {
		return propagated;
	}

	public void setPropagated(final boolean p) {
		propagated = p;
	}

	public int nextLabel() {
		return objects.isEmpty() ? 1 : ((TreeMap<Integer, ?>) objects).lastKey() + 1;
	}

	/** The objects as the propagator takes them, in label order. */
	public List<Propagation.Target> targets() {
		final List<Propagation.Target> out = new ArrayList<>();
		objects.forEach((label, seeds) -> {
			final List<Propagation.Seed> s = new ArrayList<>();
			seeds.forEach((z, p) -> s.add(new Propagation.Seed(z, p)));
			out.add(new Propagation.Target(label, s));
		});
		return out;
	}

	/**
	 * The record with its objects numbered 1..n in their current order.
	 *
	 * @param map filled with old label to new label
	 */
	public PromptRecord renumbered(final Map<Integer, Integer> map) {
		final PromptRecord r = new PromptRecord();
		r.propagated = propagated;
		int next = 1;
		for (final Map.Entry<Integer, TreeMap<Integer, ObjectPrompt>> e : objects.entrySet()) {
			final int to = next++;
			map.put(e.getKey(), to);
			e.getValue().forEach((z, p) -> r.put(to, z, p));
		}
		return r;
	}

	public PromptRecord copy() {
		final PromptRecord r = new PromptRecord();
		objects.forEach((l, m) -> r.objects.put(l, new TreeMap<>(m)));
		r.propagated = propagated;
		return r;
	}

	/** The prompt table, with {@code notes} (key, value) as comment lines after the header. */
	public String toCsv(final Map<String, String> notes, final int zBase) {
		final StringBuilder b = new StringBuilder("object,type,x0,y0,x1,y1,label,z\n");
		notes.forEach((k, v) -> b.append("# ").append(k).append(": ").append(v).append('\n'));
		b.append("# propagate: ").append(propagated).append('\n');
		b.append("# z: slice number, first slice = ").append(zBase).append('\n');
		objects.forEach((label, seeds) -> seeds.forEach((z, p) -> {
			final BoxPrompt box = p.box();
			if (box != null) b.append(label).append(",box,").append(box.x0()).append(',').append(box
				.y0()).append(',').append(box.x1()).append(',').append(box.y1()).append(",,").append(z + zBase)
				.append('\n');
			for (final PointPrompt q : p.points()) {
				b.append(label).append(",point,").append(q.x()).append(',').append(q.y()).append(",,,")
					.append(q.positive() ? 1 : 0).append(',').append(z + zBase).append('\n');
			}
		}));
		return b.toString();
	}

	/** Writes the table atomically (complete or absent); z written from {@code zBase}. */
	public void write(final Path file, final Map<String, String> notes, final int zBase) {
		final String csv = toCsv(notes, zBase);
		AtomicFiles.writeAtomically(file, tmp -> Files.writeString(tmp, csv,
			StandardCharsets.UTF_8));
	}

	/** Reads a table written by {@link #write}, with the parser {@code segment} uses. */
	public static PromptRecord read(final Path file, final int zBase) {
		final PromptRecord r = new PromptRecord();
		for (final PromptCsv.SlicePrompt p : PromptCsv.readSlices(file)) {
			r.put(p.prompt().label(), p.z() - zBase, p.prompt());
		}
		try {
			r.propagated = Files.readAllLines(file, StandardCharsets.UTF_8).contains(
				"# propagate: true");
		}
		catch (final IOException e) {
			throw new org.anyseg.ops.AnySegException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		return r;
	}

	/** Notes in the order given. */
	public static Map<String, String> notes(final String... kv) {
		final Map<String, String> m = new LinkedHashMap<>();
		for (int i = 0; i + 1 < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
		return m;
	}
}

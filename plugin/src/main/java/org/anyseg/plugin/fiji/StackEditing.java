package org.anyseg.plugin.fiji;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.plugin.record.PromptRecord;

/**
 * The objects of one stack in the interactive tool: the prompt record and the label volume
 * it gives, with undo. The label volume is always what one propagation over the whole stack
 * gives for the record's objects ({@link org.anyseg.plugin.record.RecordReplay#compute}) (every object with all its prompted and
 * corrected slices, each walk ending where the neighbouring prompted slice's half begins),
 * so that {@code segment --prompts RECORD --propagate} with the same model and settings
 * reproduces it voxel for voxel. A correction on slice c between prompted slices a and b
 * therefore changes the object only on slices strictly between a and b; nothing beyond
 * them. Overlap between objects: the engine's rule ({@code LabelComposer}), a voxel claimed
 * by several objects goes to the one with the higher predicted IoU on that slice.
 * The computation runs on a worker thread; the rest on the event thread.
 */
final class StackEditing {

	/** One state of the stack: what undo goes back to. */
	record Snapshot(PromptRecord record, short[][] labels, boolean partial) {}

	private final Deque<Snapshot> undo = new ArrayDeque<>();
	PromptRecord record = new PromptRecord();
	/** Whether the current labels come from a run stopped with Esc. */
	boolean partial;
	short[][] labels;
	/** The object that Shift+Enter corrects: the last accepted or selected. */
	int current;

	StackEditing(final int nz, final int planeSize) {
		labels = new short[nz][planeSize];
	}

	/** The record as it will be after adding {@code p} on slice z (object {@code label}). */
	PromptRecord with(final int label, final int z, final ObjectPrompt p) {
		final PromptRecord r = record.copy();
		r.put(label, z, p);
		return r;
	}

	/** The record with every object propagated. */
	PromptRecord propagatedRecord() {
		final PromptRecord r = record.copy();
		r.setPropagated(true);
		return r;
	}

	PromptRecord without(final int label) {
		final PromptRecord r = record.copy();
		r.remove(label);
		return r;
	}

	/**
	 * The labels after a run stopped early: the objects the run reached get what it did,
	 * every other object keeps its previous voxels.
	 */
	static short[][] keepUnreached(final short[][] previous, final Propagation.Result r) {
		final boolean[] reached = new boolean[65536];
		for (final Propagation.SliceResult s : r.slices()) reached[s.label()] = true;
		final short[][] l = new short[previous.length][];
		for (int z = 0; z < l.length; z++) {
			l[z] = previous[z].clone();
			final short[] n = r.labels()[z];
			for (int i = 0; i < l[z].length; i++) {
				if (reached[l[z][i] & 0xffff]) l[z][i] = 0;
				if (n[i] != 0 && reached[n[i] & 0xffff] && l[z][i] == 0) l[z][i] = n[i];
			}
		}
		return l;
	}

	/** Numbers the objects 1..n (record and labels); undoable, nothing to compute. */
	void renumber() {
		final Map<Integer, Integer> map = new java.util.HashMap<>();
		final PromptRecord r = record.renumbered(map);
		final short[] lut = new short[65536];
		map.forEach((from, to) -> lut[from] = (short) (int) to);
		final short[][] l = new short[labels.length][];
		for (int z = 0; z < l.length; z++) {
			l[z] = new short[labels[z].length];
			for (int i = 0; i < l[z].length; i++) l[z][i] = lut[labels[z][i] & 0xffff];
		}
		commit(r, l, partial);
		current = current == 0 ? 0 : map.getOrDefault(current, 0);
	}

	/** Makes a computed state current, keeping the previous one for undo. */
	void commit(final PromptRecord r, final short[][] l, final boolean stopped) {
		undo.push(new Snapshot(record, labels, partial));
		record = r;
		labels = l;
		partial = stopped;
	}

	/** Goes back to the state before the last change; false when there is none. */
	boolean undo() {
		final Snapshot s = undo.poll();
		if (s == null) return false;
		record = s.record();
		labels = s.labels();
		partial = s.partial();
		return true;
	}
}

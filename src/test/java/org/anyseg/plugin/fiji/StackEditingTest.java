package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Volume;
import org.anyseg.plugin.record.PromptRecord;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.Test;

/**
 * The tool's stack state with the deterministic {@link ThresholdModel}: a correction changes
 * only the slices between the neighbouring prompted slices, undo restores the previous
 * volume exactly, a run stopped early keeps every object it did not reach, renumbering
 * relabels voxels.
 */
class StackEditingTest {

	static final int NX = 40, NY = 30, NZ = 12;

	/** A bright square (x 10..19, y 8..17) on every slice, and a second one on slices 0..5. */
	private static Volume volume() {
		final List<float[]> s = new ArrayList<>();
		for (int z = 0; z < NZ; z++) {
			final float[] p = new float[NX * NY];
			for (int y = 0; y < NY; y++) for (int x = 0; x < NX; x++) {
				final boolean a = x >= 10 && x < 20 && y >= 8 && y < 18;
				final boolean b = z < 6 && x >= 28 && x < 36 && y >= 20 && y < 28;
				p[y * NX + x] = a || b ? 220 : 30;
			}
			s.add(p);
		}
		return Volume.of(NX, NY, Plane.Kind.GRAY32, s);
	}

	private static Propagation.Result run(final PromptRecord r, final Propagation.Listener l,
		final java.util.function.BooleanSupplier cancel)
	{
		final Segmenter seg = new Segmenter(new ThresholdModel(), "threshold", new EmbeddingCache(
			64));
		return org.anyseg.plugin.record.RecordReplay.compute(seg, volume(), org.anyseg.ops.image.Normalization.AUTO, r, Propagation.Options.defaults().withMinIou(0),
			l, cancel);
	}

	@Test
	void correctionChangesOnlyBetweenPromptedSlicesAndUndoRestores() {
		final StackEditing st = new StackEditing(NZ, NX * NY);
		PromptRecord r = st.with(1, 2, ObjectPrompt.ofBox(1, new BoxPrompt(8, 6, 22, 20)));
		r.setPropagated(true);
		r = r.copy();
		r.put(1, 9, ObjectPrompt.ofBox(1, new BoxPrompt(8, 6, 22, 20)));
		st.commit(r, run(r, null, null).labels(), false);
		final short[][] before = st.labels;
		// a correction on slice 6 with a box cutting the square in half
		final PromptRecord c = st.with(1, 6, ObjectPrompt.ofBox(1, new BoxPrompt(8, 6, 15, 20)));
		st.commit(c, run(c, null, null).labels(), false);
		boolean changed = false;
		for (int z = 0; z < NZ; z++) {
			final boolean same = java.util.Arrays.equals(before[z], st.labels[z]);
			if (z <= 2 || z >= 9) assertTrue(same, "slice " + z + " lies beyond the prompted " +
				"slices 2 and 9 and must not change");
			changed |= !same;
		}
		assertTrue(changed, "the correction changed the object between slices 2 and 9");
		assertTrue(st.undo());
		for (int z = 0; z < NZ; z++) assertArrayEquals(before[z], st.labels[z]);
	}

	@Test
	void aStoppedRunKeepsTheObjectsItDidNotReach() {
		final PromptRecord r = new PromptRecord();
		r.put(1, 0, ObjectPrompt.ofBox(1, new BoxPrompt(8, 6, 22, 20)));
		r.put(2, 0, ObjectPrompt.ofBox(2, new BoxPrompt(26, 18, 38, 30)));
		final short[][] all = run(r, null, null).labels();
		r.setPropagated(true);
		final AtomicInteger n = new AtomicInteger();
		final Propagation.Result stopped = run(r, (d, t, l) -> n.incrementAndGet(), () -> n
			.get() >= 3);
		assertTrue(stopped.partial());
		final short[][] kept = StackEditing.keepUnreached(all, stopped);
		int two = 0;
		for (final short v : kept[0]) if (v == 2) two++;
		assertEquals(64, two, "object 2, not reached before the stop, keeps its voxels");
	}

	@Test
	void renumberRelabelsVoxelsAndIsUndoable() {
		final StackEditing st = new StackEditing(NZ, NX * NY);
		final PromptRecord r = new PromptRecord();
		r.put(5, 0, ObjectPrompt.ofBox(5, new BoxPrompt(8, 6, 22, 20)));
		st.commit(r, run(r, null, null).labels(), false);
		st.current = 5;
		st.renumber();
		assertEquals(List.of(1), st.record.labels());
		assertEquals(1, st.current);
		assertEquals(1, st.labels[0][12 * NX + 12]);
		assertTrue(st.undo());
		assertEquals(5, st.labels[0][12 * NX + 12]);
	}
}

package org.anyseg.ops.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

/**
 * The prompts of the object being drawn interactively on one plane, with undo and cycling
 * through the decoder's candidate masks. Clicks added after a first prediction refine it
 * (its low-res mask is the next mask input, as in SAM's interactive use). Not thread-safe:
 * one UI thread edits it; {@link #predict} may run on a worker with a {@link #snapshot}.
 */
public final class PromptSession {

	private final Segmenter segmenter;
	private final Plane plane;
	private final Normalization norm;
	private final Deque<Object> history = new ArrayDeque<>();
	private Prediction last;
	private int cycle;

	public PromptSession(final Segmenter segmenter, final Plane plane, final Normalization norm) {
		this.segmenter = segmenter;
		this.plane = plane;
		this.norm = norm;
	}

	public Plane plane() {
		return plane;
	}

	public void addPoint(final PointPrompt p) {
		history.push(p);
		cycle = 0;
	}

	/** Sets the box (replacing an earlier one); undo restores the earlier one. */
	public void setBox(final BoxPrompt b) {
		history.push(b);
		cycle = 0;
	}

	/** Removes the last prompt; returns false when there was none. */
	public boolean undo() {
		if (history.isEmpty()) return false;
		history.pop();
		cycle = 0;
		if (history.isEmpty()) last = null;
		return true;
	}

	public void clear() {
		history.clear();
		last = null;
		cycle = 0;
	}

	public boolean isEmpty() {
		return history.isEmpty();
	}

	public List<PointPrompt> points() {
		final List<PointPrompt> pts = new ArrayList<>();
		history.descendingIterator().forEachRemaining(o -> {
			if (o instanceof PointPrompt p) pts.add(p);
		});
		return pts;
	}

	/** The latest box, or {@code null}. */
	public BoxPrompt box() {
		for (final Object o : history) if (o instanceof BoxPrompt b) return b;
		return null;
	}

	/** The current prompt (refined by the last prediction when there is one), or null. */
	public ObjectPrompt snapshot(final int label) {
		if (history.isEmpty()) return null;
		final ObjectPrompt p = new ObjectPrompt(label, points(), box(), null);
		return last != null && history.peek() instanceof PointPrompt ? p.withMaskInput(last
			.best().lowRes()) : p;
	}

	/** Whether the plane still needs its (slow) encoder run. */
	public boolean needsEncoding() {
		return !segmenter.isEncoded(plane, norm);
	}

	/** The plane's embedding (encoding it on first use; cached afterwards). */
	public Embedding embedding() {
		return segmenter.embed(plane, norm);
	}

	/** Decodes a snapshot; call {@link #accept} with the result on the UI thread. */
	public Prediction predict(final ObjectPrompt snapshot) {
		return segmenter.model().decode(embedding(), snapshot);
	}

	public void accept(final Prediction p) {
		last = p;
		cycle = 0;
	}

	public Prediction last() {
		return last;
	}

	/**
	 * Shows the next candidate mask, in order of predicted IoU starting from the chosen one;
	 * returns the prediction with that candidate chosen, or null before any prediction.
	 */
	public Prediction cycle() {
		if (last == null) return null;
		final List<MaskCandidate> byIou = new ArrayList<>(last.candidates());
		byIou.sort(Comparator.comparingDouble(MaskCandidate::iou).reversed());
		cycle = (cycle + 1) % byIou.size();
		final int index = last.candidates().indexOf(byIou.get(cycle));
		return last.choose(index);
	}
}

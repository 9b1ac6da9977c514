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
 * (its low-res mask is the next mask input, as in SAM's interactive use). On a plane larger
 * than the window side, each prediction is made in a full-resolution {@link PromptWindow}
 * around the prompts (its embedding cached and reused while the prompts stay inside), and
 * comes back with the window's place in the image. Not thread-safe: one UI thread edits it;
 * {@link #needsEncoding}, {@link #embedding} and {@link #predict} run on one worker thread
 * with a {@link #snapshot}.
 */
public final class PromptSession {

	/** A prediction and the region {x, y, w, h} of the image it covers. */
	public record Located(Prediction prediction, int[] region) {

		public int x() {
			return region[0];
		}

		public int y() {
			return region[1];
		}
	}

	private final Segmenter segmenter;
	private final Plane plane;
	private final PromptWindow.Source source;
	private final PromptWindow window;
	private final Normalization norm;
	private final Deque<Object> history = new ArrayDeque<>();
	private Located last;
	private int cycle;
	private int[] croppedRegion;
	private Plane cropped;

	public PromptSession(final Segmenter segmenter, final Plane plane, final Normalization norm) {
		this.segmenter = segmenter;
		this.plane = plane;
		this.source = null;
		this.window = null;
		this.norm = norm;
	}

	/**
	 * A session on a plane read through {@code source}: in full-resolution windows when
	 * {@link PlaneSegmentation#windowed} says so, else converted whole once.
	 */
	public PromptSession(final Segmenter segmenter, final PromptWindow.Source source,
		final Normalization norm)
	{
		this.segmenter = segmenter;
		this.source = source;
		this.norm = norm;
		final boolean large = PlaneSegmentation.windowed(source.width(), source.height());
		this.window = large ? new PromptWindow(source, PlaneSegmentation.WINDOW) : null;
		this.plane = large ? null : source.crop(0, 0, source.width(), source.height());
	}

	/** Whether predictions are made in windows of a large plane. */
	public boolean windowed() {
		return window != null;
	}

	/** The region {x, y, w, h} a prediction of this snapshot covers. */
	public int[] regionFor(final ObjectPrompt snapshot) {
		return window == null ? new int[] { 0, 0, plane.width(), plane.height() } : window
			.windowFor(List.of(snapshot));
	}

	/** The plane of a region; the last window's plane is kept (worker thread only). */
	private Plane planeFor(final int[] r) {
		if (window == null) return plane;
		if (!java.util.Arrays.equals(r, croppedRegion)) {
			cropped = source.crop(r[0], r[1], r[2], r[3]);
			croppedRegion = r.clone();
		}
		return cropped;
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
			.prediction().best().lowRes()) : p;
	}

	/** Whether the snapshot's plane (or window) still needs its (slow) encoder run. */
	/**
	 * Decodes a snapshot in its region; call {@link #accept} with the result on the UI
	 * thread. A mask input from a prediction in another window is dropped.
	 */
	public Located predict(final ObjectPrompt snapshot) {
		return predict(snapshot, null);
	}

	/**
	 * As {@link #predict(ObjectPrompt)}, the one call per prompt change: the region is found
	 * once, and {@code beforeEncoding} (if not null) is told, with whether the region is a
	 * window, before a region that has no embedding yet is encoded (slow; once per region).
	 */
	public Located predict(final ObjectPrompt snapshot,
		final java.util.function.Consumer<Boolean> beforeEncoding)
	{
		final int[] r = regionFor(snapshot);
		final Plane p = planeFor(r);
		if (beforeEncoding != null && !segmenter.isEncoded(p, norm)) beforeEncoding.accept(
			windowed());
		ObjectPrompt local = PromptWindow.shift(snapshot, -r[0], -r[1]);
		final Located prev = last;
		if (local.maskInput() != null && (prev == null || !java.util.Arrays.equals(prev.region(),
			r)))
		{
			local = local.withMaskInput(null);
		}
		final Embedding e = segmenter.embed(p, norm);
		return new Located(segmenter.model().decode(e, local), r);
	}

	public void accept(final Located p) {
		last = p;
		cycle = 0;
	}

	public Located last() {
		return last;
	}

	/**
	 * Shows the next candidate mask, in order of predicted IoU starting from the chosen one;
	 * returns the prediction with that candidate chosen, or null before any prediction.
	 */
	public Located cycle() {
		if (last == null) return null;
		final Prediction lp = last.prediction();
		final List<MaskCandidate> byIou = new ArrayList<>(lp.candidates());
		byIou.sort(Comparator.comparingDouble(MaskCandidate::iou).reversed());
		cycle = (cycle + 1) % byIou.size();
		final int index = lp.candidates().indexOf(byIou.get(cycle));
		return new Located(lp.choose(index), last.region());
	}
}

package org.anyseg.ops.volume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.MemoryModel;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.ops.volume.Propagation.Listener;
import org.anyseg.ops.volume.Propagation.Options;
import org.anyseg.ops.volume.Propagation.Result;
import org.anyseg.ops.volume.Propagation.Seed;
import org.anyseg.ops.volume.Propagation.SliceResult;
import org.anyseg.ops.volume.Propagation.Stop;
import org.anyseg.ops.volume.Propagation.Target;

/**
 * Segments objects through a volume from prompts on some of its slices: each prompted slice
 * is segmented with its prompt, then the walk goes slice by slice away from it in both
 * directions, prompting each slice with the previous slice's result (its low-res mask as
 * mask input, where the model takes one, and its bounding box grown by a margin), until the
 * object vanishes, its predicted IoU falls below the threshold, or its area collapses.
 * Between two prompted slices of one object each covers the half nearer to it, so a
 * prompted slice is never overwritten; a run bounded by {@link Options#withSliceRange} reads
 * no seed and writes no label outside its range (the call a correction makes is spelled out
 * there). Each slice is encoded once (the segmenter's cache),
 * the next slice of a walk is encoded in the background while the current one decodes, and
 * objects overlap by confidence as in {@link org.anyseg.ops.engine.LabelComposer}. A model
 * with a memory ({@link MemoryModel}: SAM 2's video export) is not re-prompted: it tracks
 * the object from its memories of the prompted slices at both ends of the walk (a correction
 * is one more conditioning frame, as in SAM 2's video predictor, for the walks that meet
 * it) and of the slices walked so far, the recent memories starting afresh in each
 * direction.
 */
public final class Propagator {

	private final Segmenter segmenter;

	public Propagator(final Segmenter segmenter) {
		this.segmenter = segmenter;
	}

	/**
	 * @param norm intensity normalization, resolved once for the whole volume
	 * @param cancelled polled between slices; a cancelled run returns what it has, marked
	 *          partial
	 */
	public Result propagate(final Volume volume, final Normalization norm,
		final List<Target> targets, final Options options, final Listener listener,
		final BooleanSupplier cancelled)
	{
		final Volume view = options.axis().view(volume);
		final Normalization n = VolumeNormalization.resolve(norm, volume);
		for (final Target t : targets) {
			for (final Seed s : t.seeds()) {
				view.checkSlice(s.slice());
				s.prompt().checkInside(view.nx(), view.ny());
			}
		}
		if (options.first() >= view.nz()) {
			throw new AnySegException("Slice range starts at " + options.first() + " but the " +
				"stack has " + view.nz() + " slices along " + options.axis() + ".");
		}
		final int rlo = options.lo(view.nz()), rhi = options.hi(view.nz());
		final Canvas canvas = new Canvas(view.nx() * view.ny(), view.nz());
		final MemoryModel memory = segmenter.model() instanceof MemoryModel m ? m : null;
		final List<SliceResult> done = new ArrayList<>();
		final List<Stop> stops = new ArrayList<>();
		final int total = targets.size() * view.nz();
		final ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
			final Thread th = new Thread(r, "anyseg-prefetch");
			th.setDaemon(true);
			return th;
		});
		boolean partial = false;
		try {
			outer:
			for (final Target t : targets) {
				final List<Seed> seeds = new ArrayList<>(t.seeds());
				seeds.removeIf(s -> s.slice() < rlo || s.slice() > rhi);
				seeds.sort(Comparator.comparingInt(Seed::slice));
				// a model with a memory is conditioned on every prompted slice of the object
				final List<MemoryModel.Memory> conds = new ArrayList<>();
				for (final Seed s : memory != null ? seeds : List.<Seed> of()) {
					if (cancelled != null && cancelled.getAsBoolean()) {
						partial = true;
						break outer;
					}
					conds.add(memory.prompted(embed(view, n, s.slice(), prefetch, -1), s.slice(), s
						.prompt().withLabel(t.label())));
				}
				for (int i = 0; i < seeds.size(); i++) {
					if (cancelled != null && cancelled.getAsBoolean()) {
						partial = true;
						break outer;
					}
					final Seed s = seeds.get(i);
					final ObjectPrompt sp = s.prompt().withLabel(t.label());
					final Prediction p = memory != null ? conds.get(i).prediction() : decode(view, n, s
						.slice(), sp, prefetch, -1);
					record(canvas, done, listener, total, t.label(), s.slice(), true, p);
					final int lo = i == 0 ? rlo : (seeds.get(i - 1).slice() + s.slice()) / 2 + 1;
					final int hi = i == seeds.size() - 1 ? rhi : (s.slice() + seeds.get(i + 1)
						.slice()) / 2;
					for (final int dir : new int[] { -1, 1 }) {
						final int end = dir < 0 ? lo : hi;
						final List<MemoryModel.Memory> cond = memory == null ? null : conditioning(conds,
							i, dir);
						if (!walk(view, n, t.label(), s.slice(), dir, end, p, cond, options, canvas,
							done, stops, listener, total, prefetch, cancelled))
						{
							partial = true;
							break outer;
						}
					}
				}
			}
		}
		finally {
			prefetch.shutdownNow();
		}
		return new Result(canvas.toVolume(options.axis(), volume, view), done, stops, partial);
	}

	/** Walks from {@code from} towards {@code end}; false when cancelled. */
	private boolean walk(final Volume view, final Normalization n, final int label,
		final int from, final int dir, final int end, final Prediction start,
		final List<MemoryModel.Memory> cond, final Options o,
		final Canvas canvas, final List<SliceResult> done, final List<Stop> stops,
		final Listener listener, final int total, final ExecutorService prefetch,
		final BooleanSupplier cancelled)
	{
		Prediction prev = start;
		final StopRules.Contrast contrast = StopRules.Contrast.of(o, view.slice(from), start.best()
			.logits(), view.nx(), view.ny());
		int steps = 0;
		final List<MemoryModel.Memory> bank = new ArrayList<>();
		for (int z = from + dir; dir < 0 ? z >= end : z <= end; z += dir) {
			if (cancelled != null && cancelled.getAsBoolean()) return false;
			if (++steps > o.maxSlices()) {
				stops.add(new Stop(label, from, dir, z, "slice limit"));
				return true;
			}
			final int ahead = z + dir;
			final boolean more = steps < o.maxSlices() && (dir < 0 ? ahead >= end : ahead <= end);
			final Prediction p;
			if (cond != null) {
				// SAM 2 memory: the model tracks from its memories, no re-prompting
				final MemoryModel mm = (MemoryModel) segmenter.model();
				final MemoryModel.Memory m = mm.track(embed(view, n, z, prefetch, more ? ahead : -1),
					z, label, cond, bank);
				bank.add(m);
				if (bank.size() > mm.maxRecent()) bank.remove(0);
				p = m.prediction();
			}
			else {
				final ObjectPrompt next = follow(prev, label, view.nx(), view.ny(), o);
				if (next == null) {
					stops.add(new Stop(label, from, dir, z, "vanished"));
					return true;
				}
				p = decode(view, n, z, next, prefetch, more ? ahead : -1);
			}
			final String reason = StopRules.reason(prev, p, view.nx(), view.ny(), o, contrast,
				contrast == null ? null : view.slice(z));
			if (reason != null) {
				stops.add(new Stop(label, from, dir, z, reason));
				return true;
			}
			record(canvas, done, listener, total, label, z, false, p);
			prev = p;
		}
		stops.add(new Stop(label, from, dir, end, end == 0 || end == view.nz() - 1
			? "end of volume" : end == (dir < 0 ? o.lo(view.nz()) : o.hi(view.nz()))
				? "end of slice range" : "met the next prompted slice"));
		return true;
	}

	/**
	 * The conditioning memories of the walk from seed {@code i} in direction {@code dir}: its
	 * own, then the next prompted slice's in that direction, where the walk ends (a
	 * correction conditions the walks that meet it, and no others: slices beyond the
	 * neighbouring prompted slices never change).
	 */
	private static List<MemoryModel.Memory> conditioning(final List<MemoryModel.Memory> conds,
		final int i, final int dir)
	{
		final int j = i + dir;
		return j >= 0 && j < conds.size() ? List.of(conds.get(i), conds.get(j)) : List.of(conds
			.get(i));
	}

	private Prediction decode(final Volume view, final Normalization n, final int z,
		final ObjectPrompt prompt, final ExecutorService prefetch, final int ahead)
	{
		final Plane plane = view.plane(z);
		prefetch(view, n, prefetch, ahead);
		return segmenter.segment(plane, n, List.of(prompt)).get(0);
	}

	/** The slice's embedding (from the cache, or encoded now), prefetching the next one. */
	private org.anyseg.ops.model.Embedding embed(final Volume view, final Normalization n,
		final int z, final ExecutorService prefetch, final int ahead)
	{
		final Plane plane = view.plane(z);
		prefetch(view, n, prefetch, ahead);
		return segmenter.embed(plane, n);
	}

	private void prefetch(final Volume view, final Normalization n,
		final ExecutorService prefetch, final int ahead)
	{
		if (ahead >= 0 && ahead < view.nz()) {
			prefetch.submit(() -> {
				try {
					segmenter.embed(view.plane(ahead), n);
				}
				catch (final RuntimeException e) {
					// the walk will meet the error itself if it gets there
				}
			});
		}
	}

	/**
	 * The prompt for the next slice: the previous mask's bounding box grown by the margin,
	 * plus its low-res mask where the model takes a mask input; null when the mask is empty.
	 */
	private ObjectPrompt follow(final Prediction prev, final int label, final int w,
		final int h, final Options o)
	{
		final double margin = o.margin();
		final MaskCandidate m = prev.best();
		final int[] b = bounds(m.logits(), w, h);
		if (b == null) return null;
		final int gx = Math.max(2, (int) Math.round(margin * (b[2] - b[0])));
		final int gy = Math.max(2, (int) Math.round(margin * (b[3] - b[1])));
		final BoxPrompt box = new BoxPrompt(Math.max(0, b[0] - gx), Math.max(0, b[1] - gy), Math
			.min(w, b[2] + gx), Math.min(h, b[3] + gy));
		final boolean maskIn = o.maskInput() && segmenter.model().maskInputSize() > 0 && m
			.lowRes() != null;
		final List<PointPrompt> pts = o.follow() == Propagation.Follow.BOX ? List.of() : List.of(
			centre(m.logits(), w, h));
		return new ObjectPrompt(label, pts, o.follow() == Propagation.Follow.POINT ? null : box,
			maskIn ? m.lowRes() : null);
	}

	/** The mask's centroid, or its most confident pixel when the centroid lies outside it. */
	static PointPrompt centre(final float[] logits, final int w, final int h) {
		double sx = 0, sy = 0;
		int n = 0, best = 0;
		for (int i = 0; i < logits.length; i++) {
			if (logits[i] > 0) {
				sx += i % w;
				sy += i / w;
				n++;
			}
			if (logits[i] > logits[best]) best = i;
		}
		final int cx = (int) Math.round(sx / n), cy = (int) Math.round(sy / n);
		return logits[cy * w + cx] > 0 ? new PointPrompt(cx, cy, true) : new PointPrompt(best % w,
			best / w, true);
	}

	/** {x0, y0, x1, y1} (x1, y1 exclusive) of {@code logit > 0}, or null when empty. */
	static int[] bounds(final float[] logits, final int w, final int h) {
		int x0 = w, y0 = h, x1 = -1, y1 = -1;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				if (logits[y * w + x] > 0) {
					if (x < x0) x0 = x;
					if (x > x1) x1 = x;
					if (y < y0) y0 = y;
					if (y > y1) y1 = y;
				}
			}
		}
		return x1 < 0 ? null : new int[] { x0, y0, x1 + 1, y1 + 1 };
	}

	private static void record(final Canvas canvas, final List<SliceResult> done,
		final Listener listener, final int total, final int label, final int z,
		final boolean prompted, final Prediction p)
	{
		if (label < 1 || label > 65535) {
			throw new AnySegException("Object label " + label + " does not fit a 16-bit label " +
				"volume: use labels 1 to 65535.");
		}
		final int area = canvas.paint(z, (short) label, p.best().logits());
		final SliceResult r = new SliceResult(label, z, prompted, p.iou(), area);
		done.add(r);
		if (listener != null) listener.progress(done.size(), total, r);
	}

	/** Labels and confidences of the walked view, allocated per slice when first painted. */
	private static final class Canvas {

		private final int plane;
		private final short[][] labels;
		private final float[][] best;

		Canvas(final int plane, final int slices) {
			this.plane = plane;
			this.labels = new short[slices][];
			this.best = new float[slices][];
		}

		/** Paints where the logit beats what is there; returns the object's area. */
		int paint(final int z, final short label, final float[] logits) {
			if (labels[z] == null) {
				labels[z] = new short[plane];
				best[z] = new float[plane];
			}
			int area = 0;
			for (int i = 0; i < plane; i++) {
				if (logits[i] > best[z][i]) {
					best[z][i] = logits[i];
					labels[z][i] = label;
					area++;
				}
			}
			return area;
		}

		short[][] toVolume(final Axis axis, final Volume volume, final Volume view) {
			final int nx = volume.nx(), ny = volume.ny();
			final short[][] out = new short[volume.nz()][nx * ny];
			for (int s = 0; s < labels.length; s++) {
				if (labels[s] == null) continue;
				if (axis == Axis.Z) {
					out[s] = labels[s];
					continue;
				}
				for (int w = 0; w < view.ny(); w++) {
					for (int u = 0; u < view.nx(); u++) {
						final short v = labels[s][w * view.nx() + u];
						if (v == 0) continue;
						final int[] c = axis.toVolume(u, w, s);
						out[c[2]][c[1] * nx + c[0]] = v;
					}
				}
			}
			return out;
		}
	}
}

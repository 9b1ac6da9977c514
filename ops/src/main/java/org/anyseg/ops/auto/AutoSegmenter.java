package org.anyseg.ops.auto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.PromptWindow;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

/**
 * Segment everything, as Segment Anything's automatic mask generator: a grid of single-click
 * prompts over the image (tile by tile with overlap on large images, each tile encoded
 * once), every candidate mask filtered by predicted IoU and stability score, duplicates
 * removed by non-maximum suppression on boxes and on mask IoU (also across tiles, which
 * keeps objects on tile borders whole: the copy from the tile that holds them entirely
 * scores as well and wins by area), small specks and holes removed, and the kept masks
 * painted into an instance label image (higher score first, no overwriting). Limited to a
 * {@link Region}, only the grid points inside it are prompted (so tiles and crops without
 * one are never encoded) and only the objects it {@link Region#keeps} are returned.
 */
public final class AutoSegmenter {


	/**
	 * A kept mask with its scores, the grid click that made it (image pixels; NaN when
	 * unknown) and the index of its tile in {@link #tiles} order (-1 when unknown).
	 */
	public record Found(BitMask mask, float predIou, double stability, double promptX,
		double promptY, int tile)
	{

		public Found(final BitMask mask, final float predIou, final double stability) {
			this(mask, predIou, stability, Double.NaN, Double.NaN, -1);
		}

		Found withMask(final BitMask m) {
			return new Found(m, predIou, stability, promptX, promptY, tile);
		}
	}

	/** Progress: {@code done} of {@code total} point prompts. */
	public interface Listener {

		void progress(int done, int total);
	}

	/**
	 * Most grid points decoded together (Segment Anything's {@code points_per_batch}); fewer
	 * on large tiles, so a batch's predictions stay within {@link #BATCH_BYTES}.
	 */
	static final int POINTS_PER_BATCH = 64;
	private static final long BATCH_BYTES = 64L << 20;

	private final Segmenter seg;

	public AutoSegmenter(final Segmenter seg) {
		this.seg = seg;
	}

	/** The kept masks of a plane, best first. */
	public List<Found> run(final Plane plane, final Normalization norm, final AutoParams p,
		final Listener listener, final BooleanSupplier cancelled)
	{
		return run(PromptWindow.Source.of(plane), norm, p, listener, cancelled);
	}

	/**
	 * The kept masks of an image read tile by tile (so a huge image is never converted
	 * whole), best first.
	 */
	public List<Found> run(final PromptWindow.Source image, final Normalization norm,
		final AutoParams p, final Listener listener, final BooleanSupplier cancelled)
	{
		return run(image, norm, p, null, listener, cancelled);
	}

	/**
	 * The kept masks of an image read tile by tile, limited to a region (null = the whole
	 * image), best first. Candidates are filtered and de-duplicated as without a region (an
	 * object partly outside competes whole), then the region's majority rule is applied to
	 * the cleaned masks.
	 *
	 * @throws AnySegException when the region is not the image's size
	 */
	public List<Found> run(final PromptWindow.Source image, final Normalization norm,
		final AutoParams p, final Region region, final Listener listener,
		final BooleanSupplier cancelled)
	{
		if (region != null && (region.width() != image.width() || region.height() != image
			.height()))
		{
			throw new AnySegException("The region is " + region.width() + "x" + region.height() +
				" but the image is " + image.width() + "x" + image.height() + ": give a region of " +
				"the image's size.");
		}
		if (p.pointsPerSide() < 1) throw new AnySegException("Points per side must be >= 1.");
		if (p.cropNLayers() < 0 || p.cropNLayers() > 4) {
			throw new AnySegException("Crop layers must be 0 to 4 (layer 4 cuts each tile into " +
				"256 crops).");
		}
		final List<int[]> tiles = tiles(image.width(), image.height(), p.tileSize(), p
			.tileOverlap());
		int total = 0;
		for (final int[] t : tiles) {
			for (final int[] c : cropBoxes(t[2], t[3], p)) {
				total += grid(t[0] + c[0], t[1] + c[1], c[2], c[3], c[5], region).size();
			}
		}
		final List<Found> all = new ArrayList<>();
		int done = 0;
		for (int ti = 0; ti < tiles.size(); ti++) {
			final int[] t = tiles.get(ti);
			final List<Found> inTile = new ArrayList<>();
			for (final int[] c : cropBoxes(t[2], t[3], p)) {
				// crop {x, y, w, h} in image coordinates, its layer and grid size
				final int[] box = { t[0] + c[0], t[1] + c[1], c[2], c[3] };
				final List<ObjectPrompt> grid = grid(box[0], box[1], box[2], box[3], c[5], region);
				if (grid.isEmpty()) continue; // outside the region: never read nor encoded
				final Plane crop = image.crop(box[0], box[1], box[2], box[3]);
				// a prediction holds about four float masks of the crop until its candidates are read
				final int perBatch = (int) Math.max(1, Math.min(POINTS_PER_BATCH, BATCH_BYTES / (16L *
					box[2] * box[3])));
				final List<Found> inCrop = new ArrayList<>();
				for (int from = 0; from < grid.size(); from += perBatch) {
					if (cancelled != null && cancelled.getAsBoolean()) return finish(all, p, region);
					final List<ObjectPrompt> batch = grid.subList(from, Math.min(grid.size(), from +
						perBatch));
					final List<Prediction> preds = seg.segment(crop, norm, batch);
					for (int k = 0; k < preds.size(); k++) {
						final PointPrompt click = batch.get(k).points().get(0);
						for (final MaskCandidate mc : multimask(preds.get(k))) {
							final Found f = candidate(mc, box[2], box[3], box, p, box[0] + click.x(),
								box[1] + click.y(), ti);
							// SAM: a crop's masks cut by its inner edges are left to the layers that
							// hold them whole
							if (f != null && (c[4] == 0 || !nearInnerEdge(f.mask(), box, image.width(),
								image.height()))) inCrop.add(f);
						}
					}
					done += batch.size();
					if (listener != null) listener.progress(done, total);
				}
				inTile.addAll(nms(inCrop, p.boxNmsThresh()));
			}
			all.addAll(nms(inTile, p.boxNmsThresh()));
		}
		return finish(all, p, region);
	}

	/**
	 * Segment Anything's crop boxes of a {@code w x h} tile: the tile itself, then for layer
	 * i = 1..n a 2^i x 2^i grid of overlapping crops. Each is {x, y, w, h, layer, points per
	 * side}.
	 */
	static List<int[]> cropBoxes(final int w, final int h, final AutoParams p) {
		final List<int[]> out = new ArrayList<>();
		out.add(new int[] { 0, 0, w, h, 0, p.pointsPerSide() });
		final int shortSide = Math.min(w, h);
		for (int layer = 1; layer <= p.cropNLayers(); layer++) {
			final int n = 1 << layer;
			final int overlap = (int) (p.cropOverlapRatio() * shortSide * (2.0 / n));
			final int cw = (int) Math.ceil((overlap * (n - 1) + w) / (double) n);
			final int ch = (int) Math.ceil((overlap * (n - 1) + h) / (double) n);
			final int pts = Math.max(1, (int) (p.pointsPerSide() / Math.pow(p
				.cropNPointsDownscaleFactor(), layer)));
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < n; j++) {
					final int x0 = (cw - overlap) * i, y0 = (ch - overlap) * j;
					out.add(new int[] { x0, y0, Math.min(cw, w - x0), Math.min(ch, h - y0), layer, pts });
				}
			}
		}
		return out;
	}

	/** Within 20 pixels of an edge of the crop that is not an edge of the image (as SAM). */
	private static boolean nearInnerEdge(final BitMask m, final int[] crop, final int w,
		final int h)
	{
		final int tol = 20;
		return crop[0] > 0 && m.x0() - crop[0] <= tol || crop[1] > 0 && m.y0() - crop[1] <= tol ||
			crop[0] + crop[2] < w && crop[0] + crop[2] - m.x1() <= tol || crop[1] + crop[3] < h &&
				crop[1] + crop[3] - m.y1() <= tol;
	}

	/**
	 * Segment Anything's point grid: single positive clicks at {@code (i + 0.5) / n} of the
	 * width and height, row by row.
	 */
	static List<ObjectPrompt> grid(final int w, final int h, final int n) {
		final List<ObjectPrompt> g = new ArrayList<>(n * n);
		for (int j = 0; j < n; j++) {
			for (int i = 0; i < n; i++) {
				g.add(ObjectPrompt.ofPoints(1, List.of(new PointPrompt(Math.floor((i + 0.5) * w / n),
					Math.floor((j + 0.5) * h / n), true))));
			}
		}
		return g;
	}

	/**
	 * The points of a {@code w x h} crop's {@link #grid} at {@code (x0, y0)} in the image that
	 * lie inside the region (all when it is null), in crop coordinates.
	 */
	static List<ObjectPrompt> grid(final int x0, final int y0, final int w, final int h,
		final int n, final Region region)
	{
		final List<ObjectPrompt> g = grid(w, h, n);
		if (region == null) return g;
		if (!region.intersects(x0, y0, w, h)) return List.of();
		final List<ObjectPrompt> in = new ArrayList<>();
		for (final ObjectPrompt o : g) {
			final PointPrompt q = o.points().get(0);
			if (region.contains(x0 + (int) q.x(), y0 + (int) q.y())) in.add(o);
		}
		return in;
	}

	private List<Found> finish(final List<Found> all, final AutoParams p, final Region region) {
		final List<Found> kept = nms(all, p.boxNmsThresh());
		final List<Found> out = new ArrayList<>();
		for (final Found f : kept) {
			final BitMask clean = Cleanup.removeSmall(f.mask(), p.minMaskRegionArea());
			if (clean != null && clean.area() >= p.minMaskRegionArea() && (region == null || region
				.keeps(clean)))
			{
				out.add(f.withMask(clean));
			}
		}
		return out;
	}

	/** SAM's automatic generator asks for the multi-mask outputs. */
	private static List<MaskCandidate> multimask(final Prediction p) {
		final List<MaskCandidate> c = p.candidates();
		return c.size() == 4 ? c.subList(1, 4) : c;
	}

	private static Found candidate(final MaskCandidate c, final int w, final int h,
		final int[] tile, final AutoParams p, final double px, final double py, final int ti)
	{
		if (c.iou() < p.predIouThresh()) return null;
		final float[] l = c.logits();
		final float off = (float) p.stabilityScoreOffset();
		int inter = 0, union = 0;
		for (final float v : l) {
			if (v > off) inter++;
			if (v > -off) union++;
		}
		final double stability = union == 0 ? 0 : (double) inter / union;
		if (stability < p.stabilityScoreThresh()) return null;
		final BitMask m = BitMask.of(l, w, h, tile[0], tile[1], 0f);
		if (m == null || m.area() > p.maxMaskAreaFraction() * w * h) return null;
		return new Found(m, c.iou(), stability, px, py, ti);
	}

	/**
	 * Non-maximum suppression: by predicted IoU, then stability, then area (a whole object
	 * beats its part cut by a tile border); a mask whose box or mask IoU with a kept one
	 * exceeds the threshold is dropped.
	 */
	public static List<Found> nms(final List<Found> in, final double thresh) {
		final List<Found> sorted = new ArrayList<>(in);
		sorted.sort(Comparator.comparingDouble((Found f) -> -f.predIou()).thenComparingDouble(
			f -> -f.stability()).thenComparingInt(f -> -f.mask().area()));
		final List<Found> kept = new ArrayList<>();
		// kept masks by the NMS_CELL x NMS_CELL cells their boxes touch: only masks whose
		// boxes overlap can suppress each other, so a huge image's thousands of masks are
		// compared with their neighbours only
		final java.util.Map<Long, List<Found>> cells = new java.util.HashMap<>();
		outer:
		for (final Found f : sorted) {
			final BitMask m = f.mask();
			final int cx0 = m.x0() / NMS_CELL, cy0 = m.y0() / NMS_CELL;
			final int cx1 = (m.x1() - 1) / NMS_CELL, cy1 = (m.y1() - 1) / NMS_CELL;
			for (int cy = cy0; cy <= cy1; cy++) {
				for (int cx = cx0; cx <= cx1; cx++) {
					for (final Found k : cells.getOrDefault(cell(cx, cy), List.of())) {
						if (m.boxIou(k.mask()) > thresh || m.maskIou(k.mask()) > thresh) continue outer;
					}
				}
			}
			kept.add(f);
			for (int cy = cy0; cy <= cy1; cy++) {
				for (int cx = cx0; cx <= cx1; cx++) {
					cells.computeIfAbsent(cell(cx, cy), c -> new ArrayList<>()).add(f);
				}
			}
		}
		return kept;
	}

	private static final int NMS_CELL = 64;

	private static long cell(final int cx, final int cy) {
		return ((long) cy << 32) | (cx & 0xffffffffL);
	}

	/** How many tiles an image of this size is cut into. */
	public static int tileCount(final int w, final int h, final AutoParams p) {
		return tiles(w, h, p.tileSize(), p.tileOverlap()).size();
	}

	/** Tiles {x, y, w, h} covering the image with the given overlap. */
	static List<int[]> tiles(final int w, final int h, final int size, final int overlap) {
		final List<int[]> t = new ArrayList<>();
		if (w <= size && h <= size) {
			t.add(new int[] { 0, 0, w, h });
			return t;
		}
		final int step = Math.max(1, size - overlap);
		for (int y = 0;; y += step) {
			final int ty = Math.min(y, Math.max(0, h - size));
			for (int x = 0;; x += step) {
				final int tx = Math.min(x, Math.max(0, w - size));
				t.add(new int[] { tx, ty, Math.min(size, w), Math.min(size, h) });
				if (tx + size >= w) break;
			}
			if (ty + size >= h) break;
		}
		return t;
	}

	/**
	 * Paints the masks into an instance label image, best first, without overwriting: label
	 * {@code k} (1-based) is the k-th mask that still owns a pixel. No limit on the count; a
	 * mask left with no pixel gets no label.
	 */
	public static int[] labelImage(final List<Found> found, final int w, final int h) {
		final int[] out = new int[w * h];
		int label = 0;
		for (final Found f : found) {
			final BitMask m = f.mask();
			boolean any = false;
			final int v = label + 1;
			for (int y = m.y0(); y < m.y1(); y++) {
				for (int x = m.x0(); x < m.x1(); x++) {
					if (m.get(x, y) && out[y * w + x] == 0) {
						out[y * w + x] = v;
						any = true;
					}
				}
			}
			if (any) label++;
		}
		return out;
	}

	/**
	 * The masks that own pixels in {@link #labelImage}, in label order: element {@code k - 1}
	 * made label {@code k}.
	 */
	public static List<Found> labelled(final List<Found> found, final int[] labels,
		final int w)
	{
		final List<Found> out = new ArrayList<>();
		for (final Found f : found) {
			final BitMask m = f.mask();
			final int next = out.size() + 1;
			boolean owns = false;
			for (int y = m.y0(); y < m.y1() && !owns; y++) {
				for (int x = m.x0(); x < m.x1(); x++) {
					if (m.get(x, y) && labels[y * w + x] == next) {
						owns = true;
						break;
					}
				}
			}
			if (owns) out.add(f);
		}
		return out;
	}

	/**
	 * Paints the masks into a 16-bit instance label image (see {@link #labelImage}).
	 *
	 * @throws AnySegException when there are more than 65535 objects: use {@link #labelImage}
	 */
	public static short[] labels(final List<Found> found, final int w, final int h) {
		final int[] l = labelImage(found, w, h);
		final short[] out = new short[l.length];
		for (int i = 0; i < l.length; i++) {
			if (l[i] > 65535) {
				throw new AnySegException("More than 65535 objects: they need a 32-bit label " +
					"image.");
			}
			out[i] = (short) l[i];
		}
		return out;
	}
}

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
import org.anyseg.ops.model.ModelConfig;
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
 * painted into an instance label image (higher score first, no overwriting).
 */
public final class AutoSegmenter {

	/**
	 * Parameters named as in Segment Anything's {@code SamAutomaticMaskGenerator}.
	 *
	 * @param pointsPerSide grid points along each side of a tile
	 * @param predIouThresh keep masks whose predicted IoU is at least this
	 * @param stabilityScoreThresh keep masks whose stability score is at least this
	 * @param stabilityScoreOffset logit offset of the stability score
	 * @param boxNmsThresh suppress masks whose box IoU with a better one exceeds this
	 * @param minMaskRegionArea remove specks and fill holes smaller than this (pixels)
	 * @param maxMaskAreaFraction drop masks larger than this fraction of the tile
	 *          (background)
	 * @param tileSize side of the tiles a large image is cut into (pixels)
	 * @param tileOverlap overlap of neighbouring tiles (pixels)
	 * @param cropNLayers extra layers of crops of each tile (layer i: 2^i x 2^i crops, each
	 *          encoded at the model's resolution, so small objects are seen larger); 0 = none
	 * @param cropOverlapRatio overlap of neighbouring crops, as a fraction of the tile's
	 *          short side at the first layer
	 * @param cropNPointsDownscaleFactor layer i's grid has pointsPerSide / factor^i points
	 *          per side
	 */
	public record Params(int pointsPerSide, double predIouThresh, double stabilityScoreThresh,
		double stabilityScoreOffset, double boxNmsThresh, int minMaskRegionArea,
		double maxMaskAreaFraction, int tileSize, int tileOverlap, int cropNLayers,
		double cropOverlapRatio, int cropNPointsDownscaleFactor)
	{

		/** Every value checked against {@link ModelConfig#SEGMENT_EVERYTHING_RANGES}. */
		public Params {
			ModelConfig.checkSegmentEverything("points_per_side", pointsPerSide);
			ModelConfig.checkSegmentEverything("pred_iou_thresh", predIouThresh);
			ModelConfig.checkSegmentEverything("stability_score_thresh", stabilityScoreThresh);
			ModelConfig.checkSegmentEverything("stability_score_offset", stabilityScoreOffset);
			ModelConfig.checkSegmentEverything("box_nms_thresh", boxNmsThresh);
			ModelConfig.checkSegmentEverything("min_mask_region_area", minMaskRegionArea);
			ModelConfig.checkSegmentEverything("max_mask_area_fraction", maxMaskAreaFraction);
			ModelConfig.checkSegmentEverything("tile_size", tileSize);
			ModelConfig.checkSegmentEverything("tile_overlap", tileOverlap);
			ModelConfig.checkSegmentEverything("crop_n_layers", cropNLayers);
			ModelConfig.checkSegmentEverything("crop_overlap_ratio", cropOverlapRatio);
			ModelConfig.checkSegmentEverything("crop_n_points_downscale_factor",
				cropNPointsDownscaleFactor);
			if (tileOverlap * 2 >= tileSize) {
				throw new org.anyseg.ops.AnySegException("Segment everything: tile_overlap " +
					tileOverlap + " must be less than half the tile size " + tileSize + " (tiles would " +
					"not advance).");
			}
		}

		/** Parameters without crop layers. */
		public Params(final int pointsPerSide, final double predIouThresh,
			final double stabilityScoreThresh, final double stabilityScoreOffset,
			final double boxNmsThresh, final int minMaskRegionArea, final double maxMaskAreaFraction,
			final int tileSize, final int tileOverlap)
		{
			this(pointsPerSide, predIouThresh, stabilityScoreThresh, stabilityScoreOffset,
				boxNmsThresh, minMaskRegionArea, maxMaskAreaFraction, tileSize, tileOverlap, 0,
				512 / 1500.0, 1);
		}

		/** The same parameters with tiles of this side. */
		public Params withTileSize(final int side) {
			return new Params(pointsPerSide, predIouThresh, stabilityScoreThresh,
				stabilityScoreOffset, boxNmsThresh, minMaskRegionArea, maxMaskAreaFraction, side,
				tileOverlap, cropNLayers, cropOverlapRatio, cropNPointsDownscaleFactor);
		}

		/** The same parameters with {@code n} crop layers. */
		public Params withCropLayers(final int n) {
			return with(java.util.Map.of("crop_n_layers", n));
		}

		/**
		 * The same parameters with some replaced, named as Segment Anything's
		 * ({@link ModelConfig#SEGMENT_EVERYTHING_KEYS}); null values are ignored.
		 */
		public Params with(final java.util.Map<String, ? extends Number> m) {
			for (final java.util.Map.Entry<String, ? extends Number> e : m.entrySet()) {
				if (!ModelConfig.SEGMENT_EVERYTHING_KEYS.contains(e.getKey())) {
					throw new org.anyseg.ops.AnySegException("Unknown segment-everything parameter '" + e
						.getKey() + "'; known: " + new java.util.TreeSet<>(
							ModelConfig.SEGMENT_EVERYTHING_KEYS) + ".");
				}
				// checked before the whole numbers are cut to int (1e12 must not become 2^31-1)
				if (e.getValue() != null) ModelConfig.checkSegmentEverything(e.getKey(), e.getValue()
					.doubleValue());
			}
			final java.util.function.BiFunction<String, Double, Double> v = (k, d) -> m.get(
				k) != null ? m.get(k).doubleValue() : d;
			return new Params(v.apply("points_per_side", (double) pointsPerSide).intValue(), v.apply(
				"pred_iou_thresh", predIouThresh), v.apply("stability_score_thresh",
					stabilityScoreThresh), v.apply("stability_score_offset", stabilityScoreOffset), v
						.apply("box_nms_thresh", boxNmsThresh), v.apply("min_mask_region_area",
							(double) minMaskRegionArea).intValue(), maxMaskAreaFraction, tileSize,
				tileOverlap, v.apply("crop_n_layers", (double) cropNLayers).intValue(), v.apply(
					"crop_overlap_ratio", cropOverlapRatio), v.apply("crop_n_points_downscale_factor",
						(double) cropNPointsDownscaleFactor).intValue());
		}

		/**
		 * Segment Anything's defaults for its calibrated models (32 points, predicted IoU 0.88,
		 * stability 0.95 at offset 1, box NMS 0.7), with specks under 10 pixels removed and
		 * masks over a quarter of the tile (background) dropped. The demo model's IoU and
		 * stability are not calibrated: see BENCHMARKS.md.
		 */
		public static Params defaults() {
			return new Params(32, 0.88, 0.95, 1.0, 0.7, 10, 0.25, 1024, 128);
		}

		/**
		 * The defaults for a model: {@link #defaults()} with what its {@code anyseg-model.json}
		 * sets under {@code segment_everything} (a model whose predicted IoU is calibrated
		 * differently from Segment Anything's names its own thresholds there).
		 */
		public static Params defaults(final ModelConfig config) {
			return defaults().with(config.segmentEverything());
		}
	}

	/** A kept mask with its scores. */
	public record Found(BitMask mask, float predIou, double stability) {}

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
	public List<Found> run(final Plane plane, final Normalization norm, final Params p,
		final Listener listener, final BooleanSupplier cancelled)
	{
		return run(PromptWindow.Source.of(plane), norm, p, listener, cancelled);
	}

	/**
	 * The kept masks of an image read tile by tile (so a huge image is never converted
	 * whole), best first.
	 */
	public List<Found> run(final PromptWindow.Source image, final Normalization norm,
		final Params p, final Listener listener, final BooleanSupplier cancelled)
	{
		if (p.pointsPerSide() < 1) throw new AnySegException("Points per side must be >= 1.");
		if (p.cropNLayers() < 0 || p.cropNLayers() > 4) {
			throw new AnySegException("Crop layers must be 0 to 4 (layer 4 cuts each tile into " +
				"256 crops).");
		}
		final List<int[]> tiles = tiles(image.width(), image.height(), p.tileSize(), p
			.tileOverlap());
		int total = 0;
		for (final int[] t : tiles) {
			for (final int[] c : cropBoxes(t[2], t[3], p)) total += c[5] * c[5];
		}
		final List<Found> all = new ArrayList<>();
		int done = 0;
		for (final int[] t : tiles) {
			final List<Found> inTile = new ArrayList<>();
			for (final int[] c : cropBoxes(t[2], t[3], p)) {
				// crop {x, y, w, h} in image coordinates, its layer and grid size
				final int[] box = { t[0] + c[0], t[1] + c[1], c[2], c[3] };
				final Plane crop = image.crop(box[0], box[1], box[2], box[3]);
				final List<ObjectPrompt> grid = grid(box[2], box[3], c[5]);
				// a prediction holds about four float masks of the crop until its candidates are read
				final int perBatch = (int) Math.max(1, Math.min(POINTS_PER_BATCH, BATCH_BYTES / (16L *
					box[2] * box[3])));
				final List<Found> inCrop = new ArrayList<>();
				for (int from = 0; from < grid.size(); from += perBatch) {
					if (cancelled != null && cancelled.getAsBoolean()) return finish(all, p);
					final List<ObjectPrompt> batch = grid.subList(from, Math.min(grid.size(), from +
						perBatch));
					for (final Prediction pred : seg.segment(crop, norm, batch)) {
						for (final MaskCandidate mc : multimask(pred)) {
							final Found f = candidate(mc, box[2], box[3], box, p);
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
		return finish(all, p);
	}

	/**
	 * Segment Anything's crop boxes of a {@code w x h} tile: the tile itself, then for layer
	 * i = 1..n a 2^i x 2^i grid of overlapping crops. Each is {x, y, w, h, layer, points per
	 * side}.
	 */
	static List<int[]> cropBoxes(final int w, final int h, final Params p) {
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

	private List<Found> finish(final List<Found> all, final Params p) {
		final List<Found> kept = nms(all, p.boxNmsThresh());
		final List<Found> out = new ArrayList<>();
		for (final Found f : kept) {
			final BitMask clean = Cleanup.removeSmall(f.mask(), p.minMaskRegionArea());
			if (clean != null && clean.area() >= p.minMaskRegionArea()) {
				out.add(new Found(clean, f.predIou(), f.stability()));
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
		final int[] tile, final Params p)
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
		return new Found(m, c.iou(), stability);
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

	private static final int NMS_CELL = 256;

	private static long cell(final int cx, final int cy) {
		return ((long) cy << 32) | (cx & 0xffffffffL);
	}

	/** How many tiles an image of this size is cut into. */
	public static int tileCount(final int w, final int h, final Params p) {
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

	/** Paints the masks into an instance label image, best first, without overwriting. */
	public static short[] labels(final List<Found> found, final int w, final int h) {
		final short[] out = new short[w * h];
		int label = 0;
		for (final Found f : found) {
			if (label == 65535) break;
			final BitMask m = f.mask();
			boolean any = false;
			final short v = (short) (label + 1);
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
}

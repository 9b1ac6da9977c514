package org.anyseg.ops.auto;

import org.anyseg.ops.model.ModelConfig;

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
public record AutoParams(int pointsPerSide, double predIouThresh, double stabilityScoreThresh,
	double stabilityScoreOffset, double boxNmsThresh, int minMaskRegionArea,
	double maxMaskAreaFraction, int tileSize, int tileOverlap, int cropNLayers,
	double cropOverlapRatio, int cropNPointsDownscaleFactor)
{

	/** Every value checked against {@link ModelConfig#SEGMENT_EVERYTHING_RANGES}. */
	public AutoParams {
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
	public AutoParams(final int pointsPerSide, final double predIouThresh,
		final double stabilityScoreThresh, final double stabilityScoreOffset,
		final double boxNmsThresh, final int minMaskRegionArea, final double maxMaskAreaFraction,
		final int tileSize, final int tileOverlap)
	{
		this(pointsPerSide, predIouThresh, stabilityScoreThresh, stabilityScoreOffset,
			boxNmsThresh, minMaskRegionArea, maxMaskAreaFraction, tileSize, tileOverlap, 0,
			512 / 1500.0, 1);
	}

	/** The same parameters with tiles of this side. */
	public AutoParams withTileSize(final int side) {
		return new AutoParams(pointsPerSide, predIouThresh, stabilityScoreThresh,
			stabilityScoreOffset, boxNmsThresh, minMaskRegionArea, maxMaskAreaFraction, side,
			tileOverlap, cropNLayers, cropOverlapRatio, cropNPointsDownscaleFactor);
	}

	/** The same parameters with {@code n} crop layers. */
	public AutoParams withCropLayers(final int n) {
		return with(java.util.Map.of("crop_n_layers", n));
	}

	/**
	 * The same parameters with some replaced, named as Segment Anything's
	 * ({@link ModelConfig#SEGMENT_EVERYTHING_KEYS}); null values are ignored.
	 */
	public AutoParams with(final java.util.Map<String, ? extends Number> m) {
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
		return new AutoParams(v.apply("points_per_side", (double) pointsPerSide).intValue(), v.apply(
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
	public static AutoParams defaults() {
		return new AutoParams(32, 0.88, 0.95, 1.0, 0.7, 10, 0.25, 1024, 128);
	}

	/**
	 * The defaults for a model: {@link #defaults()} with what its {@code anyseg-model.json}
	 * sets under {@code segment_everything} (a model whose predicted IoU is calibrated
	 * differently from Segment Anything's names its own thresholds there).
	 */
	public static AutoParams defaults(final ModelConfig config) {
		return defaults().with(config.segmentEverything());
	}
}

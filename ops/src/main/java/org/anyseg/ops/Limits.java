package org.anyseg.ops;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one table of every number a user gives AnySeg, and its allowed range. The same entry
 * checks a value whichever way it comes in: a CLI option ({@link #cli}, checked for every
 * command before it reads a file), a Fiji dialog field or macro key ({@link #key}, the
 * snake_case {@code @Parameter} name; {@link #label} is the dialog's text), an
 * {@code Ext.anyseg...} macro argument, or a model's {@code anyseg-model.json}. A value
 * {@code v} passes when {@code lo <= v <= hi}, is a whole number where {@link #whole} says
 * so, and is never NaN or infinite; otherwise {@link #check} throws an
 * {@link AnySegException} naming the key, the CLI option and the range.
 *
 * <p>Where the real limit depends on the data (a slice number and the stack's depth), the
 * table holds the static part and the data's part is checked when the image is open.</p>
 */
public enum Limits {

	// segment everything: Segment Anything's names (tile_size and tile_overlap are AnySeg's)
	POINTS_PER_SIDE(Group.SEGMENT_EVERYTHING, "points_per_side", "--points-per-side",
		"Points per side", 1, 1024, true, "grid points along each side of a tile"),
	/** Far past 0..1: uncalibrated models predict past it (-10 keeps every mask, 2 none). */
	PRED_IOU_THRESH(Group.SEGMENT_EVERYTHING, "pred_iou_thresh", "--pred-iou-thresh",
		"Predicted IoU threshold", -100, 100, false,
		"keep masks whose predicted IoU is at least this"),
	STABILITY_SCORE_THRESH(Group.SEGMENT_EVERYTHING, "stability_score_thresh",
		"--stability-score-thresh", "Stability score threshold", 0, 1, false,
		"keep masks whose stability score is at least this"),
	STABILITY_SCORE_OFFSET(Group.SEGMENT_EVERYTHING, "stability_score_offset", null, null, 0,
		100, false, "logit offset of the stability score"),
	BOX_NMS_THRESH(Group.SEGMENT_EVERYTHING, "box_nms_thresh", "--box-nms-thresh",
		"Box NMS threshold", 0, 1, false,
		"drop masks whose box overlaps a better one's by more than this"),
	MIN_MASK_REGION_AREA(Group.SEGMENT_EVERYTHING, "min_mask_region_area",
		"--min-mask-region-area", "Minimum mask region area (pixels)", 0, 1e9, true,
		"pixels: specks and holes smaller than this are removed"),
	CROP_N_LAYERS(Group.SEGMENT_EVERYTHING, "crop_n_layers", "--crop-n-layers",
		"Crop layers (zoomed crops for small objects)", 0, 4, true,
		"layers of zoomed crops; each costs 4x the previous"),
	CROP_OVERLAP_RATIO(Group.SEGMENT_EVERYTHING, "crop_overlap_ratio", null, null, 0, 0.9,
		false, "overlap of neighbouring crops, a fraction of the tile's short side"),
	CROP_N_POINTS_DOWNSCALE_FACTOR(Group.SEGMENT_EVERYTHING, "crop_n_points_downscale_factor",
		null, null, 1, 64, true, "crop layer i has points_per_side / factor^i points a side"),
	MAX_MASK_AREA_FRACTION(Group.SEGMENT_EVERYTHING, "max_mask_area_fraction", null, null,
		0.001, 1, false, "masks larger than this fraction of the tile are background"),
	TILE_SIZE(Group.SEGMENT_EVERYTHING, "tile_size", "--tile-size", null, 64, 16384, true,
		"pixels: larger images are processed in tiles of this side"),
	TILE_OVERLAP(Group.SEGMENT_EVERYTHING, "tile_overlap", null, null, 0, 8192, true,
		"pixels, less than half the tile size"),
	REGION_MIN_INSIDE(Group.SEGMENT_EVERYTHING, "region_min_inside", "--region-min-inside",
		"Keep objects with more than this fraction inside the selection", 0, 1, false,
		"objects are kept when more than this fraction of their area lies inside the region " +
			"(or all of it): 0 = any overlap, 0.5 = most, 1 = wholly inside"),

	// propagation through a volume
	MIN_IOU(Group.PROPAGATION, "min_iou", "--min-iou", "Stop below predicted IoU", -100, 100,
		false, "stop when the predicted IoU falls below this"),
	MIN_AREA_RATIO(Group.PROPAGATION, "min_area_ratio", "--min-area-ratio",
		"Stop when the area falls below (x previous)", 0, 1, false,
		"stop when the area falls below this fraction of the previous slice's"),
	MARGIN(Group.PROPAGATION, "margin", "--margin", "Margin (box growth per slice)", 0, 10, false,
		"the previous mask's box grows by this fraction of its size"),
	MAX_AREA_RATIO(Group.PROPAGATION, "max_area_ratio", "--max-area-ratio",
		"Stop when the area grows above (x previous, 0 = off)", 0, 1000, false,
		"stop when the area grows above this multiple of the previous slice's; 0 = off"),
	MIN_INSIDE(Group.PROPAGATION, "min_inside", "--min-inside",
		"Stop when less of the mask lies inside the previous (0 = off)", 0, 1, false,
		"stop when less than this fraction of the mask lies inside the previous slice's mask " +
			"dilated by the margin; 0 = off"),
	MIN_CONTRAST(Group.PROPAGATION, "min_contrast", "--min-contrast",
		"Stop when the contrast fades below (x prompted slice, 0 = off)", 0, 1, false,
		"stop when the mask's mean intensity minus its surroundings' falls below this fraction " +
			"of the prompted slice's; 0 = off"),
	MAX_SLICES(Group.PROPAGATION, "max_slices", null, null, 0, Integer.MAX_VALUE, true,
		"slices walked in each direction"),

	// which plane of an image
	CHANNEL(Group.PLANE, "channel", "--channel", "Channel (0 = all, as displayed)", 0, 10000,
		true, "1-based; 0 = all channels as displayed"),
	SLICE(Group.PLANE, "slice", "--slice", null, 0, Integer.MAX_VALUE, true,
		"1-based for a stack, 0-based for a NIfTI volume; at most the image's depth"),
	FRAME(Group.PLANE, "frame", "--frame", null, 1, Integer.MAX_VALUE, true,
		"1-based; at most the image's frames"),

	// how models run
	THREADS(Group.RUNTIME, "threads", "--threads", "ONNX Runtime threads", 1, 1024, true,
		"threads per model run; more only stall session creation"),
	CACHE_MB(Group.RUNTIME, "cache_mb", null, "Embedding cache (MB)", 0, 1 << 20, true,
		"MB of memory for image embeddings"),
	INPUT_SIZE(Group.RUNTIME, "input_size", null, null, 16, 8192, true,
		"the encoder's input side in pixels"),

	// prompts
	POINT_LABEL(Group.PROMPTS, "point_label", null, null, 0, 1, true,
		"a point's label, Ext.anysegAddPoint's third argument: 1 = object, 0 = background"),
	GT_POINTS(Group.PROMPTS, "gt_points", null, null, 1, 1000, true,
		"K of --prompts-from gt:DIR:points=K, random interior points per object"),
	JITTER(Group.PROMPTS, "jitter", "--jitter", null, 0, 10000, false,
		"pixels that ground-truth prompts are moved by at most"),
	SEED(Group.PROMPTS, "seed", "--seed", null, Long.MIN_VALUE, Long.MAX_VALUE, true,
		"random seed of ground-truth points and jitter"),

	// evaluation and ground truth
	GT_THRESHOLD(Group.EVALUATION, "gt_threshold", "--gt-threshold",
		"Ground truth is binary above (-1 = label images)", -1, 65535, true,
		"ground truth is binary above this value; -1 = label images"),
	PRED_THRESHOLD(Group.EVALUATION, "pred_threshold", "--pred-threshold", null, -1, 65535,
		true, "predictions are binary above this value; -1 = label images"),
	TOLERANCE(Group.EVALUATION, "tolerance", "--tolerance", "NSD tolerance (physical units)", 0,
		1e6, false, "NSD tolerance in the ground truth's physical units");

	/** What a number is about; the first words of its error message. */
	public enum Group {
		SEGMENT_EVERYTHING("Segment everything"), PROPAGATION("Propagation"), PLANE(
			"Plane selection"), RUNTIME("Model settings"), PROMPTS("Prompts"), EVALUATION(
				"Evaluation");

		public final String title;

		Group(final String title) {
			this.title = title;
		}
	}

	public final Group group;
	/** The snake_case name: Fiji {@code @Parameter} field, macro key, JSON key. */
	public final String key;
	/** The CLI option, or {@code null} when the CLI has none. */
	public final String cli;
	/** The Fiji dialog's label, or {@code null} when no dialog shows it. */
	public final String label;
	public final double lo;
	public final double hi;
	/** Whether only whole numbers are allowed. */
	public final boolean whole;
	/** The unit or meaning, for messages and documentation. */
	public final String meaning;

	Limits(final Group group, final String key, final String cli, final String label,
		final double lo, final double hi, final boolean whole, final String meaning)
	{
		this.group = group;
		this.key = key;
		this.cli = cli;
		this.label = label;
		this.lo = lo;
		this.hi = hi;
		this.whole = whole;
		this.meaning = meaning;
	}

	/**
	 * Checks a value.
	 *
	 * @return {@code v}
	 * @throws AnySegException naming the key, the CLI option and the allowed range
	 */
	public double check(final double v) {
		if (!allows(v)) {
			throw new AnySegException(group.title + ": " + name(key) + " = " + format(v) +
				" is not allowed; use " + range() + " (" + meaning + ").");
		}
		return v;
	}

	/** {@link #check}s a whole number that fits an {@code int}. */
	public int checkInt(final double v) {
		return (int) check(v);
	}

	/** {@link #check}s {@code v} unless it is {@code null} (not given). */
	public <N extends Number> N checkIfGiven(final N v) {
		if (v != null) check(v.doubleValue());
		return v;
	}

	/** Whether {@code v} is finite, in range and, where needed, whole. */
	public boolean allows(final double v) {
		return v >= lo && v <= hi && Double.isFinite(v) && (!whole || v == Math.rint(v));
	}

	/** {@code "a whole number from 1 to 1024"}. */
	public String range() {
		return (whole ? "a whole number" : "a number") + " from " + format(lo) + " to " + format(
			hi);
	}

	/** The key with the CLI option, as a message names it: {@code min_iou (--min-iou)}. */
	private String name(final String k) {
		return cli == null ? k : k + " (" + cli + ")";
	}

	/** The entry of a snake_case key. */
	public static Optional<Limits> forKey(final String key) {
		return Arrays.stream(values()).filter(l -> l.key.equals(key)).findFirst();
	}

	/** The entry of a CLI option ({@code --min-iou}). */
	public static Optional<Limits> forOption(final String option) {
		return Arrays.stream(values()).filter(l -> option.equals(l.cli)).findFirst();
	}

	/** The entries of one group, in table order. */
	public static List<Limits> of(final Group g) {
		return Arrays.stream(values()).filter(l -> l.group == g).toList();
	}

	/** A number as a message shows it: whole numbers without {@code .0}. */
	static String format(final double d) {
		if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
		if (d == 0x1p63) return String.valueOf(Long.MAX_VALUE); // (double) Long.MAX_VALUE
		if (d == Math.rint(d) && Math.abs(d) <= 0x1p63) return new java.math.BigDecimal(d)
			.toPlainString();
		return String.valueOf(d);
	}
}

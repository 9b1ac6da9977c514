package org.anyseg.ops.eval;

/**
 * The overlap and surface scores of one label, as computed by {@link Metrics}; A is the
 * label's voxels in the ground truth, B in the prediction.
 *
 * @param dice Dice = 2|A&cap;B| / (|A| + |B|)
 * @param iou IoU (Jaccard) = |A&cap;B| / |A&cup;B|
 * @param nsd normalised surface distance at the tolerance given to {@link Metrics}:
 *          (#{a &isin; &part;A : d(a, &part;B) &le; &tau;} + #{b &isin; &part;B : d(b, &part;A)
 *          &le; &tau;}) / (|&part;A| + |&part;B|)
 * @param hd95 95th-percentile Hausdorff distance in physical units: max(P95(d(&part;A &rarr;
 *          &part;B)), P95(d(&part;B &rarr; &part;A))); {@code NaN} when exactly one side
 *          is empty (undefined: report it as empty and count it separately)
 * @param gtVoxels |A|
 * @param predVoxels |B|
 *          <p>
 *          Both empty: dice = iou = nsd = 1 and hd95 = 0. Exactly one empty: dice = iou =
 *          nsd = 0 and hd95 = {@code NaN}. See {@link Metrics} for the boundary and distance
 *          definitions.
 */
public record Scores(double dice, double iou, double nsd, double hd95, long gtVoxels,
	long predVoxels)
{}

package org.anyseg.ops.eval;

/**
 * Instance detection counts and rates at one IoU threshold, as computed by
 * {@link Instances#match}.
 *
 * @param tp matched pairs (true positives): one-to-one pairs of a ground-truth and a
 *          predicted instance with IoU &ge; the threshold
 * @param fp predicted instances left unmatched (false positives)
 * @param fn ground-truth instances left unmatched (false negatives)
 * @param precision tp / (tp + fp)
 * @param recall tp / (tp + fn)
 * @param f1 2tp / (2tp + fp + fn)
 * @param meanMatchedIou the mean IoU of the matched pairs; {@code NaN} when tp = 0
 *          <p>
 *          Empty sides: when both sides have no instances, precision = recall = f1 = 1
 *          (nothing to find, nothing wrongly found). Otherwise a ratio whose denominator
 *          is 0 is 0: no predictions for a non-empty ground truth gives precision = recall
 *          = f1 = 0, and predictions for an empty ground truth give precision = recall =
 *          f1 = 0.
 */
public record Detection(int tp, int fp, int fn, double precision, double recall, double f1,
	double meanMatchedIou)
{}

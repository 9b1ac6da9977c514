package org.anyseg.ops.prompt;

import java.util.List;

import org.anyseg.ops.AnySegException;

/**
 * Everything that prompts one object: clicks, at most one box, and optionally the low-res
 * mask logits of an earlier prediction (to refine it). {@code label} is the value the
 * object gets in a label image.
 *
 * @param maskInput previous low-res logits of the model's mask-input size, or {@code null}
 */
public record ObjectPrompt(int label, List<PointPrompt> points, BoxPrompt box,
	float[] maskInput)
{

	public ObjectPrompt {
		points = List.copyOf(points);
		if (points.isEmpty() && box == null) {
			throw new AnySegException("Object " + label + " has no prompt: give at least one " +
				"point or a box.");
		}
	}

	public static ObjectPrompt ofBox(final int label, final BoxPrompt box) {
		return new ObjectPrompt(label, List.of(), box, null);
	}

	public static ObjectPrompt ofPoints(final int label, final List<PointPrompt> points) {
		return new ObjectPrompt(label, points, null, null);
	}

	/** The same prompt refined with an earlier prediction's low-res logits. */
	public ObjectPrompt withMaskInput(final float[] lowRes) {
		return new ObjectPrompt(label, points, box, lowRes);
	}

	/** The same prompt for another object label. */
	public ObjectPrompt withLabel(final int newLabel) {
		return new ObjectPrompt(newLabel, points, box, maskInput);
	}

	/** True for the ambiguous case that multi-mask outputs exist for: one click, no box. */
	public boolean isSingleClick() {
		return box == null && points.size() == 1;
	}

	/**
	 * Checks that every coordinate lies on a {@code width x height} image.
	 *
	 * @throws AnySegException naming the offending prompt and the valid range
	 */
	public void checkInside(final int width, final int height) {
		for (final PointPrompt p : points) {
			if (!(p.x() >= 0 && p.x() < width && p.y() >= 0 && p.y() < height)) {
				throw new AnySegException("Point (" + p.x() + "," + p.y() + ") of object " +
					label + " lies outside the " + width + "x" + height + " image: x must be in " +
					"0.." + (width - 1) + " and y in 0.." + (height - 1) + " (pixel indices).");
			}
		}
		if (box != null && !(box.x0() >= 0 && box.y0() >= 0 && box.x1() <= width &&
			box.y1() <= height))
		{
			throw new AnySegException("Box (" + box.x0() + "," + box.y0() + ")-(" + box.x1() +
				"," + box.y1() + ") of object " + label + " reaches outside the " + width + "x" +
				height + " image: corners must satisfy 0 <= x0 < x1 <= " + width +
				" and 0 <= y0 < y1 <= " + height + ".");
		}
	}

	/** The prompt in words: point(x,y) (neg for a negative click), box(x0,y0,x1,y1). */
	public String describe() {
		final java.util.List<String> parts = new java.util.ArrayList<>();
		for (final PointPrompt q : points) {
			parts.add((q.positive() ? "point(" : "neg(") + num(q.x()) + "," + num(q.y()) + ")");
		}
		if (box != null) {
			parts.add("box(" + num(box.x0()) + "," + num(box.y0()) + "," + num(box.x1()) + "," +
				num(box.y1()) + ")");
		}
		return String.join(" ", parts);
	}

	private static String num(final double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}
}

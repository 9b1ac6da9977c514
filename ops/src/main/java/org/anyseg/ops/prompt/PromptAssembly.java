package org.anyseg.ops.prompt;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.AnySegException;

/**
 * How loose points and boxes become objects, the same on the command line and in macros:
 * each box is one object (labels counting on from {@code firstLabel} in box order); points
 * alone form one object; points given with a single box refine that box's object.
 */
public final class PromptAssembly {

	private PromptAssembly() {}

	public static List<ObjectPrompt> objects(final List<PointPrompt> points,
		final List<BoxPrompt> boxes, final int firstLabel)
	{
		if (!points.isEmpty() && boxes.size() > 1) {
			throw new AnySegException("Points can refine a single box; with several boxes give " +
				"points per object in a prompt table (or ROI groups in Fiji).");
		}
		final List<ObjectPrompt> list = new ArrayList<>();
		int next = firstLabel;
		if (boxes.size() == 1) list.add(new ObjectPrompt(next, points, boxes.get(0), null));
		else {
			for (final BoxPrompt b : boxes) list.add(ObjectPrompt.ofBox(next++, b));
			if (!points.isEmpty()) list.add(ObjectPrompt.ofPoints(next, points));
		}
		return list;
	}
}

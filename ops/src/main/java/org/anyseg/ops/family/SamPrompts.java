package org.anyseg.ops.family;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.model.PromptFrame;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

/**
 * Segment Anything's sparse prompt encoding, shared by every family that follows it:
 * clicks (label 1 foreground, 0 background), then a box as its two inclusive corners
 * (labels 2 and 3), mapped into the family's frame; optionally one padding point (0, 0)
 * with label -1 when there is no box (SAM's ONNX export expects it; SAM 2 adds it itself).
 */
public final class SamPrompts {

	private SamPrompts() {}

	/** SAM's order, {coords (x, y interleaved), labels}: clicks, then the box. */
	public static float[][] encode(final ObjectPrompt prompt, final PromptFrame frame,
		final boolean padWithoutBox)
	{
		return encode(prompt, frame, padWithoutBox, false);
	}

	/**
	 * {coords (x, y interleaved), labels}; {@code boxFirst} puts the box corners before the
	 * clicks, as SAM 2's predictor does.
	 */
	public static float[][] encode(final ObjectPrompt prompt, final PromptFrame frame,
		final boolean padWithoutBox, final boolean boxFirst)
	{
		final List<float[]> list = new ArrayList<>();
		for (final PointPrompt p : prompt.points()) {
			list.add(new float[] { (float) frame.mapX(p.x()), (float) frame.mapY(p.y()), p
				.positive() ? 1 : 0 });
		}
		final BoxPrompt box = prompt.box();
		if (box != null) {
			final double[] c = box.inclusiveCorners();
			final int at = boxFirst ? 0 : list.size();
			list.add(at, new float[] { (float) frame.mapX(c[2]), (float) frame.mapY(c[3]), 3 });
			list.add(at, new float[] { (float) frame.mapX(c[0]), (float) frame.mapY(c[1]), 2 });
		}
		else if (padWithoutBox) {
			list.add(new float[] { 0, 0, -1 });
		}
		final float[] coords = new float[2 * list.size()];
		final float[] labels = new float[list.size()];
		for (int i = 0; i < list.size(); i++) {
			coords[2 * i] = list.get(i)[0];
			coords[2 * i + 1] = list.get(i)[1];
			labels[i] = list.get(i)[2];
		}
		return new float[][] { coords, labels };
	}
}

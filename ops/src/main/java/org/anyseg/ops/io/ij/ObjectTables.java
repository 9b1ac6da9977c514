package org.anyseg.ops.io.ij;

import java.util.List;

import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.objects.ObjectTable;
import org.anyseg.ops.objects.VolumeObjectTable;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;

import ij.measure.Calibration;

/**
 * The object tables of prompted runs in an image's calibration: one place for the CLI,
 * batch, the Fiji commands and the macros.
 */
public final class ObjectTables {

	private ObjectTables() {}

	/** The table of a prompted plane of 16-bit labels ({@link ObjectTable#ofPrompts}). */
	public static ObjectTable plane(final short[] labels, final int w, final int h,
		final Calibration c, final List<ObjectPrompt> prompts, final List<Prediction> predictions)
	{
		final int[] l = new int[labels.length];
		for (int i = 0; i < l.length; i++) l[i] = labels[i] & 0xffff;
		return ObjectTable.ofPrompts(l, w, h, c.pixelWidth, c.pixelHeight, c.getUnit(), prompts,
			predictions);
	}

	/** The table of a propagated label volume of width {@code nx} ({@link VolumeObjectTable}). */
	public static VolumeObjectTable volume(final Propagation.Result r, final int nx,
		final Calibration c, final List<Propagation.Target> targets)
	{
		return VolumeObjectTable.measure(r.labels(), nx, new double[] { c.pixelWidth,
			c.pixelHeight, c.pixelDepth }, c.getUnit(), r, targets);
	}
}

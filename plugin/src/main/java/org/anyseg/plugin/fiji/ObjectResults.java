package org.anyseg.plugin.fiji;

import java.awt.GraphicsEnvironment;

import org.anyseg.ops.objects.ObjectTable;
import org.anyseg.ops.objects.VolumeObjectTable;

import ij.measure.ResultsTable;

/**
 * An {@link ObjectTable} as an ImageJ ResultsTable, one row per object with the table's
 * columns (the calibrated area's column names the unit), shown under the image's name
 * ("TITLE-objects") when there is a screen.
 */
public final class ObjectResults {

	private ObjectResults() {}

	/** The table as a ResultsTable, not shown. */
	public static ResultsTable of(final ObjectTable t) {
		final ResultsTable rt = new ResultsTable();
		rt.showRowNumbers(false);
		final String area = "Area (" + t.unit() + "^2)";
		for (final ObjectTable.Row r : t.rows()) {
			rt.incrementCounter();
			rt.addValue("Label", r.label());
			rt.addValue("Area (pixels)", r.area());
			rt.addValue(area, r.calibratedArea());
			rt.addValue("Centroid X", r.cx());
			rt.addValue("Centroid Y", r.cy());
			rt.addValue("BX", r.bx());
			rt.addValue("BY", r.by());
			rt.addValue("Width", r.bw());
			rt.addValue("Height", r.bh());
			rt.addValue("Predicted IoU", r.origin().predIou());
			rt.addValue("Stability", r.origin().stability());
			rt.addValue("Prompt", r.origin().prompt());
			rt.addValue("Tile", r.origin().tile());
		}
		return rt;
	}

	/** A volume's table as a ResultsTable (3D columns), not shown. */
	public static ResultsTable of(final VolumeObjectTable t) {
		final ResultsTable rt = new ResultsTable();
		rt.showRowNumbers(false);
		final String volume = "Volume (" + t.unit() + "^3)";
		for (final VolumeObjectTable.Row r : t.rows()) {
			rt.incrementCounter();
			rt.addValue("Label", r.label());
			rt.addValue("Voxels", r.voxels());
			rt.addValue(volume, r.volume());
			rt.addValue("Centroid X", r.cx());
			rt.addValue("Centroid Y", r.cy());
			rt.addValue("Centroid Z", r.cz());
			rt.addValue("BX", r.bx());
			rt.addValue("BY", r.by());
			rt.addValue("BZ", r.bz());
			rt.addValue("Width", r.bw());
			rt.addValue("Height", r.bh());
			rt.addValue("Depth", r.bd());
			rt.addValue("Slices", r.slices());
			rt.addValue("Prompted slices", r.prompted());
			rt.addValue("Mean predicted IoU", r.meanIou());
			rt.addValue("Prompt", r.prompt());
		}
		return rt;
	}

	/** Shows the table as "{@code imageTitle}-objects" when there is a screen; returns it. */
	public static ResultsTable show(final ObjectTable t, final String imageTitle) {
		return show(of(t), imageTitle);
	}

	/** Shows a volume's table as "{@code imageTitle}-objects" when there is a screen. */
	public static ResultsTable show(final VolumeObjectTable t, final String imageTitle) {
		return show(of(t), imageTitle);
	}

	private static ResultsTable show(final ResultsTable rt, final String imageTitle) {
		if (!GraphicsEnvironment.isHeadless()) rt.show(imageTitle + "-objects");
		return rt;
	}
}

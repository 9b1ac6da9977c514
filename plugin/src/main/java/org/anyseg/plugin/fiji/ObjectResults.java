package org.anyseg.plugin.fiji;

import java.awt.GraphicsEnvironment;

import org.anyseg.ops.objects.ObjectTable;

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

	/** Shows the table as "{@code imageTitle}-objects" when there is a screen; returns it. */
	public static ResultsTable show(final ObjectTable t, final String imageTitle) {
		final ResultsTable rt = of(t);
		if (!GraphicsEnvironment.isHeadless()) rt.show(imageTitle + "-objects");
		return rt;
	}
}

package org.anyseg.plugin.fiji;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.plugin.roi.RoiPrompts;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import ij.gui.PointRoi;
import ij.gui.Roi;

/**
 * Prompts drawn on ImageJ's Orthogonal Views mapped back to the volume. The XZ view shows x
 * across and z down (z stretched by the view's scale {@code s} = view height / nz); it is the
 * plane {@code y = crossY} of the {@code Axis.Y} view, whose coordinates are {@code (x, z)}.
 * The YZ view shows z across (stretched by {@code s}) and y down, unless ImageJ rotates it
 * (then y across, z down); it is the plane {@code x = crossX} of the {@link Axis#X} view,
 * whose coordinates are {@code (y, z)}.
 */
final class OrthoPrompts {

	private OrthoPrompts() {}

	/**
	 * A ROI of an orthogonal view as a prompt in the walked view's coordinates.
	 *
	 * @param zAcross whether z runs across the view image (ImageJ's unrotated YZ view)
	 * @param scale how many view pixels one slice takes (view extent along z / nz)
	 */
	static ObjectPrompt map(final Roi roi, final boolean zAcross, final double scale,
		final int label)
	{
		final List<PointPrompt> pts = new ArrayList<>();
		BoxPrompt box = null;
		if (roi instanceof PointRoi p) {
			final java.awt.Polygon poly = p.getPolygon();
			for (int i = 0; i < poly.npoints; i++) {
				final double[] m = point(poly.xpoints[i], poly.ypoints[i], zAcross, scale);
				pts.add(new PointPrompt(m[0], Math.floor(m[1]), !RoiPrompts.isNegative(roi, i)));
			}
		}
		else {
			final java.awt.Rectangle r = roi.getBounds();
			final double[] a = point(r.x, r.y, zAcross, scale);
			final double[] b = point(r.x + r.width, r.y + r.height, zAcross, scale);
			box = new BoxPrompt(Math.min(a[0], b[0]), Math.floor(Math.min(a[1], b[1])), Math.max(a[0],
				b[0]), Math.ceil(Math.max(a[1], b[1])));
		}
		return new ObjectPrompt(label, pts, box, null);
	}

	/** View-image coordinates to (u, w) of the walked view, z unstretched. */
	private static double[] point(final double u, final double v, final boolean zAcross,
		final double s)
	{
		return zAcross ? new double[] { v, u / s } : new double[] { u, v / s };
	}
}

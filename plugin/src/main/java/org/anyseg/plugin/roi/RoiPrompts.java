package org.anyseg.plugin.roi;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ImageProcessor;

/**
 * Turns ImageJ ROIs into prompts, by these conventions:
 * <ul>
 * <li>a rectangle is a box;</li>
 * <li>the points of a point selection are positive clicks, except points of counter 1 of
 * the multi-point tool, and all points of a ROI whose name starts with {@code neg}, which
 * are negative;</li>
 * <li>an oval, polygon, freehand or composite ROI gives its bounding box and its shape as a
 * mask prompt;</li>
 * <li>ROIs that share a ROI group (group &gt; 0) form one object; every other ROI is an
 * object of its own; objects are labelled 1, 2, ... in ROI order;</li>
 * <li>a ROI's position (slice, or channel/slice/frame of a hyperstack) selects the plane;
 * ROIs without a position prompt the image's current plane.</li>
 * </ul>
 * Line ROIs are refused: they are no prompt.
 */
public final class RoiPrompts {

	/** The prompts of one object, where they came from, and the stack index of its plane. */
	public record Item(ObjectPrompt prompt, String source, int stackIndex, byte[] mask) {}

	private RoiPrompts() {}

	public static boolean isNegative(final Roi roi, final int pointIndex) {
		if (roi.getName() != null && roi.getName().toLowerCase(Locale.ROOT).startsWith("neg")) {
			return true;
		}
		return roi instanceof PointRoi p && p.getCounter(pointIndex) == 1;
	}

	/**
	 * Groups ROIs into objects on {@code imp}. The model turns area ROIs into mask prompts.
	 *
	 * @throws AnySegException for no ROI, a line ROI, or a position outside the image
	 */
	public static List<Item> objects(final ImagePlus imp, final List<Roi> rois,
		final PromptableModel model)
	{
		if (rois.isEmpty()) {
			throw new AnySegException("No prompts: draw boxes or points and add them to the ROI " +
				"Manager (press T), or make a selection on the image.");
		}
		final Map<String, List<Roi>> groups = new LinkedHashMap<>();
		int single = 0;
		for (final Roi r : rois) {
			if (r.isLine()) {
				throw new AnySegException("ROI '" + name(r) + "' is a line; lines are no prompt. " +
					"Use a rectangle (box), points, or an area ROI (oval, polygon, freehand).");
			}
			final String key = r.getGroup() > 0 ? "g" + r.getGroup() + "@" + stackIndex(imp, r)
				: "s" + single++;
			groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
		}
		final List<Item> items = new ArrayList<>();
		int label = 1;
		for (final List<Roi> g : groups.values()) items.add(object(imp, g, label++, model));
		return items;
	}

	private static Item object(final ImagePlus imp, final List<Roi> group, final int label,
		final PromptableModel model)
	{
		final int w = imp.getWidth(), h = imp.getHeight();
		final List<PointPrompt> points = new ArrayList<>();
		BoxPrompt box = null;
		byte[] mask = null;
		final List<String> names = new ArrayList<>();
		for (final Roi r : group) {
			names.add(name(r));
			if (r instanceof PointRoi p) {
				final java.awt.geom.Point2D.Double[] pts = pointsOf(p);
				for (int i = 0; i < pts.length; i++) {
					points.add(new PointPrompt(pts[i].x, pts[i].y, !isNegative(r, i)));
				}
				continue;
			}
			final Rectangle b = r.getBounds();
			if (box != null) {
				throw new AnySegException("ROI group " + r.getGroup() + " has more than one box or " +
					"area ROI; an object takes one box. Give each box its own group.");
			}
			box = new BoxPrompt(Math.max(0, b.x), Math.max(0, b.y), Math.min(w, b.x + b.width), Math
				.min(h, b.y + b.height));
			if (r.getType() != Roi.RECTANGLE || r.getCornerDiameter() > 0) mask = rasterize(r, w, h);
		}
		final float[] maskInput = mask != null ? model.maskInput(mask, w, h) : null;
		final ObjectPrompt prompt = new ObjectPrompt(label, points, box, maskInput);
		prompt.checkInside(w, h);
		return new Item(prompt, String.join("+", names), stackIndex(imp, group.get(0)), mask);
	}

	private static java.awt.geom.Point2D.Double[] pointsOf(final PointRoi p) {
		final ij.process.FloatPolygon fp = p.getFloatPolygon();
		final java.awt.geom.Point2D.Double[] out = new java.awt.geom.Point2D.Double[fp.npoints];
		for (int i = 0; i < fp.npoints; i++) {
			out[i] = new java.awt.geom.Point2D.Double(fp.xpoints[i], fp.ypoints[i]);
		}
		return out;
	}

	/** The ROI's area as a full-size 0/1 mask. */
	static byte[] rasterize(final Roi r, final int w, final int h) {
		final byte[] out = new byte[w * h];
		final ImageProcessor m = r.getMask();
		final Rectangle b = r.getBounds();
		for (int y = Math.max(0, b.y); y < Math.min(h, b.y + b.height); y++) {
			for (int x = Math.max(0, b.x); x < Math.min(w, b.x + b.width); x++) {
				if (m == null || m.get(x - b.x, y - b.y) != 0) out[y * w + x] = 1;
			}
		}
		return out;
	}

	/** The 1-based stack index a ROI prompts: its position, else the image's current plane. */
	public static int stackIndex(final ImagePlus imp, final Roi r) {
		if (imp.getStackSize() == 1) return 1;
		if (r.hasHyperStackPosition()) {
			final int c = Math.max(1, r.getCPosition()), z = Math.max(1, r.getZPosition()), t = Math
				.max(1, r.getTPosition());
			if (c > imp.getNChannels() || z > imp.getNSlices() || t > imp.getNFrames()) {
				throw new AnySegException("ROI '" + name(r) + "' lies on channel " + c + ", slice " +
					z + ", frame " + t + ", which image " + imp.getTitle() + " does not have.");
			}
			return imp.getStackIndex(c, z, t);
		}
		if (r.getPosition() > 0) {
			if (r.getPosition() > imp.getStackSize()) {
				throw new AnySegException("ROI '" + name(r) + "' lies on slice " + r.getPosition() +
					" but image " + imp.getTitle() + " has " + imp.getStackSize() + " slices.");
			}
			return r.getPosition();
		}
		return imp.getCurrentSlice();
	}

	static String name(final Roi r) {
		return r.getName() != null ? r.getName() : r.getTypeAsString() + "@" + r.getBounds().x +
			"," + r.getBounds().y;
	}

	/** Items per stack index, in order. */
	public static Map<Integer, List<Item>> byPlane(final List<Item> items) {
		final Map<Integer, List<Item>> m = new TreeMap<>();
		for (final Item i : items) m.computeIfAbsent(i.stackIndex(), k -> new ArrayList<>()).add(i);
		return m;
	}

}

package org.anyseg.plugin.fiji;

import java.awt.Color;
import java.awt.GraphicsEnvironment;

import org.anyseg.plugin.record.PromptRecord;
import org.anyseg.plugin.roi.RoiSegmentation;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

/**
 * The stack's objects in the ROI Manager: one outline per object, named {@code AnySeg N}
 * (N = its label), on its first prompted slice, tagged with the image's id. Selecting one
 * makes it the current object of the tool (Shift+Enter corrects it, Delete removes it,
 * R renumbers all objects 1..n).
 */
final class ObjectRois {

	private static final String PREFIX = "AnySeg ", IMAGE = "anyseg.image";

	private ObjectRois() {}

	/** Replaces this image's object outlines in the ROI Manager by the current ones. */
	static void sync(final ImagePlus imp, final PromptRecord record, final short[][] labels) {
		if (GraphicsEnvironment.isHeadless()) return;
		RoiManager rm = RoiManager.getInstance();
		if (rm == null) {
			if (record.isEmpty()) return;
			rm = RoiManager.getRoiManager();
		}
		final String id = Integer.toString(imp.getID());
		for (int i = rm.getCount() - 1; i >= 0; i--) {
			if (id.equals(rm.getRoi(i).getProperty(IMAGE))) rm.delete(i);
		}
		for (final int label : record.labels()) {
			Roi roi = null;
			int z = -1;
			for (final int s : record.slices(label)) {
				roi = RoiSegmentation.outline(labels[s], imp.getWidth(), imp.getHeight(), label);
				z = s;
				if (roi != null) break;
			}
			if (roi == null) continue; // the object lost every prompted slice to others
			roi.setName(PREFIX + label);
			roi.setProperty(IMAGE, id);
			roi.setStrokeColor(Color.YELLOW);
			roi.setPosition(z + 1);
			rm.addRoi(roi);
		}
	}

	/** The label of this image's object selected in the ROI Manager; 0 when none. */
	static int selected(final ImagePlus imp) {
		final RoiManager rm = RoiManager.getInstance();
		if (rm == null || rm.getSelectedIndex() < 0) return 0;
		final Roi r = rm.getRoi(rm.getSelectedIndex());
		if (r == null || !Integer.toString(imp.getID()).equals(r.getProperty(IMAGE)) || r
			.getName() == null || !r.getName().startsWith(PREFIX)) return 0;
		try {
			return Integer.parseInt(r.getName().substring(PREFIX.length()).trim());
		}
		catch (final NumberFormatException e) {
			return 0;
		}
	}
}

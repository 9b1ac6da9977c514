package org.anyseg.plugin.fiji;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.anyseg.ops.AnySegException;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

/**
 * Where prompts come from, in this order: the ROI Manager's selected ROIs, else all its ROIs;
 * else the image's selection; else the ROIs of the image's overlay (the way to pass many
 * prompts in a headless run, where there is no ROI Manager).
 */
public final class PromptSources {

	private PromptSources() {}

	public static List<Roi> prompts(final ImagePlus imp) {
		final RoiManager rm = GraphicsEnvironment.isHeadless() ? null : RoiManager.getInstance();
		if (rm != null && rm.getCount() > 0) {
			final Roi[] selected = rm.getSelectedRoisAsArray();
			return new ArrayList<>(Arrays.asList(selected.length > 0 ? selected : rm
				.getRoisAsArray()));
		}
		if (imp.getRoi() != null) return new ArrayList<>(List.of(imp.getRoi()));
		final Overlay o = imp.getOverlay();
		if (o != null && o.size() > 0) {
			final List<Roi> list = new ArrayList<>();
			for (final Roi r : o.toArray()) {
				if (r.getName() == null || !r.getName().startsWith("AnySeg ")) list.add(r);
			}
			if (!list.isEmpty()) return list;
		}
		throw new AnySegException("No prompts on " + imp.getTitle() + ": draw boxes or points " +
			"and add them to the ROI Manager (press T), or make a selection on the image.");
	}

	/** Adds the results to the ROI Manager, when one can exist. */
	public static void addToRoiManager(final List<Roi> rois) {
		if (GraphicsEnvironment.isHeadless()) return;
		RoiManager rm = RoiManager.getInstance(); // the hidden one of a batch-mode macro, too
		if (rm == null) rm = RoiManager.getRoiManager();
		for (final Roi r : rois) rm.addRoi((Roi) r.clone());
	}
}

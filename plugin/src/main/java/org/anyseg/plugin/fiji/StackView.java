package org.anyseg.plugin.fiji;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.plugin.roi.RoiSegmentation;
import org.anyseg.plugin.roi.RoiPrompts;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.volume.Axis;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Volume;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.Orthogonal_Views;
import ij.process.ShortProcessor;

/**
 * An ImageJ stack as a {@link VolumeView}. Prompts: a selection on the XZ or YZ window of
 * ImageJ's Orthogonal Views when they run for this image (propagation then goes along y or
 * x from the crosshair's plane); otherwise the ROI Manager's ROIs (else the selection, else
 * the overlay), each on its slice, where ROIs of one ROI group are one object prompted on
 * each of their slices and every other ROI is an object of its own. Result: a 16-bit label
 * stack {@code TITLE-labels} with the image's calibration, and the objects' outlines on the
 * image's overlay, slice by slice.
 */
final class StackView implements VolumeView {

	private final ImagePlus imp;
	private final int channel;
	private Axis axis = Axis.Z;

	StackView(final ImagePlus imp) {
		this.imp = imp;
		this.channel = imp.getNChannels() > 1 ? imp.getC() : 1;
	}

	@Override
	public Volume volume() {
		return ImagePlanes.volume(imp, channel, imp.getT());
	}

	@Override
	public Axis axis() {
		return axis;
	}

	@Override
	public List<Propagation.Target> targets(final PromptableModel model) {
		final List<Propagation.Target> ortho = orthoTargets();
		if (ortho != null) return ortho;
		axis = Axis.Z;
		final Map<String, List<Roi>> objects = new LinkedHashMap<>();
		int single = 0;
		for (final Roi r : PromptSources.prompts(imp)) {
			objects.computeIfAbsent(r.getGroup() > 0 ? "g" + r.getGroup() : "s" + single++,
				k -> new ArrayList<>()).add(r);
		}
		final List<Propagation.Target> out = new ArrayList<>();
		int label = 1;
		for (final List<Roi> rois : objects.values()) {
			final Map<Integer, List<Roi>> bySlice = new LinkedHashMap<>();
			for (final Roi r : rois) {
				final int z = ImagePlanes.position(imp, RoiPrompts.stackIndex(imp, r));
				bySlice.computeIfAbsent(z, k -> new ArrayList<>()).add(grouped(r));
			}
			final List<Propagation.Seed> seeds = new ArrayList<>();
			for (final Map.Entry<Integer, List<Roi>> e : bySlice.entrySet()) {
				final RoiPrompts.Item item = RoiPrompts.objects(imp, e.getValue(), model).get(0);
				seeds.add(new Propagation.Seed(e.getKey(), item.prompt().withLabel(label)));
			}
			out.add(new Propagation.Target(label++, seeds));
		}
		return out;
	}

	/** A copy in ROI group 1, so the ROIs of one object on one slice form one prompt. */
	private static Roi grouped(final Roi r) {
		final Roi c = (Roi) r.clone();
		c.setGroup(1);
		return c;
	}

	/** Targets from a selection on an orthogonal view of this image, or null. */
	private List<Propagation.Target> orthoTargets() {
		final Orthogonal_Views ov = Orthogonal_Views.getInstance();
		if (ov == null || Orthogonal_Views.getImage() != imp) return null;
		final int[] cross = ov.getCrossLoc();
		final int nz = imp.getNSlices();
		for (final Axis a : new Axis[] { Axis.Y, Axis.X }) {
			final ImagePlus view = a == Axis.Y ? ov.getXZImage() : ov.getYZImage();
			if (view == null || view.getRoi() == null) continue;
			final boolean zAcross = a == Axis.X && view.getHeight() == imp.getHeight();
			final double scale = (zAcross ? view.getWidth() : view.getHeight()) / (double) nz;
			axis = a;
			return List.of(new Propagation.Target(1, List.of(new Propagation.Seed(a == Axis.Y
				? cross[1] : cross[0], OrthoPrompts.map(view.getRoi(), zAcross, scale, 1)))));
		}
		return null;
	}

	@Override
	public Object show(final Propagation.Result r) {
		final ImageStack st = new ImageStack(imp.getWidth(), imp.getHeight());
		final Overlay o = imp.getOverlay() != null ? imp.getOverlay() : new Overlay();
		int max = 0;
		for (int z = 0; z < r.labels().length; z++) {
			final short[] s = r.labels()[z];
			st.addSlice(new ShortProcessor(imp.getWidth(), imp.getHeight(), s, null));
			final java.util.Set<Integer> present = new java.util.TreeSet<>();
			for (final short v : s) if (v != 0) present.add(v & 0xffff);
			for (final int label : present) {
				max = Math.max(max, label);
				final Roi outline = RoiSegmentation.outline(s, imp.getWidth(), imp.getHeight(), label);
				if (outline == null) continue;
				if (imp.isHyperStack()) {
					if (ImagePlanes.walksFrames(imp)) outline.setPosition(channel, 1, z + 1);
					else outline.setPosition(channel, z + 1, imp.getT());
				}
				else outline.setPosition(z + 1);
				outline.setName("object " + label + " z" + (z + 1));
				outline.setStrokeColor(java.awt.Color.yellow);
				o.add(outline);
			}
		}
		imp.setOverlay(o);
		final ImagePlus labels = new ImagePlus(imp.getShortTitle() + "-labels" + (r.partial()
			? " (partial)" : ""), st);
		if (ImagePlanes.walksFrames(imp)) labels.setDimensions(1, 1, st.getSize());
		labels.setCalibration(imp.getCalibration());
		if (imp.getProperty(NiftiImages.SOURCE) != null) {
			labels.setProperty(NiftiImages.SOURCE, imp.getProperty(NiftiImages.SOURCE));
		}
		labels.setDisplayRange(0, Math.max(1, max));
		return labels;
	}
}

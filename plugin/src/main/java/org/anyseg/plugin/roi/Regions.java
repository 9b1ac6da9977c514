package org.anyseg.plugin.roi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.auto.Region;
import org.anyseg.ops.io.ij.ImageFiles;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ImageProcessor;

/**
 * The region segment everything is limited to, from ImageJ: area selections (a {@code .roi}
 * file, a ROI Manager set, the image's current selection) or a mask image whose non-zero
 * pixels are the region.
 */
public final class Regions {

	private Regions() {}

	/**
	 * The region of a {@code width x height} image read from a file: a {@code .roi} file
	 * (ImageJ's RoiDecoder), a {@code .zip} ROI set (the union of its selections), or a mask
	 * image of the image's size.
	 *
	 * @throws AnySegException when the file is none of those, a selection is not an area,
	 *           the mask has another size or several planes, or the region is empty
	 */
	public static Region read(final Path file, final int width, final int height) {
		final String name = file.getFileName().toString().toLowerCase();
		if (name.endsWith(".roi") || name.endsWith(".zip")) {
			return of(RoiSets.read(file), width, height, "in " + file);
		}
		final ImagePlus mask = ImageFiles.open(file);
		if (mask.getWidth() != width || mask.getHeight() != height) {
			throw new AnySegException("Region mask " + file + " is " + mask.getWidth() + "x" + mask
				.getHeight() + " but the image is " + width + "x" + height + ": the mask must have " +
				"the image's size (its non-zero pixels are the region).");
		}
		if (mask.getStackSize() > 1) {
			throw new AnySegException("Region mask " + file + " has " + mask.getStackSize() +
				" planes: give a single-plane mask (its non-zero pixels are the region).");
		}
		final ImageProcessor ip = mask.getProcessor();
		try {
			return Region.of(width, height, (x, y) -> ip.getf(x, y) != 0);
		}
		catch (final AnySegException e) {
			throw new AnySegException("Region mask " + file + " has no non-zero pixel: the " +
				"region would be empty.", e);
		}
	}

	/**
	 * The image's current area selection as a region, or null when it has none (no
	 * selection, or a line or point selection).
	 */
	public static Region ofSelection(final ImagePlus imp) {
		final Roi roi = imp.getRoi();
		if (roi == null || !roi.isArea()) return null;
		return of(List.of(roi), imp.getWidth(), imp.getHeight(), "the selection of " + imp
			.getTitle());
	}

	/** The union of area selections. */
	static Region of(final List<Roi> rois, final int width, final int height,
		final String where)
	{
		final List<java.awt.Rectangle> bounds = new ArrayList<>();
		final List<ImageProcessor> masks = new ArrayList<>();
		java.awt.Rectangle all = null;
		for (final Roi r : rois) {
			if (!r.isArea()) {
				throw new AnySegException("The selection " + (r.getName() != null ? "'" + r.getName() +
					"' " : "") + where + " is a " + r.getTypeAsString().toLowerCase() + ", not an " +
					"area: the region must be a rectangle, oval, polygon or freehand selection.");
			}
			final java.awt.Rectangle b = r.getBounds();
			bounds.add(b);
			masks.add(r.getMask()); // null for a plain rectangle
			all = all == null ? new java.awt.Rectangle(b) : all.union(b);
		}
		try {
			return Region.of(width, height, all.x, all.y, all.width, all.height, (x, y) -> {
				for (int i = 0; i < bounds.size(); i++) {
					final java.awt.Rectangle b = bounds.get(i);
					if (!b.contains(x, y)) continue;
					final ImageProcessor m = masks.get(i);
					if (m == null || m.get(x - b.x, y - b.y) != 0) return true;
				}
				return false;
			});
		}
		catch (final AnySegException e) {
			throw new AnySegException("The region " + where + " lies outside the " + width + "x" +
				height + " image: nothing to segment.", e);
		}
	}
}

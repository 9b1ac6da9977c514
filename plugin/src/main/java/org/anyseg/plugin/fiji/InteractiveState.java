package org.anyseg.plugin.fiji;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.anyseg.ops.engine.PromptSession;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.plugin.roi.RoiSegmentation;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * What the interactive tool knows of the image it works on: the prompt session of the
 * current plane, the previewed prediction, the accepted objects (outlines and label image)
 * and the last latencies. No event handling and no drawing: {@link InteractiveSegmentationTool}
 * handles events, {@link ToolOverlay} draws; all on the event thread except where noted.
 */
final class InteractiveState {

	ImagePlus imp;
	/** The image's own overlay when the tool attached; kept under the tool's drawing. */
	Overlay baseOverlay;
	int planeIndex;
	PromptSession session;
	PromptSession.Located shown;
	final List<Roi> accepted = new ArrayList<>();
	ImagePlus labels;
	int nextLabel = 1;
	/** The objects of a stack (Z slices); null on a single plane. */
	StackEditing stack;
	volatile double lastLatencyMs = Double.NaN;
	volatile double lastDecodeMs = Double.NaN;

	/**
	 * Follows the image and plane under the mouse: another image starts afresh (its previous
	 * image gets its own overlay back), another plane starts a new session.
	 *
	 * @return whether the image changed
	 */
	boolean attach(final ImagePlus image, final Supplier<Segmenter> segmenter) {
		final boolean changed = image != imp;
		if (changed) {
			if (imp != null) imp.setOverlay(baseOverlay); // leave the previous image as it was
			imp = image;
			baseOverlay = image.getOverlay() != null ? image.getOverlay().duplicate() : null;
			labels = null;
			nextLabel = 1;
			accepted.clear();
			session = null;
			// a z-stack, or a time series (its frames are walked as slices)
			final int depth = ImagePlanes.depth(image);
			stack = depth > 1 ? new StackEditing(depth, image.getWidth() * image.getHeight()) : null;
		}
		if (session == null || planeIndex != image.getCurrentSlice()) {
			planeIndex = image.getCurrentSlice();
			final int[] czt = image.convertIndexToPosition(planeIndex);
			// large planes are prompted in full-resolution windows; composites as displayed
			session = new PromptSession(segmenter.get(), ImagePlanes.sourceOf(image,
				new PlaneSelection(0, czt[1], czt[2])), Normalization.AUTO);
			shown = null;
		}
		return changed;
	}

	/**
	 * Accepts the previewed object: its outline (returned, also kept) and its label in the
	 * label image; null when nothing is shown or the mask is empty.
	 */
	Roi accept() {
		if (shown == null) return null;
		final int rx = shown.x(), ry = shown.y(), rw = shown.region()[2], rh = shown.region()[3];
		final int label = nextLabel;
		final short[] mask = new short[rw * rh];
		final float[] logits = shown.prediction().best().logits();
		for (int i = 0; i < mask.length; i++) if (logits[i] > 0) mask[i] = (short) label;
		final Roi roi = RoiSegmentation.outline(mask, rw, rh, label);
		if (roi == null) return null;
		nextLabel++;
		roi.setLocation(roi.getXBase() + rx, roi.getYBase() + ry);
		roi.setName("AnySeg " + label);
		roi.setStrokeColor(Color.YELLOW);
		if (imp.getStackSize() > 1) roi.setPosition(planeIndex);
		ensureLabels();
		final short[] l = (short[]) labels.getStack().getPixels(planeIndex);
		for (int y = 0; y < rh; y++) {
			for (int x = 0; x < rw; x++) {
				if (mask[y * rw + x] != 0) l[(y + ry) * imp.getWidth() + x + rx] = mask[y * rw + x];
			}
		}
		labels.setDisplayRange(0, Math.max(1, label));
		labels.updateAndDraw();
		accepted.add(roi);
		return roi;
	}

	/** The label stack, created (and shown) on first use. */
	ImagePlus labelStack() {
		ensureLabels();
		return labels;
	}

	/** Shows the stack's label volume in the label stack. */
	void showStackLabels() {
		ensureLabels();
		int max = 1;
		for (int z = 0; z < stack.labels.length; z++) {
			final short[] l = (short[]) labels.getStack().getPixels(z + 1);
			System.arraycopy(stack.labels[z], 0, l, 0, l.length);
			for (final short v : l) max = Math.max(max, v & 0xffff);
		}
		labels.setDisplayRange(0, max);
		labels.updateAndDraw();
	}

	private void ensureLabels() {
		if (labels != null) return;
		final ij.ImageStack st = new ij.ImageStack(imp.getWidth(), imp.getHeight());
		final int n = stack != null ? stack.labels.length : imp.getStackSize();
		for (int i = 0; i < n; i++) {
			st.addSlice(new ij.process.ShortProcessor(imp.getWidth(), imp.getHeight()));
		}
		labels = new ImagePlus(imp.getShortTitle() + "-labels", st);
		if (stack != null && ImagePlanes.walksFrames(imp)) labels.setDimensions(1, 1, n);
		labels.setCalibration(imp.getCalibration().copy());
		if (!java.awt.GraphicsEnvironment.isHeadless()) labels.show();
	}
}

package org.anyseg.plugin.roi;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.engine.PlaneSegmentation;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.Prediction;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;

/**
 * Segments the objects that ROIs prompt on an image: one 16-bit label image (a stack with
 * the image's slices and frames when the image has several planes) and one ROI per object.
 */
public final class RoiSegmentation {

	/** Everything a run produced; {@code rois.get(i)} outlines {@code predictions.get(i)}. */
	public record Result(ImagePlus labels, List<Roi> rois, List<Prediction> predictions) {

		/** Every plane's objects, with their predicted IoU and the ROI that prompted them. */
		public org.anyseg.ops.objects.ObjectTable objectTable(final ij.measure.Calibration c) {
			final java.util.Map<Integer, org.anyseg.ops.objects.ObjectTable.Origin> by =
				new java.util.HashMap<>();
			for (int k = 0; k < predictions.size(); k++) {
				by.put(predictions.get(k).label(), new org.anyseg.ops.objects.ObjectTable.Origin(
					predictions.get(k).iou(), Double.NaN, rois.get(k).getName(), -1));
			}
			final List<org.anyseg.ops.objects.ObjectTable.Row> rows = new ArrayList<>();
			final ImageStack st = labels.getStack();
			for (int z = 1; z <= st.getSize(); z++) {
				final short[] px = (short[]) st.getPixels(z);
				final int[] l = new int[px.length];
				for (int i = 0; i < l.length; i++) l[i] = px[i] & 0xffff;
				rows.addAll(org.anyseg.ops.objects.ObjectTable.measure(l, st.getWidth(), st
					.getHeight(), c.pixelWidth, c.pixelHeight, c.getUnit(), by::get).rows());
			}
			return new org.anyseg.ops.objects.ObjectTable(c.getUnit(), rows);
		}
	}

	private RoiSegmentation() {}

	/**
	 * @param channel channel to segment (1-based), 0 = all channels composed as displayed
	 */
	public static Result run(final Segmenter seg, final ImagePlus imp, final List<Roi> rois,
		final Normalization norm, final int channel)
	{
		final List<RoiPrompts.Item> items = RoiPrompts.objects(imp, rois, seg.model());
		final int w = imp.getWidth(), h = imp.getHeight();
		final int planes = imp.getNSlices() * imp.getNFrames();
		final ImageStack labels = new ImageStack(w, h);
		for (int i = 0; i < planes; i++) labels.addSlice(new ShortProcessor(w, h));
		final List<Roi> outRois = new ArrayList<>();
		final List<Prediction> preds = new ArrayList<>();
		for (final Map.Entry<Integer, List<RoiPrompts.Item>> e : RoiPrompts.byPlane(items)
			.entrySet())
		{
			final int[] czt = imp.convertIndexToPosition(e.getKey());
			final int labelIndex = (czt[2] - 1) * imp.getNSlices() + czt[1];
			final List<RoiPrompts.Item> group = e.getValue();
			final PlaneSegmentation.Result done = PlaneSegmentation.segment(seg, ImagePlanes.sourceOf(
				imp, new PlaneSelection(channel, czt[1], czt[2])), norm, group.stream().map(
					RoiPrompts.Item::prompt).toList(), false, (k, region) -> group.get(k).mask() == null
						? null : seg.model().maskInput(crop(group.get(k).mask(), w, region), region[2],
							region[3]));
			final List<Prediction> p = done.predictions();
			final short[] l = done.labels();
			final List<int[]> at = done.windowed() ? done.regions() : List.of();
			labels.setPixels(l, labelIndex);
			for (int k = 0; k < p.size(); k++) {
				final Roi roi;
				if (at.isEmpty()) roi = outline(l, w, h, p.get(k).label());
				else {
					final int[] r = at.get(k);
					final short[] part = new short[r[2] * r[3]];
					for (int y = 0; y < r[3]; y++) System.arraycopy(l, (y + r[1]) * w + r[0], part, y *
						r[2], r[2]);
					roi = outline(part, r[2], r[3], p.get(k).label());
					if (roi != null) roi.setLocation(roi.getXBase() + r[0], roi.getYBase() + r[1]);
				}
				if (roi == null) continue;
				roi.setName("AnySeg " + p.get(k).label() + " (" + e.getValue().get(k).source() + ")");
				if (imp.getStackSize() > 1) {
					if (imp.isHyperStack()) roi.setPosition(0, czt[1], czt[2]);
					else roi.setPosition(e.getKey());
				}
				roi.setStrokeColor(Color.YELLOW);
				outRois.add(roi);
				preds.add(p.get(k));
			}
		}
		final ImagePlus out = new ImagePlus(imp.getShortTitle() + "-labels", labels);
		if (planes > 1) out.setDimensions(1, imp.getNSlices(), imp.getNFrames());
		out.setCalibration(imp.getCalibration().copy());
		out.setDisplayRange(0, Math.max(1, items.size()));
		return new Result(out, outRois, preds);
	}

	/** The part of a full-size byte mask inside a region {x, y, w, h}. */
	private static byte[] crop(final byte[] mask, final int w, final int[] r) {
		final byte[] out = new byte[r[2] * r[3]];
		for (int y = 0; y < r[3]; y++) System.arraycopy(mask, (y + r[1]) * w + r[0], out, y * r[2],
			r[2]);
		return out;
	}

	/** The outline of one label as a ROI, or {@code null} when the label is absent. */
	public static Roi outline(final short[] labels, final int w, final int h, final int label) {
		int x0 = w, y0 = h, x1 = -1, y1 = -1;
		for (int i = 0; i < labels.length; i++) {
			if ((labels[i] & 0xffff) == label) {
				final int x = i % w, y = i / w;
				x0 = Math.min(x0, x);
				x1 = Math.max(x1, x);
				y0 = Math.min(y0, y);
				y1 = Math.max(y1, y);
			}
		}
		return x1 < 0 ? null : outline(labels, w, label, x0, y0, x1, y1);
	}

	/**
	 * The outline of one label whose pixels lie in the box {@code x0..x1, y0..y1} (inclusive),
	 * traced on that box only, so outlining every object of a huge label image stays cheap.
	 */
	public static Roi outline(final short[] labels, final int w, final int label, final int x0,
		final int y0, final int x1, final int y1)
	{
		return outline(i -> labels[i] & 0xffff, w, label, x0, y0, x1, y1);
	}

	/** {@link #outline(short[], int, int, int, int, int, int)} for labels read by index. */
	static Roi outline(final java.util.function.IntUnaryOperator labels, final int w,
		final int label, final int x0, final int y0, final int x1, final int y1)
	{
		final int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
		final ByteProcessor bp = new ByteProcessor(bw, bh);
		for (int y = 0; y < bh; y++) {
			for (int x = 0; x < bw; x++) {
				if (labels.applyAsInt((y0 + y) * w + x0 + x) == label) bp.set(x, y, 255);
			}
		}
		bp.setThreshold(255, 255, ij.process.ImageProcessor.NO_LUT_UPDATE);
		final Roi r = ThresholdToSelection.run(new ImagePlus("", bp));
		if (r != null) r.setLocation(r.getXBase() + x0, r.getYBase() + y0);
		return r;
	}

}

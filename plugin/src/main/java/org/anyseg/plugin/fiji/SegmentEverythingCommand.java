package org.anyseg.plugin.fiji;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.auto.AutoSegmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ImageFiles;
import org.anyseg.ops.io.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;

/**
 * Plugins &gt; AnySeg &gt; Segment Everything: every object of the current plane without
 * prompts; an instance label image, and optionally one ROI per object in the ROI Manager.
 * Progress on Fiji's progress bar; Esc stops and keeps what was found.
 */
@Plugin(type = Command.class, headless = true, menuPath = "Plugins>AnySeg>Segment Everything")
public class SegmentEverythingCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Parameter(label = "Image")
	private ImagePlus image;

	@Parameter(label = "Points per side")
	private int points_per_side = AutoSegmenter.Params.defaults().pointsPerSide();

	@Parameter(label = "Predicted IoU threshold")
	private double pred_iou_thresh = AutoSegmenter.Params.defaults().predIouThresh();

	@Parameter(label = "Stability score threshold")
	private double stability_score_thresh = AutoSegmenter.Params.defaults()
		.stabilityScoreThresh();

	@Parameter(label = "Box NMS threshold")
	private double box_nms_thresh = AutoSegmenter.Params.defaults().boxNmsThresh();

	@Parameter(label = "Minimum mask region area (pixels)")
	private int min_mask_region_area = AutoSegmenter.Params.defaults().minMaskRegionArea();

	@Parameter(label = "Intensity normalization")
	private String normalization = "auto";

	@Parameter(label = "Add objects to ROI Manager")
	private boolean add_to_roi_manager = false;

	@Parameter(label = "Label image", type = ItemIO.OUTPUT)
	private ImagePlus labels;

	@Override
	public void run() {
		UserErrors.run(() -> {
			final AutoSegmenter.Params d = AutoSegmenter.Params.defaults();
			final AutoSegmenter.Params p = new AutoSegmenter.Params(points_per_side,
				pred_iou_thresh, stability_score_thresh, d.stabilityScoreOffset(), box_nms_thresh,
				min_mask_region_area, d.maxMaskAreaFraction(), d.tileSize(), d.tileOverlap());
			final Plane plane = ImagePlanes.plane(image, new PlaneSelection(0, image.getZ(), image
				.getT()));
			IJ.resetEscape();
			final List<AutoSegmenter.Found> found = new AutoSegmenter(anyseg.segmenter()).run(plane,
				Normalization.parse(normalization), p, (done, total) -> IJ.showProgress(done, total),
				IJ::escapePressed);
			IJ.showProgress(1.0);
			final short[] l = AutoSegmenter.labels(found, plane.width(), plane.height());
			labels = ImageFiles.labelImage(image.getShortTitle() + "-objects", l, plane.width(),
				plane.height(), image.getCalibration());
			if (add_to_roi_manager) {
				final List<Roi> rois = new ArrayList<>();
				for (int k = 1; k <= found.size(); k++) {
					final Roi r = RoiSegmentation.outline(l, plane.width(), plane.height(), k);
					if (r != null) {
						r.setName("object " + k);
						rois.add(r);
					}
				}
				PromptSources.addToRoiManager(rois);
			}
		});
	}
}

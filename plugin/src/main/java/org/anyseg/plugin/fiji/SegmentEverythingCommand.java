package org.anyseg.plugin.fiji;

import java.util.List;

import org.anyseg.ops.Limits;
import org.anyseg.ops.auto.AutoParams;
import org.anyseg.plugin.roi.RoiSets;
import org.anyseg.ops.auto.AutoSegmenter;
import org.anyseg.ops.auto.Region;
import org.anyseg.plugin.roi.Regions;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;

/**
 * Plugins &gt; AnySeg &gt; Segment Everything: every object of the current plane without
 * prompts; an instance label image, and optionally one ROI per object in the ROI Manager.
 * The dialog starts from the current model's own defaults (its {@code anyseg-model.json},
 * else Segment Anything's), not from the last run's values, which may have been another
 * model's. Large single-channel images are read tile by tile. Progress on
 * Fiji's progress bar; Esc stops and keeps what was found. When the image has an area
 * selection, only the tiles and grid points inside it are segmented and the objects mostly
 * inside it kept (unless "Only inside the selection" is unticked; it is ticked by default
 * and has no effect without a selection).
 */
@Plugin(type = Command.class, headless = true, menuPath = "Plugins>AnySeg>Segment Everything",
	initializer = "modelDefaults")
public class SegmentEverythingCommand extends DynamicCommand {

	@Parameter
	private AnySegService anyseg;

	@Parameter(label = "Image")
	private ImagePlus image;

	@Parameter(label = "Points per side", persist = false, min = "1", max = "1024")
	private int points_per_side = AutoParams.defaults().pointsPerSide();

	@Parameter(label = "Predicted IoU threshold", persist = false, min = "-100", max = "100")
	private double pred_iou_thresh = AutoParams.defaults().predIouThresh();

	@Parameter(label = "Stability score threshold", persist = false, min = "0", max = "1")
	private double stability_score_thresh = AutoParams.defaults()
		.stabilityScoreThresh();

	@Parameter(label = "Box NMS threshold", persist = false, min = "0", max = "1")
	private double box_nms_thresh = AutoParams.defaults().boxNmsThresh();

	@Parameter(label = "Minimum mask region area (pixels)", persist = false, min = "0",
		max = "1000000000")
	private int min_mask_region_area = AutoParams.defaults().minMaskRegionArea();

	@Parameter(label = "Crop layers (zoomed crops for small objects)", persist = false,
		min = "0", max = "4")
	private int crop_n_layers = AutoParams.defaults().cropNLayers();

	@Parameter(label = "Only inside the selection (when the image has one)", persist = false)
	private boolean only_inside_selection = true;

	@Parameter(label = "Keep objects with more than this fraction inside the selection",
		persist = false, min = "0", max = "1")
	private double region_min_inside = Region.MOST;

	@Parameter(label = "Intensity normalization")
	private String normalization = "auto";

	@Parameter(label = "Add objects to ROI Manager")
	private boolean add_to_roi_manager = false;

	@Parameter(label = "Show the object table")
	private boolean show_objects = true;

	@Parameter(label = "Label image", type = ItemIO.OUTPUT)
	private ImagePlus labels;

	/** The object table of the last run (also shown, when asked and there is a screen). */
	private ij.measure.ResultsTable objects;

	/** Fills the thresholds a caller did not give with the current model's defaults. */
	protected void modelDefaults() {
		final AutoParams d = AutoParams.defaults(anyseg.modelConfig());
		if (!isInputResolved("points_per_side")) points_per_side = d.pointsPerSide();
		if (!isInputResolved("pred_iou_thresh")) pred_iou_thresh = d.predIouThresh();
		if (!isInputResolved("stability_score_thresh")) {
			stability_score_thresh = d.stabilityScoreThresh();
		}
		if (!isInputResolved("box_nms_thresh")) box_nms_thresh = d.boxNmsThresh();
		if (!isInputResolved("min_mask_region_area")) {
			min_mask_region_area = d.minMaskRegionArea();
		}
		if (!isInputResolved("crop_n_layers")) crop_n_layers = d.cropNLayers();
	}

	@Override
	public void run() {
		UserErrors.run(() -> {
			// before the model's own defaults are read
			Limits.POINTS_PER_SIDE.check(points_per_side);
			Limits.PRED_IOU_THRESH.check(pred_iou_thresh);
			Limits.STABILITY_SCORE_THRESH.check(stability_score_thresh);
			Limits.BOX_NMS_THRESH.check(box_nms_thresh);
			Limits.MIN_MASK_REGION_AREA.check(min_mask_region_area);
			Limits.CROP_N_LAYERS.check(crop_n_layers);
			Limits.REGION_MIN_INSIDE.check(region_min_inside);
			final AutoParams p = AutoParams.defaults(anyseg.modelConfig()).with(
				java.util.Map.of("points_per_side", points_per_side, "pred_iou_thresh",
					pred_iou_thresh, "stability_score_thresh", stability_score_thresh, "box_nms_thresh",
					box_nms_thresh, "min_mask_region_area", min_mask_region_area, "crop_n_layers",
					crop_n_layers));
			final int w = image.getWidth(), h = image.getHeight();
			final Region region = only_inside_selection ? Regions.ofSelection(image) : null;
			if (region != null) {
				IJ.showStatus("Segment everything inside the selection (" + region.area() +
					" pixels)");
			}
			IJ.resetEscape();
			final List<AutoSegmenter.Found> found = new AutoSegmenter(anyseg.segmenter()).run(
				ImagePlanes.sourceOf(image, new PlaneSelection(0, image.getZ(), image.getT())),
				Normalization.parse(normalization), p, region == null ? null : region.withMinInside(
					region_min_inside), (done, total) -> IJ.showProgress(done, total),
				IJ::escapePressed);
			IJ.showProgress(1.0);
			final int[] all = AutoSegmenter.labelImage(found, w, h);
			labels = ImageFiles.labelImage(image.getShortTitle() + "-objects", all, w, h, image
				.getCalibration());
			final ij.measure.Calibration c = image.getCalibration();
			final org.anyseg.ops.objects.ObjectTable t = org.anyseg.ops.auto.AutoObjects.table(
				found, all, w, h, c.pixelWidth, c.pixelHeight, c.getUnit());
			objects = show_objects ? ObjectResults.show(t, image.getShortTitle()) : ObjectResults
				.of(t);
			if (add_to_roi_manager) {
				final List<Roi> rois = RoiSets.outlines(all, w, h); // any count of objects
				PromptSources.addToRoiManager(rois);
			}
		});
	}

	/** The object table of the last run: one row per label of the label image. */
	public ij.measure.ResultsTable objects() {
		return objects;
	}
}

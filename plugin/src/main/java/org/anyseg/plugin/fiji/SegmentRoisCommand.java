package org.anyseg.plugin.fiji;

import java.util.List;

import org.anyseg.plugin.roi.RoiSegmentation;
import org.anyseg.plugin.roi.RoiPrompts;
import org.anyseg.ops.Limits;
import org.anyseg.ops.image.Normalization;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * Plugins &gt; AnySeg &gt; Segment with ROI Manager Prompts: every ROI of the ROI Manager
 * (or the image's selection, or its overlay) prompts an object; see {@link RoiPrompts} for
 * the conventions.
 */
@Plugin(type = Command.class, headless = true,
	menuPath = "Plugins>AnySeg>Segment with ROI Manager Prompts")
public class SegmentRoisCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Parameter
	private LogService log;

	@Parameter(label = "Image")
	private ImagePlus image;

	@Parameter(label = "Model (empty = current)", required = false, persist = false)
	private String model = "";

	@Parameter(label = "Intensity normalization",
		description = "auto, minmax, percentile, percentile:LO,HI or window:LEVEL,WIDTH")
	private String normalization = "auto";

	@Parameter(label = "Channel (0 = all, as displayed)", min = "0", max = "10000")
	private int channel = 0;

	@Parameter(label = "Add objects to ROI Manager")
	private boolean add_to_roi_manager = true;

	@Parameter(label = "Show outlines on the image")
	private boolean overlay = true;

	@Parameter(label = "Show the object table")
	private boolean show_objects = true;

	@Parameter(label = "Label image", type = ItemIO.OUTPUT)
	private ImagePlus labels;

	/** The object table of the last run. */
	private ij.measure.ResultsTable objects;

	/** The object table of the last run, shown as TITLE-objects when asked. */
	public ij.measure.ResultsTable objects() {
		return objects;
	}

	@Override
	public void run() {
		UserErrors.run(() -> {
			Limits.CHANNEL.check(channel);
			segment();
		});
	}

	private void segment() {
		final List<Roi> prompts = PromptSources.prompts(image);
		final String m = model == null || model.isBlank() ? anyseg.model() : model;
		final RoiSegmentation.Result r = RoiSegmentation.run(anyseg.segmenter(m), image, prompts,
			Normalization.parse(normalization), channel);
		labels = r.labels();
		if (add_to_roi_manager) PromptSources.addToRoiManager(r.rois());
		if (overlay) {
			final Overlay o = image.getOverlay() != null ? image.getOverlay() : new Overlay();
			for (final Roi roi : r.rois()) o.add((Roi) roi.clone());
			image.setOverlay(o);
		}
		final org.anyseg.ops.objects.ObjectTable t = r.objectTable(image.getCalibration());
		objects = show_objects ? ObjectResults.show(t, image.getShortTitle()) : ObjectResults.of(t);
		log.info("AnySeg: " + r.predictions().size() + " object(s) segmented on " + image
			.getTitle() + " with model " + m);
	}
}

package org.anyseg.plugin.fiji;

import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.DynamicCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;

/**
 * Plugins &gt; AnySeg &gt; Propagate in 3D: segments the prompted objects of a stack (or NIfTI
 * volume) through all its slices, from the prompted slice(s) outwards; progress on Fiji's
 * progress bar, Esc cancels (what was done is kept and the label stack is titled
 * "(partial)"). The stop rules start from the current model's own defaults (the
 * {@code propagation} block of its {@code anyseg-model.json}, else the engine's), not from
 * the last run's values, which may have been another model's; a macro sets any of them.
 */
@Plugin(type = Command.class, headless = true, menuPath = "Plugins>AnySeg>Propagate in 3D",
	initializer = "modelDefaults")
public class PropagateCommand extends DynamicCommand {

	@Parameter
	private AnySegService anyseg;

	@Parameter
	private LogService log;

	@Parameter(label = "Volume (stack)")
	private ImagePlus image;

	@Parameter(label = "Model (empty = current)", required = false, persist = false)
	private String model = "";

	@Parameter(label = "Intensity normalization",
		description = "auto, minmax, percentile, window:LEVEL,WIDTH, or ct-soft, ct-lung, " +
			"ct-bone, ct-brain, mr")
	private String normalization = "auto";

	@Parameter(label = "Stop below predicted IoU", persist = false, min = "-100", max = "100")
	private double min_iou = Propagation.Options.defaults().minIou();

	@Parameter(label = "Stop when the area falls below (x previous)", persist = false,
		min = "0", max = "1")
	private double min_area_ratio = Propagation.Options.defaults().minAreaRatio();

	@Parameter(label = "Stop when the area grows above (x previous, 0 = off)", persist = false,
		min = "0", max = "1000")
	private double max_area_ratio = Propagation.Options.defaults().maxAreaRatio();

	@Parameter(label = "Stop when less of the mask lies inside the previous (0 = off)",
		persist = false, min = "0", max = "1")
	private double min_inside = Propagation.Options.defaults().minInside();

	@Parameter(label = "Stop when the contrast fades below (x prompted slice, 0 = off)",
		persist = false, min = "0", max = "1")
	private double min_contrast = Propagation.Options.defaults().minContrast();

	@Parameter(label = "Margin (box growth per slice)", persist = false, min = "0", max = "10")
	private double margin = Propagation.Options.defaults().margin();

	@Parameter(label = "Next slice prompted with", persist = false, choices = { "box", "point",
		"box+point" })
	private String follow = "box";

	@Parameter(label = "Show the object table")
	private boolean show_objects = true;

	@Parameter(label = "Label stack", type = ItemIO.OUTPUT)
	private ImagePlus labels;

	/** The object table of the last run (3D: voxels, volume, centroid, box, slices). */
	private ij.measure.ResultsTable objects;

	/** The object table of the last run, shown as TITLE-objects when asked. */
	public ij.measure.ResultsTable objects() {
		return objects;
	}

	/** Fills the settings a caller did not give with the current model's defaults. */
	protected void modelDefaults() {
		final Propagation.Options d = Propagation.Options.defaults(anyseg.modelConfig());
		if (!isInputResolved("min_iou")) min_iou = d.minIou();
		if (!isInputResolved("min_area_ratio")) min_area_ratio = d.minAreaRatio();
		if (!isInputResolved("max_area_ratio")) max_area_ratio = d.maxAreaRatio();
		if (!isInputResolved("min_inside")) min_inside = d.minInside();
		if (!isInputResolved("min_contrast")) min_contrast = d.minContrast();
		if (!isInputResolved("margin")) margin = d.margin();
		if (!isInputResolved("follow")) follow = d.follow().word();
	}

	@Override
	public void run() {
		UserErrors.run(() -> {
			// before the model loads and the prompts are read
			Limits.MIN_IOU.check(min_iou);
			Limits.MIN_AREA_RATIO.check(min_area_ratio);
			Limits.MAX_AREA_RATIO.check(max_area_ratio);
			Limits.MIN_INSIDE.check(min_inside);
			Limits.MIN_CONTRAST.check(min_contrast);
			Limits.MARGIN.check(margin);
			labels = propagate(new StackView(image));
		});
	}

	private ImagePlus propagate(final VolumeView view) {
		final String m = model == null || model.isBlank() ? anyseg.model() : model;
		final Segmenter seg = anyseg.segmenter(m);
		final List<Propagation.Target> targets = view.targets(seg.model());
		if (targets.isEmpty()) throw new AnySegException("No prompts on " + image.getTitle() + ".");
		final Propagation.Options o = Propagation.Options.defaults().withAxis(view.axis())
			.withMinIou(min_iou).withMinAreaRatio(min_area_ratio).withMaxAreaRatio(max_area_ratio)
			.withMinInside(min_inside).withMinContrast(min_contrast).withMargin(margin).withFollow(
				Propagation.Follow.parse(follow));
		IJ.resetEscape();
		final Propagation.Result r = new Propagator(seg).propagate(view.volume(), Normalization
			.parse(normalization), targets, o, (done, total, last) -> {
				IJ.showProgress(done, total);
				IJ.showStatus("AnySeg: object " + last.label() + ", slice " + (last.slice() + 1) +
					" (Esc cancels)");
			}, IJ::escapePressed);
		IJ.showProgress(1.0);
		for (final Propagation.Stop s : r.stops()) {
			log.info("AnySeg: object " + s.label() + " from slice " + (s.fromSlice() + 1) +
				" going " + (s.direction() < 0 ? "down" : "up") + " stopped at slice " + (s
					.atSlice() + 1) + ": " + s.reason());
		}
		if (r.partial()) log.warn("AnySeg: propagation cancelled; the label stack is partial.");
		final ImagePlus out = (ImagePlus) view.show(r);
		final org.anyseg.ops.objects.VolumeObjectTable t = org.anyseg.ops.io.ij.ObjectTables.volume(
			r, image.getWidth(), image.getCalibration(), targets);
		objects = show_objects ? ObjectResults.show(t, image.getShortTitle()) : ObjectResults.of(t);
		return out;
	}
}

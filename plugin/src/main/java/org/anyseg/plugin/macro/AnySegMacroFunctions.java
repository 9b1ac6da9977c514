package org.anyseg.plugin.macro;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;
import org.anyseg.ops.engine.PlaneSegmentation;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.ops.prompt.PromptAssembly;
import org.anyseg.plugin.fiji.AnySegService;
import org.anyseg.plugin.fiji.FijiContext;
import org.anyseg.plugin.fiji.NiftiImages;
import org.anyseg.plugin.fiji.PromptSources;
import org.anyseg.plugin.batch.BatchRun;
import org.anyseg.plugin.roi.RoiSegmentation;
import org.anyseg.plugin.roi.RoiSets;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.ExtensionDescriptor;
import ij.macro.Functions;
import ij.macro.MacroExtension;
import ij.plugin.PlugIn;

/**
 * Macro functions, enabled by {@code run("AnySeg Macro Functions");}:
 * <pre>
 * Ext.anysegSetModel("demo");              // or a folder, or an installed model's name
 * Ext.anysegSetImage("");                  // the current image, or one by title
 * Ext.anysegSetNormalization("auto");      // auto, minmax, percentile, window:40,400
 * Ext.anysegSetEmbeddings(path);           // a store of 'anyseg embed' ("" = none)
 * Ext.anysegAddPoint(x, y, 1);             // 1 = object, 0 = background
 * Ext.anysegAddBox(x0, y0, x1, y1);        // x1 = x0 + width, y1 = y0 + height
 * Ext.anysegSegment();                     // label image of the prompts, shown as TITLE-labels
 * Ext.anysegSegmentRoiManager();           // ROI Manager prompts, labels + ROIs
 * Ext.anysegSegmentRoiSet(path);           // prompts from a ROI set (.zip/.roi), headless too
 * Ext.anysegClearPrompts();
 * Ext.anysegGetObjectCount(n);
 * Ext.anysegGetIoU(1, iou);                // predicted IoU of object 1 of the last run
 * Ext.anysegOpenNifti(path);               // a .nii/.nii.gz volume as a stack
 * Ext.anysegSetPropagation("min_inside", "0.5"); // a stop rule, margin or follow ("model" =
 *                                          // the model's "propagation" value again)
 * Ext.anysegPropagate(minIou);             // the prompts on the current slice, through the stack
 *                                          // (NaN = the model's; other settings: the model's)
 * Ext.anysegCorrect(object);               // the added prompts correct object on the current
 *                                          // slice; re-propagated up to its next prompted slices
 * Ext.anysegSavePrompts(path);             // the replayable prompt record (segment --prompts)
 * Ext.anysegSaveObjects(path);             // object table (CSV) of the last segmentation
 * Ext.anysegSaveGeoJson(path);             // the current label image as QuPath GeoJSON
 * Ext.anysegRepropagate(object, first, last); // correct object on the current slice from the
 *                                          // added prompts, re-propagated within slices
 *                                          // first..last (1-based) of TITLE-labels only
 *                                          // (the record then no longer replays the labels)
 * Ext.anysegSaveNiftiLabels(path);         // the current label stack, with its volume's geometry
 *                                          // (and NAME-prompts.csv beside it, the record)
 * Ext.anysegBatch(input, output, from);    // a folder; from = rois, csv:FILE or gt:DIR[:box|point]
 * Ext.anysegEvaluate(gt, "a=DIR;b=DIR", out, tolerance); // CSVs, box plots, report.html
 * Ext.anysegSegmentEverything(pointsPerSide); // every object, no prompts: TITLE-objects
 *                                          // (only inside the image's area selection, if any:
 *                                          // the objects mostly inside it)
 * </pre>
 * Prompts follow the command line's rules (each box an object; points alone one object;
 * points with a single box refine it) and are cleared after each segmentation.
 */
public class AnySegMacroFunctions implements PlugIn, MacroExtension {

	private final List<PointPrompt> points = new ArrayList<>();
	private final List<BoxPrompt> boxes = new ArrayList<>();
	private final List<Prediction> last = new ArrayList<>();
	private String imageTitle = "";
	private String normalization = "auto";
	private final MacroVolumes volumes = new MacroVolumes();
	/** Writes the object table of the last segmentation (CSV), or null before one. */
	private java.util.function.Consumer<java.nio.file.Path> lastObjects;

	@Override
	public void run(final String arg) {
		if (!IJ.macroRunning()) {
			IJ.error("AnySeg", "AnySeg Macro Functions are for macros: call\n" +
				"run(\"AnySeg Macro Functions\"); then Ext.anyseg... functions.");
			return;
		}
		Functions.registerExtensions(this);
	}

	@Override
	public ExtensionDescriptor[] getExtensionFunctions() {
		final int s = ARG_STRING, n = ARG_NUMBER, out = ARG_OUTPUT + ARG_NUMBER;
		return new ExtensionDescriptor[] { //
			ExtensionDescriptor.newDescriptor("anysegSetModel", this, s), //
			ExtensionDescriptor.newDescriptor("anysegSetImage", this, s), //
			ExtensionDescriptor.newDescriptor("anysegSetNormalization", this, s), //
			ExtensionDescriptor.newDescriptor("anysegSetEmbeddings", this, s), //
			ExtensionDescriptor.newDescriptor("anysegAddPoint", this, n, n, n), //
			ExtensionDescriptor.newDescriptor("anysegAddBox", this, n, n, n, n), //
			ExtensionDescriptor.newDescriptor("anysegSegment", this), //
			ExtensionDescriptor.newDescriptor("anysegSegmentRoiManager", this), //
			ExtensionDescriptor.newDescriptor("anysegSegmentRoiSet", this, s), //
			ExtensionDescriptor.newDescriptor("anysegClearPrompts", this), //
			ExtensionDescriptor.newDescriptor("anysegGetObjectCount", this, out), //
			ExtensionDescriptor.newDescriptor("anysegGetIoU", this, n, out), //
			ExtensionDescriptor.newDescriptor("anysegOpenNifti", this, s), //
			ExtensionDescriptor.newDescriptor("anysegPropagate", this, n), //
			ExtensionDescriptor.newDescriptor("anysegRepropagate", this, n, n, n), //
			ExtensionDescriptor.newDescriptor("anysegSetPropagation", this, s, s), //
			ExtensionDescriptor.newDescriptor("anysegCorrect", this, n), //
			ExtensionDescriptor.newDescriptor("anysegSavePrompts", this, s), //
			ExtensionDescriptor.newDescriptor("anysegSaveObjects", this, s), //
			ExtensionDescriptor.newDescriptor("anysegSaveGeoJson", this, s), //
			ExtensionDescriptor.newDescriptor("anysegSaveNiftiLabels", this, s), //
			ExtensionDescriptor.newDescriptor("anysegBatch", this, s, s, s), //
			ExtensionDescriptor.newDescriptor("anysegEvaluate", this, s, s, s, n), //
			ExtensionDescriptor.newDescriptor("anysegSegmentEverything", this, n) };
	}

	@Override
	public String handleExtension(final String name, final Object[] args) {
		final String failure;
		try {
			return handle(name, args);
		}
		catch (final AnySegException e) {
			failure = "AnySeg: " + e.getMessage();
		}
		catch (final RuntimeException e) {
			failure = "AnySeg: Ext." + name + " failed unexpectedly (" + e + "); please report it.";
		}
		abortMacro(failure);
		return null;
	}

	/**
	 * Stops the running macro with a message, so that a failed call never lets the macro go
	 * on (and the headless runner exit 0); outside a macro, shows the message.
	 */
	static void abortMacro(final String message) {
		final ij.macro.Interpreter interp = ij.macro.Interpreter.getInstance();
		if (interp == null) {
			IJ.error("AnySeg", message);
			return;
		}
		IJ.log(message);
		interp.abort(message); // the macro stops here, with its line in the message
	}

	/**
	 * The {@link Limits} entry of each argument, by function ({@code null}: a string, or a
	 * number checked against the data instead: coordinates against the image, an object
	 * number against the last run). Every function with a number argument is listed.
	 */
	static final Map<String, Limits[]> NUMBERS = Map.of( //
		"anysegAddPoint", new Limits[] { null, null, Limits.POINT_LABEL }, //
		"anysegAddBox", new Limits[] { null, null, null, null }, //
		"anysegGetIoU", new Limits[] { null, null }, //
		"anysegPropagate", new Limits[] { null }, // NaN = the model's; checked when set
		"anysegCorrect", new Limits[] { null }, // an object of the record
		"anysegRepropagate", new Limits[] { null, Limits.SLICE, Limits.SLICE }, //
		"anysegEvaluate", new Limits[] { null, null, null, Limits.TOLERANCE }, //
		"anysegSegmentEverything", new Limits[] { Limits.POINTS_PER_SIDE });

	/**
	 * Checks the numeric arguments of a macro function against {@link Limits} before it does
	 * anything (the same table as the CLI's options and the Fiji dialogs').
	 */
	static void checkArguments(final String name, final Object[] a) {
		final Limits[] l = NUMBERS.getOrDefault(name, new Limits[0]);
		for (int i = 0; i < l.length && i < a.length; i++) {
			if (l[i] != null) l[i].check(num(a[i]));
		}
	}

	private String handle(final String name, final Object[] a) {
		checkArguments(name, a);
		switch (name) {
			case "anysegSetModel":
				service().setModel((String) a[0]);
				return null;
			case "anysegSetImage":
				imageTitle = (String) a[0];
				image();
				return null;
			case "anysegSetNormalization":
				Normalization.parse((String) a[0]);
				normalization = (String) a[0];
				return null;
			case "anysegSetEmbeddings":
				service().setEmbeddings((String) a[0]);
				return null;
			case "anysegAddPoint":
				points.add(new PointPrompt(num(a[0]), num(a[1]), num(a[2]) == 1));
				return null;
			case "anysegAddBox":
				boxes.add(new BoxPrompt(num(a[0]), num(a[1]), num(a[2]), num(a[3])));
				return null;
			case "anysegSegment":
				segmentPrompts();
				return null;
			case "anysegSegmentRoiManager":
				segmentRois(PromptSources.prompts(image()));
				return null;
			case "anysegSegmentRoiSet":
				segmentRois(RoiSets.read(java.nio.file.Paths.get((String) a[0])));
				return null;
			case "anysegClearPrompts":
				points.clear();
				boxes.clear();
				return null;
			case "anysegGetObjectCount":
				((Double[]) a[0])[0] = (double) last.size();
				return null;
			case "anysegGetIoU": {
				final int i = (int) num(a[0]);
				if (i < 1 || i > last.size()) {
					throw new AnySegException("Object " + i + " does not exist: the last segmentation " +
						"gave " + last.size() + " object(s), numbered from 1.");
				}
				((Double[]) a[1])[0] = (double) last.get(i - 1).iou();
				return null;
			}
			case "anysegOpenNifti":
				NiftiImages.open(java.nio.file.Paths.get((String) a[0])).show();
				return null;
			case "anysegPropagate":
				if (!Double.isNaN(num(a[0]))) Limits.MIN_IOU.check(num(a[0])); // NaN: the model's
				lastObjects = volumes.propagate(service(), image(), normalization, PromptAssembly
					.objects(points, boxes, 1), num(a[0]))::writeCsv;
				clearPrompts();
				return null;
			case "anysegSetPropagation":
				volumes.setPropagation((String) a[0], (String) a[1]);
				return null;
			case "anysegCorrect":
				lastObjects = volumes.correct(service(), image(), normalization, (int) num(a[0]),
					PromptAssembly.objects(points, boxes, (int) num(a[0])))::writeCsv;
				clearPrompts();
				return null;
			case "anysegSaveObjects":
				if (lastObjects == null) {
					throw new AnySegException("No objects yet: Ext.anysegSaveObjects writes the object " +
						"table of the last Ext.anysegSegment, SegmentRoiManager, SegmentRoiSet, " +
						"Propagate or Correct.");
				}
				lastObjects.accept(java.nio.file.Paths.get((String) a[0]));
				return null;
			case "anysegSaveGeoJson":
				// the current image's plane as a label image (e.g. TITLE-objects), for QuPath
				org.anyseg.plugin.fiji.ExportGeoJsonCommand.export(image(), java.nio.file.Paths.get(
					(String) a[0]), "detection", "AnySeg");
				return null;
			case "anysegSavePrompts":
				volumes.savePrompts(service(), image(), normalization, java.nio.file.Paths.get(
					(String) a[0]));
				return null;
			case "anysegRepropagate":
				volumes.repropagate(service(), image(), normalization, (int) num(a[0]), (int) num(a[1]),
					(int) num(a[2]), PromptAssembly.objects(points, boxes, (int) num(a[0])));
				clearPrompts();
				return null;
			case "anysegSaveNiftiLabels": {
				final java.nio.file.Path file = java.nio.file.Paths.get((String) a[0]);
				org.anyseg.ops.io.nifti.NiftiWriter.writeLabels(file, NiftiImages.header(image()),
					labelSlices(image()));
				volumes.saveBeside(service(), image(), normalization, file);
				return null;
			}
			case "anysegBatch": {
				// the same run as Batch Segment Folder and 'anyseg batch'
				final var log = new BatchRun(service().segmenter(), BatchRun.Options.defaults(
					java.nio.file.Paths.get((String) a[0]), java.nio.file.Paths.get((String) a[1]),
					(String) a[2]).withNorm(Normalization.parse(normalization)).withPropagation(volumes
						.options(service()), true)).model(service().model(), service().catalog().resolve(
							service().model())).run(null, null);
				IJ.log("AnySeg batch: " + log.size() + " file(s), " + log.stream().filter(e -> e
					.status() == BatchRun.Status.ERROR).count() + " failed; run_log.csv in " + a[1]);
				return null;
			}
			case "anysegEvaluate": {
				final java.util.LinkedHashMap<String, java.nio.file.Path> m =
					new java.util.LinkedHashMap<>();
				for (final String part : ((String) a[1]).split(";")) {
					final int eq = part.indexOf('=');
					if (eq < 1) throw new AnySegException("Methods must be NAME=FOLDER;NAME=FOLDER, got '" +
						part + "'.");
					m.put(part.substring(0, eq).trim(), java.nio.file.Paths.get(part.substring(eq + 1)
						.trim()));
				}
				// the same run as Evaluate Segmentations and 'anyseg evaluate'
				new org.anyseg.plugin.batch.EvaluationRun(org.anyseg.plugin.batch.EvaluationRun.Options
					.defaults(java.nio.file.Paths.get((String) a[0]), m, java.nio.file.Paths.get(
						(String) a[2]), num(a[3]))).run();
				return null;
			}
			case "anysegSegmentEverything": {
				final ImagePlus imp = image();
				final var p = org.anyseg.ops.auto.AutoParams.defaults(service().modelConfig())
					.with(java.util.Map.of("points_per_side", Limits.POINTS_PER_SIDE.checkInt(num(a[0]))));
				final var found = new org.anyseg.ops.auto.AutoSegmenter(service().segmenter()).run(
					ImagePlanes.sourceOf(imp, new PlaneSelection(0, imp.getZ(), imp.getT())),
					Normalization.parse(normalization), p, org.anyseg.plugin.roi.Regions.ofSelection(imp),
					null, null);
				// 32-bit when there are more than 65535 objects
				final int[] all = org.anyseg.ops.auto.AutoSegmenter.labelImage(found, imp.getWidth(),
					imp.getHeight());
				ImageFiles.labelImage(imp.getShortTitle() + "-objects", all, imp.getWidth(), imp
					.getHeight(), imp.getCalibration()).show();
				final ij.measure.Calibration cal = imp.getCalibration();
				lastObjects = org.anyseg.ops.auto.AutoObjects.table(found, all, imp.getWidth(), imp
					.getHeight(), cal.pixelWidth, cal.pixelHeight, cal.getUnit())::writeCsv;
				last.clear();
				return null;
			}
			default:
				throw new AnySegException("Unknown AnySeg macro function " + name + ".");
		}
	}

	private void segmentPrompts() {
		final ImagePlus imp = image();
		final Segmenter seg = service().segmenter();
		final var objects = PromptAssembly.objects(points, boxes, 1);
		if (objects.isEmpty()) {
			throw new AnySegException("No prompts: call Ext.anysegAddPoint or Ext.anysegAddBox " +
				"before Ext.anysegSegment.");
		}
		final PlaneSegmentation.Result r = PlaneSegmentation.segment(seg, ImagePlanes.sourceOf(imp,
			new PlaneSelection(0, imp.getZ(), imp.getT())), Normalization.parse(normalization),
			objects);
		finish(r.predictions(), ImageFiles.labelImage(imp.getShortTitle() + "-labels", r.labels(),
			r.width(), r.height(), imp.getCalibration()));
		lastObjects = org.anyseg.ops.io.ij.ObjectTables.plane(r.labels(), r.width(), r.height(), imp
			.getCalibration(), objects, r.predictions())::writeCsv;
	}

	private void clearPrompts() {
		last.clear();
		points.clear();
		boxes.clear();
	}

	private static short[][] labelSlices(final ImagePlus labels) {
		final short[][] out = new short[labels.getStackSize()][];
		for (int z = 0; z < out.length; z++) {
			out[z] = (short[]) labels.getStack().getProcessor(z + 1).convertToShortProcessor(false)
				.getPixels();
		}
		return out;
	}

	private void segmentRois(final List<ij.gui.Roi> prompts) {
		final ImagePlus imp = image();
		final RoiSegmentation.Result r = RoiSegmentation.run(service().segmenter(), imp, prompts,
			Normalization.parse(normalization), 0);
		PromptSources.addToRoiManager(r.rois());
		finish(r.predictions(), r.labels());
		lastObjects = r.objectTable(imp.getCalibration())::writeCsv;
	}

	private void finish(final List<Prediction> preds, final ImagePlus labels) {
		last.clear();
		last.addAll(preds);
		points.clear();
		boxes.clear();
		labels.show();
	}

	private ImagePlus image() {
		final ImagePlus imp = imageTitle.isEmpty() ? WindowManager.getCurrentImage()
			: WindowManager.getImage(imageTitle);
		if (imp == null) {
			throw new AnySegException(imageTitle.isEmpty() ? "No image is open: open one first."
				: "No image titled '" + imageTitle + "' is open.");
		}
		return imp;
	}

	private static AnySegService service() {
		return FijiContext.service(AnySegService.class);
	}

	private static double num(final Object o) {
		return ((Double) o).doubleValue();
	}
}

package org.anyseg.plugin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.PlaneSegmentation;
import org.anyseg.plugin.batch.BatchRun;
import org.anyseg.ops.engine.PromptWindow;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.OutputPaths;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.io.PromptCsv;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.ops.prompt.PromptAssembly;
import org.anyseg.ops.io.ij.VolumeFiles;
import org.anyseg.plugin.render.OverlayRenderer;

import ij.ImagePlus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code segment}: prompts in, 16-bit label TIFF (and optional overlay PNG) out. */
@Command(name = "segment", sortOptions = false,
	description = { "Segment objects of one image plane from point and box prompts.",
		"Coordinates are ImageJ pixel indices: x from the left, y from the top, starting at 0.",
		"A box X0,Y0,X1,Y1 is ImageJ's rectangle: X1 = X0 + width, Y1 = Y0 + height.",
		"Each box is one object (labels 1, 2, ... in order); points alone form one object; " +
			"points given with a single box refine that box's object." })
final class SegmentCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ModelOptions modelOptions = new ModelOptions();

	@Option(names = "--image", required = true, paramLabel = "FILE",
		description = "Input image (anything ImageJ opens).")
	Path image;

	@Option(names = "--point", paramLabel = "X,Y[,1|0]",
		description = "A click; label 1 = object (default), 0 = background. Repeatable.")
	List<String> points = new ArrayList<>();

	@Option(names = "--box", paramLabel = "X0,Y0,X1,Y1",
		description = "A box, one object each. Repeatable.")
	List<String> boxes = new ArrayList<>();

	@Option(names = "--prompts", paramLabel = "FILE.csv",
		description = "Prompt table with header object,type,x0,y0,x1,y1,label (and z, the " +
			"slice, for a volume).")
	Path prompts;

	@Option(names = "--out", required = true, paramLabel = "OUT.tif",
		description = "Output 16-bit label TIFF.")
	Path out;

	@Option(names = "--overlay", paramLabel = "OUT.png",
		description = "Also write the masks drawn over the image as PNG.")
	Path overlay;

	@Option(names = "--objects", paramLabel = "OBJECTS.csv",
		description = "Also write the object table: label, area (pixels and calibrated), " +
			"centroid, bounding box, predicted IoU, prompt; for a volume voxels, volume, " +
			"centroid and box in x, y, z, slices covered and prompted, mean predicted IoU.")
	Path objects;

	@Option(names = "--channel", defaultValue = "0", paramLabel = "C",
		description = "Channel of a multi-channel image (1-based); 0 = all channels as " +
			"displayed, composed to RGB (default).")
	int channel;

	@Option(names = "--slice", paramLabel = "Z",
		description = "Slice of a stack, 1-based (default: 1); for a NIfTI volume the array " +
			"index k, 0-based (required).")
	Integer slice;

	@Option(names = "--propagate", description = "Segment the prompted objects through the " +
		"whole volume, slice by slice from the prompted slice(s).")
	boolean propagate;

	@Option(names = "--axis", defaultValue = "z", paramLabel = "z|y|x",
		description = "Axis to propagate along; prompts are then on planes across it " +
			"(default: ${DEFAULT-VALUE}).")
	String axis;

	@Mixin
	PropagationOptions propagation = new PropagationOptions();

	@Mixin
	EmbeddingOptions embeddings = new EmbeddingOptions();

	@Option(names = "--frame", paramLabel = "T",
		description = "Time frame, 1-based (default: 1); for a 4D NIfTI the volume, 1-based " +
			"(required).")
	Integer frame;

	@Override
	public Integer call() {
		final boolean volume = propagate || VolumeFiles.isNifti(image) || prompts != null &&
			PromptCsv.hasSlices(prompts);
		checkOutputs(volume);
		if (volume) return new VolumeSegmentation(this).run();
		final long t0 = System.nanoTime();
		final Normalization norm = modelOptions.normalization();
		final List<ObjectPrompt> objects = objects();
		final ImagePlus imp = ImageFiles.open(image);
		final PromptWindow.Source source = ImagePlanes.sourceOf(imp, new PlaneSelection(channel,
			slice == null ? 1 : slice, frame == null ? 1 : frame));
		// checked here too so a bad prompt fails before the model is loaded
		for (final ObjectPrompt o : objects) o.checkInside(source.width(), source.height());
		final PrintWriter log = spec.commandLine().getOut();
		final PlaneSegmentation.Result r;
		try (Segmenter seg = embeddings.segmenter(modelOptions, 256, spec.commandLine().getErr())) {
			r = PlaneSegmentation.segment(seg, source, norm, objects, wholeImage, null);
			embeddings.report(seg, log);
		}
		ImageFiles.writeLabels(out, r.labels(), r.width(), r.height(), imp.getCalibration());
		if (this.objects != null) org.anyseg.ops.io.ij.ObjectTables.plane(r.labels(), r.width(), r.height(), imp
			.getCalibration(), objects, r.predictions()).writeCsv(this.objects);
		if (overlay != null) {
			OverlayRenderer.writePng(overlay, source, norm, r.labels());
		}
		for (int i = 0; i < r.predictions().size(); i++) {
			final Prediction p = r.predictions().get(i);
			final int[] w = r.regions().get(i);
			log.printf("object %d: area %d px, predicted IoU %.3f%s%n", p.label(), p.best().area(),
				p.iou(), r.windowed() ? String.format(" (full resolution, window at (%d,%d) %dx%d)",
					w[0], w[1], w[2], w[3]) : "");
		}
		log.printf("wrote %s (%d objects, %.2f s)%n", out, r.predictions().size(), (System
			.nanoTime() - t0) / 1e9);
		return 0;
	}

	@Option(names = "--whole-image", description = "On images larger than " +
		PlaneSegmentation.WINDOW + " pixels, segment the whole image shrunk to the model's " +
		"input instead of each object in a full-resolution window around its prompts.")
	boolean wholeImage;

	/** Refuses outputs that would overwrite an input or each other, or lie about their format. */
	private void checkOutputs(final boolean volume) {
		if (volume && overlay != null) {
			throw new AnySegException("--overlay is for 2D images; a volume's labels go to --out " +
				"only.");
		}
		OutputPaths.check(java.util.Arrays.asList(image, prompts), new OutputPaths.Output("--out",
			out, volume ? OutputPaths.VOLUME_FORMATS : OutputPaths.LABEL_FORMATS),
			new OutputPaths.Output("--overlay", overlay, java.util.Set.of("png")),
			new OutputPaths.Output("--objects", objects, java.util.Set.of("csv")));
	}

	/** Builds the objects from --prompts, --box and --point as the help text describes. */
	List<ObjectPrompt> objects() {
		final List<ObjectPrompt> list = new ArrayList<>();
		if (prompts != null) list.addAll(PromptCsv.read(prompts));
		list.addAll(optionObjects(list.stream().mapToInt(ObjectPrompt::label).max().orElse(0) +
			1));
		if (list.isEmpty()) {
			throw new AnySegException("No prompts given: add --point X,Y, --box X0,Y0,X1,Y1 or " +
				"--prompts FILE.csv.");
		}
		return list;
	}

	/** The objects of --point and --box, labelled from {@code firstLabel}. */
	List<ObjectPrompt> optionObjects(final int firstLabel) {
		final List<PointPrompt> pts = new ArrayList<>();
		for (final String p : points) pts.add(point(p));
		final List<BoxPrompt> bx = new ArrayList<>();
		for (final String b : boxes) bx.add(box(b));
		return PromptAssembly.objects(pts, bx, firstLabel);
	}

	private static PointPrompt point(final String s) {
		final double[] v = numbers(s, "--point", "X,Y or X,Y,1 or X,Y,0");
		if (v.length < 2 || v.length > 3 || v.length == 3 && v[2] != 0 && v[2] != 1) {
			throw new AnySegException("--point " + s + ": expected X,Y or X,Y,1 (object) or " +
				"X,Y,0 (background).");
		}
		return new PointPrompt(v[0], v[1], v.length == 2 || v[2] == 1);
	}

	private static BoxPrompt box(final String s) {
		final double[] v = numbers(s, "--box", "X0,Y0,X1,Y1");
		if (v.length != 4) throw new AnySegException("--box " + s + ": expected X0,Y0,X1,Y1.");
		return new BoxPrompt(v[0], v[1], v[2], v[3]);
	}

	private static double[] numbers(final String s, final String opt, final String form) {
		final String[] f = s.split(",");
		final double[] v = new double[f.length];
		try {
			for (int i = 0; i < f.length; i++) v[i] = Double.parseDouble(f[i].trim());
		}
		catch (final NumberFormatException e) {
			throw new AnySegException(opt + " " + s + ": expected numbers as " + form + ".");
		}
		return v;
	}
}

package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;

import org.anyseg.ops.io.nifti.NiftiHeader;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.FloatProcessor;

/**
 * The 3D commands run headless through SciJava's CommandService as a macro would: Propagate
 * in 3D on a stack prompted by a box on one slice (an overlay ROI with a slice position);
 * NIfTI import, propagation and NIfTI label saving keep the geometry; prompts drawn on
 * Orthogonal Views map back to volume coordinates.
 */
class PropagateCommandTest {

	static Context context;
	static CommandService commands;

	@TempDir
	Path tmp;

	@BeforeAll
	static void start() {
		context = new Context();
		commands = context.service(CommandService.class);
		context.service(AnySegService.class).setModel("demo");
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	/** 256x224x15 stack with a bright ellipsoid around (120, 100, 7). */
	static ImagePlus ellipsoid() {
		final ImageStack st = new ImageStack(256, 224);
		for (int z = 0; z < 15; z++) {
			final float[] f = new float[256 * 224];
			for (int y = 0; y < 224; y++) {
				for (int x = 0; x < 256; x++) {
					final double d = Math.pow((x - 120) / 12.0, 2) + Math.pow((y - 100) / 10.0, 2) + Math
						.pow((z - 7) / 6.5, 2);
					f[y * 256 + x] = d < 1 ? 2000 : 300;
				}
			}
			st.addSlice(new FloatProcessor(256, 224, f));
		}
		return new ImagePlus("ellipsoid", st);
	}

	private ImagePlus propagate(final ImagePlus imp) throws Exception {
		// prompts come from the ROI Manager when it holds any: start from an empty one
		final ij.plugin.frame.RoiManager rm = ij.plugin.frame.RoiManager.getInstance();
		if (rm != null) rm.reset();
		final Module m = run("image", imp, "normalization", "auto", "min_iou", 0.0,
			"min_area_ratio", 0.2, "follow", "box");
		return (ImagePlus) m.getOutput("labels");
	}

	/** As Fiji's menus run it: a DynamicCommand is its own module, not a CommandModule. */
	private static Module run(final Object... inputs) throws Exception {
		return context.service(ModuleService.class).run(commands.getCommand(
			PropagateCommand.class), true, inputs).get();
	}

	@Test
	void theDialogStartsFromTheModelsPropagationDefaults() throws Exception {
		// the demo's anyseg-model.json sets its own stop rules (min IoU off, containment on)
		final org.anyseg.ops.volume.Propagation.Options demo = org.anyseg.ops.volume.Propagation
			.Options.defaults(context.service(AnySegService.class).modelConfig());
		assertTrue(demo.minIou() != org.anyseg.ops.volume.Propagation.Options.defaults().minIou(),
			"the demo has its own min IoU");
		final ImagePlus imp = ellipsoid();
		final Roi box = new Roi(107, 89, 27, 23);
		box.setPosition(8);
		imp.setOverlay(new Overlay(box));
		final ij.plugin.frame.RoiManager rm = ij.plugin.frame.RoiManager.getInstance();
		if (rm != null) rm.reset();
		// only the image given: every setting is the model's
		final Module m = run("image", imp, "normalization", "auto");
		assertEquals(demo.minIou(), (double) m.getInput("min_iou"));
		assertEquals(demo.minInside(), (double) m.getInput("min_inside"));
		assertEquals(demo.minContrast(), (double) m.getInput("min_contrast"));
		assertEquals(demo.margin(), (double) m.getInput("margin"));
		assertEquals(demo.follow().word(), m.getInput("follow"));
		// a value the caller sets is kept
		final ImagePlus again = ellipsoid();
		again.setOverlay(new Overlay((Roi) box.clone()));
		final Module set = run("image", again, "normalization", "auto", "min_inside", 0.25);
		assertEquals(0.25, (double) set.getInput("min_inside"));
		assertEquals(demo.minIou(), (double) set.getInput("min_iou"));
	}

	@Test
	@Tag("slow")
	void aBoxOnOneSliceSegmentsSeveralSlices() throws Exception {
		final ImagePlus imp = ellipsoid();
		final Roi box = new Roi(107, 89, 27, 23);
		box.setPosition(8); // ImageJ slice 8 = z index 7
		final Overlay o = new Overlay();
		o.add(box);
		imp.setOverlay(o);
		final ImagePlus labels = propagate(imp);
		assertEquals(15, labels.getStackSize());
		assertEquals("ellipsoid-labels", labels.getTitle());
		int labelled = 0;
		for (int z = 1; z <= 15; z++) {
			if (labels.getStack().getProcessor(z).getStatistics().max == 1) labelled++;
		}
		assertTrue(labelled > 1, "more than the prompted slice is labelled: " + labelled);
		final ij.process.ImageProcessor prompted = labels.getStack().getProcessor(8);
		assertEquals(1, prompted.getPixel(120, 100), "the object's centre on the prompted slice");
		assertEquals(0, prompted.getPixel(20, 20));
		assertTrue(imp.getOverlay().size() > labelled, "outlines were added to the image");
	}

	@Test
	@Tag("realdata")
	void niftiImportPropagateAndSaveKeepTheGeometry() throws Exception {
		final Path ct = Fixtures.sharedData().resolve("totalseg_small_3d/example_ct_sm.nii.gz");
		final ImagePlus imp = (ImagePlus) commands.run(ImportNiftiCommand.class, true, "file", ct
			.toFile()).get().getOutput("volume");
		assertEquals(30, imp.getStackSize());
		assertEquals(NiftiHeader.read(ct).spacing()[2], imp.getCalibration().pixelDepth, 1e-6);
		final Roi box = new Roi(60, 40, 20, 22);
		box.setPosition(16);
		imp.setOverlay(new Overlay(box));
		final ImagePlus labels = propagate(imp);
		final File out = tmp.resolve("labels.nii.gz").toFile();
		commands.run(SaveNiftiLabelsCommand.class, true, "labels", labels, "file", out).get();
		final NiftiHeader a = NiftiHeader.read(ct), b = NiftiHeader.read(out.toPath());
		assertArrayEquals(a.dims(), b.dims());
		assertArrayEquals(a.srow()[1], b.srow()[1]);
		assertArrayEquals(a.pixdim(), b.pixdim());
	}

	@Test
	void orthogonalViewPromptsMapToTheVolume() {
		// XZ view: x across, z down stretched 4x (e.g. 1 mm pixels, 4 mm slices)
		final ObjectPrompt xz = OrthoPrompts.map(new Roi(10, 8, 20, 16), false, 4, 1);
		assertArrayEquals(new double[] { 10, 2, 30, 6 }, new double[] { xz.box().x0(), xz.box()
			.y0(), xz.box().x1(), xz.box().y1() });
		// YZ view unrotated: z across (stretched 2x), y down
		final ObjectPrompt yz = OrthoPrompts.map(new PointRoi(12, 40), true, 2, 1);
		assertEquals(40, yz.points().get(0).x(), "u of the x-walk view is y");
		assertEquals(6, yz.points().get(0).y(), "w is z = 12 / 2");
	}
}

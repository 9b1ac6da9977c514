package org.anyseg.plugin.fiji;

import org.anyseg.plugin.roi.RoiSets;
import org.anyseg.testutil.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ShortProcessor;

/**
 * Plugins > AnySeg > Segment Everything headless through the CommandService: the dialog's
 * defaults come from the current model's anyseg-model.json, values a caller gives win, and
 * the outlines of a label image are traced in place.
 */
class SegmentEverythingCommandTest {

	@TempDir
	Path tmp;
	Context context;
	CommandService commands;

	@BeforeEach
	void start() throws Exception {
		Fixtures.demoModelWith(tmp.resolve("models/demo-tuned"), "{\"family\": \"sam\", " +
			"\"segment_everything\": {\"points_per_side\": 4, \"pred_iou_thresh\": 0.0, " +
			"\"stability_score_thresh\": 0.0, \"min_mask_region_area\": 3}}");
		context = new Context();
		commands = context.service(CommandService.class);
		final AnySegService anyseg = context.service(AnySegService.class);
		anyseg.configure(1, 64, tmp.resolve("models"));
		anyseg.setModel("demo-tuned");
	}

	@AfterEach
	void stop() {
		context.service(org.scijava.prefs.PrefService.class).clear(AnySegService.class);
		context.dispose();
	}

	/** As Fiji's menus run it: a DynamicCommand is its own module, not a CommandModule. */
	private Module run(final Object... inputs) throws Exception {
		return context.service(ModuleService.class).run(commands.getCommand(
			SegmentEverythingCommand.class), true, inputs).get();
	}

	@Test
	@Tag("slow")
	void dialogStartsFromTheModelsOwnDefaults() throws Exception {
		final Module m = run("image", org.anyseg.testutil.Discs.image(), "normalization", "auto",
			"add_to_roi_manager", false);
		assertEquals(4, m.getInput("points_per_side"));
		assertEquals(0.0, (Double) m.getInput("pred_iou_thresh"));
		assertEquals(0.0, (Double) m.getInput("stability_score_thresh"));
		assertEquals(3, m.getInput("min_mask_region_area"));
		assertEquals(0.7, (Double) m.getInput("box_nms_thresh"), "not set by the model: SAM's");
		final ImagePlus labels = (ImagePlus) m.getOutput("labels");
		assertEquals(512, labels.getWidth());
		assertEquals(400, labels.getHeight());
		assertTrue(labels.getProcessor().getStatistics().max > 0, "no threshold: masks kept");
	}

	@Test
	void valuesGivenByTheCallerWin() throws Exception {
		final Module m = run("image", org.anyseg.testutil.Discs.image(), "normalization", "auto",
			"add_to_roi_manager", false, "points_per_side", 2, "pred_iou_thresh", 1.5);
		assertEquals(2, m.getInput("points_per_side"));
		assertEquals(1.5, (Double) m.getInput("pred_iou_thresh"));
		final ImagePlus labels = (ImagePlus) m.getOutput("labels");
		assertEquals(0.0, labels.getProcessor().getStatistics().max,
			"no mask reaches a predicted IoU of 1.5");
	}

	@Test
	void outlinesAreTracedWhereTheObjectsAre() {
		final int w = 300, h = 200;
		final ShortProcessor sp = new ShortProcessor(w, h);
		for (int y = 20; y < 50; y++) for (int x = 210; x < 260; x++) sp.set(x, y, 7);
		for (int y = 120; y < 190; y++) for (int x = 5; x < 25; x++) sp.set(x, y, 2);
		sp.set(150, 100, 2); // a second, one-pixel part of object 2
		final List<Roi> rois = RoiSets.outlines((short[]) sp.getPixels(), w, h);
		assertEquals(2, rois.size());
		assertEquals("object 2", rois.get(0).getName());
		assertEquals(new java.awt.Rectangle(5, 100, 146, 90), rois.get(0).getBounds());
		assertTrue(rois.get(0).contains(150, 100) && rois.get(0).contains(10, 150));
		assertTrue(!rois.get(0).contains(100, 150), "between the parts");
		assertEquals("object 7", rois.get(1).getName());
		assertEquals(new java.awt.Rectangle(210, 20, 50, 30), rois.get(1).getBounds());
		assertEquals(1500, rois.get(1).getStatistics().pixelCount);
	}
}

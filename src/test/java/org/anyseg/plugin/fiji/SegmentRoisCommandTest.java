package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;

import org.anyseg.testutil.Errors;
import org.anyseg.testutil.Discs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;

/**
 * The ROI-prompt command run headless through SciJava's CommandService, on a synthetic image
 * of two bright discs whose true masks are known.
 */
class SegmentRoisCommandTest {

	static Context context;
	static CommandService commands;

	@BeforeAll
	static void start() {
		context = new Context();
		commands = context.service(CommandService.class);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private ImagePlus run(final ImagePlus imp) throws Exception {
		final CommandModule m = commands.run(SegmentRoisCommand.class, true, "image", imp,
			"normalization", "auto", "channel", 0, "add_to_roi_manager", false, "overlay", true)
			.get();
		return (ImagePlus) m.getOutput("labels");
	}

	@Test
	void boxAndPointPromptsFromTheOverlay() throws Exception {
		final ImagePlus imp = Discs.image();
		final Overlay o = new Overlay();
		o.add(new Roi(36, 36, 49, 49)); // box around disc 1
		o.add(new PointRoi(150, 100)); // click on disc 2
		imp.setOverlay(o);
		final ImagePlus labels = run(imp);
		assertNotNull(labels);
		assertEquals(16, labels.getBitDepth());
		assertTrue(Discs.dice(labels, 1, 60, 60, 20) > 0.85, "box object " + Discs.dice(labels, 1, 60, 60, 20));
		assertTrue(Discs.precision(labels, 2, 150, 100, 25) > 0.9, "point object lies in disc 2");
		assertEquals(2, labels.getProcessor().get(150, 100), "the clicked pixel is in object 2");
		assertEquals(4, imp.getOverlay().size(), "two prompts kept, two outlines added");
	}

	@Test
	void groupedRoisFormOneObjectAndOvalsGiveMaskPrompts() throws Exception {
		final ImagePlus imp = Discs.image();
		final Overlay o = new Overlay();
		final Roi box = new Roi(120, 70, 61, 61);
		box.setGroup(3);
		final PointRoi inside = new PointRoi(150, 100);
		inside.setGroup(3);
		o.add(box);
		o.add(inside);
		o.add(new OvalRoi(41, 41, 39, 39));
		imp.setOverlay(o);
		final ImagePlus labels = run(imp);
		assertTrue(Discs.dice(labels, 1, 150, 100, 25) > 0.85, "group object");
		assertTrue(Discs.dice(labels, 2, 60, 60, 20) > 0.85, "oval object");
		assertEquals(2, labels.getProcessor().getStatistics().max, 0);
	}

	@Test
	void hyperstackRoiPositionsSelectThePlane() throws Exception {
		final ImagePlus d = Discs.image();
		final ij.ImageStack st = new ij.ImageStack(d.getWidth(), d.getHeight());
		for (int i = 0; i < 2 * 2 * 2; i++) st.addSlice(d.getProcessor().duplicate());
		final ImagePlus hs = new ImagePlus("5d", st);
		hs.setDimensions(2, 2, 2); // C, Z, T
		final Roi box = new Roi(36, 36, 49, 49);
		box.setPosition(1, 2, 2);
		final Overlay o = new Overlay();
		o.add(box);
		hs.setOverlay(o);
		final ImagePlus labels = run(hs);
		assertEquals(4, labels.getStackSize(), "one label plane per slice and frame");
		assertEquals(2, labels.getNSlices());
		assertEquals(2, labels.getNFrames());
		labels.setPosition(1, 2, 2);
		assertTrue(Discs.dice(labels, 1, 60, 60, 20) > 0.85, "object on z=2, t=2");
		labels.setPosition(1, 1, 1);
		assertEquals(0, labels.getProcessor().getStatistics().max, 0, "nothing on z=1, t=1");
		final Roi far = new Roi(36, 36, 49, 49);
		far.setPosition(1, 3, 1);
		hs.setOverlay(new Overlay(far));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> run(hs));
		assertTrue(Errors.userMessage(e).contains("slice 3"), Errors.userMessage(e));
	}

	@Test
	void lineRoisAndMissingPromptsAreRefused() {
		final ImagePlus imp = Discs.image();
		final ExecutionException none = assertThrows(ExecutionException.class, () -> run(imp));
		assertTrue(Errors.userMessage(none).contains("No prompts"), Errors.userMessage(none));
		imp.setRoi(new Line(1, 1, 50, 50));
		final ExecutionException line = assertThrows(ExecutionException.class, () -> run(imp));
		assertTrue(Errors.userMessage(line).contains("is a line"), Errors.userMessage(line));
		assertTrue(imp.getOverlay() == null, "nothing added to the image on failure");
	}



	/** On a 3000x2500 image the ROI prompts are segmented in full-resolution windows. */
	@Test
	void largeImagesAreSegmentedInWindowsAtTheirPlace() throws Exception {
		final ImagePlus imp = Discs.large();
		final int[] b1 = Discs.largeBox(1), b2 = Discs.largeBox(2);
		final Overlay o = new Overlay();
		o.add(new Roi(b1[0], b1[1], b1[2] - b1[0], b1[3] - b1[1]));
		// an area ROI: box plus mask prompt
		o.add(new OvalRoi(b2[0], b2[1], b2[2] - b2[0], b2[3] - b2[1]));
		imp.setOverlay(o);
		final ij.process.ImageProcessor l = run(imp).getProcessor();
		Discs.assertLargeDisc(l, 1, 1, "ROI command, box");
		Discs.assertLargeDisc(l, 2, 2, "ROI command, oval");
		assertEquals(0, l.get(1500, 1200));
	}
}

package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.io.File;
import java.util.Arrays;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.anyseg.testutil.Discs;
import org.anyseg.testutil.Gui;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.scijava.Context;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.Toolbar;
import ij.plugin.frame.RoiManager;

/**
 * The interactive tool in a real window under an X server (Xvfb in CI): synthetic mouse and
 * key events on the image canvas, a screenshot for people to look at
 * ({@code target/screenshots/interactive-tool.png}), and the click-to-preview latency.
 */
@Tag("gui")
class InteractiveToolGuiTest {

	static Context context;
	static ImageJ ij;

	/** Each test is skipped with the reason without a display; ImageJ starts once. */
	@BeforeEach
	void start() {
		Gui.assumeDisplay();
		if (context != null) return;
		context = new Context();
		ij = new ImageJ(ImageJ.NO_SHOW);
	}

	@AfterAll
	static void stop() {
		if (ij != null) ij.quit();
		if (context != null) context.dispose();
	}

	private static void onEdt(final Runnable r) throws Exception {
		EventQueue.invokeAndWait(r);
	}

	private static void mouse(final ImageCanvas c, final int id, final int x, final int y,
		final int mods) throws Exception
	{
		onEdt(() -> c.dispatchEvent(new MouseEvent(c, id, System.currentTimeMillis(), mods, x, y,
			1, false, MouseEvent.BUTTON1)));
	}

	private static void key(final ImageCanvas c, final int code, final int mods)
		throws Exception
	{
		onEdt(() -> c.dispatchEvent(new KeyEvent(c, KeyEvent.KEY_PRESSED, System
			.currentTimeMillis(), mods, code, KeyEvent.CHAR_UNDEFINED)));
	}

	private static double waitForPreview(final InteractiveSegmentationTool tool,
		final double before) throws Exception
	{
		for (int i = 0; i < 300; i++) {
			final double l = tool.lastLatencyMs()[0];
			if (!Double.isNaN(l) && l != before) return l;
			Thread.sleep(50);
		}
		throw new AssertionError("no preview within 15 s");
	}

	@Test
	void clickDragAcceptAndScreenshot() throws Exception {
		final ImagePlus imp = Discs.image();
		imp.setTitle("discs");
		final ij.gui.Roi mine = new ij.gui.Roi(400, 300, 20, 20);
		mine.setName("user annotation");
		imp.setOverlay(new ij.gui.Overlay(mine));
		final InteractiveSegmentationTool tool = showWithTool(imp);
		final ImageCanvas c = imp.getCanvas();
		assertNotNull(c);
		assertEquals(1.0, c.getMagnification(), 0);

		// drag a box around disc 1, accept it
		mouse(c, MouseEvent.MOUSE_PRESSED, 36, 36, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_DRAGGED, 60, 60, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_DRAGGED, 85, 85, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_RELEASED, 85, 85, 0);
		waitForPreview(tool, Double.NaN);
		key(c, KeyEvent.VK_ENTER, 0);
		assertNotNull(tool.labels(), "Enter accepts into a label image");
		assertTrue(Discs.dice(tool.labels(), 1, 60, 60, 20) > 0.8);
		onEdt(() -> { // no window manager under Xvfb: place the windows side by side
			imp.getWindow().setLocation(0, 0);
			tool.labels().getWindow().setLocation(imp.getWindow().getWidth() + 10, 0);
		});

		// click disc 2 ten times (Escape in between) to measure click-to-preview latency
		final double[] latency = new double[10], decode = new double[10];
		double before = tool.lastLatencyMs()[0];
		for (int i = 0; i < latency.length; i++) {
			mouse(c, MouseEvent.MOUSE_PRESSED, 150 + i % 3, 100, InputEvent.BUTTON1_DOWN_MASK);
			mouse(c, MouseEvent.MOUSE_RELEASED, 150 + i % 3, 100, 0);
			before = waitForPreview(tool, before);
			latency[i] = tool.lastLatencyMs()[0];
			decode[i] = tool.lastLatencyMs()[1];
			if (i < latency.length - 1) key(c, KeyEvent.VK_ESCAPE, 0);
		}
		Arrays.sort(latency);
		Arrays.sort(decode);
		System.out.printf(Locale.ROOT, "[InteractiveToolGuiTest] click-to-preview median %.1f ms, " +
			"decoder median %.1f ms, difference %.1f ms (10 clicks)%n", latency[5], decode[5],
			latency[5] - decode[5]);

		// Alt-click a negative point on the background, then screenshot with preview
		mouse(c, MouseEvent.MOUSE_PRESSED, 190, 140, InputEvent.BUTTON1_DOWN_MASK | InputEvent.ALT_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_RELEASED, 190, 140, InputEvent.ALT_DOWN_MASK);
		waitForPreview(tool, before);
		onEdt(() -> imp.getWindow().toFront());
		IJ.wait(500);
		final Rectangle r = imp.getWindow().getBounds().union(tool.labels().getWindow()
			.getBounds());
		final File shot = new File("target/screenshots/interactive-tool.png");
		shot.getParentFile().mkdirs();
		ImageIO.write(new Robot().createScreenCapture(r), "png", shot);
		assertTrue(shot.length() > 1000);

		// undo the negative click, accept disc 2
		key(c, KeyEvent.VK_Z, InputEvent.CTRL_DOWN_MASK);
		waitForPreview(tool, tool.lastLatencyMs()[0]);
		key(c, KeyEvent.VK_ENTER, 0);
		assertEquals(2, tool.labels().getProcessor().getStatistics().max, 0);
		assertEquals(2, RoiManager.getInstance().getCount(), "both objects in the ROI Manager");
		assertTrue(imp.getOverlay().getIndex("user annotation") >= 0, "the user's overlay is kept");
		closeAll(imp, tool);
	}

	/** Shows the image with a new AnySeg tool selected in the toolbar. */
	private InteractiveSegmentationTool showWithTool(final ImagePlus imp) throws Exception {
		final InteractiveSegmentationTool tool = new InteractiveSegmentationTool(context.service(
			AnySegService.class));
		onEdt(() -> {
			Toolbar.addPlugInTool(tool);
			imp.show();
		});
		IJ.wait(500);
		return tool;
	}

	/** Leaves no ROI Manager, image or label image behind for the other tests. */
	private static void closeAll(final ImagePlus imp, final InteractiveSegmentationTool tool)
		throws Exception
	{
		onEdt(() -> {
			if (RoiManager.getInstance() != null) {
				RoiManager.getInstance().reset();
				RoiManager.getInstance().close();
			}
		});
		imp.changes = false;
		imp.close();
		tool.labels().changes = false;
		tool.labels().close();
	}

	/** A 3000x2500 image: the click is segmented in a full-resolution window at its place. */
	@Test
	void largeImagesArePromptedAtFullResolution() throws Exception {
		final ImagePlus imp = Discs.large();
		final int[] centre = Discs.largeCentre(1);
		final InteractiveSegmentationTool tool = showWithTool(imp);
		final ImageCanvas c = imp.getCanvas();
		onEdt(() -> c.setMagnification(1.0)); // show the disc's region at 100 %
		onEdt(() -> c.setSourceRect(new Rectangle(centre[0] - 200, centre[1] - 200, c.getWidth(), c
			.getHeight())));
		IJ.wait(200);
		final int sx = c.screenX(centre[0]), sy = c.screenY(centre[1]);
		mouse(c, MouseEvent.MOUSE_PRESSED, sx - 20, sy - 20, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_DRAGGED, sx, sy, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_DRAGGED, sx + 20, sy + 20, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_RELEASED, sx + 20, sy + 20, 0);
		waitForPreview(tool, Double.NaN);
		key(c, KeyEvent.VK_ENTER, 0);
		Discs.assertLargeDisc(tool.labels().getProcessor(), 1, 1, "interactive tool");
		closeAll(imp, tool);
	}

	@Test
	void movingThroughAStackReusesEmbeddings() throws Exception {
		final ij.ImageStack st = new ij.ImageStack(512, 400);
		for (int i = 0; i < 3; i++) st.addSlice(Discs.image(7 + i * 20).getProcessor()); // unseen planes
		final ImagePlus imp = new ImagePlus("stack", st);
		final AnySegService anyseg = context.service(AnySegService.class);
		final InteractiveSegmentationTool tool = new InteractiveSegmentationTool(anyseg);
		onEdt(() -> {
			Toolbar.addPlugInTool(tool);
			imp.show();
			imp.getWindow().setLocation(0, 0);
		});
		IJ.wait(500);
		final ImageCanvas c = imp.getCanvas();
		final int before = anyseg.segmenter().encoderRuns();
		double last = tool.lastLatencyMs()[0];
		for (final int z : new int[] { 1, 2, 1, 2 }) {
			onEdt(() -> imp.setSlice(z));
			mouse(c, MouseEvent.MOUSE_PRESSED, 60, 60, InputEvent.BUTTON1_DOWN_MASK);
			mouse(c, MouseEvent.MOUSE_RELEASED, 60, 60, 0);
			last = waitForPreview(tool, last);
		}
		assertEquals(2, anyseg.segmenter().encoderRuns() - before,
			"each plane encoded once, going back is served from the cache");
		imp.changes = false;
		imp.close();
	}

	@Test
	void userErrorsShowAnImageJDialogAndChangeNothing() throws Exception {
		final ImagePlus imp = Discs.image();
		final java.util.concurrent.Future<?> run = context.service(
			org.scijava.command.CommandService.class).run(SegmentRoisCommand.class, true, "image",
				imp, "add_to_roi_manager", true, "overlay", true);
		java.awt.Dialog dialog = null;
		for (int i = 0; i < 100 && dialog == null; i++) {
			for (final java.awt.Window w : java.awt.Window.getWindows()) {
				if (w instanceof ij.gui.MessageDialog d && w.isShowing() && "AnySeg".equals(d
					.getTitle())) dialog = d;
			}
			Thread.sleep(50);
		}
		assertNotNull(dialog, "an AnySeg error dialog appears (no prompts on the image)");
		final File shot = new File("target/screenshots/error-dialog.png");
		shot.getParentFile().mkdirs();
		ImageIO.write(new Robot().createScreenCapture(dialog.getBounds()), "png", shot);
		final java.awt.Dialog d = dialog;
		onEdt(d::dispose);
		run.get(); // the command ends normally after the message
		assertEquals(null, imp.getOverlay(), "nothing was added to the image");
	}
}

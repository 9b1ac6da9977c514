package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.anyseg.plugin.cli.AnySegCli;
import org.anyseg.plugin.record.PromptRecord;
import org.anyseg.plugin.record.Recovery;
import org.anyseg.testutil.Discs;
import org.anyseg.testutil.Gui;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.Toolbar;
import ij.plugin.frame.RoiManager;

/**
 * The whole 3D correction loop under an X server, with synthetic events on a synthetic
 * stack: accept an object, propagate it (P), correct two slices (Shift+Enter), check that
 * each correction changed only the slices between its neighbouring prompted slices, undo,
 * save the prompt record, replay it with the CLI in-process on the same model and compare
 * the label volumes voxel for voxel; then reopen the image and restore the work from the
 * recovery folder. Screenshot: {@code target/screenshots/corrected_3d.png}.
 */
@Tag("gui")
class StackCorrectionGuiTest {

	static Context context;
	static ImageJ ij;

	@TempDir
	Path tmp;

	@BeforeEach
	void start() {
		Gui.assumeDisplay();
		if (context != null) return;
		context = new Context();
		ij = new ImageJ(ImageJ.NO_SHOW);
	}

	@AfterAll
	static void stop() throws Exception {
		// the ROI Manager is JVM-wide: its outlines would become other tests' prompts
		onEdt(() -> {
			final RoiManager rm = RoiManager.getInstance();
			if (rm != null) {
				rm.reset();
				rm.close();
			}
		});
		if (ij != null) ij.quit();
		if (context != null) context.dispose();
		System.clearProperty(Recovery.ROOT_PROPERTY);
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

	private static void box(final ImageCanvas c, final int x0, final int y0, final int x1,
		final int y1) throws Exception
	{
		mouse(c, MouseEvent.MOUSE_PRESSED, x0, y0, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_DRAGGED, (x0 + x1) / 2, (y0 + y1) / 2,
			InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_DRAGGED, x1, y1, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_RELEASED, x1, y1, 0);
	}

	private static void waitPreview(final InteractiveSegmentationTool tool, final double before)
		throws Exception
	{
		for (int i = 0; i < 600; i++) {
			final double l = tool.lastLatencyMs()[0];
			if (!Double.isNaN(l) && l != before) return;
			Thread.sleep(50);
		}
		throw new AssertionError("no preview within 30 s");
	}

	private static void waitRevision(final StackActions a, final int rev) throws Exception {
		for (int i = 0; i < 1200 && a.revision() < rev; i++) Thread.sleep(50);
		assertEquals(rev, a.revision(), "change " + rev + " applied within 60 s");
		onEdt(() -> {}); // and drawn
	}

	private static short[][] volume(final ImagePlus labels) {
		final short[][] v = new short[labels.getStackSize()][];
		for (int z = 0; z < v.length; z++) v[z] = ((short[]) labels.getStack().getPixels(z + 1))
			.clone();
		return v;
	}

	/** Asserts that only slices first..last (0-based, inclusive) may differ. */
	private static void onlyBetween(final short[][] before, final short[][] after,
		final int first, final int last)
	{
		for (int z = 0; z < before.length; z++) {
			if (z < first || z > last) assertArrayEquals(before[z], after[z], "slice index " + z +
				" is outside the corrected range " + first + ".." + last + " and must not change");
		}
	}

	/** An 8-slice stack of {@link Discs#image(int)}: disc 2 moves 3 pixels a slice. */
	private Path stack() {
		final ij.ImageStack st = new ij.ImageStack(512, 400);
		for (int z = 0; z < 8; z++) st.addSlice(Discs.image(3 * z).getProcessor());
		final Path p = tmp.resolve("cells.tif");
		IJ.saveAsTiff(new ImagePlus("cells", st), p.toString());
		return p;
	}

	private InteractiveSegmentationTool show(final ImagePlus imp) throws Exception {
		final InteractiveSegmentationTool tool = new InteractiveSegmentationTool(context.service(
			AnySegService.class));
		tool.stackActions().setRestoreQuestion(f -> true);
		onEdt(() -> {
			Toolbar.addPlugInTool(tool);
			imp.show();
			imp.getWindow().setLocation(0, 0);
		});
		IJ.wait(500);
		return tool;
	}

	@Test
	void acceptPropagateCorrectUndoReplayRecover() throws Exception {
		System.setProperty(Recovery.ROOT_PROPERTY, tmp.resolve("recovery").toString());
		final Path file = stack();
		final ImagePlus imp = IJ.openImage(file.toString());
		final InteractiveSegmentationTool tool = show(imp);
		final StackActions a = tool.stackActions();
		final ImageCanvas c = imp.getCanvas();

		// accept on slice index 1, propagate
		onEdt(() -> imp.setSlice(2));
		box(c, 125, 73, 182, 128); // disc 2 at (153, 100)
		waitPreview(tool, Double.NaN);
		key(c, KeyEvent.VK_ENTER, 0);
		waitRevision(a, 1);
		assertEquals(1, a.currentObject());
		key(c, KeyEvent.VK_P, 0);
		waitRevision(a, 2);
		final short[][] propagated = volume(tool.labels());
		assertEquals("cells-labels", tool.labels().getTitle());
		assertEquals(8, tool.labels().getStackSize());
		assertEquals(16, tool.labels().getBitDepth());

		// correct on slice index 6 with a click: only slices 2..7 may change (prompt on 1)
		onEdt(() -> imp.setSlice(7));
		double last = tool.lastLatencyMs()[0];
		mouse(c, MouseEvent.MOUSE_PRESSED, 168, 100, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c, MouseEvent.MOUSE_RELEASED, 168, 100, 0);
		waitPreview(tool, last);
		key(c, KeyEvent.VK_ENTER, InputEvent.SHIFT_DOWN_MASK);
		waitRevision(a, 3);
		final short[][] corrected = volume(tool.labels());
		onlyBetween(propagated, corrected, 2, 7);
		assertEquals(java.util.List.of(1, 6), a.record().slices(1));

		for (final java.awt.Window w : java.awt.Window.getWindows()) {
			assertTrue(!(w instanceof java.awt.Dialog) || !w.isShowing(), "the tool's keys (P, " +
				"Enter) ran no ImageJ shortcut (P would print): " + w);
		}

		// screenshot of the corrected object: the image and its label stack on slice 7
		onEdt(() -> {
			tool.labels().getWindow().setLocation(0, imp.getWindow().getHeight() + 10);
			tool.labels().setSlice(7);
			RoiManager.getInstance().setLocation(imp.getWindow().getWidth() + 10, 0);
		});
		IJ.wait(500);
		final Rectangle r = imp.getWindow().getBounds().union(tool.labels().getWindow()
			.getBounds()).union(RoiManager.getInstance().getBounds());
		final File shot = new File("target/screenshots/corrected_3d.png");
		shot.getParentFile().mkdirs();
		ImageIO.write(new Robot().createScreenCapture(r), "png", shot);
		assertTrue(shot.length() > 1000);

		// a second correction with a box on slice index 3: only slices 2..5 may change
		onEdt(() -> imp.setSlice(4));
		last = tool.lastLatencyMs()[0];
		box(c, 130, 71, 189, 130);
		waitPreview(tool, last);
		key(c, KeyEvent.VK_ENTER, InputEvent.SHIFT_DOWN_MASK);
		waitRevision(a, 4);
		onlyBetween(corrected, volume(tool.labels()), 2, 5);

		// undo restores the previous volume of the object exactly
		key(c, KeyEvent.VK_Z, InputEvent.CTRL_DOWN_MASK);
		waitRevision(a, 5);
		final short[][] kept = volume(tool.labels());
		for (int z = 0; z < kept.length; z++) assertArrayEquals(corrected[z], kept[z]);
		assertEquals(java.util.List.of(1, 6), a.record().slices(1));

		// a second object (disc 1); the ROI Manager lists both; select object 1 there and
		// delete it, renumber (object 2 becomes 1), then undo both
		onEdt(() -> imp.setSlice(2));
		last = tool.lastLatencyMs()[0];
		box(c, 36, 36, 85, 85);
		waitPreview(tool, last);
		key(c, KeyEvent.VK_ENTER, 0);
		waitRevision(a, 6);
		final RoiManager rm = RoiManager.getInstance();
		assertEquals(2, rm.getCount());
		assertEquals("AnySeg 1", rm.getRoi(0).getName());
		assertEquals("AnySeg 2", rm.getRoi(1).getName());
		onEdt(() -> rm.select(0));
		key(c, KeyEvent.VK_DELETE, 0);
		waitRevision(a, 7);
		assertEquals(java.util.List.of(2), a.record().labels());
		assertEquals(1, rm.getCount());
		key(c, KeyEvent.VK_R, 0);
		waitRevision(a, 8);
		assertEquals(java.util.List.of(1), a.record().labels());
		assertEquals(1, (int) tool.labels().getStack().getProcessor(2).getStatistics().max);
		key(c, KeyEvent.VK_Z, InputEvent.CTRL_DOWN_MASK);
		key(c, KeyEvent.VK_Z, InputEvent.CTRL_DOWN_MASK);
		key(c, KeyEvent.VK_Z, InputEvent.CTRL_DOWN_MASK);
		waitRevision(a, 11);
		final short[][] back = volume(tool.labels());
		for (int z = 0; z < kept.length; z++) assertArrayEquals(kept[z], back[z]);

		// save the record; replay it with the CLI on the same model; compare voxel for voxel
		final Path csv = tmp.resolve("cells-prompts.csv");
		onEdt(() -> a.savePrompts(csv));
		final String text = Files.readString(csv);
		assertTrue(text.startsWith("object,type,x0,y0,x1,y1,label,z\n"), text);
		assertTrue(text.contains("# sha256: "), text);
		final Path out = tmp.resolve("replayed.tif");
		final StringWriter o = new StringWriter(), e = new StringWriter();
		final String replay = text.lines().filter(l -> l.startsWith("# replay: anyseg ")).findFirst()
			.orElseThrow().substring("# replay: anyseg ".length());
		final String[] args = java.util.Arrays.stream(replay.split(" ")).map(t -> t.equals("IMAGE")
			? file.toString() : t.equals("THIS.csv") ? csv.toString() : t.equals("LABELS.tif") ? out
				.toString() : t).toArray(String[]::new);
		assertEquals(0, AnySegCli.run(args, new PrintWriter(o, true), new PrintWriter(e, true)), e
			.toString());
		final short[][] replayed = volume(IJ.openImage(out.toString()));
		assertEquals(kept.length, replayed.length);
		for (int z = 0; z < kept.length; z++) {
			int n1 = 0, n2 = 0;
			for (final short v : kept[z]) if (v != 0) n1++;
			for (final short v : replayed[z]) if (v != 0) n2++;
			System.out.println("[StackCorrectionGuiTest] slice " + z + ": tool " + n1 + ", cli " + n2);
		}
		System.out.println(text + o);
		for (int z = 0; z < kept.length; z++) assertArrayEquals(kept[z], replayed[z],
			"slice index " + z + " replays voxel for voxel");
		int voxels = 0;
		for (final short[] s : kept) for (final short v : s) if (v == 1) voxels++;
		assertTrue(voxels > 1000, "the object has volume: " + voxels);

		// "crash": the windows go, the recovery folder stays; reopening offers it back
		onEdt(() -> {
			rm.reset();
			rm.close();
			imp.changes = false;
			imp.close();
			tool.labels().changes = false;
			tool.labels().close();
		});
		assertEquals(PromptRecord.read(csv, 0).targets().toString(), new Recovery(IJ.openImage(file
			.toString())).record(0).targets().toString());
		final ImagePlus again = IJ.openImage(file.toString());
		final InteractiveSegmentationTool tool2 = show(again);
		final ImageCanvas c2 = again.getCanvas();
		mouse(c2, MouseEvent.MOUSE_PRESSED, 10, 10, InputEvent.BUTTON1_DOWN_MASK);
		mouse(c2, MouseEvent.MOUSE_RELEASED, 10, 10, 0);
		waitRevision(tool2.stackActions(), 1);
		final short[][] restored = volume(tool2.labels());
		for (int z = 0; z < kept.length; z++) assertArrayEquals(kept[z], restored[z]);
		assertEquals(java.util.List.of(1, 6), tool2.stackActions().record().slices(1));
		onEdt(() -> {
			again.changes = false;
			again.close();
			tool2.labels().changes = false;
			tool2.labels().close();
		});
	}

	/**
	 * The same loop on a time series (one slice, 8 frames): the tool walks the frames,
	 * the labels are a time series too, and the saved record replays voxel for voxel.
	 */
	@Test
	void aTimeSeriesIsWalkedThroughItsFrames() throws Exception {
		System.setProperty(Recovery.ROOT_PROPERTY, tmp.resolve("recovery-t").toString());
		final ij.ImageStack st = new ij.ImageStack(512, 400);
		for (int t = 0; t < 8; t++) st.addSlice(Discs.image(3 * t).getProcessor());
		final ImagePlus series = new ImagePlus("movie", st);
		series.setDimensions(1, 1, 8);
		final Path file = tmp.resolve("movie.tif");
		IJ.saveAsTiff(series, file.toString());
		final ImagePlus imp = IJ.openImage(file.toString());
		assertEquals(8, imp.getNFrames());
		assertEquals(1, imp.getNSlices());
		final InteractiveSegmentationTool tool = show(imp);
		final StackActions a = tool.stackActions();
		final ImageCanvas c = imp.getCanvas();
		onEdt(() -> imp.setSlice(2));
		box(c, 125, 73, 182, 128);
		waitPreview(tool, Double.NaN);
		key(c, KeyEvent.VK_ENTER, 0);
		waitRevision(a, 1);
		key(c, KeyEvent.VK_P, 0);
		waitRevision(a, 2);
		final short[][] propagated = volume(tool.labels());
		assertEquals(8, tool.labels().getNFrames(), "the labels are a time series too");
		int frames = 0;
		for (final short[] f : propagated) {
			for (final short v : f) {
				if (v == 1) {
					frames++;
					break;
				}
			}
		}
		assertTrue(frames > 1, "propagated to more than the prompted frame: " + frames);
		onEdt(() -> imp.setSlice(7));
		final double last = tool.lastLatencyMs()[0];
		box(c, 140, 73, 197, 128);
		waitPreview(tool, last);
		key(c, KeyEvent.VK_ENTER, InputEvent.SHIFT_DOWN_MASK);
		waitRevision(a, 3);
		final short[][] corrected = volume(tool.labels());
		onlyBetween(propagated, corrected, 2, 7);
		assertEquals(java.util.List.of(1, 6), a.record().slices(1));
		final Path csv = tmp.resolve("movie-prompts.csv");
		onEdt(() -> a.savePrompts(csv));
		final String text = Files.readString(csv);
		final Path out = tmp.resolve("movie-replayed.tif");
		final String replay = text.lines().filter(l -> l.startsWith("# replay: anyseg ")).findFirst()
			.orElseThrow().substring("# replay: anyseg ".length());
		final String[] args = java.util.Arrays.stream(replay.split(" ")).map(t -> t.equals("IMAGE")
			? file.toString() : t.equals("THIS.csv") ? csv.toString() : t.equals("LABELS.tif") ? out
				.toString() : t).toArray(String[]::new);
		final StringWriter e = new StringWriter();
		assertEquals(0, AnySegCli.run(args, new PrintWriter(new StringWriter(), true),
			new PrintWriter(e, true)), e.toString());
		final ImagePlus back = IJ.openImage(out.toString());
		assertEquals(8, back.getNFrames(), "the CLI writes a time series for a time series");
		final short[][] replayed = volume(back);
		for (int z = 0; z < corrected.length; z++) assertArrayEquals(corrected[z], replayed[z],
			"frame index " + z + " replays voxel for voxel");
		onEdt(() -> {
			RoiManager.getInstance().reset();
			imp.changes = false;
			imp.close();
			tool.labels().changes = false;
			tool.labels().close();
		});
	}
}

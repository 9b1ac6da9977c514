package org.anyseg.plugin.fiji;

import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.awt.event.KeyListener;
import java.awt.event.MouseEvent;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.PromptSession;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.Roi;
import ij.plugin.tool.PlugInTool;

/**
 * The AnySeg toolbar tool: click = positive point, Alt-click = negative point, drag = box;
 * the mask preview follows each prompt. Enter accepts the object (ROI Manager and label
 * image), Escape clears, M cycles the candidate masks, Ctrl+Z undoes the last prompt. On a
 * stack the objects live in one label stack and a replayable prompt record
 * ({@link StackActions}): P propagates every object through the stack (Esc keeps what is
 * done), Shift+Enter corrects the current object on this slice, Ctrl+Z with no prompts
 * undoes the last change, Delete removes the current object (or the one selected in the ROI
 * Manager), R renumbers the objects 1..n, S saves the prompts.
 * Decoding runs on a worker thread; a newer prompt supersedes older ones and only the latest
 * result is drawn. The embedding of a plane is computed on first use (status and progress
 * bar) and cached, so going back to a plane is instant. Every failure on the worker shows in
 * the status bar and the Log window. Events are handled here; the state is an
 * {@link InteractiveState}, drawn by {@link ToolOverlay}.
 */
public class InteractiveSegmentationTool extends PlugInTool implements KeyListener,
	ij.ImageListener
{

	private static final int DRAG_THRESHOLD = 3;

	private final AnySegService anyseg;
	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		final Thread t = new Thread(r, "AnySeg interactive decoder");
		t.setDaemon(true);
		return t;
	});
	private final AtomicLong generation = new AtomicLong();
	private final InteractiveState state = new InteractiveState();
	private final StackActions stack;
	private int pressX, pressY;
	private Rectangle dragging;

	public InteractiveSegmentationTool(final AnySegService anyseg) {
		this.anyseg = anyseg;
		this.stack = new StackActions(anyseg, state, worker, this::clear, this::draw);
		ImagePlus.addImageListener(this);
	}

	/**
	 * Double-click on the tool's icon: the propagation settings of stacks (the model's
	 * defaults unless changed here); they are written into every saved prompt record.
	 */
	@Override
	public void showOptionsDialog() {
		final org.anyseg.ops.volume.Propagation.Options o = stack.options();
		final ij.gui.GenericDialog gd = new ij.gui.GenericDialog("AnySeg tool: stacks");
		gd.addCheckbox("Use the model's propagation defaults", false);
		gd.addNumericField("Stop below predicted IoU", o.minIou(), 3);
		gd.addNumericField("Stop when the area falls below (x previous)", o.minAreaRatio(), 3);
		gd.addNumericField("Margin (fraction of the box)", o.margin(), 3);
		final String[] follow = { "box", "point", "box+point" };
		gd.addChoice("Next slice prompted with", follow, follow[o.follow().ordinal()]);
		gd.showDialog();
		if (gd.wasCanceled()) return;
		if (gd.getNextBoolean()) {
			stack.setOptions(null);
			return;
		}
		try {
			stack.setOptions(o.withMinIou(gd.getNextNumber()).withMinAreaRatio(gd.getNextNumber())
				.withMargin(gd.getNextNumber()).withFollow(org.anyseg.ops.volume.Propagation.Follow
					.parse(gd.getNextChoice())));
		}
		catch (final AnySegException ex) {
			IJ.error("AnySeg", ex.getMessage());
		}
	}

	// -- image listener: a stack's objects are drawn on the slice shown --

	private int drawnSlice;

	@Override
	public void imageUpdated(final ImagePlus imp) {
		if (imp != state.imp || state.stack == null || imp.getCurrentSlice() == drawnSlice) return;
		drawnSlice = imp.getCurrentSlice();
		draw();
	}

	@Override
	public void imageOpened(final ImagePlus imp) {}

	@Override
	public void imageClosed(final ImagePlus imp) {}

	/** The stack actions (propagate, correct, undo, save, recovery) of this tool. */
	public StackActions stackActions() {
		return stack;
	}

	@Override
	public String getToolName() {
		return "AnySeg interactive segmentation (click, Alt-click, drag; Enter, Esc, M, Ctrl+Z; " +
			"stacks: P propagate, Shift+Enter correct, Del delete, R renumber, S save prompts)";
	}

	@Override
	public String getToolIcon() {
		return "C037O11ccC0f0F6633C000L0f3c";
	}

	/** The image's label image, or null before the first accepted object. */
	public ImagePlus labels() {
		return state.labels;
	}

	/** Time from the last mouse release to its preview on screen, and its decoder time. */
	public double[] lastLatencyMs() {
		return new double[] { state.lastLatencyMs, state.lastDecodeMs };
	}

	// -- mouse --

	@Override
	public void mousePressed(final ImagePlus image, final MouseEvent e) {
		attach(image);
		final ImageCanvas c = image.getCanvas();
		pressX = c.offScreenX(e.getX());
		pressY = c.offScreenY(e.getY());
		dragging = null;
		e.consume();
	}

	@Override
	public void mouseDragged(final ImagePlus image, final MouseEvent e) {
		final ImageCanvas c = image.getCanvas();
		final int x = c.offScreenX(e.getX()), y = c.offScreenY(e.getY());
		dragging = new Rectangle(Math.min(x, pressX), Math.min(y, pressY), Math.abs(x - pressX), Math
			.abs(y - pressY));
		draw();
		e.consume();
	}

	@Override
	public void mouseReleased(final ImagePlus image, final MouseEvent e) {
		final long t0 = System.nanoTime();
		attach(image);
		final Rectangle box = dragging;
		dragging = null;
		final int w = image.getWidth(), h = image.getHeight();
		if (box != null && box.width >= DRAG_THRESHOLD && box.height >= DRAG_THRESHOLD) {
			final Rectangle r = box.intersection(new Rectangle(0, 0, w, h));
			if (r.isEmpty()) return;
			state.session.setBox(new BoxPrompt(r.x, r.y, r.x + r.width, r.y + r.height));
		}
		else {
			if (pressX < 0 || pressY < 0 || pressX >= w || pressY >= h) return;
			state.session.addPoint(new PointPrompt(pressX, pressY, !e.isAltDown()));
		}
		e.consume();
		preview(t0);
	}

	// -- keys --

	@Override
	public void keyPressed(final KeyEvent e) {
		if (state.session == null) return;
		final int k = e.getKeyCode();
		final boolean ctrl = e.isControlDown() || e.isMetaDown();
		if (k == KeyEvent.VK_ESCAPE && stack.running()) stack.cancel();
		else if (k == KeyEvent.VK_ENTER && e.isShiftDown() && state.stack != null) stack.correct();
		else if (k == KeyEvent.VK_ENTER) acceptObject();
		else if (k == KeyEvent.VK_ESCAPE) clear();
		else if (k == KeyEvent.VK_M) cycle();
		else if (k == KeyEvent.VK_P && state.stack != null) stack.propagate();
		else if (k == KeyEvent.VK_R && !ctrl && state.stack != null) stack.renumber();
		else if (k == KeyEvent.VK_S && !ctrl && state.stack != null) stack.savePromptsDialog();
		else if ((k == KeyEvent.VK_DELETE || k == KeyEvent.VK_BACK_SPACE) && state.stack != null)
			stack.deleteCurrent();
		else if (k == KeyEvent.VK_Z && ctrl && state.session.isEmpty() && state.stack != null) stack
			.undo();
		else if (k == KeyEvent.VK_Z && ctrl) undo();
		else return;
		e.consume();
	}

	@Override
	public void keyReleased(final KeyEvent e) {}

	@Override
	public void keyTyped(final KeyEvent e) {}

	// -- actions --

	/** Accepts the previewed object: ROI Manager, label image, outline kept on the image. */
	public void acceptObject() {
		if (state.stack != null) {
			stack.acceptNew();
			return;
		}
		final Roi roi = state.accept();
		if (roi == null) return;
		PromptSources.addToRoiManager(List.of(roi));
		clear();
	}

	public void clear() {
		generation.incrementAndGet();
		if (state.session != null) state.session.clear();
		state.shown = null;
		draw();
	}

	public void undo() {
		if (state.session == null || !state.session.undo()) return;
		if (state.session.isEmpty()) clear();
		else preview(System.nanoTime());
	}

	public void cycle() {
		final PromptSession.Located p = state.session == null ? null : state.session.cycle();
		if (p == null) return;
		state.shown = p;
		IJ.showStatus(String.format("AnySeg: candidate %d, predicted IoU %.3f", p.prediction()
			.chosen(), p.prediction().iou()));
		draw();
	}

	// -- internals --

	private void attach(final ImagePlus image) {
		final ImagePlus before = state.imp;
		if (state.attach(image, anyseg::segmenter)) {
			stack.attached();
			if (before != null && before.getCanvas() != null) before.getCanvas().removeKeyListener(
				this);
			if (image.getCanvas() != null) listenFirst(image.getCanvas());
		}
	}

	/**
	 * Puts the tool's key listener before ImageJ's own: ImageJ skips a consumed key, so the
	 * tool's keys (P, R, S, M...) do not also run ImageJ's one-letter shortcuts (Print...).
	 */
	private void listenFirst(final ImageCanvas c) {
		final KeyListener[] others = c.getKeyListeners();
		for (final KeyListener k : others) c.removeKeyListener(k);
		c.addKeyListener(this);
		for (final KeyListener k : others) if (k != this) c.addKeyListener(k);
	}

	private void preview(final long t0) {
		final ObjectPrompt snapshot = state.session.snapshot(state.nextLabel);
		final PromptSession s = state.session;
		final long gen = generation.incrementAndGet();
		draw();
		worker.submit(() -> {
			if (gen != generation.get()) return; // superseded before it started
			try {
				final long d0 = System.nanoTime();
				final boolean[] encoded = { false };
				final PromptSession.Located p = s.predict(snapshot, window -> {
					encoded[0] = true;
					IJ.showStatus("AnySeg: computing the embedding of this " + (window ? "window"
						: "plane") + " (once)...");
					IJ.showProgress(0.1);
				});
				if (encoded[0]) IJ.showProgress(1.0);
				final double decodeMs = (System.nanoTime() - d0) / 1e6;
				if (gen != generation.get()) return;
				EventQueue.invokeLater(() -> {
					if (gen != generation.get() || s != state.session) return;
					s.accept(p);
					state.shown = p;
					draw();
					state.lastDecodeMs = decodeMs;
					state.lastLatencyMs = (System.nanoTime() - t0) / 1e6;
					IJ.showStatus(String.format("AnySeg: predicted IoU %.3f (M: other candidates, " +
						"Enter: accept)", p.prediction().iou()));
				});
			}
			catch (final Throwable ex) { // any failure must reach the user, not die in the worker
				failed(ex);
			}
		});
	}

	/** Tells the user why a preview failed: status bar and Log window; returns the message. */
	static String failed(final Throwable ex) {
		final String msg = ex instanceof AnySegException ? "AnySeg: " + ex.getMessage()
			: "AnySeg: the preview failed (" + ex + "); please report it with the Log's details.";
		IJ.showProgress(1.0);
		IJ.showStatus(msg);
		IJ.log(msg);
		if (!(ex instanceof AnySegException)) {
			final java.io.StringWriter w = new java.io.StringWriter();
			ex.printStackTrace(new java.io.PrintWriter(w));
			IJ.log(w.toString());
		}
		return msg;
	}

	private void draw() {
		ToolOverlay.draw(state, dragging);
	}
}

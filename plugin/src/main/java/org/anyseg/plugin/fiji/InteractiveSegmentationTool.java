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
 * image), Escape clears, M cycles the candidate masks, Ctrl+Z undoes the last prompt.
 * Decoding runs on a worker thread; a newer prompt supersedes older ones and only the latest
 * result is drawn. The embedding of a plane is computed on first use (status and progress
 * bar) and cached, so going back to a plane is instant. Every failure on the worker shows in
 * the status bar and the Log window. Events are handled here; the state is an
 * {@link InteractiveState}, drawn by {@link ToolOverlay}.
 */
public class InteractiveSegmentationTool extends PlugInTool implements KeyListener {

	private static final int DRAG_THRESHOLD = 3;

	private final AnySegService anyseg;
	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		final Thread t = new Thread(r, "AnySeg interactive decoder");
		t.setDaemon(true);
		return t;
	});
	private final AtomicLong generation = new AtomicLong();
	private final InteractiveState state = new InteractiveState();
	private int pressX, pressY;
	private Rectangle dragging;

	public InteractiveSegmentationTool(final AnySegService anyseg) {
		this.anyseg = anyseg;
	}

	@Override
	public String getToolName() {
		return "AnySeg interactive segmentation (click, Alt-click, drag; Enter, Esc, M, Ctrl+Z)";
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
		if (k == KeyEvent.VK_ENTER) acceptObject();
		else if (k == KeyEvent.VK_ESCAPE) clear();
		else if (k == KeyEvent.VK_M) cycle();
		else if (k == KeyEvent.VK_Z && (e.isControlDown() || e.isMetaDown())) undo();
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
			if (before != null && before.getCanvas() != null) before.getCanvas().removeKeyListener(
				this);
			if (image.getCanvas() != null) image.getCanvas().addKeyListener(this);
		}
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

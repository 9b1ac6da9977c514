package org.anyseg.plugin.fiji;

import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.awt.event.KeyListener;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.PromptSession;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.plugin.tool.PlugInTool;
import ij.process.ColorProcessor;

/**
 * The AnySeg toolbar tool: click = positive point, Alt-click = negative point, drag = box;
 * the mask preview follows each prompt. Enter accepts the object (ROI Manager and label
 * image), Escape clears, M cycles the candidate masks, Ctrl+Z undoes the last prompt.
 * Decoding runs on a worker thread; a newer prompt supersedes older ones and only the latest
 * result is drawn. The embedding of a plane is computed on first use (status and progress
 * bar) and cached, so going back to a plane is instant.
 */
public class InteractiveSegmentationTool extends PlugInTool implements KeyListener {

	private static final int DRAG_THRESHOLD = 3;
	private static final Color PREVIEW = new Color(0, 255, 255);

	private final AnySegService anyseg;
	private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
		final Thread t = new Thread(r, "AnySeg interactive decoder");
		t.setDaemon(true);
		return t;
	});
	private final AtomicLong generation = new AtomicLong();
	private final List<Roi> accepted = new ArrayList<>();
	private ImagePlus imp;
	/** The image's own overlay when the tool attached; kept under the tool's drawing. */
	private Overlay baseOverlay;
	private int planeIndex;
	private PromptSession session;
	private PromptSession.Located shown;
	/** Planes larger than this are prompted in full-resolution windows of this side. */
	private int pressX, pressY;
	private Rectangle dragging;
	private ImagePlus labels;
	private int nextLabel = 1;
	private volatile double lastLatencyMs = Double.NaN;
	private volatile double lastDecodeMs = Double.NaN;

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
		return labels;
	}

	/** Time from the last mouse release to its preview on screen, and its decoder time. */
	public double[] lastLatencyMs() {
		return new double[] { lastLatencyMs, lastDecodeMs };
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
			session.setBox(new BoxPrompt(r.x, r.y, r.x + r.width, r.y + r.height));
		}
		else {
			if (pressX < 0 || pressY < 0 || pressX >= w || pressY >= h) return;
			session.addPoint(new PointPrompt(pressX, pressY, !e.isAltDown()));
		}
		e.consume();
		preview(t0);
	}

	// -- keys --

	@Override
	public void keyPressed(final KeyEvent e) {
		if (session == null) return;
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
		if (shown == null) return;
		final int label = nextLabel++;
		final int rx = shown.x(), ry = shown.y(), rw = shown.region()[2], rh = shown.region()[3];
		final short[] mask = new short[rw * rh];
		final float[] logits = shown.prediction().best().logits();
		for (int i = 0; i < mask.length; i++) if (logits[i] > 0) mask[i] = (short) label;
		final Roi roi = RoiSegmentation.outline(mask, rw, rh, label);
		if (roi == null) return;
		roi.setLocation(roi.getXBase() + rx, roi.getYBase() + ry);
		roi.setName("AnySeg " + label);
		roi.setStrokeColor(Color.YELLOW);
		if (imp.getStackSize() > 1) roi.setPosition(planeIndex);
		ensureLabels();
		final short[] l = (short[]) labels.getStack().getPixels(planeIndex);
		for (int y = 0; y < rh; y++) {
			for (int x = 0; x < rw; x++) {
				if (mask[y * rw + x] != 0) l[(y + ry) * imp.getWidth() + x + rx] = mask[y * rw + x];
			}
		}
		labels.setDisplayRange(0, Math.max(1, label));
		labels.updateAndDraw();
		accepted.add(roi);
		PromptSources.addToRoiManager(List.of(roi));
		clear();
	}

	public void clear() {
		generation.incrementAndGet();
		if (session != null) session.clear();
		shown = null;
		draw();
	}

	public void undo() {
		if (session == null || !session.undo()) return;
		if (session.isEmpty()) clear();
		else preview(System.nanoTime());
	}

	public void cycle() {
		final PromptSession.Located p = session == null ? null : session.cycle();
		if (p == null) return;
		shown = p;
		IJ.showStatus(String.format("AnySeg: candidate %d, predicted IoU %.3f", p.prediction()
			.chosen(), p.prediction().iou()));
		draw();
	}

	// -- internals --

	/** Follows the image and plane under the mouse; a new plane starts a new session. */
	private void attach(final ImagePlus image) {
		if (image != imp) {
			if (imp != null && imp.getCanvas() != null) imp.getCanvas().removeKeyListener(this);
			if (imp != null) imp.setOverlay(baseOverlay); // leave the previous image as it was
			imp = image;
			baseOverlay = image.getOverlay() != null ? image.getOverlay().duplicate() : null;
			labels = null;
			nextLabel = 1;
			accepted.clear();
			if (image.getCanvas() != null) image.getCanvas().addKeyListener(this);
			session = null;
		}
		if (session == null || planeIndex != image.getCurrentSlice()) {
			planeIndex = image.getCurrentSlice();
			final int[] czt = image.convertIndexToPosition(planeIndex);
			final PlaneSelection sel = new PlaneSelection(0, czt[1], czt[2]);
			// large planes are prompted in full-resolution windows; composites as displayed
			session = new PromptSession(anyseg.segmenter(), ImagePlanes.sourceOf(image, sel),
				Normalization.AUTO);
			shown = null;
		}
	}

	private void preview(final long t0) {
		final ObjectPrompt snapshot = session.snapshot(nextLabel);
		final PromptSession s = session;
		final long gen = generation.incrementAndGet();
		draw();
		worker.submit(() -> {
			if (gen != generation.get()) return; // superseded before it started
			try {
				if (s.needsEncoding(snapshot)) {
					IJ.showStatus("AnySeg: computing the embedding of this " + (s.windowed()
						? "window" : "plane") + " (once)...");
					IJ.showProgress(0.1);
					s.embedding(snapshot);
					IJ.showProgress(1.0);
				}
				final long d0 = System.nanoTime();
				final PromptSession.Located p = s.predict(snapshot);
				final double decodeMs = (System.nanoTime() - d0) / 1e6;
				if (gen != generation.get()) return;
				EventQueue.invokeLater(() -> {
					if (gen != generation.get() || s != session) return;
					s.accept(p);
					shown = p;
					draw();
					lastDecodeMs = decodeMs;
					lastLatencyMs = (System.nanoTime() - t0) / 1e6;
					IJ.showStatus(String.format("AnySeg: predicted IoU %.3f (M: other candidates, " +
						"Enter: accept)", p.prediction().iou()));
				});
			}
			catch (final AnySegException ex) {
				IJ.showProgress(1.0);
				IJ.showStatus("AnySeg: " + ex.getMessage());
			}
		});
	}

	private void ensureLabels() {
		if (labels != null) return;
		final ij.ImageStack st = new ij.ImageStack(imp.getWidth(), imp.getHeight());
		for (int i = 0; i < imp.getStackSize(); i++) {
			st.addSlice(new ij.process.ShortProcessor(imp.getWidth(), imp.getHeight()));
		}
		labels = new ImagePlus(imp.getShortTitle() + "-labels", st);
		labels.setCalibration(imp.getCalibration().copy());
		if (!java.awt.GraphicsEnvironment.isHeadless()) labels.show();
	}

	/** Redraws accepted outlines, the mask preview and the prompts as the image's overlay. */
	private void draw() {
		if (imp == null) return;
		final Overlay o = baseOverlay != null ? baseOverlay.duplicate() : new Overlay();
		for (final Roi r : accepted) o.add(r);
		if (shown != null) o.add(maskImage(shown));
		if (session != null) {
			for (final PointPrompt p : session.points()) {
				final PointRoi pr = new PointRoi(p.x(), p.y());
				pr.setStrokeColor(p.positive() ? Color.GREEN : Color.RED);
				pr.setPointType(PointRoi.DOT);
				o.add(pr);
			}
			final BoxPrompt b = session.box();
			if (b != null) o.add(box(b.x0(), b.y0(), b.width(), b.height()));
		}
		if (dragging != null) o.add(box(dragging.x, dragging.y, dragging.width, dragging.height));
		o.selectable(false); // clicks must reach the tool, not select overlay shapes
		imp.setOverlay(o);
	}

	private static Roi box(final double x, final double y, final double w, final double h) {
		final Roi r = new Roi(x, y, w, h);
		r.setStrokeColor(Color.GREEN);
		return r;
	}

	private ImageRoi maskImage(final PromptSession.Located p) {
		final int w = p.region()[2], h = p.region()[3];
		final ColorProcessor cp = new ColorProcessor(w, h);
		final int[] px = (int[]) cp.getPixels();
		final float[] l = p.prediction().best().logits();
		final int c = PREVIEW.getRGB();
		for (int i = 0; i < px.length; i++) px[i] = l[i] > 0 ? c : 0;
		final ImageRoi r = new ImageRoi(p.x(), p.y(), cp);
		r.setZeroTransparent(true);
		r.setOpacity(0.4);
		return r;
	}
}

package org.anyseg.plugin.fiji;

import java.awt.Color;
import java.awt.Rectangle;

import org.anyseg.ops.engine.PromptSession;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;

/** Draws the interactive tool's state as the image's overlay. */
final class ToolOverlay {

	private static final Color PREVIEW = new Color(0, 255, 255);

	private ToolOverlay() {}

	/** Accepted outlines, the mask preview, the prompts and a box being dragged. */
	static void draw(final InteractiveState s, final Rectangle dragging) {
		if (s.imp == null) return;
		final Overlay o = s.baseOverlay != null ? s.baseOverlay.duplicate() : new Overlay();
		for (final Roi r : s.accepted) o.add(r);
		if (s.stack != null) {
			final ImageRoi l = labelsOf(s.stack, org.anyseg.ops.io.ij.ImagePlanes.position(s.imp), s.imp.getWidth(), s.imp
				.getHeight());
			if (l != null) o.add(l);
		}
		if (s.shown != null) o.add(maskImage(s.shown));
		if (s.session != null) {
			for (final PointPrompt p : s.session.points()) {
				final PointRoi pr = new PointRoi(p.x(), p.y());
				pr.setStrokeColor(p.positive() ? Color.GREEN : Color.RED);
				pr.setPointType(PointRoi.DOT);
				o.add(pr);
			}
			final BoxPrompt b = s.session.box();
			if (b != null) o.add(box(b.x0(), b.y0(), b.width(), b.height()));
		}
		if (dragging != null) o.add(box(dragging.x, dragging.y, dragging.width, dragging.height));
		o.selectable(false); // clicks must reach the tool, not select overlay shapes
		s.imp.setOverlay(o);
	}

	/** The stack's objects on slice z, each in its own colour; null when none. */
	private static ImageRoi labelsOf(final StackEditing st, final int z, final int w,
		final int h)
	{
		if (z < 0 || z >= st.labels.length) return null;
		final short[] l = st.labels[z];
		final ColorProcessor cp = new ColorProcessor(w, h);
		final int[] px = (int[]) cp.getPixels();
		boolean any = false;
		for (int i = 0; i < px.length; i++) {
			final int v = l[i] & 0xffff;
			if (v == 0) continue;
			any = true;
			px[i] = Color.HSBtoRGB((v * 0.618034f) % 1f, 0.8f, 1f) | 0xff000000;
		}
		if (!any) return null;
		final ImageRoi r = new ImageRoi(0, 0, cp);
		r.setZeroTransparent(true);
		r.setOpacity(0.45);
		return r;
	}

	private static Roi box(final double x, final double y, final double w, final double h) {
		final Roi r = new Roi(x, y, w, h);
		r.setStrokeColor(Color.GREEN);
		return r;
	}

	private static ImageRoi maskImage(final PromptSession.Located p) {
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

package org.anyseg.ops.engine;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

/**
 * Prompt-local encoding of images larger than a model's input: instead of shrinking the
 * whole image to the model's side (a blurry mask on a big slide), a window around the
 * prompts is cut out at full resolution and encoded; the same window (hence its cached
 * embedding) serves every later prompt that falls inside it, and a prompt outside moves it
 * (or grows it, when the prompts span more than one window, which is then shrunk by the
 * model like any image). Only the window is ever converted for the model, so memory stays
 * bounded by the window, not the image.
 */
public final class PromptWindow {

	/** Reads a rectangle of a large image as a plane (x, y, w, h in image pixels). */
	public interface Source {

		int width();

		int height();

		Plane crop(int x, int y, int w, int h);

		/** A plane already in memory as a source. */
		static Source of(final Plane plane) {
			return new Source() {

				@Override
				public int width() {
					return plane.width();
				}

				@Override
				public int height() {
					return plane.height();
				}

				@Override
				public Plane crop(final int x, final int y, final int w, final int h) {
					return plane.crop(x, y, w, h);
				}
			};
		}
	}

	private final Source source;
	private final int side;
	private int[] current;

	/** @param side the window side, normally the model's input side (1024) */
	public PromptWindow(final Source source, final int side) {
		this.source = source;
		this.side = side;
	}

	/** The current window {x, y, w, h}, or null before the first prompt. */
	public int[] current() {
		return current == null ? null : current.clone();
	}

	/**
	 * The window for these prompts: the current one when it holds them all (with a margin of
	 * an eighth of the window), else one centred on them, at least {@code side} wide where
	 * the image allows.
	 */
	public int[] windowFor(final List<ObjectPrompt> prompts) {
		final double[] b = extent(prompts);
		final int margin = side / 8;
		if (current != null && b[0] - margin >= current[0] && b[1] - margin >= current[1] &&
			b[2] + margin <= current[0] + current[2] && b[3] + margin <= current[1] + current[3])
		{
			return current.clone();
		}
		final int w = (int) Math.min(source.width(), Math.max(side, b[2] - b[0] + 2 * margin));
		final int h = (int) Math.min(source.height(), Math.max(side, b[3] - b[1] + 2 * margin));
		final int x = clamp((int) Math.round((b[0] + b[2]) / 2 - w / 2.0), 0, source.width() - w);
		final int y = clamp((int) Math.round((b[1] + b[3]) / 2 - h / 2.0), 0, source.height() - h);
		current = new int[] { x, y, w, h };
		return current.clone();
	}

	/** Segments the prompts in their window; predictions are in window coordinates. */
	public List<Prediction> segment(final Segmenter seg, final Normalization norm,
		final List<ObjectPrompt> prompts)
	{
		final int[] win = windowFor(prompts);
		final Plane plane = source.crop(win[0], win[1], win[2], win[3]);
		final List<ObjectPrompt> local = new ArrayList<>();
		for (final ObjectPrompt p : prompts) local.add(shift(p, -win[0], -win[1]));
		return seg.segment(plane, norm, local);
	}

	/**
	 * Segments each object in its own window (the objects of one window share its
	 * embedding) and paints them into a full-size label image; where objects of different
	 * windows overlap, the first keeps the pixel.
	 *
	 * @param maskInput the mask input of prompt {@code i} in the frame of its window
	 *          {@code {x, y, w, h}}, or null for none (mask inputs of the prompts themselves,
	 *          made for the whole image, are never used)
	 * @param out receives the predictions (window coordinates), in prompt order
	 * @param regions receives each prediction's window, or null
	 */
	public static short[] segmentEach(final Source source, final int side, final Segmenter seg,
		final Normalization norm, final List<ObjectPrompt> prompts,
		final java.util.function.BiFunction<Integer, int[], float[]> maskInput,
		final List<Prediction> out, final List<int[]> regions)
	{
		final PromptWindow win = new PromptWindow(source, side);
		final short[] labels = new short[source.width() * source.height()];
		for (int k = 0; k < prompts.size(); k++) {
			final ObjectPrompt p = prompts.get(k);
			final int[] r = win.windowFor(List.of(p));
			final List<Prediction> one = win.segment(seg, norm, List.of(p.withMaskInput(
				maskInput == null ? null : maskInput.apply(k, r))));
			final short[] local = LabelComposer.compose(r[2], r[3], one);
			for (int y = 0; y < r[3]; y++) {
				for (int x = 0; x < r[2]; x++) {
					final int i = (y + r[1]) * source.width() + x + r[0];
					if (local[y * r[2] + x] != 0 && labels[i] == 0) labels[i] = local[y * r[2] + x];
				}
			}
			out.addAll(one);
			if (regions != null) regions.add(r);
		}
		return labels;
	}

	/** Pastes window labels into a full-size label image. */
	public static void paste(final short[] window, final int[] win, final short[] image,
		final int imageWidth)
	{
		for (int y = 0; y < win[3]; y++) {
			for (int x = 0; x < win[2]; x++) {
				final short v = window[y * win[2] + x];
				if (v != 0) image[(y + win[1]) * imageWidth + x + win[0]] = v;
			}
		}
	}

	static ObjectPrompt shift(final ObjectPrompt p, final double dx, final double dy) {
		final List<PointPrompt> pts = new ArrayList<>();
		for (final PointPrompt q : p.points()) pts.add(new PointPrompt(q.x() + dx, q.y() + dy, q
			.positive()));
		final BoxPrompt b = p.box() == null ? null : new BoxPrompt(p.box().x0() + dx, p.box().y0() +
			dy, p.box().x1() + dx, p.box().y1() + dy);
		return new ObjectPrompt(p.label(), pts, b, p.maskInput());
	}

	private static double[] extent(final List<ObjectPrompt> prompts) {
		double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE,
			y1 = -Double.MAX_VALUE;
		for (final ObjectPrompt p : prompts) {
			for (final PointPrompt q : p.points()) {
				x0 = Math.min(x0, q.x());
				y0 = Math.min(y0, q.y());
				x1 = Math.max(x1, q.x() + 1);
				y1 = Math.max(y1, q.y() + 1);
			}
			if (p.box() != null) {
				x0 = Math.min(x0, p.box().x0());
				y0 = Math.min(y0, p.box().y0());
				x1 = Math.max(x1, p.box().x1());
				y1 = Math.max(y1, p.box().y1());
			}
		}
		return new double[] { x0, y0, x1, y1 };
	}

	private static int clamp(final int v, final int lo, final int hi) {
		return Math.max(lo, Math.min(hi, v));
	}

}

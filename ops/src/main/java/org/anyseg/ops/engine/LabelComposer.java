package org.anyseg.ops.engine;

import java.util.Arrays;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Prediction;

/**
 * Paints predicted masks into one 16-bit label image. Where masks overlap, a pixel goes to
 * the object with the highest mask logit there (the most confident one), independent of
 * prompt order.
 */
public final class LabelComposer {

	private LabelComposer() {}

	/** Labels as unsigned 16-bit values in row-major order; 0 is background. */
	public static short[] compose(final int width, final int height,
		final List<Prediction> predictions)
	{
		final short[] labels = new short[width * height];
		final float[] best = new float[width * height];
		Arrays.fill(best, 0f);
		for (final Prediction p : predictions) {
			if (p.label() < 1 || p.label() > 65535) {
				throw new AnySegException("Object label " + p.label() + " does not fit a 16-bit " +
					"label image: use labels 1 to 65535.");
			}
			if (p.width() != width || p.height() != height) {
				throw new IllegalArgumentException("prediction size differs from label image");
			}
			final float[] l = p.best().logits();
			final short v = (short) p.label();
			for (int i = 0; i < l.length; i++) {
				if (l[i] > best[i]) {
					best[i] = l[i];
					labels[i] = v;
				}
			}
		}
		return labels;
	}
}

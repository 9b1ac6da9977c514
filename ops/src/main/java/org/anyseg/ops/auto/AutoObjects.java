package org.anyseg.ops.auto;

import java.util.List;

import org.anyseg.ops.objects.ObjectTable;

/**
 * The object table of a segment-everything run: {@link ObjectTable#measure} of the label
 * image, each label's origin the kept mask that painted it (its predicted IoU, stability
 * score, grid click and tile).
 */
public final class AutoObjects {

	private AutoObjects() {}

	/**
	 * @param labels {@link AutoSegmenter#labelImage} of {@code found}
	 */
	public static ObjectTable table(final List<AutoSegmenter.Found> found, final int[] labels,
		final int w, final int h, final double pixelWidth, final double pixelHeight,
		final String unit)
	{
		final List<AutoSegmenter.Found> byLabel = AutoSegmenter.labelled(found, labels, w);
		return ObjectTable.measure(labels, w, h, pixelWidth, pixelHeight, unit, l -> {
			if (l > byLabel.size()) return null;
			final AutoSegmenter.Found f = byLabel.get(l - 1);
			return new ObjectTable.Origin(f.predIou(), f.stability(), Double.isNaN(f.promptX())
				? "" : ObjectTable.click(f.promptX(), f.promptY()), f.tile());
		});
	}
}

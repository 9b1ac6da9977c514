package org.anyseg.ops.auto;

import java.util.ArrayList;
import java.util.List;

/**
 * The regions of an image that segment-everything ({@link AutoSegmenter}) encodes, each
 * once: every tile, and within it every crop of the crop layers. Precomputing their
 * embeddings lets a later run encode nothing.
 */
public final class EncodedRegions {

	private EncodedRegions() {}

	/** Regions {x, y, w, h} in image coordinates, in the order the segmenter visits them. */
	public static List<int[]> of(final int width, final int height, final AutoParams p) {
		final List<int[]> out = new ArrayList<>();
		for (final int[] t : AutoSegmenter.tiles(width, height, p.tileSize(), p.tileOverlap())) {
			for (final int[] c : AutoSegmenter.cropBoxes(t[2], t[3], p)) {
				out.add(new int[] { t[0] + c[0], t[1] + c[1], c[2], c[3] });
			}
		}
		return out;
	}
}

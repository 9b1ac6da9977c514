package org.anyseg.ops.engine;

import org.anyseg.ops.store.EmbeddingKeys;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.store.EmbeddingStore;

/**
 * Fills a store of precomputed embeddings: each plane is encoded once, unless the store
 * already holds a valid entry for it; an entry that does not match (reported by the store)
 * is replaced.
 */
public final class Precomputer {

	/** What happened to one plane. */
	public enum Outcome {
		/** encoded and written */
		WRITTEN,
		/** the store held a valid entry: nothing encoded */
		PRESENT,
		/** encoded and written in place of an entry that did not match */
		REPLACED,
		/** encoded, but a parallel writer put the same entry in place first */
		RACED
	}

	private final Segmenter seg;
	private final EmbeddingStore store;
	private final String modelSha;
	private final EmbeddingStore.Precision precision;
	private final boolean zlib;

	public Precomputer(final Segmenter seg, final EmbeddingStore store, final String modelSha,
		final EmbeddingStore.Precision precision, final boolean zlib)
	{
		this.seg = seg;
		this.store = store;
		this.modelSha = modelSha;
		this.precision = precision;
		this.zlib = zlib;
	}

	/**
	 * Makes sure the store holds the plane's embedding under this normalization.
	 *
	 * @param window the plane's region {x, y, w, h} in its image (recorded)
	 * @param source the image's file name (recorded), or null
	 * @param slice the slice index in a volume (recorded), or -1
	 */
	public Outcome ensure(final Plane plane, final Normalization norm, final int[] window,
		final String source, final int slice)
	{
		final float[][] rgb = norm.toRgb255(plane);
		final int w = plane.width(), h = plane.height();
		final String key = EmbeddingKeys.key(modelSha, w, h, rgb);
		final boolean present = store.has(key);
		if (present && store.read(key, modelSha, w, h, null) != null) return Outcome.PRESENT;
		final Embedding e = seg.encode(rgb, w, h);
		final EmbeddingStore.Info info = new EmbeddingStore.Info(EmbeddingKeys.planeSha256(
			plane), norm.toString(), window.clone(), source, slice);
		final boolean written = store.write(key, modelSha, e, info, precision, zlib, present);
		return !written ? Outcome.RACED : present ? Outcome.REPLACED : Outcome.WRITTEN;
	}
}

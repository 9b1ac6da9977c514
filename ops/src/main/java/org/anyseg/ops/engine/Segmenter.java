package org.anyseg.ops.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.anyseg.ops.store.EmbeddingKeys;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.store.EmbeddingStore;

/**
 * The engine's front door: segments objects on image planes with one model, encoding each
 * plane at most once while its embedding stays in the cache. With a store of precomputed
 * embeddings ({@link #useEmbeddings}), a plane the store holds for this model is read from
 * it instead of being encoded.
 */
public final class Segmenter implements AutoCloseable {

	private final PromptableModel model;
	private final String modelId;
	private final EmbeddingCache cache;
	private final AtomicInteger encoderRuns = new AtomicInteger();
	private final AtomicInteger storeReads = new AtomicInteger();
	private volatile Attached attached;
	/** {plane key, store, store key} of the last plane looked up in the store. */
	private volatile Object[] lastStoreKey;
	/** Tensor names and shapes of this model's embeddings, once one has been seen. */
	private volatile java.util.Map<String, long[]> shapes;

	/** A store and the model identity its keys are made with. */
	private record Attached(EmbeddingStore store, String modelSha) {}

	/**
	 * @param modelId identity of the model (its files), part of the embedding cache key
	 */
	public Segmenter(final PromptableModel model, final String modelId,
		final EmbeddingCache cache)
	{
		this.model = model;
		this.modelId = modelId;
		this.cache = cache;
	}

	public PromptableModel model() {
		return model;
	}

	/** How many times the encoder has run (cache misses). */
	public int encoderRuns() {
		return encoderRuns.get();
	}

	/** How many embeddings were read from the store of precomputed embeddings. */
	public int storeReads() {
		return storeReads.get();
	}

	/**
	 * Reads embeddings from {@code store} (null: none) before encoding, for the model whose
	 * {@link EmbeddingStore#modelSha256} is {@code modelSha}. The store is only read.
	 */
	public void useEmbeddings(final EmbeddingStore store, final String modelSha) {
		attached = store == null ? null : new Attached(store, modelSha);
	}

	/** The store in use, or null. */
	public EmbeddingStore embeddings() {
		final Attached a = attached;
		return a == null ? null : a.store();
	}

	/**
	 * Whether the plane's embedding is cached or in the store (asking for it will not run the
	 * encoder, unless the stored entry turns out not to match).
	 */
	public boolean isEncoded(final Plane plane, final Normalization norm) {
		if (cache.contains(key(plane, norm))) return true;
		final Attached a = attached;
		return a != null && a.store().has(storeKey(a, key(plane, norm), plane, () -> norm
			.toRgb255(plane)));
	}

	/**
	 * The store's key of a plane (a hash of the whole encoder input), remembered for the last
	 * plane: the tool asks {@link #isEncoded} and then {@link #embed} for the same plane (the
	 * encoder input is then not computed for the key again).
	 */
	private String storeKey(final Attached a, final PlaneKey k, final Plane plane,
		final Supplier<float[][]> rgb)
	{
		final Object[] last = lastStoreKey;
		if (last != null && last[0].equals(k) && last[1] == a) return (String) last[2];
		final String key = EmbeddingKeys.key(a.modelSha(), plane.width(), plane.height(), rgb
			.get());
		lastStoreKey = new Object[] { k, a, key };
		return key;
	}

	private PlaneKey key(final Plane plane, final Normalization norm) {
		return new PlaneKey(modelId, plane.width(), plane.height(), plane.fingerprint(), norm
			.toString());
	}

	/**
	 * The plane's embedding, from the cache, else from the store, else by running the encoder
	 * once.
	 */
	public Embedding embed(final Plane plane, final Normalization norm) {
		return cache.get(key(plane, norm), () -> {
			// the encoder input, computed at most once: for the store's key and for the encoder
			final float[][][] rgb = new float[1][][];
			final Supplier<float[][]> input = () -> rgb[0] != null ? rgb[0] : (rgb[0] = norm
				.toRgb255(plane));
			final Attached a = attached;
			if (a != null) {
				final Embedding e = a.store().read(storeKey(a, key(plane, norm), plane, input), a
					.modelSha(), plane.width(), plane.height(), shapes);
				if (e != null) {
					storeReads.incrementAndGet();
					if (shapes == null) shapes = EmbeddingStore.shapes(e.tensors());
					return e;
				}
			}
			return encode(input.get(), plane.width(), plane.height());
		});
	}

	/**
	 * Runs the encoder on an encoder input ({@link Normalization#toRgb255}), bypassing cache
	 * and store (counted in {@link #encoderRuns}).
	 */
	public Embedding encode(final float[][] rgb255, final int width, final int height) {
		encoderRuns.incrementAndGet();
		final Embedding e = model.encode(rgb255, width, height);
		shapes = EmbeddingStore.shapes(e.tensors());
		return e;
	}

	/**
	 * Segments every object on one plane. All prompts are checked before anything runs, so a
	 * bad prompt costs no encoder time.
	 *
	 * @throws AnySegException when there is no prompt or a prompt lies outside the plane
	 */
	public List<Prediction> segment(final Plane plane, final Normalization norm,
		final List<ObjectPrompt> objects)
	{
		if (objects.isEmpty()) {
			throw new AnySegException("No prompts given: add at least one point or box.");
		}
		for (final ObjectPrompt o : objects) o.checkInside(plane.width(), plane.height());
		final Embedding e = embed(plane, norm);
		return model.decodeAll(e, objects);
	}

	@Override
	public void close() {
		model.close();
	}

	private record PlaneKey(String model, int width, int height, long fingerprint,
		String normalization)
	{}
}

package org.anyseg.ops.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.ObjectPrompt;

/**
 * The engine's front door: segments objects on image planes with one model, encoding each
 * plane at most once while its embedding stays in the cache.
 */
public final class Segmenter implements AutoCloseable {

	private final PromptableModel model;
	private final String modelId;
	private final EmbeddingCache cache;
	private final AtomicInteger encoderRuns = new AtomicInteger();

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

	/** Whether the plane's embedding is cached (asking for it will not run the encoder). */
	public boolean isEncoded(final Plane plane, final Normalization norm) {
		return cache.contains(key(plane, norm));
	}

	private PlaneKey key(final Plane plane, final Normalization norm) {
		return new PlaneKey(modelId, plane.width(), plane.height(), plane.fingerprint(), norm
			.toString());
	}

	/** The plane's embedding, from the cache or by running the encoder once. */
	public Embedding embed(final Plane plane, final Normalization norm) {
		return cache.get(key(plane, norm), () -> {
			encoderRuns.incrementAndGet();
			return model.encode(norm.toRgb255(plane), plane.width(), plane.height());
		});
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

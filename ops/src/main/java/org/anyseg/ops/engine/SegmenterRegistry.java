package org.anyseg.ops.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;

/**
 * Keeps one {@link Segmenter} (so one ONNX session per model file) per model for the life of
 * an application, all sharing one embedding cache. Changing the runtime options or the
 * cache size closes the loaded models; they load again on next use.
 */
public final class SegmenterRegistry implements AutoCloseable {

	private ModelCatalog catalog;
	private final Map<String, Segmenter> loaded = new LinkedHashMap<>();
	private RuntimeOptions options;
	private EmbeddingCache cache;

	public SegmenterRegistry(final ModelCatalog catalog, final RuntimeOptions options,
		final long cacheMb)
	{
		this.catalog = catalog;
		this.options = options;
		this.cache = new EmbeddingCache(cacheMb);
	}

	public synchronized ModelCatalog catalog() {
		return catalog;
	}

	/** The segmenter of a model ({@code demo}, a folder, or an installed name), loaded once. */
	public synchronized Segmenter get(final String model) {
		final Segmenter s = loaded.get(model);
		if (s != null) return s;
		final List<ModelFile> files = catalog.resolve(model);
		final Segmenter created = new Segmenter(ModelLoader.load(files, options), files
			.toString(), cache);
		loaded.put(model, created);
		return created;
	}



	public synchronized RuntimeOptions options() {
		return options;
	}

	/** New settings: loaded models are closed and reload on next use. */
	public synchronized void configure(final ModelCatalog newCatalog,
		final RuntimeOptions newOptions, final long cacheMb)
	{
		close();
		catalog = newCatalog;
		options = newOptions;
		cache = new EmbeddingCache(cacheMb);
	}

	@Override
	public synchronized void close() {
		loaded.values().forEach(Segmenter::close);
		loaded.clear();
		cache.clear();
	}
}

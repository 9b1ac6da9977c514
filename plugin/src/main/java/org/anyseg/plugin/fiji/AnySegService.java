package org.anyseg.plugin.fiji;

import org.anyseg.ops.store.EmbeddingKeys;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.engine.SegmenterRegistry;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.store.EmbeddingStore;
import java.nio.file.Paths;

import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.prefs.PrefService;
import org.scijava.service.AbstractService;
import org.scijava.service.SciJavaService;
import org.scijava.service.Service;

/**
 * AnySeg's state in a Fiji session: the chosen model and the loaded models (one ONNX
 * session per model file, reused by every command, the tool and the macro functions), with
 * a shared embedding cache, and the store of precomputed embeddings they read (if any).
 */
@Plugin(type = Service.class)
public class AnySegService extends AbstractService implements SciJavaService {

	/** Default embedding cache size in MiB (a SAM embedding is 4 MiB). */
	public static final int DEFAULT_CACHE_MB = 512;

	private static final String PREF_THREADS = "anyseg.threads";
	private static final String PREF_CACHE = "anyseg.cache_mb";
	private static final String PREF_FOLDER = "anyseg.model_folder";
	private static final String PREF_MODEL = "anyseg.model";
	private static final String PREF_DEVICE = "anyseg.device";
	private static final String PREF_EMBEDDINGS = "anyseg.embeddings";

	@Parameter(required = false)
	private PrefService prefs;

	private SegmenterRegistry registry;
	private String model = ModelCatalog.DEMO;
	private int cacheMb = DEFAULT_CACHE_MB;
	private EmbeddingStore embeddings;

	/** The registry, created on first use from the saved settings (defaults otherwise). */
	private synchronized SegmenterRegistry registry() {
		if (registry == null) {
			ModelCatalog catalog = ModelCatalog.standard();
			RuntimeOptions opts = RuntimeOptions.defaults();
			if (prefs != null) {
				cacheMb = prefs.getInt(AnySegService.class, PREF_CACHE, cacheMb);
				opts = opts.withThreads(Math.max(1, prefs.getInt(AnySegService.class, PREF_THREADS,
					opts.threads()))).withDevice(prefs.get(AnySegService.class, PREF_DEVICE,
						RuntimeOptions.CPU));
				final String folder = prefs.get(AnySegService.class, PREF_FOLDER, null);
				if (folder != null && !folder.isEmpty()) catalog = new ModelCatalog(Paths.get(folder));
				model = prefs.get(AnySegService.class, PREF_MODEL, model);
				final String store = prefs.get(AnySegService.class, PREF_EMBEDDINGS, "");
				try {
					embeddings = store == null || store.isEmpty() ? null : openStore(store);
				}
				catch (final org.anyseg.ops.AnySegException e) {
					// a saved store that has gone: say so once and work without it
					ij.IJ.log("AnySeg: precomputed embeddings not used: " + e.getMessage());
				}
			}
			registry = new SegmenterRegistry(catalog, opts, cacheMb);
			// what a model's first-load graph check finds goes to the Log window, once
			org.anyseg.ops.model.ModelLoader.notices(m -> ij.IJ.log("AnySeg: " + m));
		}
		return registry;
	}

	public synchronized String model() {
		return model;
	}

	/** Chooses the model used when a command does not name one. */
	public synchronized void setModel(final String name) {
		registry().catalog().resolve(name); // fails clearly for unknown names
		this.model = name;
		if (prefs != null) prefs.put(AnySegService.class, PREF_MODEL, name);
	}

	/**
	 * The segmenter of a model, loaded on first use, reading from the store of precomputed
	 * embeddings when one is set.
	 */
	public Segmenter segmenter(final String name) {
		final Segmenter s = registry().get(name);
		final EmbeddingStore store = embeddings();
		if (s.embeddings() != store) {
			s.useEmbeddings(store, store == null ? null : EmbeddingKeys.modelSha256(catalog()
				.resolve(name)));
		}
		return s;
	}

	/** The store of precomputed embeddings in use, or null. */
	public synchronized EmbeddingStore embeddings() {
		registry();
		return embeddings;
	}

	/**
	 * Reads precomputed embeddings from the store at {@code path} (made by {@code anyseg
	 * embed}); null or empty: none. Kept across Fiji sessions.
	 *
	 * @throws org.anyseg.ops.AnySegException when the folder is not such a store (nothing
	 *           changes then)
	 */
	public synchronized void setEmbeddings(final String path) {
		registry();
		final boolean none = path == null || path.trim().isEmpty();
		embeddings = none ? null : openStore(path.trim());
		if (prefs != null) prefs.put(AnySegService.class, PREF_EMBEDDINGS, none ? "" : path.trim());
	}

	private static EmbeddingStore openStore(final String path) {
		return EmbeddingStore.open(Paths.get(path), m -> ij.IJ.log("AnySeg: " + m));
	}

	public Segmenter segmenter() {
		return segmenter(model());
	}

	/** The current model's {@code anyseg-model.json} (empty when it has none). */
	public ModelConfig modelConfig() {
		return ModelConfig.of(catalog().resolve(model()));
	}

	public ModelCatalog catalog() {
		return registry().catalog();
	}

	public synchronized RuntimeOptions options() {
		return registry().options();
	}

	public synchronized int cacheMb() {
		return cacheMb;
	}

	/** Applies new settings; loaded models are closed and reload on next use. */
	public synchronized void configure(final int threads, final int cacheSizeMb,
		final java.nio.file.Path modelFolder)
	{
		configure(threads, cacheSizeMb, modelFolder, registry().options().device());
	}

	/**
	 * Applies new settings including the device ({@code cpu}, {@code cuda}, {@code cuda:N});
	 * loaded models are closed and reload on next use.
	 */
	public synchronized void configure(final int threads, final int cacheSizeMb,
		final java.nio.file.Path modelFolder, final String device)
	{
		this.cacheMb = cacheSizeMb;
		registry().configure(new ModelCatalog(modelFolder), registry().options().withThreads(
			threads).withDevice(device), cacheSizeMb);
		if (prefs != null) { // settings survive a restart of Fiji
			prefs.put(AnySegService.class, PREF_THREADS, threads);
			prefs.put(AnySegService.class, PREF_CACHE, cacheSizeMb);
			prefs.put(AnySegService.class, PREF_FOLDER, modelFolder.toString());
			prefs.put(AnySegService.class, PREF_DEVICE, registry().options().device());
		}
	}

	@Override
	public synchronized void dispose() {
		if (registry != null) registry.close();
		registry = null;
	}
}

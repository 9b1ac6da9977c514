package org.anyseg.plugin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.anyseg.ops.store.EmbeddingKeys;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.store.EmbeddingStore;

import picocli.CommandLine.Option;

/**
 * {@code --embeddings STORE} (a picocli mixin of the commands that segment): planes the
 * store holds for the model are read from it instead of being encoded.
 */
final class EmbeddingOptions {

	@Option(names = "--embeddings", paramLabel = "STORE",
		description = "Precomputed embeddings made by 'anyseg embed': planes the store holds " +
			"for this model are read, not encoded (the store is never written).")
	Path store;

	/**
	 * The model behind an embedding cache of that size, reading from the store when one is
	 * given (the store is checked before the model loads); entries that do not match are
	 * reported to {@code err}, once each.
	 */
	Segmenter segmenter(final ModelOptions model, final int cacheMb, final PrintWriter err) {
		final EmbeddingStore s = store == null ? null : EmbeddingStore.open(store, m -> {
			err.println("anyseg: " + m);
			err.flush();
		});
		final Segmenter seg = model.segmenter(cacheMb);
		if (s != null) seg.useEmbeddings(s, EmbeddingKeys.modelSha256(model.files()));
		return seg;
	}

	/** With a store: how many planes were read from it and how many encoded. */
	void report(final Segmenter seg, final PrintWriter out) {
		if (store == null) return;
		out.printf("embeddings: %d plane(s) read from %s, %d encoded%n", seg.storeReads(), store,
			seg.encoderRuns());
	}
}

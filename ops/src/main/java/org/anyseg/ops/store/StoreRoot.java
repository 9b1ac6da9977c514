package org.anyseg.ops.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.io.AtomicFiles;

import com.google.gson.JsonObject;

/**
 * The root of an {@link EmbeddingStore}: a Zarr v2 group whose attributes carry the
 * {@value EmbeddingStore#MARKER} marker and layout version; what it is instead when it is
 * not one (micro-sam's embeddings are recognised and refused with the reason).
 */
final class StoreRoot {

	private StoreRoot() {}

	/** Writes the group and its marker (parallel writers write the same two files). */
	static void write(final Path dir) {
		// the group's .zgroup last, so that a writer who finds it finds the marker too
		final JsonObject marker = new JsonObject();
		marker.addProperty("format", EmbeddingStore.FORMAT);
		marker.addProperty("layout", "one group per plane, named by its key; see AnySeg's " +
			"docs/embeddings.md");
		final JsonObject attrs = new JsonObject();
		attrs.add(EmbeddingStore.MARKER, marker);
		AtomicFiles.writeAtomically(dir.resolve(".zattrs"), p -> Files.writeString(p, attrs
			.toString()));
		AtomicFiles.writeAtomically(dir.resolve(".zgroup"), p -> Files.writeString(p,
			"{\"zarr_format\": 2}"));
	}

	/** Refuses a folder that is not an embedding store of this layout, saying what it is. */
	static void check(final Path dir) {
		if (Files.exists(dir.resolve("zarr.json"))) {
			throw new AnySegException(dir + " is a Zarr v3 store" + (microSam(dir.resolve(
				"zarr.json")) ? " of micro-sam's embeddings" : "") + "; AnySeg reads its own Zarr v2 " +
				"embedding stores only. " + MICRO_SAM_ADVICE);
		}
		if (!Files.isRegularFile(dir.resolve(".zgroup"))) {
			throw new AnySegException(dir + " is not an embedding store: it has no .zgroup (not a " +
				"Zarr v2 group). Make one with 'anyseg embed --out " + dir + "'.");
		}
		final int format = StoreJson.integer(StoreJson.object(dir.resolve(".zgroup")),
			"zarr_format", dir.resolve(".zgroup"));
		if (format != 2) {
			throw new AnySegException(dir + " is a Zarr group of format " + format + "; embedding " +
				"stores are Zarr v2.");
		}
		final Path attrsFile = dir.resolve(".zattrs");
		final JsonObject attrs = Files.exists(attrsFile) ? StoreJson.object(attrsFile)
			: new JsonObject();
		if (attrs.has("data_signature") || Files.isDirectory(dir.resolve("features"))) {
			throw new AnySegException(dir + " holds micro-sam's embeddings " +
				"(precompute_image_embeddings), which AnySeg cannot use: " + MICRO_SAM_ADVICE);
		}
		if (!attrs.has(EmbeddingStore.MARKER) || !attrs.get(EmbeddingStore.MARKER).isJsonObject()) {
			throw new AnySegException(dir + " is a Zarr group but not an AnySeg embedding store " +
				"(its .zattrs has no '" + EmbeddingStore.MARKER + "'). Make one with 'anyseg embed'.");
		}
		final int f = StoreJson.integer(attrs.getAsJsonObject(EmbeddingStore.MARKER), "format", attrsFile);
		if (f != EmbeddingStore.FORMAT) {
			throw new AnySegException(dir + " is an embedding store of layout " + f + "; this " +
				"AnySeg reads layout " + EmbeddingStore.FORMAT + ". Compute it again with this version's 'anyseg " +
				"embed'.");
		}
	}

	private static final String MICRO_SAM_ADVICE = "micro-sam stores one 'features' array " +
		"compressed with Blosc (zarr-python's default; no pure-Java decoder), computed from " +
		"micro-sam's own preprocessing and tied to a PyTorch checkpoint, so neither the values " +
		"nor their match with this image and ONNX model can be checked. Compute a store with " +
		"'anyseg embed --model M --input IMAGES --out STORE'.";

	private static boolean microSam(final Path zarrJson) {
		try {
			return Files.size(zarrJson) < 1 << 20 && Files.readString(zarrJson).contains(
				"data_signature");
		}
		catch (final IOException e) {
			return false;
		}
	}
}

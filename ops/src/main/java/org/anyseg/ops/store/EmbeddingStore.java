package org.anyseg.ops.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A folder of precomputed image embeddings in Zarr v2 layout (docs/embeddings.md): a group
 * whose member groups are entries, one per encoded plane, each named by its key and holding
 * one float array per tensor of the {@link Embedding}.
 * <p>
 * The key is the SHA-256 of the model's SHA-256, the plane's size and the exact encoder
 * input (the plane after intensity normalization, three channels of 0..255 floats), so an
 * entry can only be found for the same model and the same pixels normalized the same way;
 * each entry also records the plane's own hash, the normalization and its window in the
 * image. An entry is read only when its attributes name the key, model and size asked for
 * and its arrays are complete and finite; otherwise it is reported once (to the notice
 * consumer) and treated as absent. Entries are written into {@code .partial/} and renamed
 * into place, so a reader never sees half an entry and writers may run in parallel.
 */
public final class EmbeddingStore {

	/** The root attribute that marks a store, and the layout version. */
	public static final String MARKER = "anyseg_embeddings";
	public static final int FORMAT = 1;
	static final String PARTIAL = ".partial";
	private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
	private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

	/** Precision of the stored values. */
	public enum Precision {
		FLOAT32, FLOAT16;

		public static Precision parse(final String s) {
			return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
				case "float32", "f4", "32" -> FLOAT32;
				case "float16", "f2", "16" -> FLOAT16;
				default -> throw new AnySegException("Precision '" + s + "': use float32 or float16.");
			};
		}

		ZarrArray.Dtype dtype() {
			return this == FLOAT32 ? ZarrArray.Dtype.FLOAT32 : ZarrArray.Dtype.FLOAT16;
		}
	}

	/**
	 * What an entry records about its plane (attributes only; the key decides a match).
	 *
	 * @param planeSha256 SHA-256 of the plane's pixel values before normalization
	 * @param normalization the normalization as given (and as resolved for a volume)
	 * @param window the region {x, y, w, h} of the image the plane is (the whole image, a
	 *          tile, a crop)
	 * @param source the image's file name, or null
	 * @param slice the slice index (0-based) within a volume, or -1
	 */
	public record Info(String planeSha256, String normalization, int[] window, String source,
		int slice)
	{}

	private final Path dir;
	private final Consumer<String> notices;
	private final Set<String> reported = ConcurrentHashMap.newKeySet();

	private EmbeddingStore(final Path dir, final Consumer<String> notices) {
		this.dir = dir;
		this.notices = notices == null ? m -> {} : notices;
	}

	public Path dir() {
		return dir;
	}

	/**
	 * Opens an existing store for reading.
	 *
	 * @param notices receives each problem found in an entry, once per entry
	 * @throws AnySegException when the folder is missing or is not such a store (with what
	 *           it is instead, e.g. micro-sam's embeddings)
	 */
	public static EmbeddingStore open(final Path dir, final Consumer<String> notices) {
		if (!Files.exists(dir)) {
			throw new AnySegException("Embedding store " + dir + " does not exist: make it with " +
				"'anyseg embed --out " + dir + "', or check the path.");
		}
		if (!Files.isDirectory(dir)) {
			throw new AnySegException("Embedding store " + dir + " is a file; a store is a folder " +
				"(a Zarr v2 group made by 'anyseg embed').");
		}
		StoreRoot.check(dir);
		return new EmbeddingStore(dir, notices);
	}

	/** Opens a store for writing, creating it (and its folder) when absent. */
	public static EmbeddingStore create(final Path dir, final Consumer<String> notices) {
		if (Files.exists(dir) && !Files.isDirectory(dir)) {
			throw new AnySegException("Cannot make embedding store " + dir + ": it is a file.");
		}
		if (Files.isRegularFile(dir.resolve(".zgroup"))) {
			StoreRoot.check(dir);
			return new EmbeddingStore(dir, notices);
		}
		try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
			// entries of a parallel writer that made the root first are no obstacle
			if (s.anyMatch(p -> !p.getFileName().toString().startsWith(".") && !KEY.matcher(p
				.getFileName().toString()).matches()))
			{
				throw new AnySegException("Cannot make embedding store " + dir + ": the folder " +
					"holds other files. Choose a new or empty folder.");
			}
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read " + dir + ": " + e.getMessage(), e);
		}
		StoreRoot.write(dir);
		return new EmbeddingStore(dir, notices);
	}


	/** Whether an entry folder exists for the key (valid or not). */
	public boolean has(final String key) {
		return Files.isDirectory(dir.resolve(key));
	}

	/**
	 * The stored embedding of a plane, or null when the store has none or the entry does not
	 * match (reported once).
	 *
	 * @param expected tensor names and shapes the model produces, or null when not yet known
	 */
	public Embedding read(final String key, final String modelSha, final int width,
		final int height, final Map<String, long[]> expected)
	{
		if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("key " + key);
		final Path entry = dir.resolve(key);
		if (!Files.isDirectory(entry)) return null;
		try {
			return readEntry(entry, key, modelSha, width, height, expected);
		}
		catch (final AnySegException e) {
			if (reported.add(key)) {
				notices.accept("embedding store entry " + key.substring(0, 12) + "... ignored " +
					"(the plane is encoded instead): " + e.getMessage());
			}
			return null;
		}
	}

	private static Embedding readEntry(final Path entry, final String key, final String modelSha,
		final int width, final int height, final Map<String, long[]> expected)
	{
		final Path attrsFile = entry.resolve(".zattrs");
		final JsonObject a = StoreJson.object(attrsFile);
		final String k = StoreJson.string(a, "key", attrsFile);
		if (!k.equals(key)) throw new AnySegException("it records the key " + k + ".");
		final String m = StoreJson.string(a, "model_sha256", attrsFile);
		if (!m.equals(modelSha)) {
			throw new AnySegException("it was made by model " + m + ", not " + modelSha + ".");
		}
		final int w = StoreJson.integer(a, "width", attrsFile), h = StoreJson.integer(a, "height",
			attrsFile);
		if (w != width || h != height) {
			throw new AnySegException("it is for a " + w + "x" + h + " plane, not " + width + "x" +
				height + ".");
		}
		final JsonElement t = a.get("tensors");
		if (t == null || !t.isJsonObject() || t.getAsJsonObject().size() == 0) {
			throw new AnySegException(attrsFile + " lists no tensors.");
		}
		final Map<String, FloatTensor> tensors = new LinkedHashMap<>();
		for (final Map.Entry<String, JsonElement> e : t.getAsJsonObject().entrySet()) {
			if (!SAFE_NAME.matcher(e.getKey()).matches()) {
				throw new AnySegException("it names the array '" + e.getKey() + "'.");
			}
			final ZarrArray.Data d = ZarrArray.read(entry.resolve(e.getKey()));
			for (final float v : d.values()) {
				if (!Float.isFinite(v)) {
					throw new AnySegException("array " + e.getKey() + " holds NaN or infinite values.");
				}
			}
			tensors.put(e.getValue().getAsString(), FloatTensor.of(d.values(), d.shape()));
		}
		if (expected != null) {
			final Map<String, long[]> got = shapes(tensors);
			if (!got.keySet().equals(expected.keySet()) || got.entrySet().stream().anyMatch(
				e -> !java.util.Arrays.equals(e.getValue(), expected.get(e.getKey()))))
			{
				throw new AnySegException("its tensors " + describe(got) + " differ from the model's " +
					describe(expected) + ".");
			}
		}
		return new Embedding(width, height, tensors);
	}

	/** Tensor names and shapes of an embedding. */
	public static Map<String, long[]> shapes(final Map<String, FloatTensor> tensors) {
		final Map<String, long[]> s = new java.util.TreeMap<>();
		tensors.forEach((n, t) -> s.put(n, t.shape()));
		return s;
	}

	private static String describe(final Map<String, long[]> s) {
		final StringBuilder b = new StringBuilder();
		s.forEach((n, v) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(
			java.util.Arrays.toString(v)));
		return b.toString();
	}

	/**
	 * Writes an entry atomically: into a new folder under {@code .partial/}, then renamed to
	 * its key. When the key's folder exists already, it is left alone (another writer made
	 * the same entry) unless {@code replace}, when it is moved aside and removed first.
	 *
	 * @return whether this call put the entry in place
	 */
	public boolean write(final String key, final String modelSha, final Embedding e,
		final Info info, final Precision precision, final boolean zlib, final boolean replace)
	{
		if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("key " + key);
		final Path target = dir.resolve(key);
		Path tmp = null;
		try {
			final Path partial = dir.resolve(PARTIAL);
			Files.createDirectories(partial);
			tmp = Files.createTempDirectory(partial, key.substring(0, 12) + ".");
			Files.writeString(tmp.resolve(".zgroup"), "{\"zarr_format\": 2}");
			final JsonObject names = new JsonObject();
			int i = 0;
			for (final Map.Entry<String, FloatTensor> t : new java.util.TreeMap<>(e.tensors())
				.entrySet())
			{
				final String name = SAFE_NAME.matcher(t.getKey()).matches() && !t.getKey().startsWith(
					".") ? t.getKey() : "tensor_" + i;
				i++;
				names.addProperty(name, t.getKey());
				ZarrArray.write(tmp.resolve(name), t.getValue().shape(), t.getValue().buffer(),
					precision.dtype(), zlib);
			}
			Files.writeString(tmp.resolve(".zattrs"), attributes(key, modelSha, e, info, precision,
				names).toString());
			if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
				Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions
					.fromString("rwxr-xr-x"));
			}
			if (replace && Files.exists(target)) {
				final Path aside = Files.createTempDirectory(partial, key.substring(0, 12) + ".old.");
				Files.delete(aside);
				try {
					Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
					deleteTree(aside);
				}
				catch (final java.nio.file.NoSuchFileException gone) {
					// another writer moved it first
				}
			}
			try {
				Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
				tmp = null;
				return true;
			}
			catch (final IOException exists) {
				// rename(2) onto a non-empty folder fails (ENOTEMPTY, EEXIST): a parallel writer
				// put the same entry first
				if (Files.isDirectory(target)) return false;
				throw exists;
			}
		}
		catch (final IOException ex) {
			throw new AnySegException("Cannot write embedding " + target + ": " + ex.getMessage() +
				". Check that the store is writable and the disk has space.", ex);
		}
		finally {
			if (tmp != null) deleteTree(tmp);
		}
	}

	private static JsonObject attributes(final String key, final String modelSha,
		final Embedding e, final Info info, final Precision precision, final JsonObject names)
	{
		final JsonObject a = new JsonObject();
		a.addProperty("key", key);
		a.addProperty("model_sha256", modelSha);
		a.addProperty("width", e.width());
		a.addProperty("height", e.height());
		a.addProperty("plane_sha256", info.planeSha256());
		a.addProperty("normalization", info.normalization());
		final JsonArray w = new JsonArray();
		for (final int v : info.window()) w.add(v);
		a.add("window", w);
		if (info.source() != null) a.addProperty("source", info.source());
		if (info.slice() >= 0) a.addProperty("slice", info.slice());
		a.addProperty("dtype", precision.name().toLowerCase(java.util.Locale.ROOT));
		a.add("tensors", names);
		a.addProperty("created", java.time.Instant.now().toString());
		return a;
	}

	/** Removes a folder and what it holds, as far as it can (leftovers are never read). */
	static void deleteTree(final Path p) {
		try (Stream<Path> s = Files.walk(p)) {
			s.sorted(Comparator.reverseOrder()).forEach(f -> {
				try {
					Files.deleteIfExists(f);
				}
				catch (final IOException ignored) {
					// best effort
				}
			});
		}
		catch (final IOException ignored) {
			// best effort
		}
	}

	/** The keys of the entries in the store (folders named like keys), sorted. */
	public List<String> keys() {
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> KEY
				.matcher(n).matches()).sorted().toList();
		}
		catch (final IOException ex) {
			throw new AnySegException("Cannot list " + dir + ": " + ex.getMessage(), ex);
		}
	}
}

package org.anyseg.ops.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store of precomputed embeddings: round trips in float32 and float16 (raw and zlib),
 * keys that change with the model, the normalization and the pixels, entries that do not
 * match reported once and ignored, atomic and parallel writes, and the errors of folders
 * that are not stores (micro-sam's included).
 */
class EmbeddingStoreTest {

	@TempDir
	Path tmp;
	final List<String> notices = new CopyOnWriteArrayList<>();
	static final String MODEL = "a".repeat(64), OTHER_MODEL = "b".repeat(64);

	static Embedding embedding(final int seed) {
		final Random r = new Random(seed);
		final float[] a = new float[1 * 8 * 4 * 4], b = new float[2 * 3];
		for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian() * 3;
		for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
		return new Embedding(40, 30, Map.of("image_embeddings", FloatTensor.of(a, 1, 8, 4, 4),
			"high/res feats", FloatTensor.of(b, 2, 3)));
	}

	static Plane plane(final int seed) {
		final float[] v = new float[40 * 30];
		for (int i = 0; i < v.length; i++) v[i] = (i * 37 + seed * 11) % 4000;
		return new Plane(40, 30, Plane.Kind.GRAY16, v);
	}

	static String key(final String model, final Plane p, final Normalization n) {
		return EmbeddingKeys.key(model, p.width(), p.height(), n.toRgb255(p));
	}

	private EmbeddingStore store() {
		return EmbeddingStore.create(tmp.resolve("store"), notices::add);
	}

	private static EmbeddingStore.Info info(final Plane p) {
		return new EmbeddingStore.Info(EmbeddingKeys.planeSha256(p), "auto", new int[] { 0, 0,
			p.width(), p.height() }, "p.tif", -1);
	}

	@Test
	void float32RoundTripIsExact() {
		for (final boolean zlib : new boolean[] { false, true }) {
			final EmbeddingStore s = store();
			final String k = key(MODEL, plane(zlib ? 1 : 2), Normalization.AUTO);
			final Embedding e = embedding(1);
			assertTrue(s.write(k, MODEL, e, info(plane(1)), EmbeddingStore.Precision.FLOAT32, zlib,
				false));
			final Embedding back = EmbeddingStore.open(s.dir(), notices::add).read(k, MODEL, 40, 30,
				null);
			assertNotNull(back, notices.toString());
			for (final String n : e.tensors().keySet()) {
				assertArrayEquals(e.tensor(n).shape(), back.tensor(n).shape());
				assertArrayEquals(e.tensor(n).toArray(), back.tensor(n).toArray(), 0f, n);
			}
		}
		assertEquals(List.of(), notices);
	}

	@Test
	void float16RoundTripIsWithinHalfPrecision() throws IOException {
		final EmbeddingStore s = store();
		final String k = key(MODEL, plane(1), Normalization.AUTO);
		final Embedding e = embedding(2);
		s.write(k, MODEL, e, info(plane(1)), EmbeddingStore.Precision.FLOAT16, true, false);
		final Embedding back = s.read(k, MODEL, 40, 30, EmbeddingStore.shapes(e.tensors()));
		assertNotNull(back, notices.toString());
		final float[] a = e.tensor("image_embeddings").toArray(), b = back.tensor(
			"image_embeddings").toArray();
		for (int i = 0; i < a.length; i++) {
			assertEquals(a[i], b[i], Math.abs(a[i]) * 0x1p-11f + 0x1p-24f, "value " + i);
		}
		final String zarray = Files.readString(s.dir().resolve(k).resolve("image_embeddings")
			.resolve(".zarray"));
		assertTrue(zarray.contains("\"dtype\":\"<f2\"") && zarray.contains("\"id\":\"zlib\""),
			zarray);
		// a tensor name that is not a plain file name is stored under a safe one
		assertTrue(Files.isDirectory(s.dir().resolve(k).resolve("tensor_0")), "high/res feats");
	}

	@Test
	void keysChangeWithModelNormalizationAndPixels() {
		final EmbeddingStore s = store();
		final Plane p = plane(1);
		final String k = key(MODEL, p, Normalization.AUTO);
		s.write(k, MODEL, embedding(1), info(p), EmbeddingStore.Precision.FLOAT32, false, false);
		assertNotNull(s.read(k, MODEL, 40, 30, null));
		final String[] others = { key(OTHER_MODEL, p, Normalization.AUTO), key(MODEL, p,
			Normalization.window(1000, 500)), key(MODEL, plane(2), Normalization.AUTO) };
		for (final String o : others) {
			assertNotEquals(k, o);
			assertNull(s.read(o, MODEL, 40, 30, null), "a miss");
		}
		// one changed pixel is another key
		final float[] v = p.channel(0).clone();
		v[123] += 1;
		assertNotEquals(k, key(MODEL, new Plane(40, 30, Plane.Kind.GRAY16, v), Normalization
			.AUTO));
		// the same key asked for another model is refused by the entry's attributes
		assertNull(s.read(k, OTHER_MODEL, 40, 30, null));
		assertEquals(1, notices.size(), notices.toString());
		assertTrue(notices.get(0).contains("made by model " + MODEL), notices.get(0));
	}

	@Test
	void aMismatchIsReportedOnceAndIgnored() throws IOException {
		final EmbeddingStore s = store();
		final Plane p = plane(1);
		final String k = key(MODEL, p, Normalization.AUTO);
		s.write(k, MODEL, embedding(1), info(p), EmbeddingStore.Precision.FLOAT32, false, false);
		// shapes other than the model's
		final Map<String, long[]> wrong = Map.of("image_embeddings", new long[] { 1, 256, 64, 64 },
			"high/res feats", new long[] { 2, 3 });
		assertNull(s.read(k, MODEL, 40, 30, wrong));
		assertNull(s.read(k, MODEL, 40, 30, wrong));
		assertEquals(1, notices.size(), "reported once: " + notices);
		assertTrue(notices.get(0).contains("differ from the model's") && notices.get(0).contains(
			"encoded instead"), notices.get(0));
		// an entry moved under another key
		final Plane q = plane(2);
		final String kq = key(MODEL, q, Normalization.AUTO);
		Files.move(s.dir().resolve(k), s.dir().resolve(kq));
		assertNull(s.read(kq, MODEL, 40, 30, null));
		assertTrue(notices.get(1).contains("records the key " + k), notices.toString());
	}

	@Test
	void truncatedOrDamagedEntriesAreReportedAndIgnored() throws IOException {
		final EmbeddingStore s = store();
		final String[] damage = { "truncate", "nan", "zlib", "attrs" };
		for (int i = 0; i < damage.length; i++) {
			final Plane p = plane(10 + i);
			final String k = key(MODEL, p, Normalization.AUTO);
			s.write(k, MODEL, embedding(1), info(p), EmbeddingStore.Precision.FLOAT32, damage[i]
				.equals("zlib"), false);
			final Path arr = s.dir().resolve(k).resolve("image_embeddings");
			final Path chunk = arr.resolve("0.0.0.0");
			final byte[] bytes = Files.readAllBytes(chunk);
			switch (damage[i]) {
				case "truncate", "zlib" -> Files.write(chunk, java.util.Arrays.copyOf(bytes,
					bytes.length / 2));
				case "nan" -> {
					// float32 little-endian NaN: 00 00 c0 7f
					bytes[4] = 0;
					bytes[5] = 0;
					bytes[6] = (byte) 0xc0;
					bytes[7] = 0x7f;
					Files.write(chunk, bytes);
				}
				default -> Files.writeString(s.dir().resolve(k).resolve(".zattrs"), "{\"key\": ");
			}
			assertNull(s.read(k, MODEL, 40, 30, null), damage[i]);
		}
		assertEquals(4, notices.size(), notices.toString());
		assertTrue(notices.get(0).contains("truncated"), notices.get(0));
		assertTrue(notices.get(1).contains("NaN"), notices.get(1));
		assertTrue(notices.get(2).contains("truncated"), notices.get(2));
		assertTrue(notices.get(3).contains("not valid JSON"), notices.get(3));
	}

	@Test
	void aKilledWriteLeavesNothingThatIsRead() throws IOException {
		final EmbeddingStore s = store();
		final Plane p = plane(1);
		final String k = key(MODEL, p, Normalization.AUTO);
		// what a write killed before its rename leaves: a folder under .partial
		final Path partial = s.dir().resolve(EmbeddingStore.PARTIAL).resolve(k.substring(0, 12) +
			".123");
		Files.createDirectories(partial.resolve("image_embeddings"));
		Files.writeString(partial.resolve(".zgroup"), "{\"zarr_format\": 2}");
		assertNull(s.read(k, MODEL, 40, 30, null));
		assertFalse(s.has(k));
		assertEquals(List.of(), s.keys());
		assertEquals(List.of(), notices, "a partial write is simply absent");
		// the write itself leaves no temporary folder behind
		s.write(k, MODEL, embedding(1), info(p), EmbeddingStore.Precision.FLOAT32, false, false);
		try (Stream<Path> l = Files.list(s.dir().resolve(EmbeddingStore.PARTIAL))) {
			assertEquals(List.of(partial), l.toList());
		}
		assertEquals(List.of(k), s.keys());
	}

	@Test
	void twoShardsWriteIntoOneStoreInParallel() throws Exception {
		final Path dir = tmp.resolve("shared");
		final ExecutorService pool = Executors.newFixedThreadPool(2);
		final List<Future<?>> jobs = new ArrayList<>();
		// each shard writes its own planes and, as a race, the same plane 0
		for (int shard = 0; shard < 2; shard++) {
			final int k = shard;
			jobs.add(pool.submit(() -> {
				final EmbeddingStore s = EmbeddingStore.create(dir, notices::add);
				for (int i = 0; i < 12; i++) {
					if (i % 2 != k && i != 0) continue;
					final Plane p = plane(i);
					s.write(key(MODEL, p, Normalization.AUTO), MODEL, embedding(i), info(p),
						EmbeddingStore.Precision.FLOAT32, false, false);
				}
				return null;
			}));
		}
		for (final Future<?> f : jobs) f.get();
		pool.shutdown();
		final EmbeddingStore s = EmbeddingStore.open(dir, notices::add);
		assertEquals(12, s.keys().size());
		for (int i = 0; i < 12; i++) {
			final Embedding e = s.read(key(MODEL, plane(i), Normalization.AUTO), MODEL, 40, 30, null);
			assertNotNull(e, "plane " + i);
			assertArrayEquals(embedding(i).tensor("image_embeddings").toArray(), e.tensor(
				"image_embeddings").toArray(), 0f);
		}
		try (Stream<Path> l = Files.list(dir.resolve(EmbeddingStore.PARTIAL))) {
			assertEquals(0, l.count(), "no temporary folder left");
		}
		assertEquals(List.of(), notices);
	}

	@Test
	void foldersThatAreNotStoresGiveClearErrors() throws IOException {
		final Path missing = tmp.resolve("missing");
		assertTrue(error(missing).contains("does not exist"));
		final Path file = Files.writeString(tmp.resolve("file.txt"), "x");
		assertTrue(error(file).contains("is a file"));
		final Path plain = Files.createDirectories(tmp.resolve("plain"));
		assertTrue(error(plain).contains("no .zgroup"), error(plain));
		final Path group = Files.createDirectories(tmp.resolve("group"));
		Files.writeString(group.resolve(".zgroup"), "{\"zarr_format\": 2}");
		assertTrue(error(group).contains("not an AnySeg embedding store"), error(group));
		// create() refuses a folder of other files rather than mixing a store into it
		Files.writeString(plain.resolve("notes.txt"), "mine");
		assertThrows(AnySegException.class, () -> EmbeddingStore.create(plain, null));
	}

	/**
	 * micro-sam's precompute_image_embeddings (micro_sam/util.py): zarr.open(save_path), root
	 * attributes data_signature, model_type, input_size, original_size, ..., and a 'features'
	 * array created without a compressor argument, so with zarr-python 2's default Blosc.
	 */
	@Test
	void microSamEmbeddingsAreRecognisedAndRefusedWithTheReason() throws IOException {
		final Path ms = Files.createDirectories(tmp.resolve("embeddings.zarr"));
		Files.writeString(ms.resolve(".zgroup"), "{\"zarr_format\": 2}");
		Files.writeString(ms.resolve(".zattrs"), "{\"data_signature\": \"0f3c\", \"model_type\": " +
			"\"vit_b\", \"input_size\": [1024, 768], \"original_size\": [512, 384]}");
		final Path features = Files.createDirectories(ms.resolve("features"));
		Files.writeString(features.resolve(".zarray"), "{\"zarr_format\": 2, \"shape\": [1, 256, " +
			"64, 64], \"chunks\": [1, 256, 64, 64], \"dtype\": \"<f4\", \"compressor\": {\"id\": " +
			"\"blosc\", \"cname\": \"lz4\", \"clevel\": 5, \"shuffle\": 1, \"blocksize\": 0}, " +
			"\"fill_value\": 0.0, \"order\": \"C\", \"filters\": null}");
		final String m = error(ms);
		assertTrue(m.contains("micro-sam") && m.contains("Blosc") && m.contains("anyseg embed"), m);
		// and the array itself, read directly, names the compressor
		final AnySegException e = assertThrows(AnySegException.class, () -> ZarrArray.read(
			features));
		assertTrue(e.getMessage().contains("compressor 'blosc'"), e.getMessage());
	}

	private String error(final Path p) {
		return assertThrows(AnySegException.class, () -> EmbeddingStore.open(p, null))
			.getMessage();
	}
}

package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.anyseg.ops.store.EmbeddingStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anyseg embed} and {@code --embeddings} as a user runs them, with the bundled demo
 * model: the same labels with and without the store and no plane encoded; float16 within
 * tolerance; a stack embedded by two shards in parallel serves propagation and a single
 * slice; stores that are missing, not stores, or damaged give a clear error or a notice.
 */
class EmbedCliTest {

	@TempDir
	Path tmp;
	StringWriter out = new StringWriter();
	StringWriter err = new StringWriter();
	static final Path CELLS = Paths.get("samples/cells.tif");

	private int cli(final String... args) {
		out = new StringWriter();
		err = new StringWriter();
		return AnySegCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
	}

	private Path segment(final String name, final String... extra) {
		final Path labels = tmp.resolve(name);
		final String[] base = { "segment", "--model", "demo", "--image", CELLS.toString(),
			"--box", "361,0,386,16", "--box", "1,4,23,24", "--box", "305,10,319,28", "--out",
			labels.toString() };
		final String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
		System.arraycopy(extra, 0, args, base.length, extra.length);
		assertEquals(0, cli(args), err.toString());
		return labels;
	}

	static short[] labels(final Path p) {
		return (short[]) ij.IJ.openImage(p.toString()).getProcessor().getPixels();
	}

	@Test
	void embedThenSegmentGivesTheSameLabelsAndEncodesNothing() throws IOException {
		final short[] cold = labels(segment("cold.tif"));
		final Path store = tmp.resolve("store");
		assertEquals(0, cli("embed", "--model", "demo", "--input", CELLS.toString(), "--out", store
			.toString()), err.toString());
		assertTrue(out.toString().contains("1 plane(s): 1 encoded, 0 already in the store"), out
			.toString());
		final Path warmPath = segment("warm.tif", "--embeddings", store.toString());
		assertTrue(out.toString().contains("embeddings: 1 plane(s) read from " + store +
			", 0 encoded"), out.toString());
		assertArrayEquals(cold, labels(warmPath), "the same labels with precomputed embeddings");
		assertEquals("", err.toString());
		// embedding again encodes nothing
		assertEquals(0, cli("embed", "--model", "demo", "--input", CELLS.toString(), "--out", store
			.toString()));
		assertTrue(out.toString().contains("0 encoded, 1 already in the store"), out.toString());
		// the entry's attributes say what it is
		final EmbeddingStore s = EmbeddingStore.open(store, null);
		final String attrs = Files.readString(store.resolve(s.keys().get(0)).resolve(".zattrs"));
		for (final String a : new String[] { "\"normalization\":\"auto\"", "\"window\":[0,0,512," +
			"384]", "\"source\":\"cells.tif\"", "\"plane_sha256\"", "\"model_sha256\"" })
		{
			assertTrue(attrs.contains(a), a + " in " + attrs);
		}
		// auto and batch read it too
		assertEquals(0, cli("auto", "--model", "demo", "--image", CELLS.toString(), "--out", tmp
			.resolve("auto.tif").toString(), "--points-per-side", "2", "--embeddings", store
				.toString()), err.toString());
		assertTrue(out.toString().contains("embeddings: 1 plane(s) read from " + store +
			", 0 encoded"), "auto: " + out);
		final Path folder = Files.createDirectories(tmp.resolve("in"));
		Files.copy(CELLS, folder.resolve("cells.tif"));
		final Path csv = Files.writeString(tmp.resolve("p.csv"), "image,object,type,x0,y0,x1,y1," +
			"label\ncells.tif,1,box,361,0,386,16,\n");
		assertEquals(0, cli("batch", "--model", "demo", "--input", folder.toString(),
			"--prompts-from", "csv:" + csv, "--out", tmp.resolve("batch").toString(),
			"--embeddings", store.toString()), err.toString());
		assertTrue(out.toString().contains("embeddings: 1 plane(s) read from " + store +
			", 0 encoded"), "batch: " + out);
		// another normalization is another key: encoded, with the store's plane left alone
		segment("window.tif", "--embeddings", store.toString(), "--normalize", "window:100,200");
		assertTrue(out.toString().contains("0 plane(s) read from " + store + ", 1 encoded"), out
			.toString());
	}

	@Test
	void float16StoreKeepsTheMasks() {
		final short[] cold = labels(segment("cold.tif"));
		final Path store = tmp.resolve("f16");
		assertEquals(0, cli("embed", "--model", "demo", "--input", CELLS.toString(), "--out", store
			.toString(), "--precision", "float16", "--zlib"), err.toString());
		final short[] warm = labels(segment("warm.tif", "--embeddings", store.toString()));
		assertTrue(out.toString().contains("1 plane(s) read"), out.toString());
		int differ = 0, object = 0;
		for (int i = 0; i < cold.length; i++) {
			if (cold[i] != warm[i]) differ++;
			if (cold[i] != 0) object++;
		}
		// allow a boundary pixel in a hundred (BENCHMARKS.md has the measured difference)
		assertTrue(object > 100 && differ <= object / 100, differ + " pixels differ of " + object +
			" labelled");
	}

	@Test
	@Tag("slow")
	void twoShardsEmbedAStackThatServesPropagationAndOneSlice() throws Exception {
		// a 16-bit stack: the volume's normalization differs from each slice's own
		final ij.ImageStack st = new ij.ImageStack(96, 80);
		for (int z = 0; z < 4; z++) {
			final ij.process.ShortProcessor sp = new ij.process.ShortProcessor(96, 80);
			sp.setValue(300 + 100 * z);
			sp.fill();
			sp.setValue(3000 + 500 * z);
			sp.fillOval(30, 25, 30 - 2 * z, 26 - 2 * z);
			st.addSlice(sp);
		}
		final Path stack = tmp.resolve("stack.tif");
		ij.IJ.saveAsTiff(new ij.ImagePlus("stack", st), stack.toString());
		final Path store = tmp.resolve("store");
		final ExecutorService pool = Executors.newFixedThreadPool(2);
		final List<Future<String>> shards = List.of(0, 1).stream().map(k -> pool.submit(() -> {
			final StringWriter o = new StringWriter(), e = new StringWriter();
			final int rc = AnySegCli.run(new String[] { "embed", "--model", "demo", "--input", stack
				.toString(), "--out", store.toString(), "--shard", k + "/2" }, new PrintWriter(o, true),
				new PrintWriter(e, true));
			return rc + " " + o + e;
		})).toList();
		for (final Future<String> f : shards) {
			final String r = f.get();
			assertTrue(r.startsWith("0 ") && r.contains("4 plane(s)"), r);
		}
		pool.shutdown();
		final EmbeddingStore s = EmbeddingStore.open(store, null);
		assertEquals(8, s.keys().size(), "4 slices, normalized over the volume and alone");
		try (Stream<Path> l = Files.list(store.resolve(".partial"))) {
			assertEquals(0, l.count());
		}
		// propagation reads every slice normalized over the volume
		final Path csv = tmp.resolve("p.csv");
		Files.writeString(csv, "object,type,x0,y0,x1,y1,label,z\n1,box,26,21,64,55,,2\n");
		final String[] propagate = { "segment", "--model", "demo", "--image", stack.toString(),
			"--prompts", csv.toString(), "--propagate", "--out", tmp.resolve("p.tif").toString() };
		assertEquals(0, cli(propagate), err.toString());
		final String cold = out.toString();
		final String[] warm = java.util.Arrays.copyOf(propagate, propagate.length + 2);
		warm[warm.length - 2] = "--embeddings";
		warm[warm.length - 1] = store.toString();
		warm[warm.length - 3] = tmp.resolve("q.tif").toString();
		assertEquals(0, cli(warm), err.toString());
		assertTrue(out.toString().contains(", 0 slices encoded") && out.toString().contains(
			"0 encoded"), out.toString());
		assertTrue(!cold.contains(", 0 slices encoded"), cold);
		final ij.ImagePlus a = ij.IJ.openImage(tmp.resolve("p.tif").toString()), b = ij.IJ
			.openImage(tmp.resolve("q.tif").toString());
		for (int z = 1; z <= 4; z++) {
			assertArrayEquals((short[]) a.getStack().getPixels(z), (short[]) b.getStack().getPixels(
				z), "slice " + z);
		}
		// one slice without --propagate is normalized alone: its own entry
		assertEquals(0, cli("segment", "--model", "demo", "--image", stack.toString(), "--slice",
			"3", "--box", "26,21,64,55", "--out", tmp.resolve("one.tif").toString(), "--embeddings",
			store.toString()), err.toString());
		assertTrue(out.toString().contains("1 plane(s) read from " + store + ", 0 encoded"), out
			.toString());
	}

	@Test
	@Tag("slow")
	void aLargeImageIsEmbeddedAsTheTilesAutoEncodes() {
		final ij.process.ByteProcessor bp = new ij.process.ByteProcessor(1300, 1100);
		bp.setValue(40);
		bp.fill();
		bp.setValue(220);
		for (int i = 0; i < 6; i++) bp.fillOval(100 + 190 * i, 150 + 140 * i, 60, 50);
		final Path big = tmp.resolve("big.tif");
		ij.IJ.saveAsTiff(new ij.ImagePlus("big", bp), big.toString());
		final Path store = tmp.resolve("store");
		final int tiles = org.anyseg.ops.auto.AutoSegmenter.tileCount(1300, 1100,
			org.anyseg.ops.auto.AutoParams.defaults(org.anyseg.ops.model.ModelConfig.of(
				org.anyseg.ops.model.ModelCatalog.demoFiles())));
		assertTrue(tiles > 1, "tiles: " + tiles);
		assertEquals(0, cli("embed", "--input", big.toString(), "--out", store.toString()), err
			.toString());
		assertTrue(out.toString().contains(tiles + " plane(s): " + tiles + " encoded"), out
			.toString());
		assertEquals(0, cli("auto", "--image", big.toString(), "--out", tmp.resolve("a.tif")
			.toString(), "--points-per-side", "1", "--embeddings", store.toString()), err.toString());
		assertTrue(out.toString().contains(tiles + " plane(s) read from " + store + ", 0 encoded"),
			out.toString());
		// a prompt's full-resolution window is not precomputed (docs/embeddings.md): encoded,
		// unless it is one of the tiles (the window of a prompt near a corner)
		assertEquals(0, cli("segment", "--image", big.toString(), "--box", "570,430,630,480",
			"--out", tmp.resolve("s.tif").toString(), "--embeddings", store.toString()), err
				.toString());
		assertTrue(out.toString().contains("0 plane(s) read from " + store + ", 1 encoded"), out
			.toString());
		assertEquals(0, cli("segment", "--image", big.toString(), "--box", "95,145,165,205",
			"--out", tmp.resolve("c.tif").toString(), "--embeddings", store.toString()), err
				.toString());
		assertTrue(out.toString().contains("window at (0,0) 1024x1024") && out.toString().contains(
			"1 plane(s) read from " + store + ", 0 encoded"), out.toString());
	}

	@Test
	@Tag("slow")
	void storesThatAreMissingNotStoresOrDamagedGiveAClearErrorOrANotice() throws IOException {
		final Path labels = tmp.resolve("l.tif");
		final String[] seg = { "segment", "--model", "demo", "--image", CELLS.toString(), "--box",
			"10,10,60,60", "--out", labels.toString(), "--embeddings", "" };
		seg[seg.length - 1] = tmp.resolve("nowhere").toString();
		assertEquals(2, cli(seg));
		assertTrue(err.toString().contains("does not exist: make it with 'anyseg embed"), err
			.toString());
		final Path plain = Files.createDirectories(tmp.resolve("plain"));
		seg[seg.length - 1] = plain.toString();
		assertEquals(2, cli(seg));
		assertTrue(err.toString().contains("not a Zarr v2 group"), err.toString());
		assertFalse(Files.exists(labels));
		// a truncated chunk: reported once, the plane encoded, the same labels
		final Path store = tmp.resolve("store");
		assertEquals(0, cli("embed", "--input", CELLS.toString(), "--out", store.toString()));
		final String key = EmbeddingStore.open(store, null).keys().get(0);
		final Path chunk = store.resolve(key).resolve("image_embeddings").resolve("0.0.0.0");
		final byte[] b = Files.readAllBytes(chunk);
		Files.write(chunk, java.util.Arrays.copyOf(b, b.length - 4));
		seg[seg.length - 1] = store.toString();
		assertEquals(0, cli(seg), err.toString());
		assertTrue(err.toString().contains("ignored (the plane is encoded instead)") && err
			.toString().contains("truncated"), err.toString());
		assertTrue(out.toString().contains("0 plane(s) read from " + store + ", 1 encoded"), out
			.toString());
		final short[] damaged = labels(labels);
		seg[seg.length - 2] = "--threads"; // the same run without the store
		seg[seg.length - 1] = "1";
		assertEquals(0, cli(seg), err.toString());
		assertArrayEquals(labels(labels), damaged);
		// embed replaces the damaged entry
		assertEquals(0, cli("embed", "--input", CELLS.toString(), "--out", store.toString()));
		assertTrue(out.toString().contains("1 encoded"), out.toString());
		assertEquals(b.length, Files.size(chunk));
	}
}

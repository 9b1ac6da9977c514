package org.anyseg.plugin.macro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.anyseg.ops.store.EmbeddingStore;
import org.anyseg.plugin.cli.AnySegCli;
import org.anyseg.plugin.fiji.AnySegService;
import org.anyseg.plugin.fiji.FijiContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ext.anysegSetEmbeddings: a macro that sets a store made by {@code anyseg embed} segments
 * from it (the same labels as without the store); "" turns it off; a folder that is not a
 * store stops the macro with the reason.
 */
@Tag("slow")
class MacroEmbeddingsTest {

	@TempDir
	Path tmp;

	private int macro(final String code, final StringWriter err) throws IOException {
		final Path m = tmp.resolve("m" + System.nanoTime() + ".ijm");
		Files.writeString(m, code);
		return AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(
			new StringWriter(), true), new PrintWriter(err, true));
	}

	private String segmentMacro(final String embeddings, final Path labels) {
		return "open('" + Paths.get("samples/cells.tif").toAbsolutePath() + "');\n" +
			"run('AnySeg Macro Functions');\nExt.anysegSetModel('demo');\n" +
			"Ext.anysegSetEmbeddings('" + embeddings + "');\n" +
			"Ext.anysegAddBox(361, 0, 386, 16);\nExt.anysegAddBox(1, 4, 23, 24);\n" +
			"Ext.anysegSegment();\nsaveAs('Tiff', '" + labels + "');\nclose('*');\n" +
			"Ext.anysegSetEmbeddings('');\n";
	}

	/**
	 * Macro functions run with a service of their own per call (outside Fiji), so the store's
	 * use is shown by its effect: the entry of cells.tif is given the embedding of a black
	 * image (a valid entry with other values), and the macro's labels follow the store.
	 */
	@Test
	void aMacroSegmentsFromTheStoreItSets() throws IOException {
		final Path store = tmp.resolve("store"), black = tmp.resolve("black");
		final Path blackImage = tmp.resolve("black.tif");
		ij.IJ.saveAsTiff(new ij.ImagePlus("black", new ij.process.ByteProcessor(512, 384)),
			blackImage.toString());
		final StringWriter err = new StringWriter();
		for (final String[] in : new String[][] { { "samples/cells.tif", store.toString() }, {
			blackImage.toString(), black.toString() } })
		{
			assertEquals(0, AnySegCli.run(new String[] { "embed", "--input", in[0], "--out", in[1] },
				new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());
		}
		final String chunk = "image_embeddings/0.0.0.0";
		final Path cellsChunk = store.resolve(EmbeddingStore.open(store, null).keys().get(0))
			.resolve(chunk);
		final Path blackChunk = black.resolve(EmbeddingStore.open(black, null).keys().get(0))
			.resolve(chunk);
		final byte[] real = Files.readAllBytes(cellsChunk);
		final Path warm = tmp.resolve("warm.tif"), cold = tmp.resolve("cold.tif"), planted = tmp
			.resolve("planted.tif");
		assertEquals(0, macro(segmentMacro(store.toString(), warm), err), err.toString());
		assertEquals(0, macro(segmentMacro("", cold), err), err.toString());
		Files.copy(blackChunk, cellsChunk, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		assertEquals(0, macro(segmentMacro(store.toString(), planted), err), err.toString());
		assertArrayEquals(pixels(cold), pixels(warm), "the store's embedding is the encoder's");
		assertFalse(java.util.Arrays.equals(pixels(cold), pixels(planted)), "the macro read the " +
			"store (a black image's embedding gives other masks)");
		Files.write(cellsChunk, real);
		assertNull(FijiContext.service(AnySegService.class).embeddings(), "'' turned it off");
	}

	private static short[] pixels(final Path p) {
		return (short[]) ij.IJ.openImage(p.toString()).getProcessor().getPixels();
	}

	@Test
	void aFolderThatIsNotAStoreStopsTheMacro() throws IOException {
		final Path plain = Files.createDirectories(tmp.resolve("plain"));
		final StringWriter err = new StringWriter();
		final java.io.PrintStream so = System.out, se = System.err;
		final java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
		System.setOut(new java.io.PrintStream(console, true));
		System.setErr(new java.io.PrintStream(console, true));
		final int rc;
		try {
			rc = macro("run('AnySeg Macro Functions');\nExt.anysegSetEmbeddings('" + plain + "');\n",
				err);
		}
		finally {
			System.setOut(so);
			System.setErr(se);
		}
		assertEquals(2, rc, err.toString() + console);
		assertTrue((err.toString() + console).contains("not a Zarr v2 group"), err.toString() +
			console);
		assertNull(FijiContext.service(AnySegService.class).embeddings());
	}
}

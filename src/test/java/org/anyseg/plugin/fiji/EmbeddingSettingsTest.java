package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.anyseg.ops.engine.PromptSession;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.plugin.cli.AnySegCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;

/**
 * Settings' "Precomputed embeddings": the interactive tool's engine (a prompt session on the
 * service's segmenter) reads a stored plane instead of encoding it; the setting survives a
 * restart; a folder that is not a store is refused and changes nothing.
 */
class EmbeddingSettingsTest {

	@TempDir
	Path tmp;
	Context context;
	CommandService commands;
	AnySegService anyseg;

	@BeforeEach
	void start() {
		context = new Context();
		commands = context.service(CommandService.class);
		anyseg = context.service(AnySegService.class);
	}

	@AfterEach
	void stop() {
		// saved settings must not leak into other tests or the developer's own Fiji
		context.service(org.scijava.prefs.PrefService.class).clear(AnySegService.class);
		context.service(org.scijava.prefs.PrefService.class).clear(SettingsCommand.class);
		context.dispose();
	}

	private void settings(final Path embeddings) throws Exception {
		commands.run(SettingsCommand.class, true, "threads", 1, "cache_mb", 64, "model_folder", tmp
			.resolve("models").toFile(), "embeddings", embeddings == null ? new java.io.File("")
				: embeddings.toFile()).get();
	}

	@Test
	void theToolsFirstClickReadsTheStore() throws Exception {
		final Path store = tmp.resolve("store");
		final StringWriter err = new StringWriter();
		assertEquals(0, AnySegCli.run(new String[] { "embed", "--input", "samples/cells.tif",
			"--out", store.toString() }, new PrintWriter(new StringWriter()), new PrintWriter(err)),
			err.toString());
		settings(store);
		assertNotNull(anyseg.embeddings());
		final Segmenter seg = anyseg.segmenter("demo");
		assertSame(anyseg.embeddings(), seg.embeddings());
		// as the tool: a session on the plane, normalization auto, one click
		final PromptSession session = new PromptSession(seg, ImagePlanes.sourceOf(ImageFiles.open(
			Path.of("samples/cells.tif")), new PlaneSelection(0, 1, 1)), Normalization.AUTO);
		session.addPoint(new PointPrompt(372, 8, true));
		final boolean[] toldEncoding = { false };
		final PromptSession.Located p = session.predict(session.snapshot(1), w -> toldEncoding[0] =
			true);
		assertTrue(p.prediction().best().area() > 0);
		assertEquals(0, seg.encoderRuns(), "the first click encoded a stored plane");
		assertEquals(1, seg.storeReads());
		assertTrue(!toldEncoding[0], "the tool would have said 'encoding'");
		// kept across a restart
		context.dispose();
		context = new Context();
		anyseg = context.service(AnySegService.class);
		assertEquals(store, anyseg.embeddings().dir());
		// Settings run without the field keeps the store (it is not forgotten by SciJava)
		commands = context.service(CommandService.class);
		commands.run(SettingsCommand.class, true, "threads", 1, "cache_mb", 64, "model_folder", tmp
			.resolve("models").toFile()).get();
		assertEquals(store, anyseg.embeddings().dir());
		// empty = none
		settings(null);
		assertNull(anyseg.embeddings());
		assertNull(anyseg.segmenter("demo").embeddings());
	}

	@Test
	void aFolderThatIsNotAStoreIsRefused() throws Exception {
		final Path plain = Files.createDirectories(tmp.resolve("plain"));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> settings(plain));
		Throwable root = e;
		while (root.getCause() != null) root = root.getCause();
		assertTrue(root instanceof org.anyseg.ops.AnySegException && root.getMessage().contains(
			"not a Zarr v2 group"), String.valueOf(root));
		assertNull(anyseg.embeddings());
	}
}

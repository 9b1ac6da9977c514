package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.EventQueue;
import java.awt.Rectangle;
import java.awt.Robot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;

import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelZoo;
import org.anyseg.testutil.FixtureServer;
import org.anyseg.testutil.Fixtures;
import org.anyseg.testutil.Gui;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Manage Models window as a user sees it (Xvfb in CI): the catalogue and installed
 * models are listed with licence flags; Download fetches a model from a local server
 * (127.0.0.1) off the event thread and the row turns "installed"; Delete removes it again.
 * A screenshot lands in {@code target/screenshots/manage-models.png}.
 */
@Tag("gui")
class ModelManagerGuiTest {

	@TempDir
	Path tmp;

	@BeforeEach
	void display() {
		Gui.assumeDisplay();
	}

	@Test
	void downloadAndDeleteFromTheWindow() throws Exception {
		final ModelCatalog catalog = new ModelCatalog(tmp.resolve("models"));
		try (FixtureServer server = new FixtureServer()) {
			final ModelZoo zoo = ModelZoo.read(server.catalogue(tmp, "tiny-edgesam", "edgesam",
				"efficient_sams/edgesam/encoder.onnx", "efficient_sams/edgesam/decoder.onnx", FixtureServer.sha(
					"efficient_sams/edgesam/decoder.onnx")));
			final AtomicReference<ModelManagerDialog> d = new AtomicReference<>();
			EventQueue.invokeAndWait(() -> {
				d.set(new ModelManagerDialog(catalog, zoo));
				d.get().setLocation(0, 0);
				d.get().setVisible(true);
			});
			final ModelManagerDialog dialog = d.get();
			assertEquals("installed", dialog.status("demo"));
			assertEquals("available", dialog.status("tiny-edgesam"));
			assertTrue(((String) dialog.table.getValueAt(dialog.row("tiny-edgesam"), 4)).contains(
				"non-commercial"));

			EventQueue.invokeAndWait(() -> {
				dialog.select("tiny-edgesam");
				dialog.download.doClick();
			});
			for (int i = 0; i < 200 && !"installed".equals(dialog.status("tiny-edgesam")); i++) {
				Thread.sleep(50);
			}
			assertEquals("installed", dialog.status("tiny-edgesam"));
			assertEquals("edgesam", dialog.table.getValueAt(dialog.row("tiny-edgesam"), 2));
			assertTrue(Files.isRegularFile(catalog.modelFolder().resolve(
				"tiny-edgesam/decoder.onnx")));
			EventQueue.invokeAndWait(() -> dialog.select("tiny-edgesam"));
			screenshot(dialog, "manage-models.png");

			EventQueue.invokeAndWait(() -> {
				catalog.delete("tiny-edgesam"); // the button asks for confirmation first
				dialog.refresh();
			});
			assertEquals("available", dialog.status("tiny-edgesam"));
			EventQueue.invokeAndWait(dialog::dispose);
		}
	}

	/** The window with the bundled catalogue, for the documentation's screenshot. */
	@Test
	void bundledCatalogueIsListed() throws Exception {
		final AtomicReference<ModelManagerDialog> d = new AtomicReference<>();
		EventQueue.invokeAndWait(() -> {
			d.set(new ModelManagerDialog(new ModelCatalog(tmp.resolve("models")), ModelZoo
				.bundled()));
			d.get().setLocation(0, 0);
			d.get().setVisible(true);
			d.get().select("edgesam-3x");
		});
		final ModelManagerDialog dialog = d.get();
		assertTrue(dialog.names().containsAll(java.util.List.of("demo", "sam-vit-b", "mobilesam",
			"sam2.1-tiny", "efficientsam-s", "edgesam-3x", "efficientvit-sam-l0")), dialog.names()
				.toString());
		assertTrue(dialog.info.getText().contains("not for commercial use"), dialog.info
			.getText());
		assertTrue(dialog.download.isEnabled());
		screenshot(dialog, "manage-models-catalogue.png");
		EventQueue.invokeAndWait(dialog::dispose);
	}

	/**
	 * "Import folder or checkpoint...": a SAM checkpoint is imported off the event thread and
	 * listed as installed (family sam); a micro-sam catalogue row shows its licence and its
	 * measured CPU cost.
	 */
	@Test
	void importsACheckpointAndShowsCatalogueCosts() throws Exception {
		final AtomicReference<ModelManagerDialog> d = new AtomicReference<>();
		EventQueue.invokeAndWait(() -> {
			d.set(new ModelManagerDialog(new ModelCatalog(tmp.resolve("models")), ModelZoo
				.bundled()));
			d.get().setLocation(0, 0);
			d.get().setVisible(true);
		});
		final ModelManagerDialog dialog = d.get();
		final AtomicReference<javax.swing.SwingWorker<String, Void>> w = new AtomicReference<>();
		EventQueue.invokeAndWait(() -> w.set(dialog.importModel(Fixtures.root().resolve(
			"sam_checkpoint/tiny_sam.pth"), "my-sam")));
		assertEquals("sam", w.get().get());
		for (int i = 0; i < 100 && !"installed".equals(dialog.status("my-sam")); i++) {
			Thread.sleep(50);
		}
		assertEquals("installed", dialog.status("my-sam"));
		EventQueue.invokeAndWait(() -> dialog.select("micro-sam-vit-b-lm"));
		assertTrue(dialog.info.getText().contains("CPU cost: encoder 7.1 s per plane"), dialog.info
			.getText());
		screenshot(dialog, "manage-models-checkpoint.png");
		EventQueue.invokeAndWait(dialog::dispose);
	}

	private static void screenshot(final ModelManagerDialog d, final String name)
		throws Exception
	{
		Thread.sleep(300);
		final AtomicReference<Rectangle> r = new AtomicReference<>();
		EventQueue.invokeAndWait(() -> r.set(d.getBounds()));
		final Path dir = Paths.get("target", "screenshots");
		try {
			Files.createDirectories(dir);
			ImageIO.write(new Robot().createScreenCapture(r.get()), "png", dir.resolve(name)
				.toFile());
		}
		catch (final IOException e) {
			throw new IllegalStateException(e);
		}
	}
}

package org.anyseg.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.PlaneSegmentation;
import org.anyseg.ops.engine.PromptSession;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.plugin.cli.AnySegCli;
import org.anyseg.plugin.roi.RoiSegmentation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

/**
 * Issue 13: one rule decides when a plane is segmented in full-resolution windows, at every
 * entry point: any plane larger than {@link PlaneSegmentation#WINDOW}, multi-channel
 * composites included (before, batch, the macro functions and the interactive tool
 * shrank a large multi-channel image whole, and the CLI and the ROI command did unless a
 * channel was chosen). A disc of radius 20 on a 3000x2500 two-channel image must come out
 * at its full-resolution area everywhere.
 */
class WindowRuleTest {

	static final int W = 3000, H = 2500, CX = 2500, CY = 2000, R = 20;
	static final String BOX = (CX - R) + "," + (CY - R) + "," + (CX + R) + "," + (CY + R);

	@TempDir
	static Path tmp;
	static Path image;

	/** Channel 1: the disc; channel 2: a dimmer copy; a composite, as Fiji shows it. */
	@BeforeAll
	static void twoChannelImage() {
		final ImageStack s = new ImageStack(W, H);
		for (final int v : new int[] { 220, 120 }) {
			final ByteProcessor bp = new ByteProcessor(W, H);
			bp.setValue(30);
			bp.fill();
			bp.setValue(v);
			bp.fillOval(CX - R, CY - R, 2 * R, 2 * R);
			s.addSlice(bp);
		}
		final ImagePlus imp = new ImagePlus("two-channel", s);
		imp.setDimensions(2, 1, 1);
		image = tmp.resolve("two-channel.tif");
		new FileSaver(new ij.CompositeImage(imp, ij.CompositeImage.COMPOSITE)).saveAsTiff(image
			.toString());
	}

	static ImagePlus open() {
		final ImagePlus imp = IJ.openImage(image.toString());
		assertEquals(2, imp.getNChannels());
		return imp;
	}

	/** Pixels of label 1 near the disc: its full-resolution area is about pi * 400. */
	static void assertFullResolution(final ImageProcessor labels, final String where) {
		assertEquals(W, labels.getWidth(), where);
		int a = 0;
		for (int y = CY - 3 * R; y < CY + 3 * R; y++) {
			for (int x = CX - 3 * R; x < CX + 3 * R; x++) if (labels.get(x, y) == 1) a++;
		}
		assertTrue(a > 0.8 * Math.PI * R * R && a < 1.3 * Math.PI * R * R, where +
			": area " + a + " px, full resolution is about " + Math.round(Math.PI * R * R));
	}

	static int cli(final String... args) {
		final StringWriter err = new StringWriter();
		final int rc = AnySegCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(
			err, true));
		assertEquals(0, rc, err.toString());
		return rc;
	}

	static Segmenter demo() {
		return new Segmenter(ModelLoader.load(ModelCatalog.demoFiles(), RuntimeOptions
			.defaults()), "demo", new EmbeddingCache(64));
	}

	@Test
	void cli() {
		final Path out = tmp.resolve("cli-labels.tif");
		cli("segment", "--image", image.toString(), "--box", BOX, "--out", out.toString());
		assertFullResolution(new Opener().openImage(out.toString()).getProcessor(), "CLI");
	}

	@Test
	void batch() throws IOException {
		final Path in = Files.createDirectories(tmp.resolve("batch-in"));
		Files.copy(image, in.resolve("two-channel.tif"));
		final Path csv = tmp.resolve("prompts.csv");
		Files.writeString(csv, "image,object,type,x0,y0,x1,y1,label\ntwo-channel.tif,1,box," +
			BOX + ",\n");
		final Path out = tmp.resolve("batch-out");
		cli("batch", "--input", in.toString(), "--prompts-from", "csv:" + csv, "--out", out
			.toString(), "--overlay");
		assertFullResolution(new Opener().openImage(out.resolve("two-channel.tif").toString())
			.getProcessor(), "batch");
		assertTrue(Files.isRegularFile(out.resolve("two-channel_overlay.png")),
			"the overlay of a large image is written, not skipped");
	}

	@Test
	@Tag("slow")
	void macroFunctions() throws IOException {
		final Path out = tmp.resolve("macro-labels.tif");
		final Path m = tmp.resolve("window.ijm");
		Files.writeString(m, "open('" + image + "');\nrun('AnySeg Macro Functions');\n" +
			"Ext.anysegSetModel('demo');\nExt.anysegAddBox(" + BOX + ");\nExt.anysegSegment();\n" +
			"saveAs('Tiff', '" + out + "');\n");
		cli("macro", m.toString());
		assertFullResolution(new Opener().openImage(out.toString()).getProcessor(),
			"macro functions");
	}

	@Test
	void roiCommand() {
		try (Segmenter seg = demo()) {
			final RoiSegmentation.Result r = RoiSegmentation.run(seg, open(), List.of(new Roi(CX - R,
				CY - R, 2 * R, 2 * R)), Normalization.AUTO, 0);
			assertFullResolution(r.labels().getProcessor(), "ROI command");
		}
	}

	/** The interactive tool opens its session on exactly this source. */
	@Test
	void interactiveToolSession() {
		try (Segmenter seg = demo()) {
			final PromptSession s = new PromptSession(seg, ImagePlanes.sourceOf(open(),
				new PlaneSelection(0, 1, 1)), Normalization.AUTO);
			assertTrue(s.windowed());
			final ObjectPrompt p = ObjectPrompt.ofBox(1, new BoxPrompt(CX - R, CY - R, CX + R, CY +
				R));
			final PromptSession.Located l = s.predict(p);
			final int area = l.prediction().best().area();
			assertTrue(area > 0.8 * Math.PI * R * R && area < 1.3 * Math.PI * R * R,
				"interactive tool: area " + area);
		}
	}

	@Test
	void smallPlanesAndWholeImageAreNotWindowed() {
		assertTrue(PlaneSegmentation.windowed(PlaneSegmentation.WINDOW + 1, 10));
		assertTrue(!PlaneSegmentation.windowed(PlaneSegmentation.WINDOW, PlaneSegmentation.WINDOW));
		try (Segmenter seg = demo()) {
			final PlaneSegmentation.Result whole = PlaneSegmentation.segment(seg, ImagePlanes
				.sourceOf(open(), PlaneSelection.FIRST), Normalization.AUTO, List.of(ObjectPrompt
					.ofBox(1, new BoxPrompt(CX - R, CY - R, CX + R, CY + R))), true, null);
			assertTrue(!whole.windowed());
			assertEquals(List.of(0, 0, W, H), java.util.Arrays.stream(whole.regions().get(0)).boxed()
				.toList());
		}
	}
}

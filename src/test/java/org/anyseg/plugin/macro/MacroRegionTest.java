package org.anyseg.plugin.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.anyseg.plugin.cli.AnySegCli;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;

/**
 * Issue 17: {@code Ext.anysegSegmentEverything} limits itself to the image's area
 * selection: with one, every object lies mostly inside it; after {@code run("Select None")}
 * the same call finds objects outside too.
 */
class MacroRegionTest {

	@TempDir
	Path tmp;

	/** Label to {area, pixels inside the selection}. */
	private static Map<Integer, int[]> areas(final Path labels, final Roi sel) {
		final ImagePlus l = new Opener().openImage(labels.toString());
		final Map<Integer, int[]> m = new HashMap<>();
		for (int y = 0; y < l.getHeight(); y++) {
			for (int x = 0; x < l.getWidth(); x++) {
				final int v = (int) l.getProcessor().getf(x, y);
				if (v == 0) continue;
				final int[] c = m.computeIfAbsent(v, k -> new int[2]);
				c[0]++;
				if (sel.contains(x, y)) c[1]++;
			}
		}
		return m;
	}

	@Test
	@Tag("slow")
	void segmentEverythingKeepsToTheSelection() throws Exception {
		// bright discs on a 4 x 4 grid of 64-pixel cells: under the clicks of a 4-point grid
		final ByteProcessor bp = new ByteProcessor(256, 256);
		bp.setValue(30);
		bp.fill();
		bp.setValue(220);
		for (int y = 32; y < 256; y += 64) {
			for (int x = 32; x < 256; x += 64) bp.fillOval(x - 14, y - 14, 28, 28);
		}
		final Path img = tmp.resolve("slide.tif");
		new FileSaver(new ImagePlus("slide", bp)).saveAsTiff(img.toString());
		final Path inside = tmp.resolve("inside.tif"), all = tmp.resolve("all.tif");
		// the demo with every candidate kept (its own thresholds keep none of these discs)
		final Path model = Fixtures.demoModelWith(tmp.resolve("demo-all"), "{\"family\": " +
			"\"sam\", \"segment_everything\": {\"pred_iou_thresh\": -10.0, " +
			"\"stability_score_thresh\": 0.0}}");
		final Path m = tmp.resolve("auto.ijm");
		Files.writeString(m, "open('" + img + "');\nrun('AnySeg Macro Functions');\n" +
			"Ext.anysegSetModel('" + model + "');\nmakeRectangle(0, 0, 128, 128);\n" +
			"Ext.anysegSegmentEverything(4);\nselectWindow('slide-objects');\nsaveAs('Tiff', '" +
			inside + "');\nclose();\nselectWindow('slide.tif');\nrun('Select None');\n" +
			"Ext.anysegSegmentEverything(4);\nselectWindow('slide-objects');\nsaveAs('Tiff', '" +
			all + "');\nExt.anysegSetModel('demo');\n"); // the saved setting as other tests expect
		final StringWriter err = new StringWriter();
		assertEquals(0, AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(
			new StringWriter()), new PrintWriter(err, true)), err.toString());
		final Roi sel = new Roi(0, 0, 128, 128);
		final Map<Integer, int[]> in = areas(inside, sel);
		assertTrue(in.size() > 0, "objects inside the selection");
		for (final Map.Entry<Integer, int[]> e : in.entrySet()) {
			assertTrue(e.getValue()[1] > e.getValue()[0] / 2.0, "label " + e.getKey() +
				" mostly inside: " + e.getValue()[1] + " of " + e.getValue()[0]);
		}
		final Map<Integer, int[]> whole = areas(all, sel);
		assertTrue(whole.values().stream().anyMatch(c -> c[1] <= c[0] / 2.0),
			"without a selection, objects outside it too: " + whole.size());
	}
}

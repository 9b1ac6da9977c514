package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;

/**
 * A prompt on an image larger than the model's input is segmented in a full-resolution
 * window around it: a nucleus-sized disc far from the origin of a 4000x3000 image comes out
 * right at its place in the full-size label image, where shrinking the whole image to 1024
 * (--whole-image) loses it.
 */
class LargeImageCliTest {

	@TempDir
	Path tmp;

	@Test
	void aWindowAroundThePromptKeepsFullResolution() throws Exception {
		final ByteProcessor bp = new ByteProcessor(4000, 3000);
		bp.setValue(30);
		bp.fill();
		bp.setValue(220);
		bp.fillOval(3480, 2480, 40, 40); // disc centre (3500, 2500), radius 20
		final Path img = tmp.resolve("big.tif");
		new FileSaver(new ImagePlus("big", bp)).saveAsTiff(img.toString());
		final StringWriter out = new StringWriter(), err = new StringWriter();
		final Path labels = tmp.resolve("labels.tif");
		assertEquals(0, AnySegCli.run(new String[] { "segment", "--image", img.toString(), "--box",
			"3480,2480,3520,2520", "--out", labels.toString() }, new PrintWriter(out, true),
			new PrintWriter(err, true)), err.toString());
		assertTrue(out.toString().contains("window at (2976,1976)"), out.toString());
		final ij.process.ImageProcessor l = new Opener().openImage(labels.toString())
			.getProcessor();
		assertEquals(4000, l.getWidth());
		final double d = dice(l);
		assertTrue(d > 0.85, "full-resolution window: Dice " + d);
		final Path whole = tmp.resolve("whole.tif");
		assertEquals(0, AnySegCli.run(new String[] { "segment", "--image", img.toString(), "--box",
			"3480,2480,3520,2520", "--whole-image", "--out", whole.toString() }, new PrintWriter(
				new StringWriter(), true), new PrintWriter(err, true)), err.toString());
		final double dw = dice(new Opener().openImage(whole.toString()).getProcessor());
		assertTrue(d > dw, "the window beats the shrunk image: " + d + " vs " + dw);
	}

	private static double dice(final ij.process.ImageProcessor l) {
		long inter = 0, a = 0, b = 0;
		for (int y = 2440; y < 2560; y++) {
			for (int x = 3440; x < 3560; x++) {
				final boolean p = l.get(x, y) == 1, t = Math.hypot(x + 0.5 - 3500, y + 0.5 - 2500) <= 20;
				if (p) a++;
				if (t) b++;
				if (p && t) inter++;
			}
		}
		return 2.0 * inter / (a + b);
	}

	@Test
	void autoWritesAnInstanceLabelImage() throws Exception {
		final Path img = tmp.resolve("discs.tif");
		new FileSaver(org.anyseg.testutil.Discs.image()).saveAsTiff(img.toString());
		final StringWriter out = new StringWriter(), err = new StringWriter();
		final Path labels = tmp.resolve("auto.tif");
		assertEquals(0, AnySegCli.run(new String[] { "auto", "--image", img.toString(),
			"--points-per-side", "4", "--pred-iou-thresh", "0", "--stability-score-thresh", "0",
			"--out", labels.toString(), "--rois", tmp.resolve("rois.zip").toString() }, new PrintWriter(out, true), new PrintWriter(err, true)), err
				.toString());
		final ImagePlus l = new Opener().openImage(labels.toString());
		assertEquals(512, l.getWidth());
		assertTrue(l.getProcessor().getStatistics().max >= 1, out.toString());
		assertTrue(out.toString().matches("(?s).*wrote .* \\(\\d+ objects.*"), out.toString());
		final int n = (int) l.getProcessor().getStatistics().max;
		assertEquals(n, org.anyseg.plugin.roi.RoiSets.read(tmp.resolve("rois.zip")).size(),
			"one ROI per object");
	}
}

package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.anyseg.testutil.Discs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;

/** Issue 15: auto writes the overlay it was asked for on an image read tile by tile too. */
class AutoOverlayTest {

	@TempDir
	Path tmp;

	@Test
	void aLargeImageGetsItsOverlay() {
		final ij.process.ByteProcessor bp = Discs.background(1500, 1100);
		bp.fillOval(700, 500, 40, 40);
		final Path img = tmp.resolve("large.tif");
		new FileSaver(new ImagePlus("large", bp)).saveAsTiff(img.toString());
		final Path png = tmp.resolve("overlay.png");
		final StringWriter err = new StringWriter();
		assertEquals(0, AnySegCli.run(new String[] { "auto", "--image", img.toString(), "--out", tmp
			.resolve("l.tif").toString(), "--overlay", png.toString(), "--points-per-side", "2",
			"--threads", "1" }, new PrintWriter(new StringWriter()), new PrintWriter(err, true)),
			err.toString());
		final ImagePlus o = ij.IJ.openImage(png.toString());
		assertEquals(1500, o.getWidth());
		assertEquals(1100, o.getHeight());
	}
}

package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;

/**
 * Issue 17: {@code segment --objects} writes the object table of a plane (predicted IoU and
 * prompt per object, areas from the label image) and of a propagated volume (voxels and
 * slices from the label volume), with the bundled demo model.
 */
class SegmentObjectsCliTest {

	@TempDir
	Path tmp;

	private static void ok(final String... args) {
		final StringWriter err = new StringWriter();
		assertEquals(0, AnySegCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(
			err, true)), err.toString());
	}

	@Test
	void aPlanesTableMatchesItsLabels() throws Exception {
		final ImagePlus ball = org.anyseg.plugin.cli.BatchRecordTest.ball();
		ball.setStack(ball.getStack().crop(0, 0, 7, 96, 96, 1));
		final Path img = tmp.resolve("disc.tif"), out = tmp.resolve("l.tif"), csv = tmp.resolve(
			"o.csv");
		new FileSaver(ball).saveAsTiff(img.toString());
		ok("segment", "--image", img.toString(), "--box", "20,20,76,76", "--point", "48,48",
			"--out", out.toString(), "--objects", csv.toString());
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(2, lines.size(), lines.toString());
		final String[] f = lines.get(1).split(",");
		final ImagePlus l = new Opener().openImage(out.toString());
		long n = 0;
		for (int i = 0; i < 96 * 96; i++) if (l.getProcessor().get(i) == 1) n++;
		assertTrue(n > 0);
		assertEquals("1", f[0]);
		assertEquals(Long.toString(n), f[1], "area from the labels");
		assertTrue(!f[9].isEmpty() && Double.parseDouble(f[9]) > -100, "predicted IoU: " + f[9]);
		assertTrue(lines.get(1).contains("point(48,48) box(20,20,76,76)"), lines.get(1));
	}

	@Test
	@Tag("slow")
	void aVolumesTableMatchesItsLabels() throws Exception {
		final Path img = tmp.resolve("ball.tif"), out = tmp.resolve("l.tif"), csv = tmp.resolve(
			"o.csv");
		new FileSaver(org.anyseg.plugin.cli.BatchRecordTest.ball()).saveAsTiffStack(img
			.toString());
		ok("segment", "--image", img.toString(), "--box", "22,22,74,74", "--slice", "8",
			"--propagate", "--out", out.toString(), "--objects", csv.toString());
		final List<String> lines = Files.readAllLines(csv);
		assertTrue(lines.get(0).startsWith("label,voxels,volume_"), lines.get(0));
		assertEquals(2, lines.size(), lines.toString());
		final String[] f = lines.get(1).split(",");
		final ImagePlus l = new Opener().openImage(out.toString());
		long n = 0;
		int slices = 0;
		for (int z = 1; z <= l.getStackSize(); z++) {
			int here = 0;
			for (int i = 0; i < 96 * 96; i++) if (l.getStack().getProcessor(z).get(i) == 1) here++;
			n += here;
			if (here > 0) slices++;
		}
		assertEquals(Long.toString(n), f[1], "voxels from the label volume");
		assertEquals(Integer.toString(slices), f[12], "slices covered");
		assertEquals("1", f[13], "one prompted slice");
		assertTrue(lines.get(1).contains("z7: box(22,22,74,74)"), lines.get(1));
	}
}

package org.anyseg.plugin.macro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.plugin.cli.AnySegCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;

/**
 * {@code Ext.anysegRepropagate}: after {@code Ext.anysegPropagate} through a synthetic stack
 * (a bright ball), a correction on slice 8 re-propagated within slices 5..11 changes the
 * label stack there only, with the bundled demo model.
 */
class MacroRepropagateTest {

	@TempDir
	Path tmp;

	static ImagePlus ball() {
		return org.anyseg.testutil.Balls.ball();
	}

	@Test
	@Tag("slow")
	void aCorrectionChangesOnlyTheGivenSlices() throws Exception {
		final Path img = tmp.resolve("ball.tif");
		new FileSaver(ball()).saveAsTiffStack(img.toString());
		final Path a = tmp.resolve("a.tif"), b = tmp.resolve("b.tif");
		final Path m = tmp.resolve("fix.ijm");
		Files.writeString(m, "open('" + img + "');\nrun('AnySeg Macro Functions');\n" +
			"Ext.anysegSetModel('demo');\nsetSlice(8);\nExt.anysegAddBox(22, 22, 74, 74);\n" +
			"Ext.anysegPropagate(-100);\nselectWindow('ball-labels');\nsaveAs('Tiff', '" + a +
			"');\nrename('ball-labels');\nselectWindow('ball.tif');\nsetSlice(8);\n" +
			"Ext.anysegAddBox(26, 26, 70, 70);\nExt.anysegRepropagate(1, 5, 11);\n" +
			"selectWindow('ball-labels');\nsaveAs('Tiff', '" + b + "');\n");
		final StringWriter err = new StringWriter();
		assertEquals(0, AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(
			new StringWriter()), new PrintWriter(err, true)), err.toString());
		final ImagePlus before = new Opener().openImage(a.toString());
		final ImagePlus after = new Opener().openImage(b.toString());
		assertEquals(15, after.getStackSize());
		for (int z = 1; z <= 15; z++) {
			final short[] p = (short[]) before.getStack().getPixels(z);
			final short[] q = (short[]) after.getStack().getPixels(z);
			if (z < 5 || z > 11) assertArrayEquals(p, q, "slice " + z + " lies outside 5..11");
		}
		final StringBuilder sb = new StringBuilder();
		for (int z = 1; z <= 15; z++) {
			int x = 0, y = 0;
			for (final short v : (short[]) before.getStack().getPixels(z)) if (v == 1) x++;
			for (final short v : (short[]) after.getStack().getPixels(z)) if (v == 1) y++;
			sb.append(z).append(':').append(x).append('/').append(y).append(' ');
		}
		int atFix = 0;
		for (final short v : (short[]) after.getStack().getPixels(8)) if (v == 1) atFix++;
		// the demo's masks on this tiny ball are small; what is checked is where they go
		assertTrue(atFix > 0 && !java.util.Arrays.equals((short[]) before.getStack().getPixels(8),
			(short[]) after.getStack().getPixels(8)), "the corrected slice holds the object: " + atFix + " px; " + sb);
	}
}

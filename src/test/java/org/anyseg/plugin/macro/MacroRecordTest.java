package org.anyseg.plugin.macro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.anyseg.plugin.cli.AnySegCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;

/**
 * Issue 16's macro record: {@code Ext.anysegPropagate(NaN)} (the model's settings, one stop
 * rule set by {@code Ext.anysegSetPropagation}), a correction with {@code Ext.anysegCorrect}
 * on another slice, then {@code Ext.anysegSavePrompts}; the record's own replay command,
 * run through the CLI, gives the macro's label stack voxel for voxel. A correction changes
 * only the slices between the object's prompted slices.
 */
class MacroRecordTest {

	@TempDir
	Path tmp;

	private static int run(final String... args) {
		return AnySegCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(
			new StringWriter(), true));
	}

	@Test
	@Tag("slow")
	void theSavedRecordReplaysTheMacrosLabels() throws Exception {
		final Path img = tmp.resolve("ball.tif");
		new FileSaver(MacroRepropagateTest.ball()).saveAsTiffStack(img.toString());
		final Path a = tmp.resolve("a.tif"), b = tmp.resolve("b.tif"), rec = tmp.resolve(
			"rec.csv"), m = tmp.resolve("fix.ijm");
		Files.writeString(m, "open('" + img + "');\nrun('AnySeg Macro Functions');\n" +
			"Ext.anysegSetModel('demo');\nExt.anysegSetPropagation('min_contrast', '0.2');\n" +
			"setSlice(8);\nExt.anysegAddBox(22, 22, 74, 74);\nExt.anysegPropagate(NaN);\n" +
			"selectWindow('ball-labels');\nsaveAs('Tiff', '" + a + "');\nrename('ball-labels');\n" +
			"selectWindow('ball.tif');\nsetSlice(4);\nExt.anysegAddBox(30, 30, 66, 66);\n" +
			"Ext.anysegCorrect(1);\nselectWindow('ball.tif');\nExt.anysegSavePrompts('" + rec +
			"');\nExt.anysegSaveObjects('" + tmp.resolve("objects.csv") + "');\n" +
			"selectWindow('ball-labels');\nsaveAs('Tiff', '" + b + "');\n");
		final StringWriter err = new StringWriter();
		assertEquals(0, AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(
			new StringWriter()), new PrintWriter(err, true)), err.toString());
		final String csv = Files.readString(rec);
		assertTrue(csv.contains("# min_contrast: 0.2"), csv);
		assertTrue(csv.contains("# sha256: "), csv);
		assertTrue(csv.contains("1,box,22.0,22.0,74.0,74.0,,8") && csv.contains(
			"1,box,30.0,30.0,66.0,66.0,,4"),
			csv);
		// the record's replay line, as a user would run it
		final String replay = csv.lines().filter(l -> l.startsWith("# replay: ")).findFirst()
			.orElseThrow().substring("# replay: anyseg ".length());
		final Path c = tmp.resolve("c.tif");
		final List<String> args = new ArrayList<>(Arrays.asList(replay.replace("IMAGE", img
			.toString()).replace("THIS.csv", rec.toString()).replace("LABELS.tif", c.toString())
			.split(" ")));
		assertEquals(0, run(args.toArray(String[]::new)), String.join(" ", args));
		final ImagePlus before = new Opener().openImage(a.toString()), after = new Opener()
			.openImage(b.toString()), replayed = new Opener().openImage(c.toString());
		assertEquals(15, replayed.getStackSize());
		boolean changed = false;
		for (int z = 1; z <= 15; z++) {
			final short[] p = (short[]) before.getStack().getPixels(z), q = (short[]) after
				.getStack().getPixels(z);
			assertArrayEquals(q, (short[]) replayed.getStack().getProcessor(z)
				.convertToShortProcessor(false).getPixels(), "replayed slice " + z);
			if (z >= 8) assertArrayEquals(p, q, "slice " + z + " lies beyond the prompted slice 8");
			changed |= !Arrays.equals(p, q);
		}
		assertTrue(changed, "the correction changed the labels");
		// the object table of the corrected volume: one object, two prompted slices, its
		// voxels those of the label stack
		final List<String> table = Files.readAllLines(tmp.resolve("objects.csv"));
		assertEquals(2, table.size(), table.toString());
		long voxels = 0;
		for (int z = 1; z <= 15; z++) {
			for (final short v : (short[]) after.getStack().getPixels(z)) if (v == 1) voxels++;
		}
		final String[] f = table.get(1).split(",");
		assertEquals(Long.toString(voxels), f[1]);
		assertEquals("2", f[13], "prompted slices");
	}

	@Test
	void badSettingsStopTheMacro() throws Exception {
		for (final String bad : new String[] { "Ext.anysegSetPropagation('min_contrast', '2')",
			"Ext.anysegSetPropagation('min_inside', 'x')", "Ext.anysegSetPropagation('speed', '1')",
			"Ext.anysegSetPropagation('follow', 'nose')", "Ext.anysegSaveObjects('" + tmp.resolve(
				"none.csv") + "')" })
		{
			final Path m = tmp.resolve("bad.ijm");
			Files.writeString(m, "run('AnySeg Macro Functions');\n" + bad + ";\nprint('went on');\n");
			final StringWriter out = new StringWriter();
			assertEquals(2, AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(
				out), new PrintWriter(new StringWriter(), true)), bad);
			assertFalse(out.toString().contains("went on"), bad);
		}
	}
}

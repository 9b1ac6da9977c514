package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;

/**
 * Issue 16: batch writes each volume's prompt record ({@code NAME_prompts.csv}) beside its
 * labels, with the model's SHA-256, the settings (the model's propagation defaults) and a
 * replay command; the replay gives the batch's labels voxel for voxel. 2D images get none.
 */
class BatchRecordTest {

	@TempDir
	Path tmp;

	private static int run(final String... args) {
		final StringWriter err = new StringWriter();
		final int rc = AnySegCli.run(args, new PrintWriter(new StringWriter()), new PrintWriter(
			err, true));
		if (rc != 0) System.err.println(err);
		return rc;
	}

	static ImagePlus ball() {
		return org.anyseg.testutil.Balls.ball();
	}

	@Test
	@Tag("slow")
	void aVolumesRecordReplaysItsBatchLabels() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
		new FileSaver(ball()).saveAsTiffStack(in.resolve("ball.tif").toString());
		new FileSaver(new ImagePlus("flat", new ByteProcessor(64, 64))).saveAsTiff(in.resolve(
			"flat.tif").toString());
		final Path table = tmp.resolve("prompts.csv");
		Files.writeString(table, "image,object,type,x0,y0,x1,y1,label,z\n" +
			"ball.tif,1,box,22,22,74,74,,8\nball.tif,1,box,30,30,66,66,,4\n" +
			"flat.tif,1,box,10,10,30,30,,1\n");
		assertEquals(0, run("batch", "--input", in.toString(), "--prompts-from", "csv:" + table,
			"--out", out.toString()));
		final Path rec = out.resolve("ball_prompts.csv");
		assertTrue(Files.exists(rec), "the volume's record");
		assertFalse(Files.exists(out.resolve("flat_prompts.csv")), "no record for a 2D image");
		final String csv = Files.readString(rec);
		assertTrue(csv.contains("# model: demo") && csv.contains("# sha256: ") && csv.contains(
			"# min_contrast: 0.1"), "model, SHA-256 and the demo's own settings:\n" + csv);
		final String replay = csv.lines().filter(l -> l.startsWith("# replay: ")).findFirst()
			.orElseThrow().substring("# replay: anyseg ".length());
		final Path again = tmp.resolve("again.tif");
		assertEquals(0, run(replay.replace("IMAGE", in.resolve("ball.tif").toString()).replace(
			"THIS.csv", rec.toString()).replace("LABELS.tif", again.toString()).split(" ")), replay);
		final ImagePlus a = new Opener().openImage(out.resolve("ball.tif").toString()), b =
			new Opener().openImage(again.toString());
		assertEquals(15, b.getStackSize());
		long voxels = 0;
		for (int z = 1; z <= 15; z++) {
			final short[] p = (short[]) a.getStack().getProcessor(z).convertToShortProcessor(false)
				.getPixels();
			assertArrayEquals(p, (short[]) b.getStack().getProcessor(z).convertToShortProcessor(
				false).getPixels(), "slice " + z);
			voxels += Arrays.stream(toInts(p)).filter(v -> v != 0).count();
		}
		assertTrue(voxels > 0, "the object was segmented");
	}

	private static int[] toInts(final short[] s) {
		final int[] out = new int[s.length];
		for (int i = 0; i < s.length; i++) out[i] = s[i];
		return out;
	}
}

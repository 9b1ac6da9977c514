package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: a requested output that is missing is made again on a rerun, never skipped. */
class BatchRerunTest {

	@TempDir
	Path tmp;

	private int cli(final String... a) {
		return AnySegCli.run(a, new PrintWriter(new StringWriter()), new PrintWriter(
			new StringWriter()));
	}

	@Test
	void aMissingOverlayOrRoiSetIsMadeAgain() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in"));
		Files.copy(Fixtures.samOnnx().resolve("gray8.tif"), in.resolve("a.tif"));
		final Path csv = tmp.resolve("p.csv");
		Files.writeString(csv, "image,object,type,x0,y0,x1,y1,label\na.tif,1,box,60,50,130,115,\n");
		final Path out = tmp.resolve("out");
		final String[] run = { "batch", "--input", in.toString(), "--prompts-from", "csv:" + csv,
			"--out", out.toString(), "--overlay", "--rois" };
		assertEquals(0, cli(run));
		for (final String missing : new String[] { "a_overlay.png", "a_rois.zip" }) {
			Files.delete(out.resolve(missing));
			assertEquals(0, cli(run));
			assertTrue(Files.isRegularFile(out.resolve(missing)), missing + " made again");
			assertTrue(Files.readString(out.resolve("run_log.csv")).contains("a.tif,1,"), "redone");
		}
		assertEquals(0, cli(run));
		assertTrue(Files.readString(out.resolve("run_log.csv")).contains("skipped,output exists"),
			"all present: skipped");
	}
}

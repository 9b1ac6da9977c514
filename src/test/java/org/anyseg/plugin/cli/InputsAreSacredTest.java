package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "inputs are sacred" and "outputs match their names": every way of naming an input
 * as an output is refused with exit 2 before anything is written, the input's bytes unchanged;
 * outputs that would collide are refused before the first is written; a killed batch's
 * temporary files are cleaned up when it runs again.
 */
class InputsAreSacredTest {

	@TempDir
	Path tmp;
	Path in;
	byte[] original;
	final StringWriter err = new StringWriter();

	@BeforeEach
	void image() throws IOException {
		in = Files.createDirectories(tmp.resolve("data")).resolve("in.tif");
		Files.copy(Fixtures.samOnnx().resolve("gray8.tif"), in);
		original = Files.readAllBytes(in);
	}

	private int cli(final String... args) {
		return AnySegCli.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err,
			true));
	}

	private int segment(final String... outputs) {
		final List<String> a = new ArrayList<>(List.of("segment", "--image", in.toString(),
			"--box", "60,50,130,115"));
		a.addAll(List.of(outputs));
		return cli(a.toArray(String[]::new));
	}

	@Test
	void anOutputThatIsTheInputIsRefusedHoweverItIsSpelled() throws IOException {
		final Path link = tmp.resolve("link.tif");
		Files.createSymbolicLink(link, in);
		final Path hard = tmp.resolve("hard.tif");
		Files.createLink(hard, in);
		final Path dirLink = tmp.resolve("dirlink");
		Files.createSymbolicLink(dirLink, in.getParent());
		final String[] spellings = { in.toString(), link.toString(), hard.toString(), in
			.getParent().resolve("../data/in.tif").toString(), dirLink.resolve("in.tif")
				.toString() };
		for (final String s : spellings) {
			for (final String option : new String[] { "--out", "--overlay" }) {
				final String[] args = option.equals("--out") ? new String[] { "--out", s }
					: new String[] { "--out", tmp.resolve("ok.tif").toString(), "--overlay", s };
				// an overlay must be .png: a TIFF-named input is refused for its name or as the input
				assertEquals(2, segment(args), option + " " + s + ": " + err);
				assertArrayEquals(original, Files.readAllBytes(in), option + " " + s +
					" changed the input");
			}
		}
		assertTrue(err.toString().contains("never writes over its inputs"), err.toString());
		// the overlay as the input, with a PNG input
		final Path png = tmp.resolve("data/in.png");
		Files.copy(in, png);
		final byte[] pngBytes = Files.readAllBytes(png);
		assertEquals(2, cli("segment", "--image", png.toString(), "--box", "60,50,130,115",
			"--out", tmp.resolve("ok.tif").toString(), "--overlay", png.toString()));
		assertArrayEquals(pngBytes, Files.readAllBytes(png));
		// the prompt table is an input too
		final Path csv = tmp.resolve("p.csv");
		Files.writeString(csv, "object,type,x0,y0,x1,y1,label\n1,box,60,50,130,115,\n");
		final byte[] csvBytes = Files.readAllBytes(csv);
		assertEquals(2, cli("segment", "--image", in.toString(), "--prompts", csv.toString(),
			"--out", csv.toString()));
		assertArrayEquals(csvBytes, Files.readAllBytes(csv));
		assertFalse(Files.exists(tmp.resolve("ok.tif")), "nothing written");
	}

	@Test
	void outputsAreWrittenInTheFormatTheirNameSaysOrRefused() throws IOException {
		for (final String bad : new String[] { "x.jpg", "x.bmp", "x", "x.nii" }) {
			assertEquals(2, segment("--out", tmp.resolve(bad).toString()), bad);
			assertFalse(Files.exists(tmp.resolve(bad)), bad);
		}
		assertTrue(err.toString().contains("cannot write .jpg"), err.toString());
		assertEquals(2, segment("--out", tmp.resolve("a.tif").toString(), "--overlay", tmp
			.resolve("a.jpg").toString()));
		assertEquals(2, segment("--out", tmp.resolve("same.png").toString(), "--overlay", tmp
			.resolve("same.png").toString()));
		assertTrue(err.toString().contains("are the same file"), err.toString());
		assertEquals(0, segment("--out", tmp.resolve("l.png").toString(), "--overlay", tmp
			.resolve("o.png").toString()), err.toString());
		final byte[] png = Files.readAllBytes(tmp.resolve("l.png"));
		assertEquals((byte) 0x89, png[0]);
		assertEquals('P', png[1]);
		assertEquals(0, segment("--out", tmp.resolve("l.tiff").toString()), err.toString());
		final byte[] tif = Files.readAllBytes(tmp.resolve("l.tiff"));
		assertTrue(tif[0] == 'I' || tif[0] == 'M', "TIFF bytes");
	}

	@Test
	void aBatchNeverWritesOverItsInputsNorTwoOutputsIntoOneFile() throws IOException {
		final Path dir = in.getParent();
		final Path csv = tmp.resolve("prompts.csv");
		Files.writeString(csv, "image,object,type,x0,y0,x1,y1,label\nin.tif,1,box,60,50,130,115,\n" +
			"in.jpg,1,box,60,50,130,115,\nin.png,1,box,60,50,130,115,\n");
		// output folder = input folder, with --overwrite: in.tif -> in.tif
		assertEquals(2, cli("batch", "--input", dir.toString(), "--prompts-from", "csv:" + csv,
			"--out", dir.toString(), "--overwrite"));
		assertTrue(err.toString().contains("would overwrite the input in.tif"), err.toString());
		assertArrayEquals(original, Files.readAllBytes(in));
		assertFalse(Files.exists(dir.resolve("run_log.csv")), "nothing was written");

		// x.jpg and x.png both become x.png
		final Path two = Files.createDirectories(tmp.resolve("two"));
		new ij.io.FileSaver(ij.IJ.openImage(in.toString())).saveAsJpeg(two.resolve("in.jpg")
			.toString());
		new ij.io.FileSaver(ij.IJ.openImage(in.toString())).saveAsPng(two.resolve("in.png")
			.toString());
		final Path out = tmp.resolve("two-out");
		assertEquals(2, cli("batch", "--input", two.toString(), "--prompts-from", "csv:" + csv,
			"--out", out.toString()));
		assertTrue(err.toString().contains("in.jpg and in.png would both be written to in.png"),
			err.toString());
		assertFalse(Files.exists(out.resolve("in.png")));

		// a subfolder of the input folder cannot collide: allowed
		assertEquals(0, cli("batch", "--input", dir.toString(), "--prompts-from", "csv:" + csv,
			"--out", dir.resolve("labels").toString()), err.toString());
		assertTrue(Files.isRegularFile(dir.resolve("labels/in.tif")));
		assertArrayEquals(original, Files.readAllBytes(in));
	}

	@Test
	void aKilledBatchsTemporaryFilesAreCleanedUpOnTheNextRun() throws IOException {
		final Path out = Files.createDirectories(tmp.resolve("out"));
		final Path stale = out.resolve(".in.tif1234567.part");
		final Path foreign = out.resolve(".other.tif99.part"); // another input's: kept
		Files.writeString(stale, "half");
		Files.writeString(foreign, "half");
		final Path csv = tmp.resolve("prompts.csv");
		Files.writeString(csv, "image,object,type,x0,y0,x1,y1,label\nin.tif,1,box,60,50,130,115,\n");
		assertEquals(0, cli("batch", "--input", in.getParent().toString(), "--prompts-from",
			"csv:" + csv, "--out", out.toString()), err.toString());
		assertFalse(Files.exists(stale));
		assertTrue(Files.exists(foreign));
		try (Stream<Path> s = Files.list(out)) {
			assertEquals(List.of(".other.tif99.part", "in.tif", "run_log.csv"), s.map(p -> p
				.getFileName().toString()).sorted().toList());
		}
	}
}

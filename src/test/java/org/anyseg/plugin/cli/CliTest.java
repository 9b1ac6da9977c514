package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.Opener;

/** The CLI as a user calls it, on the Family A fixture model. */
class CliTest {

	@TempDir
	Path tmp;
	Path model;
	final StringWriter out = new StringWriter();
	final StringWriter err = new StringWriter();

	@BeforeEach
	void modelFolder() throws Exception {
		model = Files.createDirectories(tmp.resolve("fixture-model"));
		for (final String f : new String[] { "encoder_normalized.onnx", "decoder_m4.onnx" }) {
			Files.copy(Fixtures.samOnnx().resolve(f), model.resolve(f));
		}
	}

	private int cli(final String... args) {
		return AnySegCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
	}

	private String image() {
		return Fixtures.samOnnx().resolve("gray8.tif").toString();
	}

	@Test
	void everyCommandExplainsItselfWithHelp() {
		for (final String[] args : new String[][] { { "segment", "--help" }, { "auto", "--help" },
			{ "batch", "--help" }, { "evaluate", "--help" }, { "macro", "--help" }, { "models",
				"fetch", "--help" }, { "help", "auto" } })
		{
			out.getBuffer().setLength(0);
			assertEquals(0, cli(args), String.join(" ", args) + ": " + err);
			assertTrue(out.toString().contains("Usage: anyseg " + (args[0].equals("help") ? args[1]
				: args[0])), String.join(" ", args) + " printed: " + out);
		}
		assertEquals(2, cli());
		assertTrue(err.toString().contains("anyseg help COMMAND"), err.toString());
	}

	@Test
	@Tag("slow")
	void autoTakesTheModelsOwnDefaultsUnlessOptionsAreGiven() throws Exception {
		final Path out = tmp.resolve("auto.tif");
		final java.util.function.IntSupplier objects = () -> {
			final short[] px = (short[]) new Opener().openImage(out.toString()).getProcessor()
				.getPixels();
			final Set<Integer> v = new HashSet<>();
			for (final short s : px) if (s != 0) v.add(s & 0xffff);
			return v.size();
		};
		// a model that asks for a predicted IoU nobody reaches keeps nothing by default
		Files.writeString(model.resolve("anyseg-model.json"), "{\"segment_everything\": " +
			"{\"pred_iou_thresh\": 2.0, \"points_per_side\": 4}}");
		assertEquals(0, cli("auto", "--model", model.toString(), "--image", image(), "--out", out
			.toString(), "--threads", "1"), err.toString());
		assertEquals(0, objects.getAsInt(), "the model's threshold was applied");
		assertEquals(0, cli("auto", "--model", model.toString(), "--image", image(), "--out", out
			.toString(), "--threads", "1", "--pred-iou-thresh", "-10", "--stability-score-thresh",
			"0", "--crop-n-layers", "1"), err.toString());
		assertTrue(objects.getAsInt() > 0, "the user's thresholds win");
	}

	@Test
	void segmentsBoxesIntoALabelImageAndOverlay() throws Exception {
		final Path labels = tmp.resolve("out/labels.tif");
		final Path png = tmp.resolve("out/overlay.png");
		final byte[] before = Files.readAllBytes(Path.of(image()));
		assertEquals(0, cli("segment", "--model", model.toString(), "--image", image(), "--box",
			"10,10,120,100", "--box", "150,90,290,190", "--out", labels.toString(), "--overlay", png
				.toString(), "--threads", "1"), err.toString());
		final ImagePlus imp = new Opener().openImage(labels.toString());
		assertEquals(300, imp.getWidth());
		assertEquals(200, imp.getHeight());
		assertEquals(16, imp.getBitDepth());
		final Set<Integer> values = new HashSet<>();
		final short[] px = (short[]) imp.getProcessor().getPixels();
		for (final short s : px) values.add(s & 0xffff);
		assertEquals(Set.of(0, 1, 2), values);
		final ImagePlus ov = new Opener().openImage(png.toString());
		assertEquals(300, ov.getWidth());
		assertTrue(out.toString().contains("object 2: area"), out.toString());
		assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(Path.of(image()))),
			"input unchanged");
		if (labels.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			assertTrue(Files.getPosixFilePermissions(labels).contains(
				java.nio.file.attribute.PosixFilePermission.OTHERS_READ), "output readable like any file");
		}
		try (var s = Files.list(labels.getParent())) {
			assertEquals(2, s.count(), "no temporary files left behind");
		}
	}

	@Test
	void promptsCsvLabelsObjectsByNumber() throws Exception {
		final Path csv = tmp.resolve("p.csv");
		Files.writeString(csv, "object,type,x0,y0,x1,y1,label\n7,box,10,10,120,100,\n" +
			"3,point,200,150,,,1\n");
		final Path labels = tmp.resolve("l.tif");
		assertEquals(0, cli("segment", "--model", model.toString(), "--image", image(),
			"--prompts", csv.toString(), "--out", labels.toString()), err.toString());
		final short[] px = (short[]) new Opener().openImage(labels.toString()).getProcessor()
			.getPixels();
		final Set<Integer> values = new HashSet<>();
		for (final short s : px) values.add(s & 0xffff);
		assertTrue(values.contains(7) && values.contains(3), values.toString());
	}

	@Test
	void badInputGivesOneLineErrorAndExitCode2() {
		final Path labels = tmp.resolve("never.tif");
		assertEquals(2, cli("segment", "--model", model.toString(), "--image", image(), "--point",
			"400,10", "--out", labels.toString()));
		assertTrue(err.toString().startsWith("anyseg: error: Point (400.0,10.0)"), err.toString());
		assertEquals(1, err.toString().trim().split("\n").length, err.toString());
		assertFalse(Files.exists(labels));

		err.getBuffer().setLength(0);
		assertEquals(2, cli("segment", "--model", model.toString(), "--image", image(), "--out",
			labels.toString()));
		assertTrue(err.toString().contains("No prompts given"), err.toString());

		err.getBuffer().setLength(0);
		assertEquals(2, cli("segment", "--model", tmp.resolve("missing").toString(), "--image",
			image(), "--point", "1,1", "--out", labels.toString()));
		assertTrue(err.toString().contains("Unknown model"), err.toString());

		err.getBuffer().setLength(0);
		assertEquals(2, cli("segment", "--model", model.toString(), "--image", tmp.resolve(
			"x.tif").toString(), "--point", "1,1", "--out", labels.toString()));
		assertTrue(err.toString().contains("Image file not found"), err.toString());

		err.getBuffer().setLength(0);
		assertEquals(2, cli("segment", "--image", image()));
		assertTrue(err.toString().contains("--out"), err.toString());
	}

	@Test
	void notAnImageIsRefusedClearly() throws Exception {
		final Path txt = tmp.resolve("notes.tif");
		Files.writeString(txt, "hello");
		assertEquals(2, cli("segment", "--model", model.toString(), "--image", txt.toString(),
			"--point", "1,1", "--out", tmp.resolve("o.tif").toString()));
		assertTrue(err.toString().contains("Cannot open image"), err.toString());
	}
}

package org.anyseg.plugin.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.anyseg.plugin.cli.AnySegCli;
import org.anyseg.testutil.Discs;
import org.anyseg.testutil.Gui;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.RoiEncoder;

/**
 * Runs every example macro in {@code macros/} through the {@code macro} command on images
 * this test makes: two bright discs per image, prompted by a box and a click.
 */
class MacrosTest {

	private static final Path MACROS = Paths.get("macros").toAbsolutePath();
	private static final Set<String> TESTED = Set.of("segment_folder_roisets.ijm",
		"segment_roi_manager.ijm", "propagate_nifti.ijm", "batch_and_evaluate.ijm");

	@TempDir
	Path tmp;

	@Test
	void everyShippedMacroHasATest() throws Exception {
		try (Stream<Path> s = Files.list(MACROS)) {
			final Set<String> shipped = s.map(p -> p.getFileName().toString()).filter(n -> n
				.endsWith(".ijm")).collect(Collectors.toCollection(TreeSet::new));
			assertEquals(new TreeSet<>(TESTED), shipped);
		}
	}

	static void writeRoiSet(final Path zip, final List<Roi> rois) throws Exception {
		try (OutputStream os = Files.newOutputStream(zip);
				ZipOutputStream z = new ZipOutputStream(os))
		{
			int i = 0;
			for (final Roi r : rois) {
				z.putNextEntry(new ZipEntry("prompt-" + i++ + ".roi"));
				z.write(RoiEncoder.saveAsByteArray(r));
				z.closeEntry();
			}
		}
	}

	private int macro(final String... args) {
		final StringWriter err = new StringWriter();
		final String[] full = Stream.concat(Stream.of("macro"), Stream.of(args)).toArray(
			String[]::new);
		final int rc = AnySegCli.run(full, new PrintWriter(new StringWriter()), new PrintWriter(
			err, true));
		assertEquals(0, rc, err.toString());
		return rc;
	}

	@Test
	@Tag("slow")
	void folderMacroSegmentsEveryImageWithARoiSet() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in"));
		final Path out = tmp.resolve("out");
		for (final int dx : new int[] { 0, 40 }) {
			new FileSaver(Discs.image(dx)).saveAsTiff(in.resolve("img" + dx + ".tif").toString());
			writeRoiSet(in.resolve("img" + dx + ".zip"), List.of(new Roi(36, 36, 49, 49),
				new PointRoi(150 + dx, 100)));
		}
		new FileSaver(Discs.image(0)).saveAsTiff(in.resolve("norois.tif").toString());
		final byte[] before = Files.readAllBytes(in.resolve("img0.tif"));
		macro(MACROS.resolve("segment_folder_roisets.ijm").toString(), "input=" + in + " output=" +
			out + " model=demo");
		for (final int dx : new int[] { 0, 40 }) {
			final ImagePlus labels = new Opener().openImage(out.resolve("img" + dx + "-labels.tif")
				.toString());
			assertEquals(512, labels.getWidth());
			assertTrue(Discs.dice(labels, 1, 60, 60, 20) > 0.8, "box object in image " + dx);
			assertTrue(Discs.precision(labels, 2, 150 + dx, 100, 25) > 0.9, "click object in image " +
				dx);
			assertEquals(2, labels.getProcessor().get(150 + dx, 100), "clicked pixel in object 2");
		}
		assertFalse(Files.exists(out.resolve("norois-labels.tif")), "no ROI set, no output");
		assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in.resolve("img0.tif"))),
			"inputs unchanged");
	}

	@Test
	@Tag("gui")
	void roiManagerMacroUnderADisplay() throws Exception {
		Gui.assumeDisplay();
		final Path img = tmp.resolve("discs.tif");
		new FileSaver(Discs.image(0)).saveAsTiff(img.toString());
		final Path labels = tmp.resolve("labels.tif");
		final Path count = tmp.resolve("count.txt");
		final Path wrapper = tmp.resolve("wrapper.ijm");
		// the shipped macro's text runs inline after the set-up, in one interpreter
		Files.writeString(wrapper, "open('" + img + "');\n" + //
			"makeRectangle(36, 36, 49, 49); roiManager('add');\n" + //
			"makePoint(150, 100); roiManager('add');\n" + //
			"run('Select None');\n" + //
			Files.readString(MACROS.resolve("segment_roi_manager.ijm")) + "\n" + //
			"saveAs('Tiff', '" + labels + "');\n" + //
			"File.saveString('' + roiManager('count'), '" + count + "');\n" + //
			"run('Close All'); roiManager('reset');\n");
		macro("--gui", wrapper.toString());
		final ImagePlus l = new Opener().openImage(labels.toString());
		assertTrue(Discs.dice(l, 1, 60, 60, 20) > 0.8, "box object");
		assertTrue(Discs.precision(l, 2, 150, 100, 25) > 0.9, "click object");
		assertEquals("4", Files.readString(count).trim(), "2 prompts + 2 objects in the ROI Manager");
	}

	@Test
	@Tag("slow")
	void batchAndEvaluateMacroWritesLabelsAndAReport() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in"));
		final Path gt = Files.createDirectories(tmp.resolve("gt"));
		for (final int dx : new int[] { 0, 60 }) {
			new FileSaver(Discs.image(dx)).saveAsTiff(in.resolve("img" + dx + ".tif").toString());
			new FileSaver(Discs.truth(dx)).saveAsPng(gt.resolve("img" + dx + ".png").toString());
		}
		final Path out = tmp.resolve("out");
		macro(MACROS.resolve("batch_and_evaluate.ijm").toString(), "input=" + in + " gt=" + gt +
			" out=" + out);
		assertTrue(Files.exists(out.resolve("labels/img60.tif")));
		final List<String> summary = Files.readAllLines(out.resolve("report/summary.csv"));
		final String dice = summary.stream().filter(l -> l.startsWith("anyseg,1,dice,")).findFirst()
			.orElseThrow();
		assertTrue(Double.parseDouble(dice.split(",")[5]) > 0.8, "mean Dice of label 1: " + dice);
		assertTrue(Files.exists(out.resolve("report/report.html")));
	}

	@Test
	@Tag("slow")
	void macroFunctionsSegmentLargeImagesAtFullResolution() throws Exception {
		final Path img = tmp.resolve("large.tif");
		new FileSaver(Discs.large()).saveAsTiff(img.toString());
		final Path labels = tmp.resolve("large-labels.tif");
		final Path m = tmp.resolve("large.ijm");
		Files.writeString(m, "open('" + img + "');\nrun('AnySeg Macro Functions');\n" +
			"Ext.anysegSetModel('demo');\nExt.anysegAddBox(" + Discs.largeBoxText(1) + ");\n" +
			"Ext.anysegSegment();\nsaveAs('Tiff', '" + labels + "');\n");
		macro(m.toString());
		Discs.assertLargeDisc(new Opener().openImage(labels.toString()).getProcessor(), 1, 1,
			"macro functions");
	}

	@Test
	@Tag("slow")
	void segmentEverythingMacroOnALargeImage() throws Exception {
		final ij.process.ByteProcessor bp = new ij.process.ByteProcessor(1500, 1100);
		bp.setValue(30);
		bp.fill();
		bp.setValue(220);
		bp.fillOval(1000, 500, 30, 30); // inside the overlap of the tiles
		final Path img = tmp.resolve("slide.tif");
		new FileSaver(new ImagePlus("slide", bp)).saveAsTiff(img.toString());
		final Path labels = tmp.resolve("slide-objects.tif");
		final Path m = tmp.resolve("auto.ijm");
		Files.writeString(m, "open('" + img + "');\nrun('AnySeg Macro Functions');\n" +
			"Ext.anysegSetModel('demo');\nExt.anysegSegmentEverything(4);\n" +
			"Ext.anysegSaveObjects('" + tmp.resolve("objects.csv") + "');\n" +
			"selectWindow('slide-objects');\nExt.anysegSaveGeoJson('" + tmp.resolve("o.geojson") +
			"');\nsaveAs('Tiff', '" + labels + "');\n");
		macro(m.toString());
		final ImagePlus l = new Opener().openImage(labels.toString());
		assertEquals(1500, l.getWidth());
		assertEquals(1100, l.getHeight());
		assertEquals(16, l.getBitDepth());
		// issue 17 from a macro: the object table and the QuPath GeoJSON list every label
		final java.util.Set<Integer> present = new java.util.TreeSet<>();
		for (int i = 0; i < 1500 * 1100; i++) if (l.getProcessor().get(i) != 0) present.add(l
			.getProcessor().get(i));
		assertEquals(present.size() + 1, Files.readAllLines(tmp.resolve("objects.csv")).size());
		final com.google.gson.JsonObject geo = com.google.gson.JsonParser.parseString(Files
			.readString(tmp.resolve("o.geojson"))).getAsJsonObject();
		assertEquals(present.size(), geo.getAsJsonArray("features").size());
	}

	@Test
	@Tag("slow")
	void aMacroThatStopsEarlyFailsTheCommand() throws Exception {
		for (final String code : new String[] { "exit('Give input=...');", "y = (1 ? 2 : 3);" }) {
			final Path m = tmp.resolve("bad.ijm");
			Files.writeString(m, "print('start');\n" + code + "\nprint('never');\n");
			final StringWriter err = new StringWriter();
			assertEquals(2, AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(
				new StringWriter()), new PrintWriter(err, true)), code);
			assertTrue(err.toString().contains("stopped before its end"), err.toString());
		}
	}

	@Test
	@Tag("realdata")
	void niftiMacroPropagatesAndSavesWithTheGeometry() throws Exception {
		final Path ct = org.anyseg.testutil.Fixtures.sharedData().resolve(
			"totalseg_small_3d/example_ct_sm.nii.gz");
		final Path out = tmp.resolve("labels.nii.gz");
		macro(MACROS.resolve("propagate_nifti.ijm").toString(), "input=" + ct +
			" box=60,40,80,62 slice=15 window=ct-soft min_iou=0 output=" + out);
		final org.anyseg.ops.io.nifti.NiftiHeader a = org.anyseg.ops.io.nifti.NiftiHeader.read(ct);
		final org.anyseg.ops.io.nifti.NiftiHeader b = org.anyseg.ops.io.nifti.NiftiHeader.read(out);
		assertTrue(Files.readString(tmp.resolve("labels-prompts.csv")).contains("# replay: "),
			"the prompt record beside the labels");
		org.junit.jupiter.api.Assertions.assertArrayEquals(a.dims(), b.dims());
		org.junit.jupiter.api.Assertions.assertArrayEquals(a.srow()[2], b.srow()[2]);
		final org.anyseg.ops.io.nifti.NiftiVolume v = org.anyseg.ops.io.nifti.NiftiVolume.read(out);
		int labelled = 0;
		for (int z = 0; z < v.nz(); z++) {
			for (final float f : v.slice(z)) {
				if (f == 1) {
					labelled++;
					break;
				}
			}
		}
		assertTrue(labelled > 1, "propagated beyond slice 15: " + labelled);
		float atPrompt = 0;
		for (final float f : v.slice(15)) atPrompt = Math.max(atPrompt, f);
		assertEquals(1, atPrompt, "the prompted slice k = 15 (ImageJ slice 16) is labelled");
	}
}

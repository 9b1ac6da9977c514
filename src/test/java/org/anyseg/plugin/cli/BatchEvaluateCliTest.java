package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.anyseg.testutil.Discs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.io.FileSaver;
import ij.io.Opener;

/**
 * {@code batch} and {@code evaluate} as a user runs them on a folder: ground-truth box
 * prompts, label images paired by base name, a bad file logged without stopping the run,
 * existing outputs skipped, shards, a prompt table with an image column; then the
 * evaluation's CSVs (values checked against the known discs), summary, box plots and HTML.
 */
class BatchEvaluateCliTest {

	@TempDir
	Path tmp;
	Path in, gt, out;
	final StringWriter o = new StringWriter(), err = new StringWriter();

	private int cli(final String... args) {
		return AnySegCli.run(args, new PrintWriter(o, true), new PrintWriter(err, true));
	}

	@BeforeEach
	void folder() throws Exception {
		in = Files.createDirectories(tmp.resolve("in"));
		gt = Files.createDirectories(tmp.resolve("gt"));
		out = tmp.resolve("out");
		for (final int dx : new int[] { 0, 40, 80 }) {
			new FileSaver(Discs.image(dx)).saveAsTiff(in.resolve("img" + dx + ".tif").toString());
			new FileSaver(Discs.truth(dx)).saveAsPng(gt.resolve("img" + dx + ".png").toString());
		}
		Files.writeString(in.resolve("broken.tif"), "not an image");
		new FileSaver(Discs.truth(0)).saveAsPng(gt.resolve("broken.png").toString());
	}

	@Test
	void batchWithGroundTruthBoxesThenEvaluate() throws Exception {
		assertEquals(2, cli("batch", "--input", in.toString(), "--prompts-from", "gt:" + gt +
			":box", "--out", out.toString()), "one file failed: exit 2 after the others");
		final List<String> log = Files.readAllLines(out.resolve("run_log.csv"));
		assertEquals("file,objects,seconds,status,error", log.get(0));
		assertTrue(log.get(1).startsWith("broken.tif,0,") && log.get(1).contains(",error,"), log
			.get(1));
		assertTrue(log.get(2).startsWith("img0.tif,2,") && log.get(2).contains(",ok,"), log.get(2));
		for (final int dx : new int[] { 0, 40, 80 }) {
			final ij.ImagePlus l = new Opener().openImage(out.resolve("img" + dx + ".tif").toString());
			assertTrue(Discs.dice(l, 1, 60, 60, 20) > 0.8, "gt label 1 keeps its label");
			assertTrue(Discs.dice(l, 2, 150 + dx, 100, 25) > 0.8);
		}
		// second run: outputs exist, nothing is redone
		final long t = Files.getLastModifiedTime(out.resolve("img0.tif")).toMillis();
		cli("batch", "--input", in.toString(), "--prompts-from", "gt:" + gt, "--out", out
			.toString());
		assertTrue(Files.readString(out.resolve("run_log.csv")).contains("img0.tif,0,0.000," +
			"skipped,output exists"));
		assertEquals(t, Files.getLastModifiedTime(out.resolve("img0.tif")).toMillis());

		final Path report = tmp.resolve("report");
		assertEquals(0, cli("evaluate", "--gt", gt.toString(), "--pred", "demo=" + out, "--pred",
			"truth=" + gt, "--out", report.toString(), "--tolerance", "2", "--instances"), err
				.toString());
		final List<String> m = Files.readAllLines(report.resolve("metrics.csv"));
		assertEquals("image,method,label,label_name,dice,iou,nsd,hd95,gt_voxels,pred_voxels,note", m
			.get(0));
		assertTrue(m.stream().anyMatch(l -> l.startsWith("img0,truth,1,,1,1,1,0,")), "ground " +
			"truth against itself is perfect: " + m);
		assertTrue(m.stream().anyMatch(l -> l.startsWith("broken,demo,1,,0,0,0,,") && l.endsWith(
			"missing")), "a method without an image scores as empty: " + m);
		final String summary = Files.readString(report.resolve("summary.csv"));
		assertTrue(summary.contains("truth,1,dice,4,0,1,1,1,1"), summary);
		assertTrue(summary.contains("truth,all,dice,8,0,1,1,1,1"), summary);
		assertTrue(Files.readString(report.resolve("detection.csv")).contains("img40,truth,2,0,0," +
			"1,1,1,1"));
		for (final String metric : List.of("dice", "iou", "nsd", "hd95")) {
			assertTrue(Files.size(report.resolve("boxplot_" + metric + ".png")) > 1000, metric);
		}
		final String html = Files.readString(report.resolve("report.html"));
		assertTrue(html.contains("<img src=\"boxplot_dice.png\"") && html.contains("truth"));
	}

	@Test
	void shardsSplitTheFolderAndTablesPromptByImage() throws Exception {
		Files.delete(in.resolve("broken.tif"));
		final Path csv = tmp.resolve("p.csv");
		Files.writeString(csv, "image,object,type,x0,y0,x1,y1,label\nimg0.tif,1,box,36,36,85,85,\n" +
			"img40,1,point,190,100,,,1\n");
		for (final String k : new String[] { "0", "1" }) {
			assertEquals(0, cli("batch", "--input", in.toString(), "--prompts-from", "csv:" + csv,
				"--out", out.toString(), "--shard", k + "/2", "--rois", "--overlay"), err.toString());
		}
		assertTrue(Files.readString(out.resolve("run_log_0_of_2.csv")).contains("img0.tif,1,"));
		assertTrue(Files.readString(out.resolve("run_log_0_of_2.csv")).contains("img80.tif,0,"),
			"sorted img0, img40, img80: shard 0 takes the 1st and 3rd");
		assertTrue(Files.readString(out.resolve("run_log_1_of_2.csv")).contains("img40.tif,1,"));
		assertTrue(Files.exists(out.resolve("img0.tif")) && Files.exists(out.resolve("img40.tif")));
		assertFalse(Files.exists(out.resolve("img80.tif")), "no prompts, no output");
		assertEquals(1, org.anyseg.plugin.roi.RoiSets.read(out.resolve("img40_rois.zip")).size());
		assertTrue(Files.size(out.resolve("img0_overlay.png")) > 1000);
		assertEquals(2, cli("batch", "--input", in.toString(), "--prompts-from", "gt:" + gt,
			"--out", out.toString(), "--shard", "2/2"));
		assertTrue(err.toString().contains("expected K/N with 0 <= K < N"), err.toString());
	}

	@Test
	@Tag("realdata")
	void volumesGoThroughBatchAndEvaluateWithTheirGeometry() throws Exception {
		final Path data = org.anyseg.testutil.Fixtures.sharedData().resolve("totalseg_small_3d");
		final Path vin = Files.createDirectories(tmp.resolve("vin"));
		final Path vgt = Files.createDirectories(tmp.resolve("vgt"));
		Files.createSymbolicLink(vin.resolve("ct.nii.gz"), data.resolve("example_ct_sm.nii.gz"));
		Files.createSymbolicLink(vgt.resolve("ct.nii.gz"), data.resolve("example_seg.nii.gz"));
		final Path vout = tmp.resolve("vout");
		assertEquals(0, cli("batch", "--input", vin.toString(), "--prompts-from", "gt:" + vgt,
			"--out", vout.toString(), "--no-propagate", "--window", "ct-soft"), err.toString());
		final org.anyseg.ops.io.nifti.NiftiHeader a = org.anyseg.ops.io.nifti.NiftiHeader.read(
			data.resolve("example_ct_sm.nii.gz"));
		final org.anyseg.ops.io.nifti.NiftiHeader b = org.anyseg.ops.io.nifti.NiftiHeader.read(
			vout.resolve("ct.nii.gz"));
		org.junit.jupiter.api.Assertions.assertArrayEquals(a.srow()[0], b.srow()[0]);
		final Path report = tmp.resolve("vreport");
		assertEquals(0, cli("evaluate", "--gt", vgt.toString(), "--pred", "demo=" + vout, "--out",
			report.toString(), "--tolerance", "3"), err.toString());
		final List<String> m = Files.readAllLines(report.resolve("metrics.csv"));
		assertEquals(1 + 41, m.size(), "one row per ground-truth label");
		assertTrue(Files.readString(report.resolve("summary.csv")).contains("demo,all,dice,41,"));
	}

	@Test
	void largeImagesAreSegmentedInWindows() throws Exception {
		final Path big = Files.createDirectories(tmp.resolve("big"));
		new FileSaver(Discs.large()).saveAsTiff(big.resolve("slide.tif").toString());
		final Path csv = tmp.resolve("big.csv");
		Files.writeString(csv, "image,object,type,x0,y0,x1,y1,label\nslide,1,box," + Discs
			.largeBoxText(1) + ",\nslide,2,box," + Discs.largeBoxText(2) + ",\n");
		final Path bout = tmp.resolve("bigout");
		assertEquals(0, cli("batch", "--input", big.toString(), "--prompts-from", "csv:" + csv,
			"--out", bout.toString()), err.toString());
		final ij.process.ImageProcessor l = new Opener().openImage(bout.resolve("slide.tif")
			.toString()).getProcessor();
		Discs.assertLargeDisc(l, 1, 1, "batch, object 1");
		Discs.assertLargeDisc(l, 2, 2, "batch, object 2");
	}
}

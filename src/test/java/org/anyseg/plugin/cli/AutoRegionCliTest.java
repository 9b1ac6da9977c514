package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.RoiEncoder;
import ij.process.ByteProcessor;

/**
 * Issue 17: {@code auto --region} with an ImageJ {@code .roi} and with a mask image of the
 * same oval gives the same objects, each with most of its area inside the oval and its
 * click inside it, listed alone in the object table; a mask of another size is refused
 * (exit 2) before anything is written.
 */
class AutoRegionCliTest {

	@TempDir
	Path tmp;
	Path model;
	final StringWriter out = new StringWriter();
	final StringWriter err = new StringWriter();
	static final int W = 300, H = 200;
	final Roi oval = new OvalRoi(20, 15, 150, 170);

	@BeforeEach
	void modelFolder() throws Exception {
		model = Files.createDirectories(tmp.resolve("fixture-model"));
		for (final String f : new String[] { "encoder_normalized.onnx", "decoder_m4.onnx" }) {
			Files.copy(Fixtures.samOnnx().resolve(f), model.resolve(f));
		}
	}

	private int auto(final String... extra) {
		final List<String> args = new java.util.ArrayList<>(List.of("auto", "--model", model
			.toString(), "--image", Fixtures.samOnnx().resolve("gray8.tif").toString(),
			"--points-per-side", "8", "--pred-iou-thresh", "-10", "--stability-score-thresh", "0",
			"--threads", "1"));
		args.addAll(List.of(extra));
		return AnySegCli.run(args.toArray(new String[0]), new PrintWriter(out, true),
			new PrintWriter(err, true));
	}

	private static int[] labels(final Path p) {
		final ImagePlus imp = new Opener().openImage(p.toString());
		assertEquals(W, imp.getWidth());
		final int[] l = new int[W * H];
		for (int i = 0; i < l.length; i++) l[i] = (int) imp.getProcessor().getf(i);
		return l;
	}

	private Path mask(final int w, final int h) throws Exception {
		final ByteProcessor bp = new ByteProcessor(w, h);
		bp.setValue(255);
		bp.fill(oval);
		final Path p = tmp.resolve("mask-" + w + "x" + h + ".tif");
		assertTrue(new FileSaver(new ImagePlus("mask", bp)).saveAsTiff(p.toString()));
		return p;
	}

	@Test
	@org.junit.jupiter.api.Tag("slow")
	void regionFromARoiFileOrAMaskKeepsTheObjectsMostlyInside() throws Exception {
		final Path roi = tmp.resolve("tissue.roi");
		assertTrue(RoiEncoder.save(oval, roi.toString()));
		final Path mask = mask(W, H);
		final Path a = tmp.resolve("a.tif"), b = tmp.resolve("b.tif"), all = tmp.resolve(
			"all.tif"), csv = tmp.resolve("a.csv");
		assertEquals(0, auto("--out", all.toString()), err.toString());
		assertEquals(0, auto("--out", a.toString(), "--region", roi.toString(), "--objects", csv
			.toString()), err.toString());
		assertEquals(0, auto("--out", b.toString(), "--region", mask.toString()), err.toString());
		final int[] la = labels(a), lb = labels(b), lall = labels(all);
		assertArrayEquals(la, lb, "the .roi and the mask of the same oval: the same objects");
		final ByteProcessor in = new ByteProcessor(W, H);
		in.setValue(255);
		in.fill(oval);
		final Map<Integer, int[]> counts = new HashMap<>(); // label -> {area, inside}
		for (int i = 0; i < la.length; i++) {
			if (la[i] == 0) continue;
			final int[] c = counts.computeIfAbsent(la[i], k -> new int[2]);
			c[0]++;
			if (in.get(i) != 0) c[1]++;
		}
		assertFalse(counts.isEmpty(), "objects inside the oval");
		for (final Map.Entry<Integer, int[]> e : counts.entrySet()) {
			assertTrue(e.getValue()[1] > e.getValue()[0] / 2.0, "label " + e.getKey() +
				" mostly inside: " + e.getValue()[1] + " of " + e.getValue()[0]);
		}
		// without the region some object lies mostly outside: the region did something
		final Map<Integer, int[]> whole = new HashMap<>();
		for (int i = 0; i < lall.length; i++) {
			if (lall[i] == 0) continue;
			final int[] c = whole.computeIfAbsent(lall[i], k -> new int[2]);
			c[0]++;
			if (in.get(i) != 0) c[1]++;
		}
		assertTrue(whole.values().stream().anyMatch(c -> c[1] <= c[0] / 2.0),
			"the whole image has objects mostly outside the oval");
		// the table lists the kept objects only, each made by a click inside the oval
		final List<String> rows = Files.readAllLines(csv);
		assertEquals(counts.size() + 1, rows.size(), String.join("\n", rows));
		final Pattern click = Pattern.compile("point\\(([-0-9.]+),([-0-9.]+)\\)");
		for (final String r : rows.subList(1, rows.size())) {
			final Matcher m = click.matcher(r);
			assertTrue(m.find(), r);
			assertTrue(oval.contains((int) Double.parseDouble(m.group(1)), (int) Double.parseDouble(m
				.group(2))), "click inside: " + r);
			assertTrue(counts.containsKey(Integer.parseInt(r.split(",")[0])), r);
		}
	}

	@Test
	void aMaskOfAnotherSizeIsRefusedBeforeAnythingIsWritten() throws Exception {
		final Path mask = mask(100, 80);
		final Path o = tmp.resolve("out/l.tif"), csv = tmp.resolve("out/o.csv"), geo = tmp
			.resolve("out/o.geojson");
		assertEquals(2, auto("--out", o.toString(), "--objects", csv.toString(), "--geojson", geo
			.toString(), "--region", mask.toString()));
		assertTrue(err.toString().contains("100x80") && err.toString().contains("300x200") && err
			.toString().contains("image's size"), err.toString());
		assertFalse(Files.exists(o) || Files.exists(csv) || Files.exists(geo), "nothing written");
		try (var s = Files.list(tmp)) {
			assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("out") && p.toFile()
				.list().length > 0), "no partial files");
		}
	}

	@Test
	void lineSelectionsEmptyMasksAndAStrayFractionAreRefused() throws Exception {
		final Path line = tmp.resolve("line.roi");
		assertTrue(RoiEncoder.save(new ij.gui.Line(10, 10, 100, 100), line.toString()));
		assertEquals(2, auto("--out", tmp.resolve("l.tif").toString(), "--region", line
			.toString()));
		assertTrue(err.toString().contains("not an area"), err.toString());
		final Path empty = tmp.resolve("empty.tif");
		new FileSaver(new ImagePlus("e", new ByteProcessor(W, H))).saveAsTiff(empty.toString());
		assertEquals(2, auto("--out", tmp.resolve("l.tif").toString(), "--region", empty
			.toString()));
		assertTrue(err.toString().contains("no non-zero pixel"), err.toString());
		assertEquals(2, auto("--out", tmp.resolve("l.tif").toString(), "--region-min-inside",
			"0.8"));
		assertTrue(err.toString().contains("--region-min-inside needs --region"), err.toString());
		assertEquals(2, auto("--out", tmp.resolve("l.tif").toString(), "--region", empty
			.toString(), "--region-min-inside", "1.5"));
		assertTrue(err.toString().contains("region_min_inside (--region-min-inside)"), err
			.toString());
		assertFalse(Files.exists(tmp.resolve("l.tif")));
	}
}

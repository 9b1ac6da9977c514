package org.anyseg.plugin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.anyseg.bench.EvaluateLabelsBenchmark;
import org.anyseg.ops.eval.Scores;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;

/**
 * Issue 15: the evaluation's summary is linear in the number of rows (labels), images with
 * ground truth but no prediction are scored as empty, predictions of another size are
 * refused pair by pair.
 */
class EvaluationRunTest {

	@TempDir
	Path tmp;

	/** A list that counts the elements read from it. */
	private static final class Counting<T> extends AbstractList<T> {

		final List<T> list;
		long reads;

		Counting(final List<T> list) {
			this.list = list;
		}

		@Override
		public T get(final int i) {
			reads++;
			return list.get(i);
		}

		@Override
		public int size() {
			return list.size();
		}
	}

	@Test
	void summaryReadsEachRowOnceWhateverTheNumberOfLabels() {
		for (final int labels : new int[] { 1, 1000, 5000, 30000 }) {
			for (final int methods : new int[] { 1, 3 }) {
				final List<String> names = new ArrayList<>();
				final List<EvaluationRun.Row> rows = new ArrayList<>();
				for (int m = 0; m < methods; m++) {
					names.add("m" + m);
					for (int l = 1; l <= labels; l++) {
						// label l: dice l / labels, hd95 undefined for even labels
						rows.add(new EvaluationRun.Row("img", "m" + m, l, "", new Scores((double) l / labels,
							0.5, 1, l % 2 == 0 ? Double.NaN : l, 10, 10), ""));
					}
				}
				final Counting<EvaluationRun.Row> counted = new Counting<>(rows);
				final List<String[]> s = EvaluationRun.summary(names, counted);
				final String what = labels + " labels, " + methods + " methods";
				assertTrue(counted.reads <= rows.size(), what + ": " + counted.reads +
					" row reads for " + rows.size() + " rows (quadratic before: one pass per label)");
				assertEquals(methods * (1 + labels) * EvaluationRun.METRICS.size(), s.size(), what);
				final List<String> csv = s.stream().map(r -> String.join(",", r)).collect(Collectors
					.toList());
				final String last = "m" + (methods - 1);
				assertEquals(last + "," + labels + ",dice,1,0,1,1,1,1", csv.get(csv.size() - 4), what);
				final String hd = last + ",all,hd95," + (labels + 1) / 2 + "," + labels / 2 + ",";
				assertTrue(csv.stream().anyMatch(x -> x.startsWith(hd)), what + ": " + hd);
				assertEquals("m0,all,iou," + labels + ",0,0.5000,0.5000,0.5000,0.5000", csv.get(1), what);
			}
		}
	}

	private static void saveShorts(final Path file, final ImagePlus imp) {
		assertTrue(new FileSaver(imp).saveAsTiff(file.toString()), file.toString());
	}

	@Test
	void sixtyFiveThousandLabelsAreEvaluatedAndSummarised() throws Exception {
		final Path gt = Files.createDirectories(tmp.resolve("gt"));
		final Path same = Files.createDirectories(tmp.resolve("same"));
		final Path zero = Files.createDirectories(tmp.resolve("zero"));
		final Path none = Files.createDirectories(tmp.resolve("none"));
		saveShorts(gt.resolve("a.tif"), EvaluateLabelsBenchmark.labels(65535, 0));
		saveShorts(same.resolve("a.tif"), EvaluateLabelsBenchmark.labels(65535, 0));
		saveShorts(zero.resolve("a.tif"), new ImagePlus("z", new ShortProcessor(256, 256)));
		final LinkedHashMap<String, Path> preds = new LinkedHashMap<>();
		preds.put("same", same);
		preds.put("zero", zero);
		preds.put("none", none);
		final long t = System.nanoTime();
		final EvaluationRun.Result r = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
			() -> new EvaluationRun(EvaluationRun.Options.defaults(gt, preds, tmp.resolve("out"), 1)
				.withInstances(true)).run(), "quadratic summary: minutes before the fix");
		System.out.printf("65535 labels x 3 methods, 256x256: %.2f s%n", (System.nanoTime() - t) /
			1e9);
		assertEquals(3 * 65535, r.rows().size());
		assertEquals(3 * 65536 * 4, r.summary().size());
		final Set<String> s = r.summary().stream().map(x -> String.join(",", x)).collect(Collectors
			.toSet());
		assertTrue(s.contains("same,all,dice,65535,0,1,1,1,1"));
		assertTrue(s.contains("same,65535,hd95,1,0,0,0,0,0"));
		assertTrue(s.contains("zero,all,dice,65535,0,0,0,0,0"));
		assertTrue(s.contains("zero,all,hd95,0,65535,,,,"));
		assertTrue(s.contains("none,all,dice,65535,0,0,0,0,0"), "missing file scored as empty");
		assertTrue(s.contains("none,12345,nsd,1,0,0,0,0,0"));
		assertTrue(r.rows().stream().filter(x -> x.method().equals("none")).allMatch(x -> x.note()
			.equals(EvaluationRun.NOTE_MISSING)));
		assertTrue(r.problems().isEmpty(), r.problems().toString());
		assertTrue(Files.readString(tmp.resolve("out/report.html")).contains("per-label rows are " +
			"in summary.csv"));
	}

	/** A w x h 8-bit label image: label 1 on the left half, 2 on the right half. */
	private static ImagePlus halves(final int w, final int h) {
		final ByteProcessor p = new ByteProcessor(w, h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				p.set(x, y, x < w / 2 ? 1 : 2);
		return new ImagePlus("h", p);
	}

	private EvaluationRun.Result run(final Path gt, final String... methods) {
		final LinkedHashMap<String, Path> preds = new LinkedHashMap<>();
		for (final String m : methods) preds.put(m, tmp.resolve(m));
		return new EvaluationRun(EvaluationRun.Options.defaults(gt, preds, tmp.resolve("out"), 1))
			.run();
	}

	private static List<String> csv(final EvaluationRun.Result r) {
		return r.summary().stream().map(x -> String.join(",", x)).collect(Collectors.toList());
	}

	@Test
	void groundTruthWithoutPredictionIsScoredAsEmpty() throws Exception {
		final Path gt = Files.createDirectories(tmp.resolve("gt"));
		final Path a = Files.createDirectories(tmp.resolve("a"));
		final Path b = Files.createDirectories(tmp.resolve("b"));
		for (final String n : new String[] { "x", "y", "z" }) {
			new FileSaver(halves(20, 10)).saveAsPng(gt.resolve(n + ".png").toString());
		}
		// per-object ground truth of image "w" (w_left, w_right): parts, not images
		final ByteProcessor left = new ByteProcessor(20, 10), right = new ByteProcessor(20, 10);
		left.setRoi(0, 0, 10, 10);
		left.setValue(255);
		left.fill();
		right.setRoi(10, 0, 10, 10);
		right.setValue(255);
		right.fill();
		new FileSaver(new ImagePlus("l", left)).saveAsPng(gt.resolve("w_left.png").toString());
		new FileSaver(new ImagePlus("r", right)).saveAsPng(gt.resolve("w_right.png").toString());
		new FileSaver(halves(20, 10)).saveAsPng(gt.resolve("w.png").toString());
		Files.delete(gt.resolve("w.png"));
		final ByteProcessor wl = new ByteProcessor(20, 10);
		for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) wl.set(x, y, x < 10 ? 1 : 2);
		// variant 1: method a has x and w; y and z only in the ground truth
		new FileSaver(halves(20, 10)).saveAsPng(a.resolve("x.png").toString());
		new FileSaver(new ImagePlus("w", wl)).saveAsPng(a.resolve("w.png").toString());
		// variant 2: method b has y only (x is another method's, z nobody's, w nobody's in b)
		new FileSaver(halves(20, 10)).saveAsPng(b.resolve("y.png").toString());
		final EvaluationRun.Result r = run(gt, "a", "b");
		assertTrue(r.problems().isEmpty(), r.problems().toString());
		final List<String> images = r.rows().stream().map(EvaluationRun.Row::image).distinct()
			.sorted().toList();
		assertEquals(List.of("w", "x", "y", "z"), images, "w_left/w_right are parts of w");
		for (final String m : new String[] { "a", "b" }) {
			assertEquals(8, r.rows().stream().filter(x -> x.method().equals(m)).count(), m +
				": 4 images x 2 labels, none dropped");
		}
		for (final EvaluationRun.Row row : r.rows()) {
			final boolean has = row.method().equals("a") ? Set.of("x", "w").contains(row.image())
				: row.image().equals("y");
			assertEquals(has ? 1.0 : 0.0, row.s().dice(), row.toString());
			assertEquals(has ? "" : EvaluationRun.NOTE_MISSING, row.note(), row.toString());
			if (!has) assertEquals(0, row.s().predVoxels());
		}
		final List<String> s = csv(r);
		assertTrue(s.contains("a,all,dice,8,0,0.5000,0.5000,0,1"), s.toString());
		assertTrue(s.contains("b,all,dice,8,0,0.2500,0,0,0.2500"), s.toString());
		assertTrue(s.contains("b,all,hd95,2,6,0,0,0,0"), s.toString());
		final String metrics = Files.readString(tmp.resolve("out/metrics.csv"));
		assertTrue(metrics.contains("\nz,a,1,,0,0,0,,100,0,no prediction: scored as empty; " +
			"missing\n"), metrics);
		// variant 3: a prediction without ground truth is still a problem, not a row
		new FileSaver(halves(20, 10)).saveAsPng(b.resolve("v.png").toString());
		final EvaluationRun.Result r2 = run(gt, "a", "b");
		assertTrue(r2.problems().stream().anyMatch(p -> p.startsWith("v: no ground truth")), r2
			.problems().toString());
		assertEquals(16, r2.rows().size());
	}

	@Test
	void predictionsOfAnotherSizeAreRefusedPairByPair() throws Exception {
		final Path gt = Files.createDirectories(tmp.resolve("gt"));
		new FileSaver(halves(20, 10)).saveAsPng(gt.resolve("img.png").toString());
		final Object[][] variants = { { "wider", halves(21, 10), "21x10x1" }, { "taller", halves(20,
			11), "20x11x1" }, { "transposed", halves(10, 20), "10x20x1" }, { "smaller", halves(10, 5),
				"10x5x1" }, { "stack", null, "20x10x2" } };
		final List<String> names = new ArrayList<>();
		for (final Object[] v : variants) {
			final Path d = Files.createDirectories(tmp.resolve((String) v[0]));
			names.add((String) v[0]);
			if (v[1] != null) new FileSaver((ImagePlus) v[1]).saveAsPng(d.resolve("img.png")
				.toString());
			else {
				final ImageStack st = new ImageStack(20, 10);
				st.addSlice(halves(20, 10).getProcessor());
				st.addSlice(halves(20, 10).getProcessor());
				new FileSaver(new ImagePlus("s", st)).saveAsTiffStack(d.resolve("img.tif").toString());
			}
		}
		Files.createDirectories(tmp.resolve("good"));
		new FileSaver(halves(20, 10)).saveAsPng(tmp.resolve("good/img.png").toString());
		names.add("good");
		final EvaluationRun.Result r = run(gt, names.toArray(String[]::new));
		assertEquals(variants.length, r.problems().size(), r.problems().toString());
		for (final Object[] v : variants) {
			final String m = (String) v[0];
			assertTrue(r.problems().contains("img (" + m + "): not compared: the prediction is " +
				v[2] + " but the ground truth is 20x10x1 (x by y by z voxels); predictions are never " +
				"cropped or resampled: give a prediction on the ground truth's grid."), m + ": " + r
					.problems());
			final List<EvaluationRun.Row> rows = r.rows().stream().filter(x -> x.method().equals(m))
				.toList();
			assertEquals(2, rows.size(), m + ": one row per ground-truth label");
			for (final EvaluationRun.Row row : rows) {
				assertFalse(row.scored(), m);
				assertTrue(Double.isNaN(row.s().dice()) && Double.isNaN(row.s().hd95()), m +
					": never compared");
				assertEquals(EvaluationRun.NOTE_REFUSED + " (prediction is " + v[2] +
					" but ground truth is 20x10x1)", row.note());
				assertEquals(100, row.s().gtVoxels());
			}
			assertTrue(csv(r).contains(m + ",all,dice,0,0,,,,"), m + ": refused rows are not " +
				"scores: " + csv(r));
		}
		assertTrue(csv(r).contains("good,all,dice,2,0,1,1,1,1"));
		final String metrics = Files.readString(tmp.resolve("out/metrics.csv"));
		assertTrue(metrics.contains("img,wider,1,,,,,,100,,\"refused: size differs (prediction is " +
			"21x10x1 but ground truth is 20x10x1)\"") || metrics.contains(
				"img,wider,1,,,,,,100,,refused: size differs (prediction is 21x10x1 but ground truth " +
					"is 20x10x1)"), metrics);
		assertTrue(Files.readString(tmp.resolve("out/report.html")).contains(
			"img (transposed): not compared"));
	}
}

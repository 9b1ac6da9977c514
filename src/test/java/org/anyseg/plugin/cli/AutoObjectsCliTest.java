package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.io.FileSaver;

/**
 * Issue 17: auto --objects writes one CSV row per label of the label image and --geojson
 * one QuPath feature per label whose polygon area equals the label's pixel count.
 */
class AutoObjectsCliTest {

	@TempDir
	Path tmp;

	@Test
	@org.junit.jupiter.api.Tag("slow")
	void objectsTableAndGeoJsonMatchTheLabels() throws Exception {
		final ImagePlus imp = ij.IJ.openImage(Fixtures.samOnnx().resolve("gray8.tif").toString());
		imp.getCalibration().pixelWidth = 0.5;
		imp.getCalibration().pixelHeight = 0.5;
		imp.getCalibration().setUnit("micron");
		final Path img = tmp.resolve("cells.tif");
		new FileSaver(imp).saveAsTiff(img.toString());
		final Path model = Files.createDirectories(tmp.resolve("fixture-model"));
		for (final String f : new String[] { "encoder_normalized.onnx", "decoder_m4.onnx" }) {
			Files.copy(Fixtures.samOnnx().resolve(f), model.resolve(f));
		}
		final Path labels = tmp.resolve("l.tif"), csv = tmp.resolve("o.csv"), geo = tmp.resolve(
			"o.geojson");
		final StringWriter err = new StringWriter(), said = new StringWriter();
		assertEquals(0, AnySegCli.run(new String[] { "auto", "--model", model.toString(), "--image", img.toString(), "--out",
			labels.toString(), "--objects", csv.toString(), "--geojson", geo.toString(),
			"--points-per-side", "4", "--pred-iou-thresh", "-10", "--stability-score-thresh", "0",
			"--threads", "1" }, new PrintWriter(said, true),
			new PrintWriter(err, true)), err.toString());
		final ImagePlus l = ij.IJ.openImage(labels.toString());
		final Map<Integer, Long> n = new HashMap<>();
		for (int i = 0; i < l.getWidth() * l.getHeight(); i++) {
			final int v = (int) l.getProcessor().getf(i);
			if (v > 0) n.merge(v, 1L, Long::sum);
		}
		assertTrue(n.size() >= 1, "objects are found: " + n);
		assertTrue(said.toString().contains("(" + n.size() + " objects"), "the count said is " +
			"the labels written: " + said);
		final List<String> rows = Files.readAllLines(csv);
		assertEquals("label,area_px,area_um2", String.join(",", List.of(rows.get(0).split(",", 4))
			.subList(0, 3)));
		assertEquals(n.size() + 1, rows.size());
		for (final String r : rows.subList(1, rows.size())) {
			final String[] c = r.split(",");
			final long area = n.get(Integer.parseInt(c[0]));
			assertEquals(area, Long.parseLong(c[1]));
			assertEquals(area * 0.25, Double.parseDouble(c[2]), 1e-3 * area);
			assertTrue(c[11].startsWith("\"point("), "the click that made it: " + r);
		}
		final JsonArray fs = JsonParser.parseString(Files.readString(geo)).getAsJsonObject()
			.getAsJsonArray("features");
		assertEquals(n.size(), fs.size());
		for (final JsonElement e : fs) {
			final JsonObject p = e.getAsJsonObject().getAsJsonObject("properties");
			final int label = p.getAsJsonObject("measurements").get("Label").getAsInt();
			final JsonObject g = e.getAsJsonObject().getAsJsonObject("geometry");
			final JsonArray polys = g.get("type").getAsString().equals("Polygon") ? single(g
				.getAsJsonArray("coordinates")) : g.getAsJsonArray("coordinates");
			double a = 0;
			for (final JsonElement poly : polys) {
				final JsonArray rings = poly.getAsJsonArray();
				for (int k = 0; k < rings.size(); k++) {
					final JsonArray ring = rings.get(k).getAsJsonArray();
					double s = 0;
					for (int i = 0; i + 1 < ring.size(); i++) {
						final JsonArray u = ring.get(i).getAsJsonArray(), v = ring.get(i + 1)
							.getAsJsonArray();
						s += u.get(0).getAsDouble() * v.get(1).getAsDouble() - v.get(0).getAsDouble() * u
							.get(1).getAsDouble();
					}
					a += (k == 0 ? 1 : -1) * Math.abs(s) / 2;
				}
			}
			assertEquals(n.get(label), a, 0, "label " + label);
			assertTrue(p.getAsJsonObject("measurements").has("Predicted IoU"));
		}
	}

	private static JsonArray single(final JsonArray polygon) {
		final JsonArray a = new JsonArray();
		a.add(polygon);
		return a;
	}
}

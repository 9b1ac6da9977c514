package org.anyseg.ops.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The GeoJSON read back with a JSON parser: one feature per label, in QuPath's form, and
 * each feature's polygon area (shoelace of outer rings minus holes) equal to the label's
 * pixel count exactly, on labels with holes, several pieces and corner-only contacts.
 */
class GeoJsonWriterTest {

	static final int W = 120, H = 90;

	static int[] scene(final long seed) {
		final int[] l = new int[W * H];
		final Random r = new Random(seed);
		// random blobs (overlapping later ones win): pieces, holes and corner contacts arise
		for (int k = 1; k <= 40; k++) {
			final int cx = r.nextInt(W), cy = r.nextInt(H), rad = 2 + r.nextInt(9);
			for (int y = Math.max(0, cy - rad); y < Math.min(H, cy + rad); y++) {
				for (int x = Math.max(0, cx - rad); x < Math.min(W, cx + rad); x++) {
					if (r.nextDouble() < 0.8) l[y * W + x] = 1 + r.nextInt(12);
				}
			}
		}
		// a ring with a hole, a checkerboard (corner contacts) and a ring touching its hole
		for (int y = 5; y < 15; y++) {
			for (int x = 5; x < 15; x++) l[y * W + x] = x > 7 && x < 12 && y > 7 && y < 12 ? 0 : 20;
		}
		for (int y = 20; y < 28; y++) {
			for (int x = 20; x < 28; x++) l[y * W + x] = (x + y) % 2 == 0 ? 21 : 0;
		}
		return l;
	}

	static Map<Integer, Long> counts(final int[] l) {
		final Map<Integer, Long> n = new HashMap<>();
		for (final int v : l) if (v > 0) n.merge(v, 1L, Long::sum);
		return n;
	}

	static double ringArea(final JsonArray ring) {
		double s = 0;
		for (int i = 0; i + 1 < ring.size(); i++) {
			final JsonArray a = ring.get(i).getAsJsonArray(), b = ring.get(i + 1).getAsJsonArray();
			s += a.get(0).getAsDouble() * b.get(1).getAsDouble() - b.get(0).getAsDouble() * a.get(1)
				.getAsDouble();
		}
		return Math.abs(s) / 2;
	}

	static double polygonArea(final JsonArray rings) {
		double a = ringArea(rings.get(0).getAsJsonArray());
		for (int i = 1; i < rings.size(); i++) a -= ringArea(rings.get(i).getAsJsonArray());
		return a;
	}

	@Test
	void featuresMatchTheLabelImageExactly(@TempDir final Path dir) throws Exception {
		for (long seed = 1; seed <= 5; seed++) {
			final int[] l = scene(seed);
			final ObjectTable t = ObjectTable.measure(l, W, H, 0.5, 0.5, "micron", k -> null);
			final Path out = dir.resolve("o" + seed + ".geojson");
			GeoJsonWriter.write(out, l, W, H, t, GeoJsonWriter.Options.defaults());
			final JsonObject fc = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
			assertEquals("FeatureCollection", fc.get("type").getAsString());
			final JsonArray fs = fc.getAsJsonArray("features");
			final Map<Integer, Long> n = counts(l);
			assertEquals(n.size(), fs.size(), "one feature per label");
			boolean sawHole = false, sawMulti = false;
			for (final JsonElement e : fs) {
				final JsonObject f = e.getAsJsonObject();
				final JsonObject p = f.getAsJsonObject("properties");
				assertEquals("detection", p.get("objectType").getAsString());
				assertEquals("AnySeg", p.getAsJsonObject("classification").get("name")
					.getAsString());
				assertEquals(3, p.getAsJsonObject("classification").getAsJsonArray("color").size());
				final int label = p.getAsJsonObject("measurements").get("Label").getAsInt();
				final JsonObject g = f.getAsJsonObject("geometry");
				double area = 0;
				if (g.get("type").getAsString().equals("Polygon")) {
					area = polygonArea(g.getAsJsonArray("coordinates"));
					sawHole |= g.getAsJsonArray("coordinates").size() > 1;
				}
				else {
					assertEquals("MultiPolygon", g.get("type").getAsString());
					sawMulti = true;
					for (final JsonElement poly : g.getAsJsonArray("coordinates")) {
						area += polygonArea(poly.getAsJsonArray());
						sawHole |= poly.getAsJsonArray().size() > 1;
					}
				}
				assertEquals(n.get(label), area, 0, "label " + label + ", seed " + seed);
				assertEquals(n.get(label), p.getAsJsonObject("measurements").get("Area px")
					.getAsLong());
				assertEquals(n.get(label) * 0.25, p.getAsJsonObject("measurements").get(
					"Area um^2").getAsDouble(), 1e-9);
			}
			assertTrue(sawHole && sawMulti, "the scene has holes and several pieces");
		}
	}

	@Test
	void piecesAreFourConnectedAndRingsClosed() {
		final int[] l = scene(3);
		for (final Map.Entry<Integer, List<Outlines.Piece>> e : Outlines.trace(l, W, H)
			.entrySet())
		{
			long total = 0;
			for (final Outlines.Piece p : e.getValue()) {
				final int[] o = p.outer();
				assertEquals(o[0], o[o.length - 2]);
				assertEquals(o[1], o[o.length - 1]);
				total += p.pixels();
			}
			assertEquals(counts(l).get(e.getKey()), total);
		}
		// the checkerboard label: 32 single pixels, 32 pieces
		assertEquals(32, Outlines.trace(l, W, H).get(21).size());
	}

	@Test
	void tableMeasuresAreaCentroidAndBox(@TempDir final Path dir) throws Exception {
		final int[] l = new int[W * H];
		for (int y = 10; y < 14; y++) for (int x = 30; x < 36; x++) l[y * W + x] = 7;
		final ObjectTable t = ObjectTable.measure(l, W, H, 2, 3, "micron", k -> k == 7
			? new ObjectTable.Origin(0.9, 0.97, ObjectTable.click(32, 11), 4) : null);
		assertEquals(1, t.rows().size());
		final ObjectTable.Row r = t.rows().get(0);
		assertEquals(24, r.area());
		assertEquals(24 * 6, r.calibratedArea(), 1e-9);
		assertEquals(32.5 * 2, r.cx(), 1e-9);
		assertEquals(11.5 * 3, r.cy(), 1e-9);
		assertEquals(List.of(30, 10, 6, 4), List.of(r.bx(), r.by(), r.bw(), r.bh()));
		final Path csv = dir.resolve("o.csv");
		t.writeCsv(csv);
		final List<String> lines = Files.readAllLines(csv);
		assertEquals("label,area_px,area_um2,centroid_x,centroid_y,bbox_x,bbox_y,bbox_w,bbox_h," +
			"pred_iou,stability,prompt,tile", lines.get(0));
		assertEquals("7,24,144,65,34.5,30,10,6,4,0.9,0.97,\"point(32,11)\",4", lines.get(1));
	}
}

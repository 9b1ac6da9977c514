package org.anyseg.ops.objects;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.anyseg.ops.io.AtomicFiles;

/**
 * Writes the objects of a 2D label image as GeoJSON in the form QuPath imports (File >
 * Import objects, or drag and drop): a {@code FeatureCollection} with one {@code Feature}
 * per label, its geometry the traced pixel-corner outline ({@link Outlines}; a
 * {@code Polygon}, or a {@code MultiPolygon} when the label has several 4-connected pieces;
 * holes kept) in full-resolution pixel coordinates with the origin at the image's top-left
 * corner, and properties {@code objectType} ("detection" or "annotation"),
 * {@code classification} {@code {name, color: [r, g, b]}}, {@code name} and
 * {@code measurements} (a map of name to number, as QuPath 0.4 and later write it) taken
 * from the {@link ObjectTable} row of the label.
 */
public final class GeoJsonWriter {

	private GeoJsonWriter() {}

	/** QuPath's two kinds of object that an import makes. */
	public enum ObjectType {
		DETECTION("detection"), ANNOTATION("annotation");

		final String json;

		ObjectType(final String json) {
			this.json = json;
		}

		/** "detection" or "annotation", any case. */
		public static ObjectType parse(final String s) {
			for (final ObjectType t : values()) if (t.json.equalsIgnoreCase(s.trim())) return t;
			throw new org.anyseg.ops.AnySegException("Unknown QuPath object type '" + s +
				"': use detection or annotation.");
		}
	}

	/** What the features are classified as. */
	public record Options(ObjectType type, String className, int[] rgb) {

		public static Options defaults() {
			return new Options(ObjectType.DETECTION, "AnySeg", new int[] { 255, 200, 0 });
		}

		public Options withType(final ObjectType t) {
			return new Options(t, className, rgb);
		}

		public Options withClassName(final String name) {
			return new Options(type, name, rgb);
		}
	}

	/** Writes one feature per row of {@code table}, atomically. */
	public static void write(final Path out, final int[] labels, final int w, final int h,
		final ObjectTable table, final Options o)
	{
		final Map<Integer, List<Outlines.Piece>> pieces = Outlines.trace(labels, w, h);
		final Map<Integer, ObjectTable.Row> rows = new HashMap<>();
		for (final ObjectTable.Row r : table.rows()) rows.put(r.label(), r);
		final String area = "Area " + ObjectTable.unitName(table.unit()) + "^2";
		AtomicFiles.writeAtomically(out, tmp -> {
			try (BufferedWriter wr = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
				wr.write("{\"type\":\"FeatureCollection\",\"features\":[");
				boolean firstFeature = true;
				for (final Map.Entry<Integer, List<Outlines.Piece>> e : pieces.entrySet()) {
					final ObjectTable.Row r = rows.get(e.getKey());
					if (!firstFeature) wr.write(',');
					firstFeature = false;
					wr.write("\n{\"type\":\"Feature\",\"id\":\"");
					wr.write(UUID.nameUUIDFromBytes(("anyseg-" + e.getKey()).getBytes(
						StandardCharsets.UTF_8)).toString());
					wr.write("\",\"geometry\":");
					geometry(wr, e.getValue());
					wr.write(",\"properties\":{\"objectType\":\"" + o.type().json + "\"");
					wr.write(",\"name\":\"" + e.getKey() + "\"");
					wr.write(",\"classification\":{\"name\":" + str(o.className()) + ",\"color\":[" +
						o.rgb()[0] + "," + o.rgb()[1] + "," + o.rgb()[2] + "]}");
					wr.write(",\"measurements\":{\"Label\":" + e.getKey());
					if (r != null) {
						wr.write(",\"Area px\":" + r.area());
						wr.write("," + str(area) + ":" + num(r.calibratedArea()));
						wr.write(",\"Centroid X\":" + num(r.cx()) + ",\"Centroid Y\":" + num(r.cy()));
						if (!Double.isNaN(r.origin().predIou())) {
							wr.write(",\"Predicted IoU\":" + num(r.origin().predIou()));
						}
						if (!Double.isNaN(r.origin().stability())) {
							wr.write(",\"Stability score\":" + num(r.origin().stability()));
						}
						if (r.origin().tile() >= 0) wr.write(",\"Tile\":" + r.origin().tile());
					}
					wr.write("}");
					if (r != null && !r.origin().prompt().isEmpty()) {
						wr.write(",\"prompt\":" + str(r.origin().prompt()));
					}
					wr.write("}}");
				}
				wr.write("\n]}\n");
			}
		});
	}

	private static void geometry(final BufferedWriter wr, final List<Outlines.Piece> ps)
		throws IOException
	{
		if (ps.size() == 1) {
			wr.write("{\"type\":\"Polygon\",\"coordinates\":");
			polygon(wr, ps.get(0));
		}
		else {
			wr.write("{\"type\":\"MultiPolygon\",\"coordinates\":[");
			for (int i = 0; i < ps.size(); i++) {
				if (i > 0) wr.write(',');
				polygon(wr, ps.get(i));
			}
			wr.write(']');
		}
		wr.write('}');
	}

	private static void polygon(final BufferedWriter wr, final Outlines.Piece p)
		throws IOException
	{
		wr.write('[');
		ring(wr, p.outer());
		for (final int[] hole : p.holes()) {
			wr.write(',');
			ring(wr, hole);
		}
		wr.write(']');
	}

	private static void ring(final BufferedWriter wr, final int[] r) throws IOException {
		final StringBuilder b = new StringBuilder(r.length * 4).append('[');
		for (int i = 0; i < r.length; i += 2) {
			if (i > 0) b.append(',');
			b.append('[').append(r[i]).append(',').append(r[i + 1]).append(']');
		}
		wr.write(b.append(']').toString());
	}

	private static String num(final double v) {
		return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v).replaceAll(
			"(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1") : "null";
	}

	private static String str(final String s) {
		final StringBuilder b = new StringBuilder("\"");
		for (final char c : s.toCharArray()) {
			if (c == '"' || c == '\\') b.append('\\').append(c);
			else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
			else b.append(c);
		}
		return b.append('"').toString();
	}
}

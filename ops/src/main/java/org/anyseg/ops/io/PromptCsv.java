package org.anyseg.ops.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

/**
 * Prompt tables: a CSV with header {@code object,type,x0,y0,x1,y1,label} (columns found by
 * name, extra columns ignored). {@code type} is {@code box} (corners x0,y0 and exclusive
 * x1,y1) or {@code point} (x0,y0; label 1 positive, 0 negative, empty = 1). Rows with the
 * same {@code object} form one object, which gets that number as its label.
 */
public final class PromptCsv {

	private static final List<String> REQUIRED = List.of("object", "type", "x0", "y0");

	private PromptCsv() {}

	/** A prompt of one object on one slice of a volume (z 0-based, -1 when not given). */
	public record SlicePrompt(int z, ObjectPrompt prompt) {}

	/** Whether the table has a {@code z} column (prompts on slices of a volume). */
	public static boolean hasSlices(final Path file) {
		try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			final String h = r.readLine();
			return h != null && Arrays.stream(h.split(",", -1)).anyMatch(c -> c.trim()
				.equalsIgnoreCase("z"));
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read prompt file " + file + ": " + e.getMessage(), e);
		}
	}

	/** The objects of a 2D prompt table (a {@code z} column, if any, is ignored). */
	public static List<ObjectPrompt> read(final Path file) {
		return parse(file, false).stream().map(SlicePrompt::prompt).toList();
	}

	/**
	 * The prompts of a volume's prompt table: rows need a {@code z} column (0-based slice);
	 * rows with the same object and z form one prompt, and an object may be prompted on
	 * several slices.
	 */
	public static List<SlicePrompt> readSlices(final Path file) {
		return parse(file, true, null);
	}

	/**
	 * The prompts of one image of a batch's prompt table: rows whose {@code image} column is
	 * the image's file name or base name; {@code z} used when present (-1 otherwise).
	 */
	public static List<SlicePrompt> readFor(final Path file, final Path image) {
		return parse(file, null, image);
	}

	private static List<SlicePrompt> parse(final Path file, final boolean withZ) {
		return parse(file, withZ, null);
	}

	private static List<SlicePrompt> parse(final Path file, final Boolean zWanted,
		final Path image)
	{
		final List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read prompt file " + file + ": " + e.getMessage(), e);
		}
		if (lines.isEmpty()) throw err(file, 1, "the file is empty; it needs a header row " +
			"object,type,x0,y0,x1,y1,label");
		final List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(s -> s.trim()
			.toLowerCase()).toList();
		for (final String r : REQUIRED) {
			if (!header.contains(r)) throw err(file, 1, "the header lacks column '" + r +
				"'; expected object,type,x0,y0,x1,y1,label");
		}
		final boolean withZ = zWanted != null ? zWanted : header.contains("z");
		if (withZ && !header.contains("z")) throw err(file, 1, "a volume's prompt table needs a " +
			"column 'z' (the slice of each prompt)");
		if (image != null && !header.contains("image")) throw err(file, 1, "a batch prompt " +
			"table needs a column 'image' (the file name each row belongs to)");
		final java.util.Comparator<List<Integer>> order = java.util.Comparator.<List<Integer>>
			comparingInt(k -> k.get(0)).thenComparingInt(k -> k.get(1));
		final Map<List<Integer>, List<PointPrompt>> points = new TreeMap<>(order);
		final Map<List<Integer>, BoxPrompt> boxes = new TreeMap<>(order);
		for (int n = 1; n < lines.size(); n++) {
			final String line = lines.get(n).trim();
			if (line.isEmpty() || line.startsWith("#")) continue;
			final String[] f = line.split(",", -1);
			final int row = n + 1;
			if (image != null) {
				final String im = col(f, header, "image");
				if (!im.equals(image.getFileName().toString()) && !im.equals(FileNames.base(image))) {
					continue;
				}
			}
			final int label = (int) num(file, row, f, header, "object", null);
			if (label < 1 || label > 65535) throw err(file, row, "object " + label +
				" is not a label from 1 to 65535");
			final int z = withZ ? (int) num(file, row, f, header, "z", null) : -1;
			final List<Integer> obj = List.of(label, z);
			final String type = col(f, header, "type").toLowerCase();
			if (type.equals("box")) {
				if (boxes.containsKey(obj)) throw err(file, row, "object " + label + " has a second " +
					"box" + (withZ ? " on slice " + z : "") + "; one object takes one box " +
					"(give each box its own object number)");
				try {
					boxes.put(obj, new BoxPrompt(num(file, row, f, header, "x0", null), num(file, row, f,
						header, "y0", null), num(file, row, f, header, "x1", null), num(file, row, f,
							header, "y1", null)));
				}
				catch (final AnySegException e) {
					throw err(file, row, e.getMessage());
				}
				points.computeIfAbsent(obj, k -> new ArrayList<>());
			}
			else if (type.equals("point")) {
				final double pl = num(file, row, f, header, "label", 1.0);
				if (pl != 0 && pl != 1) throw err(file, row, "point label must be 1 " +
					"(positive) or 0 (negative), got " + pl);
				points.computeIfAbsent(obj, k -> new ArrayList<>()).add(new PointPrompt(num(file, row,
					f, header, "x0", null), num(file, row, f, header, "y0", null), pl == 1));
			}
			else {
				throw err(file, row, "type must be 'box' or 'point', got '" + type + "'");
			}
		}
		final List<SlicePrompt> out = new ArrayList<>();
		points.forEach((obj, pts) -> out.add(new SlicePrompt(obj.get(1), new ObjectPrompt(obj.get(
			0), pts, boxes.get(obj), null))));
		if (out.isEmpty() && image == null) throw err(file, 2, "no prompt rows after the header");
		return out;
	}

	private static String col(final String[] f, final List<String> header, final String name) {
		final int i = header.indexOf(name);
		return i < 0 || i >= f.length ? "" : f[i].trim();
	}

	private static double num(final Path file, final int row, final String[] f,
		final List<String> header, final String name, final Double dflt)
	{
		final String s = col(f, header, name);
		if (s.isEmpty()) {
			if (dflt != null) return dflt;
			throw err(file, row, "column '" + name + "' is empty");
		}
		try {
			return Double.parseDouble(s);
		}
		catch (final NumberFormatException e) {
			throw err(file, row, "column '" + name + "' is not a number: '" + s + "'");
		}
	}

	private static AnySegException err(final Path file, final int row, final String what) {
		return new AnySegException("Prompt file " + file + ", line " + row + ": " + what + ".");
	}
}

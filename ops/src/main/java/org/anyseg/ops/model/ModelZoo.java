package org.anyseg.ops.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.anyseg.ops.AnySegException;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/**
 * The catalogue of known public ONNX models (the resource {@code catalog.json} beside this
 * class, or a file given for mirrors and tests): what each model is, which family, where its
 * files are, their sizes and SHA-256 when the publisher gives them, and its licence.
 */
public final class ModelZoo {

	private static final String RESOURCE = "catalog.json";

	/**
	 * One downloadable file of a model; {@code sha256} and {@code xxh128} (the hash some
	 * publishers give instead, e.g. micro-sam) are checked when known.
	 */
	public record File(String name, String url, Long size, String sha256, String xxh128) {

		public File(final String name, final String url, final Long size, final String sha256) {
			this(name, url, size, sha256, null);
		}
	}

	/** One catalogue entry. */
	public record Entry(String name, String title, String family, List<String> prompts,
		String licence, boolean commercialUse, String note, String source, List<File> files)
	{

		/** Total download size in bytes, or -1 when a file's size is unknown. */
		public long size() {
			long s = 0;
			for (final File f : files) {
				if (f.size() == null) return -1;
				s += f.size();
			}
			return s;
		}
	}

	private final List<Entry> entries;

	private ModelZoo(final List<Entry> entries) {
		this.entries = List.copyOf(entries);
	}

	/** The catalogue bundled with AnySeg. */
	public static ModelZoo bundled() {
		try (InputStream in = ModelZoo.class.getResourceAsStream(RESOURCE)) {
			if (in == null) throw new IllegalStateException("catalog.json missing from the jar");
			return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "the bundled catalogue");
		}
		catch (final IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A catalogue file in the same format (a mirror's, or a test's). */
	public static ModelZoo read(final Path file) {
		try (Reader r = Files.newBufferedReader(file)) {
			return parse(r, file.toString());
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read model catalogue " + file + ": " + e.getMessage(),
				e);
		}
	}

	private static ModelZoo parse(final Reader r, final String what) {
		final Json json;
		try {
			json = new Gson().fromJson(r, Json.class);
		}
		catch (final JsonParseException e) {
			throw new AnySegException("Model catalogue " + what + " is not valid JSON: " + e
				.getMessage(), e);
		}
		if (json == null || json.models == null || json.models.isEmpty()) {
			throw new AnySegException("Model catalogue " + what + " lists no models: it must be " +
				"a JSON object with a non-empty \"models\" list; fix the catalogue file or use the " +
				"bundled catalogue.");
		}
		final List<Entry> list = new ArrayList<>();
		final java.util.Set<String> names = new java.util.HashSet<>();
		for (int i = 0; i < json.models.size(); i++) {
			final Json.Model m = json.models.get(i);
			final String label = "entry #" + (i + 1) + (m != null && m.name != null ? " '" + m.name +
				"'" : "");
			if (m == null) throw bad(what, label, "is empty (null)");
			if (m.files == null || m.files.isEmpty()) throw bad(what, label, "lists no files");
			final List<File> files = new ArrayList<>();
			for (int j = 0; j < m.files.size(); j++) {
				final Json.FileJson f = m.files.get(j);
				if (f == null) throw bad(what, label, "has an empty (null) file #" + (j + 1));
				files.add(new File(f.name, f.url, f.size, f.sha256, f.xxh128));
			}
			// the measured CPU cost is shown with the note (Manage Models, models fetch)
			final String note = m.cpu_cost == null || m.cpu_cost.isBlank() ? m.note : (m.note ==
				null ? "" : m.note + " ") + "CPU cost: " + m.cpu_cost + ".";
			final Entry e = new Entry(m.name, m.title, m.family, m.prompts == null ? List.of()
				: m.prompts, m.licence, m.commercial_use, note, m.source, files);
			validate(e, what, label);
			if (!names.add(e.name())) throw bad(what, label, "repeats the name of an earlier entry");
			list.add(e);
		}
		return new ModelZoo(list);
	}

	/**
	 * Checks that an entry can be installed safely: its name and file names are single path
	 * components, its files have addresses, sizes are not negative, SHA-256 sums are 64 hex
	 * digits.
	 *
	 * @throws AnySegException naming the entry and what is wrong
	 */
	public static void validate(final Entry e, final String what) {
		validate(e, what, e == null ? "entry" : "entry '" + e.name() + "'");
	}

	private static void validate(final Entry e, final String what, final String label) {
		if (e == null) throw bad(what, label, "is empty (null)");
		final String nameProblem = componentProblem(e.name());
		if (nameProblem != null) throw bad(what, label, "has a model name that " + nameProblem);
		if (e.family() == null || e.family().isBlank()) throw bad(what, label, "has no family");
		if (e.files() == null || e.files().isEmpty()) throw bad(what, label, "lists no files");
		if (e.prompts() != null) {
			for (final String p : e.prompts()) {
				if (p == null) throw bad(what, label, "has an empty (null) prompt kind");
			}
		}
		final java.util.Set<String> seen = new java.util.HashSet<>();
		for (int j = 0; j < e.files().size(); j++) {
			final File f = e.files().get(j);
			if (f == null) throw bad(what, label, "has an empty (null) file #" + (j + 1));
			final String fl = "file #" + (j + 1) + (f.name() != null ? " '" + f.name() + "'" : "");
			final String p = componentProblem(f.name());
			if (p != null) throw bad(what, label, "has a " + fl + " whose name " + p);
			if (!seen.add(f.name())) throw bad(what, label, "lists the file '" + f.name() + "' twice");
			if (f.url() == null || f.url().isBlank()) throw bad(what, label, "has no url for " + fl);
			try {
				new java.net.URI(f.url());
			}
			catch (final java.net.URISyntaxException x) {
				throw bad(what, label, "has an invalid url for " + fl + " (" + f.url() + ")");
			}
			if (f.size() != null && f.size() < 0) {
				throw bad(what, label, "gives " + fl + " a negative size (" + f.size() + ")");
			}
			if (f.sha256() != null && !f.sha256().matches("[0-9a-fA-F]{64}")) {
				throw bad(what, label, "gives " + fl + " a malformed sha256 '" + f.sha256() +
					"' (it must be 64 hexadecimal digits, or null when unknown)");
			}
			if (f.xxh128() != null && !f.xxh128().matches("[0-9a-f]{32}")) {
				throw bad(what, label, "gives " + fl + " a malformed xxh128 '" + f.xxh128() +
					"' (it must be 32 lower-case hexadecimal digits, or null when unknown)");
			}
		}
	}

	/**
	 * Why {@code name} is not a single, plain path component (a model or file name that
	 * stays inside its folder), or {@code null} when it is one.
	 */
	public static String componentProblem(final String name) {
		if (name == null || name.isBlank()) return "is missing or empty";
		if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
			return "'" + name + "' contains a path separator";
		}
		if (name.contains("..")) return "'" + name + "' contains '..'";
		if (name.startsWith(".")) return "'" + name + "' starts with '.' (a hidden name)";
		if (!name.matches("[A-Za-z0-9._+-]+")) {
			return "'" + name + "' contains characters other than letters, digits, '.', '_', " +
				"'+' and '-'";
		}
		if (name.length() > 200) return "'" + name + "' is longer than 200 characters";
		return null;
	}

	private static AnySegException bad(final String what, final String label,
		final String problem)
	{
		return new AnySegException("Model catalogue " + what + ": " + label + " " + problem +
			"; fix the catalogue file or use the bundled catalogue.");
	}

	public List<Entry> entries() {
		return entries;
	}

	public Optional<Entry> find(final String name) {
		return entries.stream().filter(e -> e.name().equals(name)).findFirst();
	}

	/** The entry, or an error listing the known names. */
	public Entry get(final String name) {
		return find(name).orElseThrow(() -> new AnySegException("'" + name + "' is not in the " +
			"model catalogue. Known models: " + String.join(", ", entries.stream().map(Entry::name)
				.toList()) + "."));
	}

	/** Gson's view of the file. */
	private static final class Json {

		List<Model> models = List.of();

		static final class Model {

			String name, title, family, licence, note, source, cpu_cost;
			List<String> prompts;
			boolean commercial_use;
			List<FileJson> files = List.of();
		}

		static final class FileJson {

			String name, url, sha256, xxh128;
			Long size;
		}
	}
}

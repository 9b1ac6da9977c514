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

	/** One downloadable file of a model. */
	public record File(String name, String url, Long size, String sha256) {}

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
		final List<Entry> list = new ArrayList<>();
		for (final Json.Model m : json.models) {
			final List<File> files = new ArrayList<>();
			for (final Json.FileJson f : m.files) files.add(new File(f.name, f.url, f.size, f.sha256));
			if (files.isEmpty() || m.name == null || m.family == null) {
				throw new AnySegException("Model catalogue " + what + ": entry " + m.name +
					" lacks a name, a family or files.");
			}
			list.add(new Entry(m.name, m.title, m.family, m.prompts == null ? List.of() : m.prompts,
				m.licence, m.commercial_use, m.note, m.source, files));
		}
		return new ModelZoo(list);
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

			String name, title, family, licence, note, source;
			List<String> prompts;
			boolean commercial_use;
			List<FileJson> files = List.of();
		}

		static final class FileJson {

			String name, url, sha256;
			Long size;
		}
	}
}

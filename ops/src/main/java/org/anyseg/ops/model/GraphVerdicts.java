package org.anyseg.ops.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.io.AtomicFiles;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * The {@link GraphCheck} verdicts a model folder records in its {@code anyseg-model.json},
 * under {@code "graph_checks"}, keyed by each file's SHA-256:
 * <pre>
 * "graph_checks": { "9f2c...": { "file": "encoder.onnx", "size": 1234, "modified": 1733480000000,
 *   "onnxruntime": "1.24.2", "device": "cpu", "setting": "full", "inlined_ifs": 2,
 *   "full_error": 0.0, "slowdown": 1.0, "checked": "2026-12-06" } }
 * </pre>
 * A verdict holds for the same bytes, runtime version and device; a file whose name, size
 * and modification time match its verdict is not hashed again.
 */
public final class GraphVerdicts {

	public static final String KEY = "graph_checks";

	/** What loading a model does about the check. */
	public enum Mode {
		/** Check files without a verdict and record the verdict beside them (default). */
		RECORD,
		/** Check files without a verdict, record nothing. */
		CHECK,
		/** Never check: every graph gets {@link GraphSetting#FULL} (tests of other features). */
		OFF
	}

	private static volatile Mode mode = Mode.valueOf(System.getProperty("anyseg.graphCheck",
		"record").toUpperCase(Locale.ROOT));

	private GraphVerdicts() {}

	public static Mode mode() {
		return mode;
	}

	public static void mode(final Mode m) {
		mode = m;
	}

	/**
	 * The setting for each file: from the recorded verdicts, else from a check run now (and
	 * recorded when the folder is writable).
	 */
	static Map<ModelFile, GraphSetting> settings(final List<ModelFile> files,
		final ModelConfig config, final RuntimeOptions opts, final Consumer<String> notices)
	{
		final Map<ModelFile, GraphSetting> out = new HashMap<>();
		if (mode == Mode.OFF || files.isEmpty()) {
			files.forEach(f -> out.put(f, GraphSetting.FULL));
			return out;
		}
		final Map<String, JsonObject> recorded = read(files);
		boolean missing = false;
		for (final ModelFile f : files) {
			final GraphSetting s = lookup(recorded, f, opts);
			if (s == null) missing = true;
			else out.put(f, s);
		}
		if (!missing) return out;
		final List<GraphCheck.Verdict> verdicts = GraphCheck.check(files, config, opts, notices);
		for (int i = 0; i < files.size(); i++) out.put(files.get(i), verdicts.get(i).setting());
		if (mode == Mode.RECORD) record(files, verdicts, opts, notices);
		return out;
	}

	/** Runs the check now, whatever is recorded, and records it (models verify --deep). */
	public static List<GraphCheck.Verdict> recheck(final List<ModelFile> files,
		final RuntimeOptions opts, final Consumer<String> notices)
	{
		final List<GraphCheck.Verdict> v = GraphCheck.check(files, ModelConfig.of(files), opts,
			notices);
		record(files, v, opts, notices);
		return v;
	}

	private static GraphSetting lookup(final Map<String, JsonObject> recorded,
		final ModelFile f, final RuntimeOptions opts)
	{
		final String runtime = GraphCheck.runtime();
		final String name = f.fileName();
		JsonObject hit = null;
		if (f.path() != null) {
			final long size = f.size();
			final long modified = f.lastModified();
			for (final JsonObject v : recorded.values()) {
				if (name.equals(text(v, "file")) && v.has("size") && v.get("size").getAsLong() == size &&
					v.has("modified") && v.get("modified").getAsLong() == modified && modified != 0)
				{
					hit = v;
				}
			}
		}
		if (hit == null && !recorded.isEmpty()) hit = recorded.get(f.sha256());
		if (hit == null || !runtime.equals(text(hit, "onnxruntime")) || !opts.device().equals(
			text(hit, "device"))) return null;
		try {
			return GraphSetting.of(text(hit, "setting"));
		}
		catch (final AnySegException e) {
			return null; // an unknown setting is checked again
		}
	}

	private static String text(final JsonObject o, final String key) {
		return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
	}

	/** The recorded verdicts beside the files, by SHA-256 (empty when none). */
	static Map<String, JsonObject> read(final List<ModelFile> files) {
		final JsonObject config = readConfig(files.get(0));
		final Map<String, JsonObject> out = new LinkedHashMap<>();
		if (config == null || !config.has(KEY) || !config.get(KEY).isJsonObject()) return out;
		for (final Map.Entry<String, JsonElement> e : config.getAsJsonObject(KEY).entrySet()) {
			if (e.getValue().isJsonObject()) out.put(e.getKey(), e.getValue().getAsJsonObject());
		}
		return out;
	}

	private static JsonObject readConfig(final ModelFile first) {
		try {
			if (first.path() != null) {
				final Path f = first.path().toAbsolutePath().getParent().resolve(ModelConfig.FILE);
				if (!Files.isRegularFile(f)) return null;
				try (Reader r = Files.newBufferedReader(f)) {
					return parse(r);
				}
			}
			final String res = first.resource();
			final String json = res.substring(0, res.lastIndexOf('/') + 1) + ModelConfig.FILE;
			try (InputStream in = GraphVerdicts.class.getClassLoader().getResourceAsStream(json)) {
				return in == null ? null : parse(new InputStreamReader(in, StandardCharsets.UTF_8));
			}
		}
		catch (final IOException | JsonParseException e) {
			return null; // ModelConfig reports a broken file when the model loads
		}
	}

	private static JsonObject parse(final Reader r) {
		final JsonElement e = new Gson().fromJson(r, JsonElement.class);
		return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
	}

	/** The verdicts as the JSON object recorded under {@link #KEY}. */
	public static JsonObject toJson(final List<GraphCheck.Verdict> verdicts,
		final RuntimeOptions opts)
	{
		final JsonObject all = new JsonObject();
		for (final GraphCheck.Verdict v : verdicts) {
			final JsonObject o = new JsonObject();
			o.addProperty("file", v.file());
			o.addProperty("size", v.size());
			if (v.modified() != 0) o.addProperty("modified", v.modified());
			o.addProperty("onnxruntime", v.runtime());
			o.addProperty("device", opts.device());
			o.addProperty("setting", v.setting().id());
			o.addProperty("inlined_ifs", v.inlinedIfs());
			o.addProperty("full_error", Double.isFinite(v.fullError()) ? v.fullError() : -1);
			o.addProperty("slowdown", Math.round(v.slowdown() * 100) / 100.0);
			o.addProperty("checked", v.checked());
			all.add(v.sha256(), o);
		}
		return all;
	}

	/** Writes the verdicts into the folder's anyseg-model.json (atomically), keeping the rest. */
	private static void record(final List<ModelFile> files,
		final List<GraphCheck.Verdict> verdicts, final RuntimeOptions opts,
		final Consumer<String> notices)
	{
		if (files.get(0).path() == null) return; // bundled: checked when AnySeg is built
		final Path dir = files.get(0).path().toAbsolutePath().getParent();
		final Path f = dir.resolve(ModelConfig.FILE);
		try {
			final JsonObject config = Files.isRegularFile(f) ? readConfig(files.get(0)) : new JsonObject();
			if (config == null) {
				notices.accept("Not recording the check: " + f + " is not a JSON object.");
				return;
			}
			final JsonObject checks = config.has(KEY) && config.get(KEY).isJsonObject() ? config
				.getAsJsonObject(KEY) : new JsonObject();
			toJson(verdicts, opts).entrySet().forEach(e -> checks.add(e.getKey(), e.getValue()));
			config.add(KEY, checks);
			AtomicFiles.writeAtomically(f, tmp -> {
				try (Writer w = Files.newBufferedWriter(tmp)) {
					new GsonBuilder().setPrettyPrinting().create().toJson(config, w);
					w.write('\n');
				}
			});
		}
		catch (final AnySegException e) {
			notices.accept("Could not record the check (" + e.getMessage() + "): it will run " +
				"again the next time the model loads.");
		}
	}
}

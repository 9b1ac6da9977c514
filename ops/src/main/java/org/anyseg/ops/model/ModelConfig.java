package org.anyseg.ops.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.anyseg.ops.AnySegException;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * The optional {@code anyseg-model.json} beside a model's ONNX files, overriding what
 * detection would decide (documented in {@code docs/models.md}):
 * <pre>
 * { "family": "medsam", "name": "MedSAM ViT-B", "input_size": 1024, "normalization": "minmax" }
 * </pre>
 *
 * @param family family id to use instead of detection, or {@code null}
 * @param name display name, or {@code null}
 * @param inputSize encoder input side to use instead of the family's, or {@code null}
 * @param normalization the model's own pixel normalization ({@code sam}, {@code imagenet},
 *          {@code minmax}, {@code unit}) instead of the family's, or {@code null}
 */
public record ModelConfig(String family, String name, Integer inputSize,
	String normalization)
{

	public static final String FILE = "anyseg-model.json";
	public static final ModelConfig NONE = new ModelConfig(null, null, null, null);
	private static final Set<String> KEYS = Set.of("family", "name", "input_size",
		"normalization", "description");

	/** Reads {@code dir/anyseg-model.json}, or {@link #NONE} when there is none. */
	public static ModelConfig read(final Path dir) {
		final Path f = dir.resolve(FILE);
		if (!Files.isRegularFile(f)) return NONE;
		final JsonObject o;
		try (Reader r = Files.newBufferedReader(f)) {
			final JsonElement e = new Gson().fromJson(r, JsonElement.class);
			if (e == null || !e.isJsonObject()) throw new JsonParseException("not a JSON object");
			o = e.getAsJsonObject();
		}
		catch (final IOException | JsonParseException e) {
			throw new AnySegException(f + " is not valid JSON (" + e.getMessage() + "). Fix it " +
				"or delete it to let AnySeg detect the model.", e);
		}
		for (final Map.Entry<String, JsonElement> e : o.entrySet()) {
			if (!KEYS.contains(e.getKey())) {
				throw new AnySegException(f + " has an unknown key '" + e.getKey() + "'; allowed " +
					"keys are " + KEYS + ".");
			}
		}
		try {
			final Integer size = o.has("input_size") ? o.get("input_size").getAsInt() : null;
			if (size != null && (size < 16 || size > 8192)) {
				throw new AnySegException(f + ": input_size " + size + " is not a plausible " +
					"encoder input side (16..8192).");
			}
			return new ModelConfig(text(o, "family"), text(o, "name"), size, text(o,
				"normalization"));
		}
		catch (final ClassCastException | IllegalStateException | NumberFormatException e) {
			throw new AnySegException(f + " has a value of the wrong type (" + e.getMessage() +
				"): family, name and normalization are strings, input_size a number.", e);
		}
	}

	private static String text(final JsonObject o, final String key) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
	}
}

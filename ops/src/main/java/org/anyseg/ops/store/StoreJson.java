package org.anyseg.ops.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.anyseg.ops.AnySegException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** Reading the store's small JSON files, each failure a sentence naming the file. */
final class StoreJson {

	/** Metadata files are a few hundred bytes; anything far larger is not ours. */
	private static final long MAX_BYTES = 1 << 20;

	private StoreJson() {}

	static JsonObject object(final Path file) {
		try {
			if (Files.size(file) > MAX_BYTES) {
				throw new AnySegException(file + " is " + Files.size(file) + " bytes: not a Zarr " +
					"metadata file of an embedding store.");
			}
			final JsonElement e = JsonParser.parseString(Files.readString(file));
			if (!e.isJsonObject()) throw new AnySegException(file + " is not a JSON object.");
			return e.getAsJsonObject();
		}
		catch (final NoSuchFileException e) {
			throw new AnySegException(file + " is missing.");
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		catch (final JsonParseException | IllegalStateException e) {
			throw new AnySegException(file + " is not valid JSON (truncated or damaged?).", e);
		}
	}

	static int integer(final JsonObject o, final String key, final Path where) {
		try {
			return o.get(key).getAsInt();
		}
		catch (final RuntimeException e) {
			throw new AnySegException(where + ": '" + key + "' is missing or not a number.");
		}
	}

	static String string(final JsonObject o, final String key, final Path where) {
		final JsonElement e = o.get(key);
		if (e == null || !e.isJsonPrimitive()) {
			throw new AnySegException(where + ": '" + key + "' is missing or not text.");
		}
		return e.getAsString();
	}

	static long[] longs(final JsonObject o, final String key, final Path where) {
		try {
			final JsonArray a = o.get(key).getAsJsonArray();
			final long[] v = new long[a.size()];
			for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsLong();
			return v;
		}
		catch (final RuntimeException e) {
			throw new AnySegException(where + ": '" + key + "' is missing or not a list of " +
				"whole numbers.");
		}
	}
}

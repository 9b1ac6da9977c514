package org.anyseg.ops.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.anyseg.ops.AnySegException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One Zarr v2 array of floats in one chunk: {@code .zarray} (JSON) and the chunk file
 * {@code 0.0...0} (one {@code 0} per dimension), little-endian {@code <f4} or {@code <f2},
 * C order, no filters, compressor {@code null} or numcodecs' {@code zlib} (a zlib stream,
 * as {@link Deflater} writes it). Reading accepts exactly that and refuses anything else
 * with a sentence naming the file, so a foreign or damaged array is never misread.
 */
final class ZarrArray {

	/** The element type on disk. */
	enum Dtype {
		FLOAT32("<f4", 4), FLOAT16("<f2", 2);

		final String zarr;
		final int size;

		Dtype(final String zarr, final int size) {
			this.zarr = zarr;
			this.size = size;
		}

		static Dtype parse(final String s) {
			for (final Dtype d : values()) if (d.zarr.equals(s)) return d;
			return null;
		}
	}

	/** What was read: the shape and the values (row-major). */
	record Data(long[] shape, float[] values) {}

	private ZarrArray() {}

	/** The chunk file's name: {@code 0.0.0.0} for four dimensions. */
	static String chunkName(final int dims) {
		return dims == 0 ? "0" : String.join(".", java.util.Collections.nCopies(dims, "0"));
	}

	/** Writes the array into the (new, empty) folder {@code dir}. */
	static void write(final Path dir, final long[] shape, final java.nio.FloatBuffer values,
		final Dtype dtype, final boolean zlib) throws IOException
	{
		final JsonObject z = new JsonObject();
		z.addProperty("zarr_format", 2);
		z.add("shape", longs(shape));
		z.add("chunks", longs(shape));
		z.addProperty("dtype", dtype.zarr);
		if (zlib) {
			final JsonObject c = new JsonObject();
			c.addProperty("id", "zlib");
			c.addProperty("level", 1);
			z.add("compressor", c);
		}
		else {
			z.add("compressor", com.google.gson.JsonNull.INSTANCE);
		}
		z.addProperty("fill_value", 0.0);
		z.addProperty("order", "C");
		z.add("filters", com.google.gson.JsonNull.INSTANCE);
		Files.createDirectories(dir);
		Files.writeString(dir.resolve(".zarray"), z.toString());
		final int n = values.remaining();
		final ByteBuffer b = ByteBuffer.allocate(n * dtype.size).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < n; i++) {
			final float v = values.get(values.position() + i);
			if (dtype == Dtype.FLOAT32) b.putFloat(v);
			else b.putShort(Half.fromFloat(v));
		}
		byte[] bytes = b.array();
		if (zlib) bytes = deflate(bytes);
		Files.write(dir.resolve(chunkName(shape.length)), bytes);
	}

	/**
	 * Reads the array in {@code dir}.
	 *
	 * @throws AnySegException when it is missing, not this project's kind of array, or its
	 *           chunk is truncated or damaged
	 */
	static Data read(final Path dir) {
		final JsonObject z = StoreJson.object(dir.resolve(".zarray"));
		final int format = StoreJson.integer(z, "zarr_format", dir);
		if (format != 2) throw bad(dir, "zarr_format " + format + " (only 2 is read)");
		final long[] shape = StoreJson.longs(z, "shape", dir);
		final long[] chunks = StoreJson.longs(z, "chunks", dir);
		if (!Arrays.equals(shape, chunks)) {
			throw bad(dir, "chunks " + Arrays.toString(chunks) + " differ from its shape " + Arrays
				.toString(shape) + " (one chunk per array is read)");
		}
		final Dtype dtype = z.get("dtype") != null && z.get("dtype").isJsonPrimitive() ? Dtype
			.parse(z.get("dtype").getAsString()) : null;
		if (dtype == null) throw bad(dir, "dtype " + z.get("dtype") + " (read: <f4, <f2)");
		final JsonElement order = z.get("order");
		if (order == null || !order.isJsonPrimitive() || !"C".equals(order.getAsString())) {
			throw bad(dir, "order " + order + " (read: C)");
		}
		final JsonElement filters = z.get("filters");
		if (filters != null && !filters.isJsonNull()) throw bad(dir, "filters " + filters);
		final String compressor = compressor(z.get("compressor"), dir);
		long count = 1;
		for (final long s : shape) {
			if (s < 0 || s > Integer.MAX_VALUE) throw bad(dir, "shape " + Arrays.toString(shape));
			count *= s;
			if (count > Integer.MAX_VALUE / 4) throw bad(dir, "shape " + Arrays.toString(shape) +
				" (too large)");
		}
		final Path chunk = dir.resolve(chunkName(shape.length));
		final long expected = count * dtype.size;
		byte[] bytes;
		try {
			// a raw chunk is never larger than expected; a zlib one is read whole (checked below)
			if (compressor == null && Files.size(chunk) != expected) {
				throw bad(dir, "chunk " + chunk.getFileName() + " holds " + Files.size(chunk) +
					" bytes, expected " + expected + " (truncated or damaged)");
			}
			bytes = Files.readAllBytes(chunk);
		}
		catch (final NoSuchFileException e) {
			throw bad(dir, "chunk file " + chunk.getFileName() + " is missing");
		}
		catch (final IOException e) {
			throw bad(dir, "chunk " + chunk.getFileName() + " cannot be read: " + e.getMessage());
		}
		if (compressor != null) bytes = inflate(bytes, expected, dir);
		final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		final float[] v = new float[(int) count];
		for (int i = 0; i < v.length; i++) {
			v[i] = dtype == Dtype.FLOAT32 ? b.getFloat() : Half.toFloat(b.getShort());
		}
		return new Data(shape, v);
	}

	/** null for no compressor, "zlib" for zlib; anything else is refused with its id. */
	private static String compressor(final JsonElement c, final Path dir) {
		if (c == null || c.isJsonNull()) return null;
		if (c.isJsonObject() && c.getAsJsonObject().get("id") != null) {
			final String id = c.getAsJsonObject().get("id").getAsString();
			if (id.equals("zlib")) return id;
			throw bad(dir, "compressor '" + id + "': only uncompressed and zlib chunks can be " +
				"read in pure Java" + (id.equals("blosc") ? " (Blosc, zarr-python's default, needs " +
					"a native library)" : ""));
		}
		throw bad(dir, "compressor " + c);
	}

	private static byte[] deflate(final byte[] raw) {
		final Deflater d = new Deflater(1);
		try {
			d.setInput(raw);
			d.finish();
			final ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
			final byte[] buf = new byte[65536];
			while (!d.finished()) out.write(buf, 0, d.deflate(buf));
			return out.toByteArray();
		}
		finally {
			d.end();
		}
	}

	private static byte[] inflate(final byte[] packed, final long expected, final Path dir) {
		final Inflater in = new Inflater();
		try {
			in.setInput(packed);
			final byte[] out = new byte[(int) expected];
			int n = 0;
			while (n < out.length && !in.finished()) {
				final int got = in.inflate(out, n, out.length - n);
				if (got == 0 && (in.needsInput() || in.needsDictionary())) break;
				n += got;
			}
			if (n != out.length || !in.finished()) {
				throw bad(dir, "zlib chunk decodes to " + (in.finished() ? n + " bytes" : "a " +
					"truncated stream") + ", expected " + expected + " bytes (truncated or damaged)");
			}
			return out;
		}
		catch (final DataFormatException e) {
			throw bad(dir, "zlib chunk is damaged: " + e.getMessage());
		}
		finally {
			in.end();
		}
	}

	private static JsonArray longs(final long[] v) {
		final JsonArray a = new JsonArray();
		for (final long x : v) a.add(x);
		return a;
	}

	static AnySegException bad(final Path dir, final String what) {
		return new AnySegException("Embedding array " + dir + " cannot be read: " + what + ".");
	}

	static JsonObject parse(final String s) {
		return JsonParser.parseString(s).getAsJsonObject();
	}
}

package org.anyseg.ops.model.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.graph.ProtoWire.Field;

/**
 * Checks the external data of an ONNX file before ONNX Runtime reads it. A tensor stored
 * outside the file ({@code data_location} EXTERNAL) names a {@code location}, an
 * {@code offset} and optionally a {@code length}; ONNX Runtime would open whatever path the
 * location spells (a parent folder, an absolute path, its in-memory address tag) and
 * allocate what the length claims. Here every such tensor, at any depth of the model
 * (initializers, sparse initializers, constant attributes, subgraphs, functions), must
 * have:
 * <ul>
 * <li>a location that is one file name in the model's folder: no separator, no
 * {@code ..}, not absolute, and not a link that leads out of the folder;</li>
 * <li>that file present, with {@code offset + length <= size};</li>
 * <li>a length, when given, equal to its element count times its element size (from
 * {@code dims} and {@code data_type}).</li>
 * </ul>
 * A file that is not a valid protocol buffer is left to ONNX Runtime to report.
 */
public final class ExternalDataCheck {

	// onnx.proto field numbers
	private static final int MODEL_FUNCTIONS = 25;
	private static final int FUNCTION_NODE = 7;
	private static final int NODE_ATTRIBUTE = 5;
	private static final int ATTR_T = 5, ATTR_G = 6, ATTR_TENSORS = 10, ATTR_GRAPHS = 11,
		ATTR_SPARSE = 22, ATTR_SPARSES = 23;
	private static final int SPARSE_VALUES = 1, SPARSE_INDICES = 2;
	private static final int T_EXTERNAL = 13;
	private static final int EXTERNAL = 1;
	private static final int STRING = 8;
	private static final int MAX_DEPTH = 64;

	private final Path dir;
	private final String model;
	private final Map<String, Long> sizes = new HashMap<>();
	private int tensors;

	private ExternalDataCheck(final Path dir, final String model) {
		this.dir = dir;
		this.model = model;
	}

	/**
	 * Checks a model file's external data.
	 *
	 * @return how many tensors use external data
	 * @throws AnySegException naming the tensor, its location and the sizes
	 */
	public static int check(final Path modelFile) {
		final ByteBuffer b;
		try (FileChannel ch = FileChannel.open(modelFile)) {
			// one protocol buffer is at most 2 GB: ONNX Runtime refuses a larger file itself
			if (ch.size() >= Integer.MAX_VALUE) return 0;
			b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
		}
		catch (final IOException e) {
			return 0; // ONNX Runtime says what is wrong with the file
		}
		final Path abs = modelFile.toAbsolutePath();
		return check(b, abs.getParent(), abs.getFileName().toString());
	}

	/** Checks a serialized {@code ModelProto} whose external files lie in {@code dir}. */
	static int check(final ByteBuffer modelProto, final Path dir, final String name) {
		final ExternalDataCheck c = new ExternalDataCheck(dir, name);
		final List<Field> fields;
		try {
			fields = ProtoWire.parse(modelProto);
		}
		catch (final AnySegException e) {
			return 0; // not a protocol buffer: ONNX Runtime reports it
		}
		try {
			for (final Field f : fields) {
				if (f.type() != ProtoWire.LEN) continue;
				if (f.number() == OnnxModel.MODEL_GRAPH) c.graph(f.bytes(), 0);
				else if (f.number() == MODEL_FUNCTIONS) {
					for (final Field n : ProtoWire.parse(f.bytes())) {
						if (n.number() == FUNCTION_NODE && n.type() == ProtoWire.LEN) c.node(n.bytes(), 0);
					}
				}
			}
		}
		catch (final Malformed e) {
			return 0;
		}
		return c.tensors;
	}

	/** Thrown inside the walk when a nested message is not a protocol buffer. */
	private static final class Malformed extends RuntimeException {

		private static final long serialVersionUID = 1L;
	}

	private static List<Field> parse(final ByteBuffer b) {
		try {
			return ProtoWire.parse(b);
		}
		catch (final AnySegException e) {
			throw new Malformed();
		}
	}

	private void graph(final ByteBuffer g, final int depth) {
		if (depth > MAX_DEPTH) return;
		for (final Field f : parse(g)) {
			if (f.type() != ProtoWire.LEN) continue;
			switch (f.number()) {
				case OnnxModel.GRAPH_INITIALIZER -> tensor(f.bytes());
				case OnnxModel.GRAPH_SPARSE_INITIALIZER -> sparse(f.bytes());
				case OnnxModel.GRAPH_NODE -> node(f.bytes(), depth);
				default -> {}
			}
		}
	}

	private void node(final ByteBuffer n, final int depth) {
		for (final Field a : parse(n)) {
			if (a.number() != NODE_ATTRIBUTE || a.type() != ProtoWire.LEN) continue;
			for (final Field f : parse(a.bytes())) {
				if (f.type() != ProtoWire.LEN) continue;
				switch (f.number()) {
					case ATTR_T, ATTR_TENSORS -> tensor(f.bytes());
					case ATTR_SPARSE, ATTR_SPARSES -> sparse(f.bytes());
					case ATTR_G, ATTR_GRAPHS -> graph(f.bytes(), depth + 1);
					default -> {}
				}
			}
		}
	}

	private void sparse(final ByteBuffer s) {
		for (final Field f : parse(s)) {
			if ((f.number() == SPARSE_VALUES || f.number() == SPARSE_INDICES) && f
				.type() == ProtoWire.LEN) tensor(f.bytes());
		}
	}

	private void tensor(final ByteBuffer t) {
		final List<Field> fields = parse(t);
		if (fields.stream().noneMatch(f -> f.number() == OnnxModel.T_LOCATION && f
			.type() == ProtoWire.VARINT && f.bits() == EXTERNAL)) return;
		tensors++;
		final String name = fields.stream().filter(f -> f.number() == OnnxModel.T_NAME && f
			.type() == ProtoWire.LEN).findFirst().map(Field::string).orElse("(unnamed)");
		final Map<String, String> kv = new HashMap<>();
		for (final Field f : fields) {
			if (f.number() != T_EXTERNAL || f.type() != ProtoWire.LEN) continue;
			String k = null, v = null;
			for (final Field e : parse(f.bytes())) {
				if (e.type() != ProtoWire.LEN) continue;
				if (e.number() == 1) k = e.string();
				else if (e.number() == 2) v = e.string();
			}
			if (k != null) kv.put(k, v == null ? "" : v);
		}
		final String what = "Model file " + model + ": tensor '" + name + "'";
		final String location = kv.get("location");
		final Path file = file(what, location);
		final long offset = number(what, kv, "offset", 0);
		final long length = number(what, kv, "length", -1);
		final long[] dims = ProtoWire.varints(fields, OnnxModel.T_DIMS).stream().mapToLong(
			Long::longValue).toArray();
		final int type = (int) fields.stream().filter(f -> f.number() == OnnxModel.T_TYPE && f
			.type() == ProtoWire.VARINT).mapToLong(Field::bits).findFirst().orElse(0);
		if (type == STRING) {
			throw new AnySegException(what + " keeps strings in external data, which ONNX " +
				"cannot read back. Export the model again.");
		}
		final long need = bytes(what, dims, type);
		if (length >= 0 && need >= 0 && length != need) {
			throw new AnySegException(what + " declares " + length + " bytes of external data in " +
				location + ", but its shape " + Arrays.toString(dims) + " of type " + type +
				" needs " + need + " bytes. The model is damaged: download or export it again.");
		}
		final long n = length >= 0 ? length : need;
		final long size = sizes.computeIfAbsent(location, k -> size(file));
		final long end;
		try {
			end = Math.addExact(offset, Math.max(0, n));
		}
		catch (final ArithmeticException e) {
			throw new AnySegException(what + " places its data at offset " + offset + " with " +
				"length " + n + ", past any file. The model is damaged.");
		}
		if (end > size) {
			throw new AnySegException(what + " needs bytes " + offset + ".." + end + " of " +
				location + ", but that file has " + size + " bytes: it is truncated (an " +
				"interrupted copy or download) or belongs to another model. Download or copy the " +
				"model's files again.");
		}
	}

	/** The external file: one name in the model's folder, present, not a way out of it. */
	private Path file(final String what, final String location) {
		if (location == null || location.isEmpty()) {
			throw new AnySegException(what + " uses external data but names no file (location). " +
				"The model is damaged: download or export it again.");
		}
		if (location.contains("/") || location.contains("\\") || location.contains(":") ||
			location.indexOf('\0') >= 0 || location.equals(".") || location.equals(".."))
		{
			throw new AnySegException(what + " reads its data from '" + location + "', which is " +
				"not a file name in the model's folder (no folders, '..', absolute paths or memory " +
				"addresses are allowed). AnySeg refuses to read files outside the model folder; " +
				"put the data file beside the model and name it alone.");
		}
		final Path f = dir.resolve(location);
		if (!Files.isRegularFile(f)) {
			throw new AnySegException(what + " reads its data from " + location + ", which is " +
				"missing from " + dir + ". Copy every file of the model into that folder.");
		}
		try {
			if (!f.toRealPath().startsWith(dir.toRealPath())) {
				throw new AnySegException(what + " reads its data from " + location + ", a link to " +
					f.toRealPath() + " outside the model folder " + dir + ". Copy the file into the " +
					"folder instead of linking it.");
			}
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read " + f + ": " + e.getMessage(), e);
		}
		return f;
	}

	private static long size(final Path f) {
		try {
			return Files.size(f);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read " + f + ": " + e.getMessage(), e);
		}
	}

	private static long number(final String what, final Map<String, String> kv,
		final String key, final long absent)
	{
		final String v = kv.get(key);
		if (v == null) return absent;
		try {
			final long n = Long.parseLong(v.trim());
			if (n >= 0) return n;
		}
		catch (final NumberFormatException e) {
			// below
		}
		throw new AnySegException(what + " has an external-data " + key + " of '" + v +
			"', not a byte count of 0 or more. The model is damaged: download or export it again.");
	}

	/** The bytes a tensor of these dims and type holds, or -1 when the type is unknown. */
	static long bytes(final String what, final long[] dims, final int type) {
		long n = 1;
		try {
			for (final long d : dims) {
				if (d < 0) throw new ArithmeticException();
				n = Math.multiplyExact(n, d);
			}
			final long bits = elementBits(type);
			return bits < 0 ? -1 : Math.multiplyExact(n, bits) / 8 + (n * bits % 8 == 0 ? 0 : 1);
		}
		catch (final ArithmeticException e) {
			throw new AnySegException(what + " has the shape " + Arrays.toString(dims) + ", which " +
				"no memory holds. The model is damaged.");
		}
	}

	/** Bits per element of an ONNX {@code TensorProto.DataType}; -1 when unknown. */
	static long elementBits(final int type) {
		return switch (type) {
			case 2, 3, 9, 17, 18, 19, 20 -> 8; // uint8, int8, bool, float8 variants
			case 4, 5, 10, 16 -> 16; // uint16, int16, float16, bfloat16
			case 1, 6, 12 -> 32; // float, int32, uint32
			case 7, 11, 13, 14 -> 64; // int64, double, uint64, complex64
			case 15 -> 128; // complex128
			case 21, 22, 23 -> 4; // uint4, int4, float4e2m1
			default -> -1;
		};
	}
}

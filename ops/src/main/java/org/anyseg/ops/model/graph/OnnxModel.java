package org.anyseg.ops.model.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.graph.ProtoWire.Field;

/**
 * An ONNX {@code ModelProto} read without copying its weights: the main graph's nodes,
 * initializers (shape, type and, for small integer tensors, values) and inputs.
 */
final class OnnxModel {

	static final int MODEL_GRAPH = 7;
	// GraphProto
	static final int GRAPH_NODE = 1;
	static final int GRAPH_INITIALIZER = 5;
	static final int GRAPH_INPUT = 11;
	static final int GRAPH_OUTPUT = 12;
	static final int GRAPH_SPARSE_INITIALIZER = 15;
	// TensorProto
	static final int T_DIMS = 1;
	static final int T_TYPE = 2;
	static final int T_FLOATS = 4;
	static final int T_INT32S = 5;
	static final int T_INT64S = 7;
	static final int T_NAME = 8;
	static final int T_RAW = 9;
	static final int T_DOUBLES = 10;
	static final int T_LOCATION = 14;
	// TensorProto.DataType
	static final int FLOAT = 1;
	static final int UINT8 = 2;
	static final int INT8 = 3;
	static final int INT32 = 6;
	static final int INT64 = 7;
	static final int BOOL = 9;
	static final int DOUBLE = 11;

	/** Tensors up to this many elements have their values read (shape arithmetic). */
	static final int SMALL = 64;

	final List<Field> modelFields;
	final List<Field> graphFields;
	final List<Node> nodes = new ArrayList<>();
	final Map<String, Value> initializers = new LinkedHashMap<>();
	final Map<String, Value> inputs = new LinkedHashMap<>();
	final List<String> outputs = new ArrayList<>();
	final boolean externalData;

	OnnxModel(final ByteBuffer model) {
		this.modelFields = ProtoWire.parse(model);
		final Field graph = modelFields.stream().filter(f -> f.number() == MODEL_GRAPH && f
			.type() == ProtoWire.LEN).findFirst().orElseThrow(() -> new AnySegException(
				"The ONNX file has no graph: it is not an ONNX model. Download or export it again."));
		this.graphFields = ProtoWire.parse(graph.bytes());
		boolean external = false;
		for (final Field f : graphFields) {
			switch (f.number()) {
				case GRAPH_NODE -> nodes.add(new Node(f.bytes()));
				case GRAPH_INITIALIZER -> {
					final List<Field> t = ProtoWire.parse(f.bytes());
					initializers.put(name(t), tensor(t));
					external |= t.stream().anyMatch(x -> x.number() == T_LOCATION && x.bits() == 1);
				}
				case GRAPH_INPUT -> {
					final List<Field> vi = ProtoWire.parse(f.bytes());
					inputs.put(vi.stream().filter(x -> x.number() == 1).findFirst().map(Field::string)
						.orElse(""), valueInfo(vi));
				}
				case GRAPH_OUTPUT -> ProtoWire.parse(f.bytes()).stream().filter(x -> x
					.number() == 1).findFirst().ifPresent(x -> outputs.add(x.string()));
				default -> {}
			}
		}
		this.externalData = external;
	}

	private static String name(final List<Field> tensor) {
		return tensor.stream().filter(x -> x.number() == T_NAME).findFirst().map(Field::string)
			.orElse("");
	}

	/** Shape, type and (when small and numeric) values of a {@code TensorProto}. */
	static Value tensor(final ByteBuffer t) {
		return tensor(ProtoWire.parse(t));
	}

	static Value tensor(final List<Field> t) {
		final long[] dims = ProtoWire.varints(t, T_DIMS).stream().mapToLong(Long::longValue)
			.toArray();
		final int type = (int) t.stream().filter(x -> x.number() == T_TYPE).mapToLong(
			Field::bits).findFirst().orElse(0);
		long n = 1;
		for (final long d : dims) n = d < 0 ? Long.MAX_VALUE : n * d;
		double[] values = null;
		if (n <= SMALL) values = values(t, type, (int) n);
		return new Value(type, dims, values);
	}

	private static double[] values(final List<Field> t, final int type, final int n) {
		final ByteBuffer raw = t.stream().filter(x -> x.number() == T_RAW).map(Field::bytes)
			.findFirst().orElse(null);
		final double[] v = new double[n];
		if (raw != null) {
			final ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
			final int width = switch (type) {
				case FLOAT, INT32 -> 4;
				case INT64, DOUBLE -> 8;
				case BOOL, UINT8, INT8 -> 1;
				default -> 0;
			};
			if (width == 0 || b.remaining() != (long) width * n) return null;
			for (int i = 0; i < n; i++) {
				v[i] = switch (type) {
					case FLOAT -> b.getFloat();
					case INT32 -> b.getInt();
					case INT64 -> b.getLong();
					case DOUBLE -> b.getDouble();
					case INT8 -> b.get();
					default -> b.get() & 0xff;
				};
			}
			return v;
		}
		final List<Long> ints;
		switch (type) {
			case INT64 -> ints = ProtoWire.varints(t, T_INT64S);
			case INT32, BOOL, UINT8, INT8 -> ints = ProtoWire.varints(t, T_INT32S);
			case FLOAT -> {
				final ByteBuffer f = t.stream().filter(x -> x.number() == T_FLOATS && x
					.type() == ProtoWire.LEN).map(Field::bytes).findFirst().orElse(null);
				if (f == null || f.remaining() != 4 * n) return null;
				final ByteBuffer b = f.duplicate().order(ByteOrder.LITTLE_ENDIAN);
				for (int i = 0; i < n; i++) v[i] = b.getFloat();
				return v;
			}
			default -> {
				return null;
			}
		}
		if (ints.size() != n) return null;
		for (int i = 0; i < n; i++) {
			final long x = ints.get(i);
			v[i] = type == INT64 ? x : (int) x;
		}
		return v;
	}

	/** A graph input's declared type and shape ({@code -1} for a named or unknown dim). */
	private static Value valueInfo(final List<Field> vi) {
		final ByteBuffer type = vi.stream().filter(x -> x.number() == 2).map(Field::bytes)
			.findFirst().orElse(null);
		if (type == null) return Value.UNKNOWN;
		final ByteBuffer tensorType = ProtoWire.parse(type).stream().filter(x -> x
			.number() == 1 && x.type() == ProtoWire.LEN).map(Field::bytes).findFirst().orElse(null);
		if (tensorType == null) return Value.UNKNOWN;
		final List<Field> tt = ProtoWire.parse(tensorType);
		final int elem = (int) tt.stream().filter(x -> x.number() == 1).mapToLong(Field::bits)
			.findFirst().orElse(0);
		final ByteBuffer shape = tt.stream().filter(x -> x.number() == 2).map(Field::bytes)
			.findFirst().orElse(null);
		if (shape == null) return new Value(elem, null, null);
		final List<Long> dims = new ArrayList<>();
		for (final Field d : ProtoWire.parse(shape)) {
			if (d.number() != 1) continue;
			dims.add(ProtoWire.parse(d.bytes()).stream().filter(x -> x.number() == 1 && x
				.type() == ProtoWire.VARINT).map(Field::bits).findFirst().orElse(-1L));
		}
		return new Value(elem, dims.stream().mapToLong(Long::longValue).toArray(), null);
	}
}

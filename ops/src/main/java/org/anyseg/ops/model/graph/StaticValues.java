package org.anyseg.ops.model.graph;

import static org.anyseg.ops.model.graph.OnnxModel.BOOL;
import static org.anyseg.ops.model.graph.OnnxModel.DOUBLE;
import static org.anyseg.ops.model.graph.OnnxModel.FLOAT;
import static org.anyseg.ops.model.graph.OnnxModel.INT64;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;

/**
 * Shapes and small values that a graph computes from its constants and static input shapes
 * alone (the shape arithmetic exporters write: Shape, Gather, Size, Sub, Less, ...), found
 * without running it. Anything it cannot prove is {@link Value#UNKNOWN}; an unknown value
 * never becomes a known one, so what it reports holds for every input of the declared shape.
 */
final class StaticValues {

	private static final Set<String> SAME_SHAPE = Set.of("Relu", "Tanh", "Sigmoid", "Exp",
		"Log", "Sqrt", "Erf", "Sin", "Cos", "Softmax", "LogSoftmax", "Gelu", "LeakyRelu",
		"HardSigmoid", "Clip", "Dropout", "Reciprocal", "LayerNormalization",
		"BatchNormalization", "InstanceNormalization", "Softplus", "Elu", "Selu", "Mish");
	private static final Set<String> SAME_RANK = Set.of("Conv", "ConvTranspose", "MaxPool",
		"AveragePool", "Resize", "Upsample", "Pad", "Slice", "Expand", "Tile");

	private final Map<String, Value> values = new HashMap<>();

	StaticValues(final OnnxModel model) {
		values.putAll(model.initializers);
		model.inputs.forEach((name, v) -> values.putIfAbsent(name, v.withValues(null)));
		for (final Node n : model.nodes) {
			final Value[] out = evaluate(n);
			for (int i = 0; i < n.outputs.size(); i++) {
				values.put(n.outputs.get(i), i < out.length && out[i] != null ? out[i]
					: Value.UNKNOWN);
			}
		}
	}

	Value get(final String name) {
		return values.getOrDefault(name, Value.UNKNOWN);
	}

	private Value in(final Node n, final int i) {
		return i < n.inputs.size() && !n.inputs.get(i).isEmpty() ? get(n.inputs.get(i))
			: Value.UNKNOWN;
	}

	private Value[] evaluate(final Node n) {
		if (!n.domain.isEmpty() && !n.domain.equals("ai.onnx")) return new Value[0];
		final Value a = in(n, 0);
		switch (n.opType) {
			case "Constant":
				return new Value[] { constant(n) };
			case "Identity":
				return new Value[] { a };
			case "Shape":
				return new Value[] { shape(n, a) };
			case "Size":
				return new Value[] { a.shapeKnown() ? Value.scalar(INT64, a.elements()) : new Value(
					INT64, new long[0], null) };
			case "Gather":
				return new Value[] { gather(n, a, in(n, 1)) };
			case "Unsqueeze":
				return new Value[] { unsqueeze(n, a) };
			case "Squeeze":
				return new Value[] { squeeze(n, a) };
			case "Concat":
				return new Value[] { concat(n) };
			case "Cast":
				return new Value[] { cast((int) n.intAttr("to", 0), a) };
			case "Reshape":
				return new Value[] { reshape(a, in(n, 1)) };
			case "Transpose":
				return new Value[] { transpose(n, a) };
			case "Not":
				return new Value[] { map(a, BOOL, x -> x == 0 ? 1 : 0) };
			case "Abs":
				return new Value[] { map(a, a.type(), Math::abs) };
			case "Neg":
				return new Value[] { map(a, a.type(), x -> -x) };
			case "Floor":
				return new Value[] { map(a, a.type(), Math::floor) };
			case "Ceil":
				return new Value[] { map(a, a.type(), Math::ceil) };
			default:
				break;
		}
		final DoubleBinaryOperator op = binary(n.opType, a.type());
		if (op != null) {
			final boolean compare = Set.of("Greater", "Less", "Equal", "GreaterOrEqual",
				"LessOrEqual", "And", "Or", "Xor").contains(n.opType);
			return new Value[] { broadcast(a, in(n, 1), compare ? BOOL : a.type(), op) };
		}
		if (SAME_SHAPE.contains(n.opType)) return new Value[] { new Value(a.type(), a.dims(),
			null) };
		if (SAME_RANK.contains(n.opType) && a.rankKnown()) {
			final long[] dims = new long[a.dims().length];
			Arrays.fill(dims, -1);
			if (n.opType.equals("Resize") && in(n, 3).values() != null && in(n, 3).values()
				.length == dims.length)
			{
				for (int i = 0; i < dims.length; i++) dims[i] = (long) in(n, 3).values()[i];
			}
			return new Value[] { new Value(a.type(), dims, null) };
		}
		return new Value[0];
	}

	private static Value constant(final Node n) {
		if (n.tensorAttr("value") != null) return OnnxModel.tensor(n.tensorAttr("value"));
		if (n.attributes.containsKey("value_int")) return Value.scalar(INT64, n.intAttr(
			"value_int", 0));
		final long[] ints = n.intsAttr("value_ints");
		if (ints != null) return Value.vector(INT64, Arrays.stream(ints).asDoubleStream()
			.toArray());
		return Value.UNKNOWN;
	}

	private static Value shape(final Node n, final Value a) {
		if (!a.rankKnown()) return Value.UNKNOWN;
		final int r = a.dims().length;
		int start = (int) n.intAttr("start", 0);
		int end = (int) n.intAttr("end", r);
		start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
		end = Math.max(start, Math.min(r, end < 0 ? end + r : end));
		final long[] d = Arrays.copyOfRange(a.dims(), start, end);
		final boolean known = Arrays.stream(d).allMatch(x -> x >= 0);
		return new Value(INT64, new long[] { d.length }, known ? Arrays.stream(d)
			.asDoubleStream().toArray() : null);
	}

	private static Value gather(final Node n, final Value data, final Value idx) {
		if (!data.rankKnown() || !idx.rankKnown() || data.dims().length == 0) {
			return Value.UNKNOWN;
		}
		final int r = data.dims().length;
		int axis = (int) n.intAttr("axis", 0);
		if (axis < 0) axis += r;
		if (axis < 0 || axis >= r) return Value.UNKNOWN;
		final long[] dims = new long[r - 1 + idx.dims().length];
		System.arraycopy(data.dims(), 0, dims, 0, axis);
		System.arraycopy(idx.dims(), 0, dims, axis, idx.dims().length);
		System.arraycopy(data.dims(), axis + 1, dims, axis + idx.dims().length, r - axis - 1);
		double[] v = null;
		if (r == 1 && data.values() != null && idx.values() != null) {
			v = new double[idx.values().length];
			for (int i = 0; i < v.length; i++) {
				long k = (long) idx.values()[i];
				if (k < 0) k += data.values().length;
				if (k < 0 || k >= data.values().length) return Value.UNKNOWN;
				v[i] = data.values()[(int) k];
			}
		}
		return new Value(data.type(), dims, v);
	}

	private long[] axes(final Node n) {
		if (n.inputs.size() > 1 && !n.inputs.get(1).isEmpty()) {
			final double[] v = get(n.inputs.get(1)).values();
			return v == null ? null : Arrays.stream(v).mapToLong(x -> (long) x).toArray();
		}
		return n.intsAttr("axes");
	}

	private Value unsqueeze(final Node n, final Value a) {
		final long[] axes = axes(n);
		if (axes == null || !a.rankKnown()) return Value.UNKNOWN;
		final int r = a.dims().length + axes.length;
		final boolean[] one = new boolean[r];
		for (final long x : axes) {
			final int k = (int) (x < 0 ? x + r : x);
			if (k < 0 || k >= r || one[k]) return Value.UNKNOWN;
			one[k] = true;
		}
		final long[] dims = new long[r];
		for (int i = 0, j = 0; i < r; i++) dims[i] = one[i] ? 1 : a.dims()[j++];
		return new Value(a.type(), dims, a.values());
	}

	private Value squeeze(final Node n, final Value a) {
		if (!a.rankKnown()) return Value.UNKNOWN;
		final int r = a.dims().length;
		final long[] axes = axes(n);
		final boolean[] drop = new boolean[r];
		if (axes == null) {
			if (n.inputs.size() > 1 && !n.inputs.get(1).isEmpty()) return Value.UNKNOWN;
			if (!a.shapeKnown()) return Value.UNKNOWN;
			for (int i = 0; i < r; i++) drop[i] = a.dims()[i] == 1;
		}
		else {
			for (final long x : axes) {
				final int k = (int) (x < 0 ? x + r : x);
				if (k < 0 || k >= r) return Value.UNKNOWN;
				drop[k] = true;
			}
		}
		return new Value(a.type(), java.util.stream.IntStream.range(0, r).filter(i -> !drop[i])
			.mapToLong(i -> a.dims()[i]).toArray(), a.values());
	}

	private Value concat(final Node n) {
		final List<Value> parts = n.inputs.stream().map(this::get).toList();
		if (parts.isEmpty() || parts.stream().anyMatch(p -> !p.rankKnown())) return Value.UNKNOWN;
		final int r = parts.get(0).dims().length;
		if (r == 0 || parts.stream().anyMatch(p -> p.dims().length != r)) return Value.UNKNOWN;
		int axis = (int) n.intAttr("axis", 0);
		if (axis < 0) axis += r;
		if (axis < 0 || axis >= r) return Value.UNKNOWN;
		final long[] dims = parts.get(0).dims().clone();
		long sum = 0;
		for (final Value p : parts) sum = sum < 0 || p.dims()[axis] < 0 ? -1 : sum + p.dims()[axis];
		dims[axis] = sum;
		double[] v = null;
		if (r == 1 && parts.stream().allMatch(p -> p.values() != null)) {
			v = parts.stream().flatMapToDouble(p -> Arrays.stream(p.values())).toArray();
		}
		return new Value(parts.get(0).type(), dims, v);
	}

	private static Value cast(final int to, final Value a) {
		if (a.values() == null) return new Value(to, a.dims(), null);
		final double[] v = a.values().clone();
		for (int i = 0; i < v.length; i++) {
			v[i] = switch (to) {
				case BOOL -> v[i] != 0 ? 1 : 0;
				case FLOAT -> (float) v[i];
				case DOUBLE -> v[i];
				default -> isInteger(to) ? (double) (long) v[i] : Double.NaN;
			};
			if (Double.isNaN(v[i])) return new Value(to, a.dims(), null);
		}
		return new Value(to, a.dims(), v);
	}

	private static Value reshape(final Value a, final Value shape) {
		if (shape.values() == null) return Value.UNKNOWN;
		final long[] dims = Arrays.stream(shape.values()).mapToLong(x -> (long) x).toArray();
		int infer = -1;
		long known = 1;
		for (int i = 0; i < dims.length; i++) {
			if (dims[i] == 0) {
				if (!a.rankKnown() || i >= a.dims().length) return Value.UNKNOWN;
				dims[i] = a.dims()[i];
			}
			if (dims[i] == -1) {
				if (infer >= 0) return Value.UNKNOWN;
				infer = i;
			}
			else if (dims[i] < 0) return new Value(a.type(), dims, null);
			else known *= dims[i];
		}
		if (infer >= 0) dims[infer] = a.shapeKnown() && known > 0 ? a.elements() / known : -1;
		return new Value(a.type(), dims, a.values());
	}

	private static Value transpose(final Node n, final Value a) {
		if (!a.rankKnown()) return Value.UNKNOWN;
		final int r = a.dims().length;
		long[] perm = n.intsAttr("perm");
		if (perm == null) perm = java.util.stream.LongStream.range(0, r).map(i -> r - 1 - i)
			.toArray();
		if (perm.length != r) return Value.UNKNOWN;
		final long[] dims = new long[r];
		for (int i = 0; i < r; i++) {
			if (perm[i] < 0 || perm[i] >= r) return Value.UNKNOWN;
			dims[i] = a.dims()[(int) perm[i]];
		}
		return new Value(a.type(), dims, r <= 1 ? a.values() : null);
	}

	private static Value map(final Value a, final int type,
		final java.util.function.DoubleUnaryOperator f)
	{
		return new Value(type, a.dims(), a.values() == null ? null : Arrays.stream(a.values())
			.map(f).toArray());
	}

	private static DoubleBinaryOperator binary(final String op, final int type) {
		return switch (op) {
			case "Add" -> Double::sum;
			case "Sub" -> (x, y) -> x - y;
			case "Mul" -> (x, y) -> x * y;
			case "Div" -> isInteger(type) ? (x, y) -> y == 0 ? Double.NaN : (double) ((long) x /
				(long) y) : (x, y) -> x / y;
			case "Max" -> Math::max;
			case "Min" -> Math::min;
			case "Greater" -> (x, y) -> x > y ? 1 : 0;
			case "Less" -> (x, y) -> x < y ? 1 : 0;
			case "GreaterOrEqual" -> (x, y) -> x >= y ? 1 : 0;
			case "LessOrEqual" -> (x, y) -> x <= y ? 1 : 0;
			case "Equal" -> (x, y) -> x == y ? 1 : 0;
			case "And" -> (x, y) -> x != 0 && y != 0 ? 1 : 0;
			case "Or" -> (x, y) -> x != 0 || y != 0 ? 1 : 0;
			case "Xor" -> (x, y) -> (x != 0) != (y != 0) ? 1 : 0;
			default -> null;
		};
	}

	private static boolean isInteger(final int type) {
		return type == INT64 || type == OnnxModel.INT32 || type == OnnxModel.INT8 ||
			type == OnnxModel.UINT8 || type == 4 || type == 5 || type == 12 || type == 13;
	}

	/** Numpy broadcasting of shapes; values when both sides are known. */
	private static Value broadcast(final Value a, final Value b, final int type,
		final DoubleBinaryOperator op)
	{
		if (!a.rankKnown() || !b.rankKnown()) return Value.UNKNOWN;
		final int r = Math.max(a.dims().length, b.dims().length);
		final long[] dims = new long[r];
		for (int i = 0; i < r; i++) {
			final long x = dim(a, i, r);
			final long y = dim(b, i, r);
			if (x == 1) dims[i] = y;
			else if (y == 1 || x == y) dims[i] = x;
			else if (x < 0 || y < 0) dims[i] = -1;
			else return Value.UNKNOWN; // not broadcastable: leave it to the runtime
		}
		if (a.values() == null || b.values() == null) return new Value(type, dims, null);
		final int na = a.values().length;
		final int nb = b.values().length;
		final Value shaped = new Value(type, dims, null);
		if (!shaped.shapeKnown() || shaped.elements() != Math.max(na, nb) || na != nb && na != 1 &&
			nb != 1) return shaped;
		final double[] v = new double[Math.max(na, nb)];
		for (int i = 0; i < v.length; i++) {
			v[i] = op.applyAsDouble(a.values()[na == 1 ? 0 : i], b.values()[nb == 1 ? 0 : i]);
			if (Double.isNaN(v[i])) return new Value(type, dims, null);
		}
		return new Value(type, dims, v);
	}

	private static long dim(final Value v, final int i, final int r) {
		final int k = i - (r - v.dims().length);
		return k < 0 ? 1 : v.dims()[k];
	}
}

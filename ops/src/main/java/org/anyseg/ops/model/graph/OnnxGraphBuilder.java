package org.anyseg.ops.model.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;

/**
 * Writes an ONNX model in memory, node by node, for architectures the project builds itself
 * (checkpoints loaded without Python). Weights are declared as external float initializers
 * named by their state-dict keys and bound when the session is created (ONNX Runtime's
 * {@code addExternalInitializers}): the graph holds no weight bytes, and no second copy of
 * the weights is ever written. Small constants (shapes, index tables) are stored inline.
 * <p>
 * Nodes are written in the order they are added; ONNX Runtime runs independent nodes in that
 * order, which is what keeps chunked attention from holding every chunk at once.
 */
public final class OnnxGraphBuilder {

	/** ONNX tensor element types used here. */
	public static final int FLOAT = 1, INT64 = 7;

	private final String name;
	private final int opset;
	private final List<ProtoWire.Writer> nodes = new ArrayList<>();
	private final List<ProtoWire.Writer> initializers = new ArrayList<>();
	private final List<ProtoWire.Writer> inputs = new ArrayList<>();
	private final List<ProtoWire.Writer> outputs = new ArrayList<>();
	private final Map<String, long[]> weights = new LinkedHashMap<>();
	private int counter;

	/** A graph for the default ONNX domain at {@code opset}. */
	public OnnxGraphBuilder(final String name, final int opset) {
		this.name = name;
		this.opset = opset;
	}

	/** One node attribute. */
	public record Attr(String name, int type, long i, float f, long[] ints, String s) {

		public static Attr i(final String name, final long v) {
			return new Attr(name, 2, v, 0, null, null);
		}

		public static Attr f(final String name, final float v) {
			return new Attr(name, 1, 0, v, null, null);
		}

		public static Attr ints(final String name, final long... v) {
			return new Attr(name, 7, 0, 0, v, null);
		}

		public static Attr s(final String name, final String v) {
			return new Attr(name, 3, 0, 0, null, v);
		}
	}

	/** A graph input; a dimension below 0 is symbolic. */
	public String input(final String id, final int type, final long... dims) {
		inputs.add(valueInfo(id, type, dims));
		return id;
	}

	/** Names {@code value} as a graph output (an Identity node when the names differ). */
	public void output(final String id, final String value, final int type, final long... dims) {
		if (!id.equals(value)) node("Identity", new String[] { value }, new String[] { id });
		outputs.add(valueInfo(id, type, dims));
	}

	/**
	 * A float weight bound at load time, named by its state-dict key. Declared once; later
	 * calls return the same name.
	 */
	public String weight(final String key, final long... dims) {
		final long[] known = weights.get(key);
		if (known != null) {
			if (!java.util.Arrays.equals(known, dims)) {
				throw new IllegalStateException(key + " declared with two shapes");
			}
			return key;
		}
		weights.put(key, dims.clone());
		return key;
	}

	/**
	 * Where a weight's float32 values lie in a file beside the model (ONNX external data):
	 * ONNX Runtime reads them from there itself, with no copy made by the caller.
	 */
	public record External(String location, long offset) {}

	/** A weight that {@code locate} leaves null is bound at load (addExternalInitializers). */
	private ProtoWire.Writer weightTensor(final String key, final long[] dims,
		final External at)
	{
		long n = 1;
		for (final long d : dims) n = Math.multiplyExact(n, d);
		final ProtoWire.Writer t = new ProtoWire.Writer();
		for (final long d : dims) t.varintField(1, d);
		t.varintField(2, FLOAT);
		t.string(8, key);
		t.message(13, entry("location", at == null ? BOUND : at.location()));
		t.message(13, entry("offset", String.valueOf(at == null ? 0 : at.offset())));
		t.message(13, entry("length", String.valueOf(n * 4)));
		t.varintField(14, 1);
		return t;
	}

	/** The location of weights bound by the caller: never read from disk. */
	public static final String BOUND = "bound-at-load";

	/** Every weight declared, in order, with its shape. */
	public Map<String, long[]> weights() {
		return java.util.Collections.unmodifiableMap(weights);
	}

	/** An inline float constant. */
	public String floats(final float[] v, final long... dims) {
		final ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (final float x : v) b.putFloat(x);
		b.flip();
		return constant(FLOAT, b, dims);
	}

	/** An inline scalar float constant. */
	public String scalar(final float v) {
		return floats(new float[] { v });
	}

	/** An inline int64 constant (shapes, axes, indices). */
	public String longs(final long[] v, final long... dims) {
		final ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
		for (final long x : v) b.putLong(x);
		b.flip();
		return constant(INT64, b, dims);
	}

	/** An inline one-dimensional int64 constant. */
	public String shape(final long... v) {
		return longs(v, v.length);
	}

	private String constant(final int type, final ByteBuffer raw, final long... dims) {
		final String id = fresh("c");
		final ProtoWire.Writer t = new ProtoWire.Writer();
		for (final long d : dims) t.varintField(1, d);
		t.varintField(2, type);
		t.string(8, id);
		t.bytes(9, raw);
		initializers.add(t);
		return id;
	}

	/** A node with one output; returns the output's name. */
	public String op(final String type, final String[] in, final Attr... attrs) {
		final String out = fresh(type.toLowerCase());
		node(type, in, new String[] { out }, attrs);
		return out;
	}

	/** A node with one output, inputs given inline. */
	public String op(final String type, final String a, final String b, final Attr... attrs) {
		return op(type, new String[] { a, b }, attrs);
	}

	/** A node with one input and one output. */
	public String op1(final String type, final String a, final Attr... attrs) {
		return op(type, new String[] { a }, attrs);
	}

	/** A node with several outputs. */
	public String[] ops(final String type, final int nOut, final String[] in,
		final Attr... attrs)
	{
		final String[] out = new String[nOut];
		for (int i = 0; i < nOut; i++) out[i] = fresh(type.toLowerCase());
		node(type, in, out, attrs);
		return out;
	}

	private void node(final String type, final String[] in, final String[] out,
		final Attr... attrs)
	{
		final ProtoWire.Writer n = new ProtoWire.Writer();
		for (final String s : in) n.string(1, s == null ? "" : s);
		for (final String s : out) n.string(2, s);
		n.string(3, "n" + nodes.size());
		n.string(4, type);
		for (final Attr a : attrs) n.message(5, attribute(a));
		nodes.add(n);
	}

	private static ProtoWire.Writer attribute(final Attr a) {
		final ProtoWire.Writer w = new ProtoWire.Writer();
		w.string(1, a.name());
		switch (a.type()) {
			case 1 -> w.field(new ProtoWire.Field(2, ProtoWire.FIXED32, Float.floatToRawIntBits(a
				.f()) & 0xffffffffL, null));
			case 2 -> w.varintField(3, a.i());
			case 3 -> w.string(4, a.s());
			case 7 -> {
				for (final long v : a.ints()) w.varintField(8, v);
			}
			default -> throw new IllegalArgumentException("attribute type " + a.type());
		}
		w.varintField(20, a.type());
		return w;
	}

	private static ProtoWire.Writer entry(final String key, final String value) {
		return new ProtoWire.Writer().string(1, key).string(2, value);
	}

	private ProtoWire.Writer valueInfo(final String id, final int type, final long... dims) {
		final ProtoWire.Writer shape = new ProtoWire.Writer();
		for (int i = 0; i < dims.length; i++) {
			final ProtoWire.Writer d = new ProtoWire.Writer();
			if (dims[i] >= 0) d.varintField(1, dims[i]);
			else d.string(2, id + "_d" + i);
			shape.message(1, d);
		}
		final ProtoWire.Writer tensor = new ProtoWire.Writer().varintField(1, type).message(2,
			shape);
		final ProtoWire.Writer typeProto = new ProtoWire.Writer().message(1, tensor);
		return new ProtoWire.Writer().string(1, id).message(2, typeProto);
	}

	private String fresh(final String prefix) {
		return prefix + "_" + counter++;
	}

	/** The serialised ModelProto with every weight bound at load. */
	public ByteBuffer build() {
		return build(k -> null);
	}

	/**
	 * The serialised ModelProto, in a direct buffer ready for ONNX Runtime; each weight is read
	 * from where {@code locate} says, or bound at load where it says null.
	 */
	public ByteBuffer build(final java.util.function.Function<String, External> locate) {
		final ProtoWire.Writer g = new ProtoWire.Writer();
		nodes.forEach(n -> g.message(1, n));
		g.string(2, name);
		weights.forEach((k, dims) -> g.message(5, weightTensor(k, dims, locate.apply(k))));
		initializers.forEach(t -> g.message(5, t));
		inputs.forEach(v -> g.message(11, v));
		outputs.forEach(v -> g.message(12, v));
		final ProtoWire.Writer m = new ProtoWire.Writer();
		m.varintField(1, 8); // IR version 8 (ONNX 1.10+), opset 17 needs >= 8
		m.string(2, "AnySeg");
		m.message(7, g);
		m.message(8, new ProtoWire.Writer().string(1, "").varintField(2, opset));
		if (m.size() > Integer.MAX_VALUE) throw new AnySegException("Graph too large: " + name);
		return m.toDirectBuffer();
	}
}

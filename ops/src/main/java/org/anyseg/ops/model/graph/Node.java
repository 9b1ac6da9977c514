package org.anyseg.ops.model.graph;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.anyseg.ops.model.graph.ProtoWire.Field;

/** One ONNX {@code NodeProto}, its names read and its other fields kept as they were. */
final class Node {

	// NodeProto field numbers (onnx.proto)
	static final int INPUT = 1;
	static final int OUTPUT = 2;
	static final int OP_TYPE = 4;
	static final int ATTRIBUTE = 5;
	static final int DOMAIN = 7;
	// AttributeProto
	static final int ATTR_NAME = 1;
	static final int ATTR_I = 3;
	static final int ATTR_T = 5;
	static final int ATTR_G = 6;
	static final int ATTR_INTS = 8;
	static final int ATTR_GRAPHS = 11;

	final List<Field> fields;
	final List<String> inputs = new ArrayList<>();
	final List<String> outputs = new ArrayList<>();
	final String opType;
	final String domain;
	/** Attribute name to the attribute's own fields. */
	final Map<String, List<Field>> attributes = new LinkedHashMap<>();

	Node(final ByteBuffer bytes) {
		this.fields = ProtoWire.parse(bytes);
		String op = "";
		String dom = "";
		for (final Field f : fields) {
			switch (f.number()) {
				case INPUT -> inputs.add(f.string());
				case OUTPUT -> outputs.add(f.string());
				case OP_TYPE -> op = f.string();
				case DOMAIN -> dom = f.string();
				case ATTRIBUTE -> {
					final List<Field> a = ProtoWire.parse(f.bytes());
					a.stream().filter(x -> x.number() == ATTR_NAME).findFirst().ifPresent(
						n -> attributes.put(n.string(), a));
				}
				default -> {}
			}
		}
		this.opType = op;
		this.domain = dom;
	}

	/** Whether this is an operator of the default ONNX domain named {@code op}. */
	boolean is(final String op) {
		return opType.equals(op) && (domain.isEmpty() || domain.equals("ai.onnx"));
	}

	/** An integer attribute, or {@code dflt}. */
	long intAttr(final String name, final long dflt) {
		final List<Field> a = attributes.get(name);
		if (a == null) return dflt;
		return a.stream().filter(f -> f.number() == ATTR_I).mapToLong(Field::bits).findFirst()
			.orElse(dflt);
	}

	/** An integer-list attribute, or {@code null}. */
	long[] intsAttr(final String name) {
		final List<Field> a = attributes.get(name);
		if (a == null) return null;
		return ProtoWire.varints(a, ATTR_INTS).stream().mapToLong(Long::longValue).toArray();
	}

	/** A tensor attribute (e.g. Constant's {@code value}), or {@code null}. */
	ByteBuffer tensorAttr(final String name) {
		final List<Field> a = attributes.get(name);
		if (a == null) return null;
		return a.stream().filter(f -> f.number() == ATTR_T).map(Field::bytes).findFirst().orElse(
			null);
	}

	/** A graph attribute (If's {@code then_branch}, {@code else_branch}), or {@code null}. */
	ByteBuffer graphAttr(final String name) {
		final List<Field> a = attributes.get(name);
		if (a == null) return null;
		return a.stream().filter(f -> f.number() == ATTR_G).map(Field::bytes).findFirst().orElse(
			null);
	}

	/** Whether any attribute holds a subgraph (If, Loop, Scan bodies). */
	boolean hasSubgraphs() {
		return attributes.values().stream().flatMap(List::stream).anyMatch(f -> f
			.number() == ATTR_G || f.number() == ATTR_GRAPHS);
	}

	/**
	 * This node written back with its input and output names mapped; names used inside its
	 * subgraphs (values of the enclosing graphs they read) are mapped too.
	 */
	ProtoWire.Writer write(final UnaryOperator<String> inputName,
		final UnaryOperator<String> outputName)
	{
		final ProtoWire.Writer w = new ProtoWire.Writer();
		for (final Field f : fields) {
			switch (f.number()) {
				case INPUT -> w.string(INPUT, inputName.apply(f.string()));
				case OUTPUT -> w.string(OUTPUT, outputName.apply(f.string()));
				case ATTRIBUTE -> w.message(ATTRIBUTE, attribute(ProtoWire.parse(f.bytes()),
					inputName));
				default -> w.field(f);
			}
		}
		return w;
	}

	private static ProtoWire.Writer attribute(final List<Field> fields,
		final UnaryOperator<String> inputName)
	{
		final ProtoWire.Writer w = new ProtoWire.Writer();
		for (final Field f : fields) {
			if (f.number() == ATTR_G || f.number() == ATTR_GRAPHS) {
				w.message(f.number(), Subgraphs.renameInputs(f.bytes(), inputName));
			}
			else w.field(f);
		}
		return w;
	}

	@Override
	public String toString() {
		return opType + inputs + "->" + outputs;
	}

	/** Renaming the outer-scope values a subgraph reads. */
	static final class Subgraphs {

		private Subgraphs() {}

		static ProtoWire.Writer renameInputs(final ByteBuffer graph,
			final UnaryOperator<String> inputName)
		{
			final ProtoWire.Writer w = new ProtoWire.Writer();
			for (final Field f : ProtoWire.parse(graph)) {
				if (f.number() == OnnxModel.GRAPH_NODE) {
					w.message(f.number(), new Node(f.bytes()).write(inputName, UnaryOperator
						.identity()));
				}
				else w.field(f);
			}
			return w;
		}
	}
}

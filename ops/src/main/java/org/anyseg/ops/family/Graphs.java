package org.anyseg.ops.family;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.TensorSpec;

import ai.onnxruntime.OnnxJavaType;

/** Small predicates families use to recognise their graphs. */
final class Graphs {

	static final OnnxJavaType F32 = OnnxJavaType.FLOAT;

	private Graphs() {}

	/** Whether {@code g} has an input {@code name} of that type and shape (-1 = any). */
	static boolean in(final OnnxGraph g, final String name, final OnnxJavaType t,
		final long... dims)
	{
		final TensorSpec s = g.input(name);
		return s != null && s.matches(t, dims);
	}

	/** Whether {@code g} has an output {@code name} of that type and shape (-1 = any). */
	static boolean out(final OnnxGraph g, final String name, final OnnxJavaType t,
		final long... dims)
	{
		final TensorSpec s = g.outputs().get(name);
		return s != null && s.matches(t, dims);
	}

	static boolean inputsAre(final OnnxGraph g, final String... names) {
		return g.inputs().size() == names.length && g.inputs().keySet().containsAll(List.of(
			names));
	}

	static boolean outputsInclude(final OnnxGraph g, final String... names) {
		return g.outputs().keySet().containsAll(List.of(names));
	}

	/** The encoder and decoder among exactly two graphs, or empty. */
	static Optional<OnnxGraph[]> pair(final List<OnnxGraph> graphs,
		final Predicate<OnnxGraph> isEncoder, final Predicate<OnnxGraph> isDecoder)
	{
		if (graphs.size() != 2) return Optional.empty();
		for (int i = 0; i < 2; i++) {
			if (isEncoder.test(graphs.get(i)) && isDecoder.test(graphs.get(1 - i))) {
				return Optional.of(new OnnxGraph[] { graphs.get(i), graphs.get(1 - i) });
			}
		}
		return Optional.empty();
	}
}

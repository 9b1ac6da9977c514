package org.anyseg.ops.model.arch;

import java.util.Map;

import org.anyseg.ops.model.graph.OnnxGraphBuilder;

/**
 * One ONNX graph built in memory, and the weights it binds at load (state-dict key to
 * shape, in the order the graph declares them).
 *
 * @param part "encoder", "decoder", ...
 */
public record BuiltGraph(String part, OnnxGraphBuilder graph) {

	public Map<String, long[]> weights() {
		return graph.weights();
	}
}

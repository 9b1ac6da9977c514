package org.anyseg.ops.model.graph;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.anyseg.ops.model.graph.ProtoWire.Field;

/**
 * Replaces each {@code If} of a graph's top level whose condition is fixed by constants and
 * static shapes with the branch it always takes. Exporters write such nodes (torch's
 * {@code Tensor.tile} on a position embedding, in SAM 2's Hiera); ONNX Runtime's constant
 * folding inlines them itself and, since 1.24.1, can leave the folded value pointing at
 * freed memory (microsoft/onnxruntime#29788). Inlined here, a taken branch that only passes
 * an outer value on ({@code Identity}) disappears: its users read that value directly, so
 * no aliasing node is left to fold and full optimisation stays exact.
 *
 * <p>The rewrite is exact by construction: an {@code If} is replaced only when its
 * condition is proven by {@link StaticValues} for every input of the declared shapes.</p>
 */
public final class ConstantIfInliner {

	/** The rewritten model, and how many {@code If} nodes were replaced. */
	public record Result(ByteBuffer model, int inlined) {}

	private ConstantIfInliner() {}

	/**
	 * Rewrites a serialized {@code ModelProto}; returns {@code null} when it has no
	 * {@code If} with a provably constant condition (the common case: nothing is copied).
	 */
	public static Result rewrite(final ByteBuffer model) {
		ByteBuffer current = model;
		int total = 0;
		for (int round = 0; round < 8; round++) {
			final OnnxModel m = new OnnxModel(current);
			final Pass pass = new Pass(m);
			if (pass.inlined == 0) break;
			current = pass.write();
			total += pass.inlined;
		}
		return total == 0 ? null : new Result(current, total);
	}

	/** Counts the {@code If} nodes of a model's top level whose condition is constant. */
	public static int constantIfs(final ByteBuffer model) {
		return new Pass(new OnnxModel(model)).inlined;
	}

	/** One rewrite of the top level: every If whose condition is known. */
	private static final class Pass {

		private final OnnxModel model;
		private final Map<Integer, Branch> branches = new HashMap<>();
		private final Map<String, String> renamed = new HashMap<>();
		private final List<ByteBuffer> movedInitializers = new ArrayList<>();
		final int inlined;

		Pass(final OnnxModel model) {
			this.model = model;
			final Set<String> defined = new HashSet<>(model.initializers.keySet());
			defined.addAll(model.inputs.keySet());
			model.nodes.forEach(n -> defined.addAll(n.outputs));
			final StaticValues values = new StaticValues(model);
			final Set<String> graphOutputs = new HashSet<>(model.outputs);
			for (int i = 0; i < model.nodes.size(); i++) {
				final Node n = model.nodes.get(i);
				if (!n.is("If") || n.inputs.isEmpty()) continue;
				final double[] cond = values.get(n.inputs.get(0)).values();
				if (cond == null || cond.length != 1) continue;
				final ByteBuffer g = n.graphAttr(cond[0] != 0 ? "then_branch" : "else_branch");
				if (g == null) continue;
				final Branch b = Branch.of(n, g, defined, graphOutputs);
				if (b == null) continue;
				branches.put(i, b);
				renamed.putAll(b.passThrough);
				movedInitializers.addAll(b.initializers);
			}
			this.inlined = branches.size();
		}

		private String rename(final String name) {
			String n = name;
			for (int guard = 0; guard < 64 && renamed.containsKey(n); guard++) n = renamed.get(n);
			return n;
		}

		ByteBuffer write() {
			final UnaryOperator<String> in = this::rename;
			final ProtoWire.Writer graph = new ProtoWire.Writer();
			int nodeIndex = 0;
			for (final Field f : model.graphFields) {
				if (f.number() != OnnxModel.GRAPH_NODE) {
					graph.field(f);
					continue;
				}
				final Branch b = branches.get(nodeIndex);
				final Node n = model.nodes.get(nodeIndex++);
				if (b == null) {
					graph.message(OnnxModel.GRAPH_NODE, n.write(in, UnaryOperator.identity()));
					continue;
				}
				for (final Node k : b.nodes) {
					graph.message(OnnxModel.GRAPH_NODE, k.write(x -> in.apply(b.outName(x)), b::outName));
				}
			}
			for (final ByteBuffer t : movedInitializers) graph.bytes(OnnxModel.GRAPH_INITIALIZER, t);
			final ProtoWire.Writer out = new ProtoWire.Writer();
			for (final Field f : model.modelFields) {
				if (f.number() == OnnxModel.MODEL_GRAPH) out.message(OnnxModel.MODEL_GRAPH, graph);
				else out.field(f);
			}
			return out.toDirectBuffer();
		}
	}

	/** The taken branch of one If, ready to splice into the enclosing graph. */
	private static final class Branch {

		final List<Node> nodes = new ArrayList<>();
		final List<ByteBuffer> initializers = new ArrayList<>();
		/** If outputs that become the outer value a branch only passes on. */
		final Map<String, String> passThrough = new HashMap<>();
		/** Branch outputs produced inside the branch, renamed to the If's outputs. */
		final Map<String, String> toIfOutput = new HashMap<>();

		String outName(final String name) {
			return toIfOutput.getOrDefault(name, name);
		}

		/** {@code null} when the branch cannot be spliced safely (then the If stays). */
		static Branch of(final Node ifNode, final ByteBuffer graph, final Set<String> defined,
			final Set<String> graphOutputs)
		{
			final Branch b = new Branch();
			final List<String> outs = new ArrayList<>();
			final Set<String> local = new HashSet<>();
			for (final Field f : ProtoWire.parse(graph)) {
				switch (f.number()) {
					case OnnxModel.GRAPH_NODE -> b.nodes.add(new Node(f.bytes()));
					case OnnxModel.GRAPH_INITIALIZER -> {
						b.initializers.add(f.bytes());
						ProtoWire.parse(f.bytes()).stream().filter(x -> x.number() == OnnxModel.T_NAME)
							.findFirst().ifPresent(x -> local.add(x.string()));
					}
					case OnnxModel.GRAPH_OUTPUT -> ProtoWire.parse(f.bytes()).stream().filter(
						x -> x.number() == 1).findFirst().ifPresent(x -> outs.add(x.string()));
					case OnnxModel.GRAPH_SPARSE_INITIALIZER -> {
						return null;
					}
					default -> {}
				}
			}
			if (outs.size() != ifNode.outputs.size()) return null;
			b.nodes.forEach(n -> local.addAll(n.outputs));
			for (final String name : local) if (defined.contains(name)) return null;
			final Map<String, Node> producer = new HashMap<>();
			b.nodes.forEach(n -> n.outputs.forEach(o -> producer.put(o, n)));
			final Set<Node> dropped = new HashSet<>();
			for (int i = 0; i < outs.size(); i++) {
				final String ifOut = ifNode.outputs.get(i);
				final String bOut = outs.get(i);
				if (ifOut.isEmpty()) continue;
				final Node p = producer.get(bOut);
				if (graphOutputs.contains(ifOut)) {
					if (p == null || b.toIfOutput.containsKey(bOut)) return null;
					b.toIfOutput.put(bOut, ifOut);
				}
				else if (p != null && p.is("Identity") && !p.hasSubgraphs() && !local.contains(p.inputs
					.get(0)) && !usedInside(b.nodes, bOut))
				{
					b.passThrough.put(ifOut, p.inputs.get(0));
					dropped.add(p);
				}
				else if (p == null) b.passThrough.put(ifOut, bOut);
				else {
					if (b.toIfOutput.containsKey(bOut)) return null;
					b.toIfOutput.put(bOut, ifOut);
				}
			}
			b.nodes.removeAll(dropped);
			return b;
		}

		private static boolean usedInside(final List<Node> nodes, final String name) {
			return nodes.stream().anyMatch(n -> n.inputs.contains(name));
		}
	}
}

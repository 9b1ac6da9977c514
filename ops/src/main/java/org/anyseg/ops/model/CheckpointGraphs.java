package org.anyseg.ops.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.arch.BuiltGraph;
import org.anyseg.ops.model.arch.CheckpointArchitecture;
import org.anyseg.ops.model.graph.OnnxGraphBuilder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * Opens a checkpoint's weights as the graphs of the architecture they belong to: the
 * architecture is recognised from the keys and shapes, every weight the graphs need is
 * checked against the state dict (missing, extra, wrong shape: the message names the first
 * offending key), and the tensors are bound in place (no copy is written anywhere).
 */
public final class CheckpointGraphs {

	private CheckpointGraphs() {}

	/** A state dict's float tensors, readable in place. */
	public interface Weights extends AutoCloseable {

		/** Every tensor's shape, in the file's order. */
		Map<String, long[]> shapes();

		/** A direct, native-order buffer of the tensor's values, row-major. */
		FloatBuffer floats(String key);

		/** What the file held, for messages. */
		String describe();

		/**
		 * The byte offset in {@link #file()} where the tensor lies as float32 little-endian
		 * row-major values, or -1 when it must be read with {@link #floats}.
		 */
		default long fileOffset(final String key) {
			return -1;
		}

		/** The file the offsets refer to, or null. */
		default java.nio.file.Path file() {
			return null;
		}

		@Override
		void close();
	}

	/** The opened graphs and what they are. */
	public record Opened(String family, String description, List<OnnxGraph> graphs) {}

	public static List<CheckpointArchitecture> architectures() {
		final List<CheckpointArchitecture> list = new ArrayList<>();
		ServiceLoader.load(CheckpointArchitecture.class, CheckpointGraphs.class.getClassLoader())
			.forEach(list::add);
		return list;
	}

	/** The architecture a state dict belongs to, and what it builds. */
	public static CheckpointArchitecture.Built recognise(final Map<String, long[]> shapes,
		final String fileName)
	{
		for (final CheckpointArchitecture a : architectures()) {
			if (a.claims(shapes)) {
				final CheckpointArchitecture.Built built = a.build(shapes);
				checkWeights(built, shapes);
				return built;
			}
		}
		throw new AnySegException(fileName + " is not a checkpoint of an architecture AnySeg " +
			"can build (" + architectures().stream().map(CheckpointArchitecture::name).collect(
				Collectors.joining(", ")) + "). Its first keys: " + shapes.keySet().stream().limit(5)
					.collect(Collectors.joining(", ")) + ". For other models use an ONNX export.");
	}

	/**
	 * Builds the graphs of {@code weights} and opens their sessions. Float32 tensors stored as
	 * they are in the file are ONNX external data: ONNX Runtime reads them from the checkpoint
	 * itself. The others (float16, bfloat16, strided) are converted and bound, and ONNX Runtime
	 * copies them into the session, so {@code weights} are closed (unmapped) before this
	 * returns: no weight is held twice.
	 */
	public static Opened open(final ModelFile file, final Weights weights,
		final RuntimeOptions options)
	{
		final List<OnnxGraph> graphs = new ArrayList<>();
		try (weights) {
			final CheckpointArchitecture.Built built = recognise(weights.shapes(), file.name());
			final java.nio.file.Path source = weights.file();
			for (final BuiltGraph g : built.graphs()) {
				final Map<String, OnnxTensorLike> bound = new LinkedHashMap<>();
				final Map<String, OnnxGraphBuilder.External> inFile = new LinkedHashMap<>();
				try {
					for (final Map.Entry<String, long[]> w : g.weights().entrySet()) {
						// float32 tensors stored as they are: ONNX Runtime reads them from the file
						final long at = source == null ? -1 : weights.fileOffset(w.getKey());
						if (at >= 0) {
							inFile.put(w.getKey(), new OnnxGraphBuilder.External(source.getFileName()
								.toString(), at));
						}
						else {
							bound.put(w.getKey(), OnnxTensor.createTensor(OrtEnvironment
								.getEnvironment(), weights.floats(w.getKey()), w.getValue()));
						}
					}
					graphs.add(OnnxGraph.ofBuilt(file, g.part(), g.graph().build(inFile::get), bound,
						source == null ? null : source.toAbsolutePath().getParent(), options));
				}
				catch (final OrtException e) {
					throw new AnySegException("Cannot bind the weights of " + file.name() + ": " + e
						.getMessage(), e);
				}
				finally {
					bound.values().forEach(t -> ((OnnxTensor) t).close());
				}
			}
			return new Opened(built.family(), built.description(), graphs);
		}
		catch (final RuntimeException e) {
			graphs.forEach(OnnxGraph::close);
			throw e;
		}
	}

	/** Every weight present with its shape, and nothing else in the state dict. */
	public static void checkWeights(final CheckpointArchitecture.Built built,
		final Map<String, long[]> shapes)
	{
		final Map<String, long[]> needed = new LinkedHashMap<>();
		built.graphs().forEach(g -> needed.putAll(g.weights()));
		for (final Map.Entry<String, long[]> e : needed.entrySet()) {
			final long[] found = shapes.get(e.getKey());
			if (found == null) {
				throw new AnySegException("The checkpoint lacks '" + e.getKey() + "' " + Arrays
					.toString(e.getValue()) + ", which " + built.description() + " needs (" + missing(
						needed, shapes) + " missing in all). It is incomplete or of another " +
					"architecture.");
			}
			if (!Arrays.equals(found, e.getValue())) {
				throw new AnySegException("Tensor '" + e.getKey() + "' has shape " + Arrays.toString(
					found) + " where " + built.description() + " needs " + Arrays.toString(e
						.getValue()) + ". The checkpoint mixes architectures or was changed.");
			}
		}
		final TreeSet<String> extra = new TreeSet<>(shapes.keySet());
		extra.removeAll(needed.keySet());
		extra.removeAll(built.ignored());
		if (!extra.isEmpty()) {
			throw new AnySegException("The checkpoint has " + extra.size() + " tensor(s) that " +
				built.description() + " does not use, first '" + extra.first() + "'. It is of a " +
				"variant AnySeg does not build (its masks would be wrong without them).");
		}
	}

	private static long missing(final Map<String, long[]> needed,
		final Map<String, long[]> shapes)
	{
		return needed.keySet().stream().filter(k -> !shapes.containsKey(k)).count();
	}
}

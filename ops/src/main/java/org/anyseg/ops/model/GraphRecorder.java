package org.anyseg.ops.model;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Copies of the inputs and outputs of the first runs of each graph, so that one graph can
 * be re-run alone on the exact tensors a whole model fed it ({@link GraphCheck}).
 */
final class GraphRecorder {

	/** A tensor copied out of ONNX Runtime. */
	record Tensor(OnnxJavaType type, long[] shape, Buffer data) {

		static Tensor of(final OnnxTensor t) throws OrtException {
			final OnnxJavaType type = t.getInfo().type;
			final Buffer data = switch (type) {
				case FLOAT -> t.getFloatBuffer();
				case DOUBLE -> t.getDoubleBuffer();
				case INT64 -> t.getLongBuffer();
				case INT32 -> t.getIntBuffer();
				case BOOL, UINT8, INT8 -> t.getByteBuffer();
				default -> null;
			};
			return data == null ? null : new Tensor(type, t.getInfo().getShape(), data);
		}

		OnnxTensor toOnnx() throws OrtException {
			final OrtEnvironment env = OrtEnvironment.getEnvironment();
			return switch (type) {
				case FLOAT -> OnnxTensor.createTensor(env, ((FloatBuffer) data).duplicate(), shape);
				case DOUBLE -> OnnxTensor.createTensor(env, ((DoubleBuffer) data).duplicate(), shape);
				case INT64 -> OnnxTensor.createTensor(env, ((LongBuffer) data).duplicate(), shape);
				case INT32 -> OnnxTensor.createTensor(env, ((IntBuffer) data).duplicate(), shape);
				default -> OnnxTensor.createTensor(env, ((ByteBuffer) data).duplicate(), shape, type);
			};
		}

		/** The values as doubles (for comparing outputs of any numeric type). */
		double get(final int i) {
			return switch (type) {
				case FLOAT -> ((FloatBuffer) data).get(i);
				case DOUBLE -> ((DoubleBuffer) data).get(i);
				case INT64 -> ((LongBuffer) data).get(i);
				case INT32 -> ((IntBuffer) data).get(i);
				default -> ((ByteBuffer) data).get(i);
			};
		}

		int size() {
			return data.limit();
		}
	}

	/** One run of a graph. */
	record Run(Map<String, Tensor> feeds, Map<String, Tensor> outputs) {}

	private final int runsPerGraph;
	private final Map<OnnxGraph, List<Run>> runs = new IdentityHashMap<>();

	GraphRecorder(final int runsPerGraph) {
		this.runsPerGraph = runsPerGraph;
	}

	synchronized List<Run> runs(final OnnxGraph g) {
		return runs.getOrDefault(g, List.of());
	}

	void record(final OnnxGraph g, final Map<String, OnnxTensor> feeds,
		final OrtSession.Result result) throws OrtException
	{
		final Map<String, OnnxTensor> outputs = new LinkedHashMap<>();
		for (final Map.Entry<String, OnnxValue> e : result) {
			if (e.getValue() instanceof OnnxTensor t) outputs.put(e.getKey(), t);
		}
		record(g, feeds, outputs);
	}

	synchronized void record(final OnnxGraph g, final Map<String, OnnxTensor> feeds,
		final Map<String, OnnxTensor> outputs) throws OrtException
	{
		final List<Run> list = runs.computeIfAbsent(g, k -> new ArrayList<>());
		if (list.size() >= runsPerGraph) return;
		list.add(new Run(copy(feeds), copy(outputs)));
	}

	private static Map<String, Tensor> copy(final Map<String, OnnxTensor> m)
		throws OrtException
	{
		final Map<String, Tensor> out = new LinkedHashMap<>();
		for (final Map.Entry<String, OnnxTensor> e : m.entrySet()) {
			final Tensor t = Tensor.of(e.getValue());
			if (t != null) out.put(e.getKey(), t);
		}
		return out;
	}
}

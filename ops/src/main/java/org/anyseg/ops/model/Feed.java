package org.anyseg.ops.model;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * One decoder input built on the Java side (prompt coordinates, labels, sizes, mask input),
 * kept as float values until it is handed to ONNX Runtime in the element type the graph
 * declares (float32, int32 or int64), so tests can read exactly what a model is fed.
 */
public record Feed(String name, OnnxJavaType type, long[] shape, float[] values) {

	public static Feed floats(final String name, final float[] values, final long... shape) {
		return new Feed(name, OnnxJavaType.FLOAT, shape, values);
	}

	/** A feed whose element type is the one the graph declares for that input. */
	public static Feed as(final OnnxGraph graph, final String name, final float[] values,
		final long... shape)
	{
		final TensorSpec s = graph.input(name);
		return new Feed(name, s != null ? s.type() : OnnxJavaType.FLOAT, shape, values);
	}

	public OnnxTensor toOnnx() throws OrtException {
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		switch (type) {
			case INT32: {
				final int[] a = new int[values.length];
				for (int i = 0; i < a.length; i++) a[i] = Math.round(values[i]);
				return OnnxTensor.createTensor(env, IntBuffer.wrap(a), shape);
			}
			case INT64: {
				final long[] a = new long[values.length];
				for (int i = 0; i < a.length; i++) a[i] = Math.round(values[i]);
				return OnnxTensor.createTensor(env, LongBuffer.wrap(a), shape);
			}
			case FLOAT:
				return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
			default:
				throw new IllegalStateException("Input " + name + " has element type " + type +
					", which AnySeg does not feed.");
		}
	}
}

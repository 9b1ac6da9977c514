package org.anyseg.ops.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * A float32 tensor held in a direct buffer, so it can be handed to ONNX Runtime again and
 * again without copying (image embeddings are reused for every prompt).
 */
public final class FloatTensor {

	private final FloatBuffer data;
	private final long[] shape;

	private FloatTensor(final FloatBuffer data, final long[] shape) {
		this.data = data;
		this.shape = shape;
	}

	/** Allocates a zero-filled direct tensor. */
	public static FloatTensor allocate(final long... shape) {
		final long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
		final FloatBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(n * 4)).order(ByteOrder
			.nativeOrder()).asFloatBuffer();
		return new FloatTensor(b, shape.clone());
	}



	public static FloatTensor of(final float[] values, final long... shape) {
		final FloatTensor f = allocate(shape);
		f.data.put(values).rewind();
		return f;
	}

	/** The underlying buffer (position 0); writes through it change the tensor. */
	public FloatBuffer buffer() {
		return data.duplicate().rewind();
	}

	public long[] shape() {
		return shape.clone();
	}

	public int size() {
		return data.capacity();
	}

	public long bytes() {
		return 4L * data.capacity();
	}

	/** Wraps this tensor for ONNX Runtime without copying; close the result after use. */
	public OnnxTensor toOnnx() throws OrtException {
		return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer(), shape);
	}

	public float[] toArray() {
		final float[] a = new float[data.capacity()];
		buffer().get(a);
		return a;
	}
}

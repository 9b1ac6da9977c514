package org.anyseg.ops.model.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a checkpoint's state dict, as the file describes it: element {@code i} of the
 * tensor (multi-index {@code i_0..i_{n-1}}) is element
 * {@code storageOffset + sum_k i_k * stride[k]} of the storage {@code storageKey}
 * (the zip entry {@code <root>/data/<storageKey>}), counted in elements of {@code dtype}.
 * A 0-d tensor has an empty shape and one value. Every declared size was checked against
 * the file when the checkpoint was opened.
 *
 * @param name the state-dict key, with wrapper prefixes removed (Meta's SAM key names)
 * @param dtype the element type in the file
 * @param shape the size of each dimension, all {@code >= 0}
 * @param stride the step of each dimension in elements, all {@code >= 0}
 * @param storageKey the storage the tensor is a view of
 * @param storageOffset the first element of the view in its storage
 */
public record TensorEntry(String name, DType dtype, long[] shape, long[] stride,
	String storageKey, long storageOffset)
{

	public TensorEntry {
		shape = shape.clone();
		stride = stride.clone();
	}

	@Override
	public long[] shape() {
		return shape.clone();
	}

	@Override
	public long[] stride() {
		return stride.clone();
	}

	/** The number of values: the product of the shape (1 for a 0-d tensor). */
	public long numel() {
		long n = 1;
		for (final long s : shape) n *= s;
		return n;
	}

	/** Whether the values lie in C order without gaps (strides of a dense row-major array). */
	public boolean contiguous() {
		long expected = 1;
		for (int d = shape.length - 1; d >= 0; d--) {
			if (shape[d] != 1 && stride[d] != expected) return numel() == 0;
			expected *= shape[d];
		}
		return true;
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof TensorEntry t && name.equals(t.name) && dtype == t.dtype && Arrays
			.equals(shape, t.shape) && Arrays.equals(stride, t.stride) && storageKey.equals(
				t.storageKey) && storageOffset == t.storageOffset;
	}

	@Override
	public int hashCode() {
		return 31 * name.hashCode() + Arrays.hashCode(shape);
	}

	@Override
	public String toString() {
		return name + " " + dtype.name().toLowerCase() + Arrays.toString(shape) + " stride " +
			Arrays.toString(stride) + " at " + storageKey + "+" + storageOffset;
	}
}

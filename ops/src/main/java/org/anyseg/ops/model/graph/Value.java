package org.anyseg.ops.model.graph;

/**
 * What is known of a graph value before running it: its ONNX element type, its shape
 * ({@code null} when even the rank is unknown, {@code -1} for an unknown dim) and, for small
 * tensors computed from constants and static shapes, its values.
 */
record Value(int type, long[] dims, double[] values) {

	static final Value UNKNOWN = new Value(0, null, null);

	static Value scalar(final int type, final double v) {
		return new Value(type, new long[0], new double[] { v });
	}

	static Value vector(final int type, final double[] v) {
		return new Value(type, new long[] { v.length }, v);
	}

	boolean rankKnown() {
		return dims != null;
	}

	/** Whether every dim is known. */
	boolean shapeKnown() {
		if (dims == null) return false;
		for (final long d : dims) if (d < 0) return false;
		return true;
	}

	long elements() {
		long n = 1;
		for (final long d : dims) n *= d;
		return n;
	}

	Value withValues(final double[] v) {
		return new Value(type, dims, v);
	}
}

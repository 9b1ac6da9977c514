package org.anyseg.ops.model;

import java.util.Arrays;
import java.util.Locale;

import ai.onnxruntime.OnnxJavaType;

/**
 * Name, element type and shape of one graph input or output; {@code -1} marks a dynamic
 * dimension.
 */
public record TensorSpec(String name, OnnxJavaType type, long[] shape) {

	public int rank() {
		return shape.length;
	}

	/** True when the rank matches and every static dimension equals {@code dims}' (-1 = any). */
	public boolean matches(final OnnxJavaType t, final long... dims) {
		if (type != t || shape.length != dims.length) return false;
		for (int i = 0; i < dims.length; i++) {
			if (dims[i] >= 0 && shape[i] >= 0 && dims[i] != shape[i]) return false;
		}
		return true;
	}

	@Override
	public String toString() {
		final StringBuilder s = new StringBuilder(name).append(' ')
			.append(type.name().toLowerCase(Locale.ROOT)).append('[');
		for (int i = 0; i < shape.length; i++) {
			if (i > 0) s.append(',');
			s.append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
		}
		return s.append(']').toString();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof TensorSpec t && t.name.equals(name) && t.type == type &&
			Arrays.equals(t.shape, shape);
	}

	@Override
	public int hashCode() {
		return name.hashCode() * 31 + Arrays.hashCode(shape);
	}
}

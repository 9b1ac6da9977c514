package org.anyseg.ops.model;

import java.util.Map;

/**
 * What an image encoder produced for one plane: its named feature tensors and the size of
 * the plane they describe. Decoders only read it, so one embedding serves every prompt.
 */
public record Embedding(int width, int height, Map<String, FloatTensor> tensors) {

	public Embedding {
		tensors = Map.copyOf(tensors);
	}

	public FloatTensor tensor(final String name) {
		final FloatTensor t = tensors.get(name);
		if (t == null) throw new IllegalArgumentException("embedding has no tensor " + name);
		return t;
	}

	public long bytes() {
		return tensors.values().stream().mapToLong(FloatTensor::bytes).sum();
	}
}

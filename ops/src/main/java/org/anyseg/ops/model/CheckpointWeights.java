package org.anyseg.ops.model;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.anyseg.ops.model.checkpoint.TensorEntry;
import org.anyseg.ops.model.checkpoint.TorchCheckpoint;

/** A PyTorch checkpoint's state dict as {@link CheckpointGraphs.Weights}. */
final class CheckpointWeights implements CheckpointGraphs.Weights {

	private final TorchCheckpoint checkpoint;
	private final Map<String, long[]> shapes;

	private CheckpointWeights(final TorchCheckpoint checkpoint) {
		this.checkpoint = checkpoint;
		final Map<String, long[]> m = new LinkedHashMap<>();
		for (final TensorEntry e : checkpoint.tensors().values()) m.put(e.name(), e.shape());
		this.shapes = Collections.unmodifiableMap(m);
	}

	/** Reads the checkpoint's structure (no code runs; the tensors stay on disk). */
	static CheckpointWeights open(final Path file) {
		return new CheckpointWeights(TorchCheckpoint.open(file));
	}

	@Override
	public Map<String, long[]> shapes() {
		return shapes;
	}

	@Override
	public FloatBuffer floats(final String key) {
		return checkpoint.floats(key);
	}

	@Override
	public long fileOffset(final String key) {
		return checkpoint.fileOffset(key);
	}

	@Override
	public Path file() {
		return checkpoint.file();
	}

	@Override
	public String describe() {
		return checkpoint.describe();
	}

	@Override
	public void close() {
		checkpoint.close();
	}
}

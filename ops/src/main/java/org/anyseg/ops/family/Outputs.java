package org.anyseg.ops.family;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Finite;
import org.anyseg.ops.model.OnnxGraph;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Named decoder outputs as float arrays (booleans become +1 / -1). */
final class Outputs {

	private final OrtSession.Result result;
	private final OnnxGraph graph;
	private final int row, rows;
	/** Each output read once, shared by the rows of a run. */
	private final Map<String, float[]> read;

	Outputs(final OrtSession.Result result, final OnnxGraph graph) {
		this(result, graph, 0, 1, new HashMap<>());
	}

	private Outputs(final OrtSession.Result result, final OnnxGraph graph, final int row,
		final int rows, final Map<String, float[]> read)
	{
		this.result = result;
		this.graph = graph;
		this.row = row;
		this.rows = rows;
		this.read = read;
	}

	/** Row {@code row} of a run for {@code rows} prompts (its first dimension). */
	Outputs row(final int r, final int n) {
		return new Outputs(result, graph, r, n, read);
	}

	float[] floats(final String name) throws OrtException {
		float[] all = read.get(name);
		if (all == null) {
			all = allFloats(name);
			if (rows > 1) read.put(name, all);
		}
		if (rows == 1) return all;
		if (all.length % rows != 0) {
			throw new AnySegException("Output " + name + " has " + all.length + " values, " +
				"not a multiple of the " + rows + " prompts of the run.");
		}
		final int n = all.length / rows;
		return Arrays.copyOfRange(all, row * n, (row + 1) * n);
	}

	private float[] allFloats(final String name) throws OrtException {
		final OnnxTensor t = tensor(name);
		switch (t.getInfo().type) {
			case FLOAT: {
				final FloatBuffer b = t.getFloatBuffer();
				final float[] a = new float[b.remaining()];
				b.get(a);
				return Finite.require(a, name, graph);
			}
			case BOOL: {
				final java.nio.ByteBuffer b = t.getByteBuffer();
				final float[] a = new float[b.remaining()];
				for (int i = 0; i < a.length; i++) a[i] = b.get(i) != 0 ? 1 : -1;
				return a;
			}
			default:
				throw new AnySegException("Output " + name + " has element type " + t
					.getInfo().type + "; expected float or bool.");
		}
	}

	private OnnxTensor tensor(final String name) {
		return (OnnxTensor) result.get(name).orElseThrow(() -> new AnySegException(
			"The model gave no output named " + name + "."));
	}
}

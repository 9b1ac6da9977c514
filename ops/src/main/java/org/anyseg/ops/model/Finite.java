package org.anyseg.ops.model;

import java.nio.FloatBuffer;

import org.anyseg.ops.AnySegException;

/**
 * Refuses NaN and infinite values in what a graph computed (embeddings, mask logits,
 * scores): they come from a runtime computing garbage or a broken model, and thresholded
 * they would make a silently empty mask.
 */
public final class Finite {

	private Finite() {}

	/** @throws AnySegException naming the graph and output when a value is not finite */
	public static float[] require(final float[] values, final String output,
		final OnnxGraph graph)
	{
		for (int i = 0; i < values.length; i++) {
			if (!Float.isFinite(values[i])) throw refused(values[i], i, output, graph);
		}
		return values;
	}

	/** As {@link #require(float[], String, OnnxGraph)} for a buffer (not moved). */
	public static void require(final FloatBuffer values, final String output,
		final OnnxGraph graph)
	{
		for (int i = values.position(); i < values.limit(); i++) {
			if (!Float.isFinite(values.get(i))) throw refused(values.get(i), i, output, graph);
		}
	}

	private static AnySegException refused(final float v, final int i, final String output,
		final OnnxGraph graph)
	{
		return new AnySegException("The model file " + graph.file().fileName() +
			" computed " + v + " at value " + i + " of its output '" + output + "' (" + graph
				.setting().description() + ", ONNX Runtime " + GraphCheck.runtime() + "): the result " +
			"would be a wrong or empty mask, so nothing was segmented. Re-check the model with " +
			"'anyseg models verify --deep NAME', or export it again if it persists.");
	}
}

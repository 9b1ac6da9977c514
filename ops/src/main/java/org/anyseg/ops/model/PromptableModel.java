package org.anyseg.ops.model;

import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.prompt.ObjectPrompt;

/**
 * A loaded promptable segmentation model: encode a plane once, decode many prompts on it.
 * Implementations own their ONNX sessions and are safe to call from several threads.
 */
public interface PromptableModel extends AutoCloseable {

	/** The id of the interface family, e.g. "sam" or "sam2" ({@link ModelFamily#id()}). */
	String family();

	/** Side of the square low-res mask a decoder accepts as mask input (SAM: 256). */
	int maskInputSize();

	/**
	 * Encodes one plane given as three channels of 0..255 intensities (row-major, the
	 * intensity normalization already applied); family-specific resizing and normalization
	 * happen here.
	 */
	Embedding encode(float[][] rgb255, int width, int height);

	/**
	 * Turns a binary mask of the image (row-major, nonzero = object) into this model's mask
	 * input, so a drawn outline can prompt (or refine) an object.
	 */
	float[] maskInput(byte[] mask, int width, int height);

	/** Decodes one object's prompt on an embedding; prompts are in image pixel indices. */
	Prediction decode(Embedding embedding, ObjectPrompt prompt);

	/**
	 * Decodes several objects' prompts on one embedding, in order. Models whose decoder
	 * takes a batch of prompts run them together; by default one by one.
	 */
	default List<Prediction> decodeAll(final Embedding embedding,
		final List<ObjectPrompt> prompts)
	{
		final List<Prediction> out = new ArrayList<>(prompts.size());
		for (final ObjectPrompt p : prompts) out.add(decode(embedding, p));
		return out;
	}

	@Override
	void close();
}

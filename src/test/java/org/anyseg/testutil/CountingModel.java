package org.anyseg.testutil;

import java.util.List;

import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.ObjectPrompt;

/** A model that counts its encoder runs and its decoded prompts, passing everything on. */
public final class CountingModel implements PromptableModel {

	private final PromptableModel model;
	public int encodes, decodes;

	public CountingModel(final PromptableModel model) {
		this.model = model;
	}

	@Override
	public String family() {
		return model.family();
	}

	@Override
	public int maskInputSize() {
		return model.maskInputSize();
	}

	@Override
	public Embedding encode(final float[][] rgb255, final int width, final int height) {
		encodes++;
		return model.encode(rgb255, width, height);
	}

	@Override
	public float[] maskInput(final byte[] mask, final int width, final int height) {
		return model.maskInput(mask, width, height);
	}

	@Override
	public Prediction decode(final Embedding e, final ObjectPrompt p) {
		decodes++;
		return model.decode(e, p);
	}

	@Override
	public List<Prediction> decodeAll(final Embedding e, final List<ObjectPrompt> prompts) {
		decodes += prompts.size();
		return model.decodeAll(e, prompts);
	}

	@Override
	public void close() {
		model.close();
	}
}

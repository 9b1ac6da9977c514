package org.anyseg.ops.family;

import java.util.List;

import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.testutil.Conformance;

/** The package-private stages of an encoder-decoder model, for the conformance harness. */
final class EncoderDecoderStages implements Conformance.Stages {

	private final EncoderDecoderModel model;

	private EncoderDecoderStages(final EncoderDecoderModel model) {
		this.model = model;
	}

	/** The stages of a loaded model, which must be an encoder-decoder model. */
	static Conformance.Stages of(final PromptableModel model) {
		return new EncoderDecoderStages((EncoderDecoderModel) model);
	}

	@Override
	public FloatTensor preprocess(final float[][] rgb255, final int width, final int height) {
		return model.preprocess(rgb255, width, height);
	}

	@Override
	public Embedding runEncoder(final FloatTensor input, final int width, final int height) {
		return model.runEncoder(input, width, height);
	}

	@Override
	public List<Feed> promptFeeds(final ObjectPrompt prompt, final int width,
		final int height)
	{
		return model.promptFeeds(prompt, width, height);
	}
}

package org.anyseg.ops.family;

import java.util.Map;

import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.OnnxGraph;

/** An encoder-decoder model whose encoder input is made by an {@link InputRecipe}. */
abstract class RecipeModel extends EncoderDecoderModel {

	protected final InputRecipe recipe;

	protected RecipeModel(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
		final Map<String, String> embeddingNames, final InputRecipe recipe)
	{
		super(family, encoder, decoder, embeddingNames);
		this.recipe = recipe;
	}

	@Override
	protected FloatTensor preprocess(final float[][] rgb255, final int width, final int height,
		final FloatTensor reuse)
	{
		return recipe.tensor(rgb255, width, height, reuse);
	}
}

package org.anyseg.ops.family;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.TensorSpec;

/**
 * How prompts are put together into one decoder run: inputs whose first dimension the graph
 * leaves free are stacked along it, every other input must be the same for all of them.
 */
final class PromptBatches {

	/** Most prompts in one decoder run. */
	static final int MAX_BATCH = 64;
	/** Budget for one run's outputs, taken as four float masks at the image size a prompt. */
	private static final long BATCH_BYTES = 64L << 20;

	private final OnnxGraph decoder;

	PromptBatches(final OnnxGraph decoder) {
		this.decoder = decoder;
	}

	/** Prompts in one run on a {@code w x h} image. */
	static int rows(final int w, final int h) {
		return (int) Math.max(1, Math.min(MAX_BATCH, BATCH_BYTES / (16L * w * h)));
	}

	/**
	 * What prompts must share to go into one run: the shape of every input that is stacked
	 * along a free first dimension and the values of every other; null when nothing can be
	 * stacked (a decoder with a fixed batch of 1, as Segment Anything's own export).
	 */
	String key(final List<Feed> feeds) {
		final StringBuilder key = new StringBuilder();
		boolean stacked = false;
		for (final Feed f : feeds) {
			key.append(f.name()).append(Arrays.toString(f.shape()));
			if (stackable(f)) stacked = true;
			else key.append('=').append(Arrays.toString(f.values()));
			key.append(';');
		}
		return stacked ? key.toString() : null;
	}

	private boolean stackable(final Feed f) {
		final TensorSpec s = decoder.input(f.name());
		return s != null && s.rank() > 0 && s.shape()[0] < 0 && f.shape().length > 0 && f
			.shape()[0] == 1;
	}

	/** The prompts' feeds as one run's: stackable inputs concatenated, others shared. */
	List<Feed> stack(final List<List<Feed>> feeds) {
		if (feeds.size() == 1) return feeds.get(0);
		final List<Feed> out = new ArrayList<>();
		final List<Feed> first = feeds.get(0);
		for (int j = 0; j < first.size(); j++) {
			final Feed f = first.get(j);
			if (!stackable(f)) {
				out.add(f);
				continue;
			}
			final int n = f.values().length;
			final float[] v = new float[n * feeds.size()];
			for (int i = 0; i < feeds.size(); i++) {
				System.arraycopy(feeds.get(i).get(j).values(), 0, v, i * n, n);
			}
			final long[] shape = f.shape().clone();
			shape[0] = feeds.size();
			out.add(new Feed(f.name(), f.type(), shape, v));
		}
		return out;
	}
}

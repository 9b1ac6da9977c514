package org.anyseg.ops.family;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.prompt.ObjectPrompt;

/** The check of models trained on box prompts only (MedSAM, LiteMedSAM). */
final class BoxOnly {

	private BoxOnly() {}

	static void check(final String model, final ObjectPrompt prompt) {
		if (!prompt.points().isEmpty() || prompt.box() == null) {
			throw new AnySegException(model + " takes a box prompt only; points are not " +
				"supported (it was trained on boxes). Object " + prompt.label() + " has " + prompt
					.points().size() + " point(s)" + (prompt.box() == null ? " and no box" : "") +
				": draw a box around the object instead.");
		}
	}
}

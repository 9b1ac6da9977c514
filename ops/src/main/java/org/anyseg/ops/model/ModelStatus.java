package org.anyseg.ops.model;

/**
 * Whether an installed model can be used: the family its files match, or why they match
 * none (missing files, no family, a broken {@code anyseg-model.json}).
 *
 * @param family the family id when usable, else {@code null}
 * @param problem why it is not usable, else {@code null}
 */
public record ModelStatus(String family, String problem) {

	public ModelStatus {
		if ((family == null) == (problem == null)) {
			throw new IllegalArgumentException("A model status has a family or a problem.");
		}
	}

	public static ModelStatus usable(final String family) {
		return new ModelStatus(family, null);
	}

	public static ModelStatus unusable(final String problem) {
		return new ModelStatus(null, problem.replace('\n', ' '));
	}

	public boolean usable() {
		return family != null;
	}

	/** As shown in listings: the family, or {@code unusable: <why>}. */
	@Override
	public String toString() {
		return usable() ? family : "unusable: " + problem;
	}
}

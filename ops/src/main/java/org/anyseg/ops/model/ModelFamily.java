package org.anyseg.ops.model;

import java.util.List;
import java.util.Optional;

/**
 * An ONNX interface family. Families are found with {@link java.util.ServiceLoader}: adding
 * one is a new class listed in {@code META-INF/services/org.anyseg.ops.model.ModelFamily},
 * nothing else changes.
 */
public interface ModelFamily {

	/** Stable id, as written in {@code anyseg-model.json} and the catalogue, e.g. "sam2". */
	String id();

	/** Name shown to users, e.g. "SAM 2 split export". */
	String name();

	/** What the family's files must look like, for the "no family matched" message. */
	String expected();

	/**
	 * Binds the graphs of a model folder if they are this family's, taking ownership of
	 * them; otherwise returns empty and leaves them open. {@code config} carries the
	 * folder's {@code anyseg-model.json} ({@link ModelConfig#NONE} when there is none); a
	 * family that cannot be told from its files alone binds only when the config names it.
	 */
	Optional<PromptableModel> bind(List<OnnxGraph> graphs, ModelConfig config);
}

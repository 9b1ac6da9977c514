package org.anyseg.ops.model;

import java.util.List;
import java.util.Optional;

/**
 * An ONNX interface family. Families are found with {@link java.util.ServiceLoader}: adding
 * one is a new class listed in {@code META-INF/services/org.anyseg.ops.model.ModelFamily},
 * nothing else changes.
 */
public interface ModelFamily {

	/** Short name shown to users, e.g. "A (SAM decoder export)". */
	String name();

	/** What the family's files must look like, for the "no family matched" message. */
	String expected();

	/**
	 * Binds the graphs of a model folder if they are this family's, taking ownership of
	 * them; otherwise returns empty and leaves them open.
	 */
	Optional<PromptableModel> bind(List<OnnxGraph> graphs);
}

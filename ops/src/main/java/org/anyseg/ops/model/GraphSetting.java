package org.anyseg.ops.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.anyseg.ops.AnySegException;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How ONNX Runtime may optimise one graph. {@link #FULL} is the default; the others exist
 * because the runtime's optimiser can compute wrong values on some exports (constant folding
 * since ONNX Runtime 1.24.1, microsoft/onnxruntime#29788), and {@link GraphCheck} picks the
 * fastest one that is exact for a model file. Listed from fastest to slowest.
 */
public enum GraphSetting {

	/** Every optimisation; a constant-condition {@code If} is first replaced by its branch. */
	FULL("full", "full optimisation", OptLevel.ALL_OPT, false),
	/** Every optimisation but constant folding. */
	NO_CONSTANT_FOLDING("no-constant-folding", "constant folding off", OptLevel.ALL_OPT, true),
	EXTENDED("extended", "extended optimisation only", OptLevel.EXTENDED_OPT, false),
	BASIC("basic", "basic optimisation only", OptLevel.BASIC_OPT, false),
	/** No graph optimisation: the graph runs as written (the reference of the check). */
	NONE("none", "no optimisation", OptLevel.NO_OPT, false);

	private final String id;
	private final String description;
	private final OptLevel level;
	private final boolean noConstantFolding;

	GraphSetting(final String id, final String description, final OptLevel level,
		final boolean noConstantFolding)
	{
		this.id = id;
		this.description = description;
		this.level = level;
		this.noConstantFolding = noConstantFolding;
	}

	/** As written in {@code anyseg-model.json}. */
	public String id() {
		return id;
	}

	public String description() {
		return description;
	}

	/** The settings the check tries after {@link #FULL}, cheapest first. */
	public static List<GraphSetting> fallbacks() {
		return List.of(NO_CONSTANT_FOLDING, EXTENDED, BASIC, NONE);
	}

	public static GraphSetting of(final String id) {
		return Arrays.stream(values()).filter(s -> s.id.equals(id.toLowerCase(Locale.ROOT)))
			.findFirst().orElseThrow(() -> new AnySegException("Unknown graph setting '" + id +
				"'; known: " + Arrays.stream(values()).map(GraphSetting::id).toList() + "."));
	}

	/** Applies this setting to session options. */
	void apply(final OrtSession.SessionOptions o) throws OrtException {
		o.setOptimizationLevel(level);
		if (noConstantFolding) {
			o.addConfigEntry("optimization.disable_specified_optimizers", "ConstantFolding");
		}
	}
}

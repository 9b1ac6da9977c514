package org.anyseg.plugin.cli;

import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.volume.Propagation;

import picocli.CommandLine.Option;

/**
 * The propagation settings every command that walks through volumes shares (a picocli
 * mixin). Unset options take the model's {@code propagation} block of its
 * {@code anyseg-model.json}, else the engine's defaults ({@link Propagation.Options}).
 */
final class PropagationOptions {

	@Option(names = "--min-iou", paramLabel = "T",
		description = "Stop when the predicted IoU falls below T (default: the model's, " +
			"else 0.5).")
	Double minIou;

	@Option(names = "--min-area-ratio", paramLabel = "R",
		description = "Stop when the area falls below R times the previous slice's " +
			"(default: the model's, else 0.2).")
	Double minAreaRatio;

	@Option(names = "--max-area-ratio", paramLabel = "R",
		description = "Stop when the area grows above R times the previous slice's; 0 = off " +
			"(default: the model's, else off).")
	Double maxAreaRatio;

	@Option(names = "--min-inside", paramLabel = "F",
		description = "Stop when less than F of the mask lies inside the previous slice's " +
			"(grown by the margin); 0 = off (default: the model's, else off).")
	Double minInside;

	@Option(names = "--min-contrast", paramLabel = "F",
		description = "Stop when the mask's contrast with its surroundings falls below F of " +
			"the prompted slice's; 0 = off (default: the model's, else off).")
	Double minContrast;

	@Option(names = "--margin", paramLabel = "F",
		description = "Grow the previous mask's box by F of its size to prompt the next " +
			"slice (default: the model's, else 0.1).")
	Double margin;

	@Option(names = "--follow", paramLabel = "box|point|box+point",
		description = "What prompts the next slice besides the previous mask " +
			"(default: the model's, else box).")
	String follow;

	/** The model's defaults with what the user set; checked (Limits) before any file is read. */
	Propagation.Options resolve(final ModelConfig config) {
		Propagation.Options o = Propagation.Options.defaults(config);
		if (minIou != null) o = o.withMinIou(minIou);
		if (minAreaRatio != null) o = o.withMinAreaRatio(minAreaRatio);
		if (maxAreaRatio != null) o = o.withMaxAreaRatio(maxAreaRatio);
		if (minInside != null) o = o.withMinInside(minInside);
		if (minContrast != null) o = o.withMinContrast(minContrast);
		if (margin != null) o = o.withMargin(margin);
		if (follow != null) o = o.withFollow(Propagation.Follow.parse(follow));
		return o;
	}
}

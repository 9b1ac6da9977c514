package org.anyseg.plugin.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.eval.GtPrompts;
import org.anyseg.ops.io.FileNames;
import org.anyseg.ops.io.PromptCsv;
import org.anyseg.ops.io.ij.GroundTruth;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.VolumeFiles;
import org.anyseg.plugin.roi.RoiPrompts;
import org.anyseg.plugin.roi.RoiSets;

import ij.ImagePlus;

/**
 * Where a batch's prompts come from, per input: its ROI set beside it ({@code rois}), a prompt
 * table with an image column ({@code csv:FILE}) or prompts made from ground truth
 * ({@code gt:DIR[:box|point|points=K]}).
 */
final class BatchPrompts {

	private BatchPrompts() {}

	/** The prompts of one input, from the configured source. */
	static List<PromptCsv.SlicePrompt> of(final BatchRun.Options o,
		final org.anyseg.ops.model.PromptableModel model, final Path f, final ImagePlus imp)
	{
		final String src = o.promptsFrom();
		if (src.equals("rois")) {
			Path set = f.resolveSibling(FileNames.base(f) + ".zip");
			if (!Files.exists(set)) set = f.resolveSibling(FileNames.base(f) + ".roi");
			if (!Files.exists(set)) return List.of();
			final ImagePlus image = imp != null ? imp : ImageFiles.open(f);
			final List<PromptCsv.SlicePrompt> out = new ArrayList<>();
			for (final RoiPrompts.Item it : RoiPrompts.objects(image, RoiSets.read(set),
				model))
			{
				out.add(new PromptCsv.SlicePrompt(image.convertIndexToPosition(it.stackIndex())[1], it
					.prompt()));
			}
			return out;
		}
		if (src.startsWith("csv:")) return PromptCsv.readFor(java.nio.file.Paths.get(src.substring(
			4)), f);
		if (src.startsWith("gt:")) {
			final GtSource g = GtSource.parse(src);
			final GroundTruth.Loaded gt = GroundTruth.find(g.dir(), FileNames.base(f), o
				.gtThreshold());
			if (gt == null) return List.of();
			final boolean zeroBased = VolumeFiles.isNifti(f);
			return GtPrompts.make(gt.labels(), g.kind(), o.jitter(), o.seed()).stream().map(
				p -> new PromptCsv.SlicePrompt(zeroBased ? p.slice() : p.slice() + 1, p.prompt()))
				.toList();
		}
		throw new AnySegException("Unknown prompt source '" + src + "': use rois, csv:FILE or " +
			"gt:DIR[:box|point|points=K].");
	}

	/** {@code gt:DIR[:box|point|points=K]}: the ground-truth folder and the prompt kind. */
	record GtSource(Path dir, GtPrompts.Kind kind) {

		static GtSource parse(final String src) {
			final String rest = src.substring(3);
			final int colon = rest.lastIndexOf(':');
			final boolean kindGiven = colon > 1 && rest.substring(colon + 1).matches(
				"(?i)box|point|points=\\d+");
			return new GtSource(java.nio.file.Paths.get(kindGiven ? rest.substring(0, colon) : rest),
				GtPrompts.Kind.parse(kindGiven ? rest.substring(colon + 1) : "box"));
		}
	}
}

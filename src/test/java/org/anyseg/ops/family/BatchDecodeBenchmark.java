package org.anyseg.ops.family;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

/**
 * 64 single clicks decoded one by one and in batches, on a fixture model folder whose
 * decoder takes a batch of prompts (the fixtures are tiny, so this shows the per-run
 * overhead saved, not a real model's ratio). Prints medians of 7 rounds.
 * Arguments: FIXTURE_DIR IMAGE.
 */
public final class BatchDecodeBenchmark {

	private BatchDecodeBenchmark() {}

	public static void main(final String[] args) {
		final Plane plane = ImagePlanes.plane(ImageFiles.open(Path.of(args[1])),
			PlaneSelection.FIRST);
		try (PromptableModel loaded = ModelLoader.load(ModelLoader.filesIn(Path.of(args[0])),
			RuntimeOptions.defaults()))
		{
			final EncoderDecoderModel m = (EncoderDecoderModel) loaded;
			final Embedding e = m.encode(Normalization.AUTO.toRgb255(plane), plane.width(), plane
				.height());
			final List<ObjectPrompt> grid = new ArrayList<>();
			for (int j = 0; j < 8; j++) {
				for (int i = 0; i < 8; i++) {
					grid.add(ObjectPrompt.ofPoints(1, List.of(new PointPrompt((i + 0.5) * plane.width() /
						8, (j + 0.5) * plane.height() / 8, true))));
				}
			}
			final double[] one = new double[7], batch = new double[7];
			for (int r = 0; r < 7; r++) {
				long t = System.nanoTime();
				for (final ObjectPrompt p : grid) m.decode(e, p);
				one[r] = (System.nanoTime() - t) / 1e6;
				t = System.nanoTime();
				m.setBatching(true);
				m.decodeAll(e, grid);
				m.setBatching(false);
				batch[r] = (System.nanoTime() - t) / 1e6;
			}
			Arrays.sort(one);
			Arrays.sort(batch);
			System.out.printf("%s, %dx%d image, 64 clicks: one by one %.0f ms, batched %.0f ms " +
				"(median of 7), ratio %.2f%n", m.family(), plane.width(), plane.height(), one[3],
				batch[3], one[3] / batch[3]);
		}
	}
}

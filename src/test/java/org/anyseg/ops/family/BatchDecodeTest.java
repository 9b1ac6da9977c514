package org.anyseg.ops.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Several prompts decoded together give exactly what decoding them one by one gives, and
 * decoders with a free first prompt dimension really get them in fewer runs.
 */
class BatchDecodeTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "sam2_split/sam2, true", "sam2_ort/sam2_logits, true",
		"sam2_ort/sam2_bool_multi, true", "efficient_sams/efficientvit_l, true",
		"efficient_sams/efficientvit_xl, true", "efficient_sams/edgesam, false",
		"efficient_sams/efficientsam, false", "medical_sams/litemedsam, false" })
	void batchedDecodingEqualsOneByOne(final String dir, final boolean batches)
		throws Exception
	{
		final Plane plane = ImagePlanes.plane(ImageFiles.open(Fixtures.samOnnx().resolve(
			"gray8.tif")), PlaneSelection.FIRST);
		final int w = plane.width(), h = plane.height();
		try (PromptableModel loaded = ModelLoader.load(ModelLoader.filesIn(Path.of(Fixtures
			.root().toString(), dir)), RuntimeOptions.defaults()))
		{
			final EncoderDecoderModel model = (EncoderDecoderModel) loaded;
			assertTrue(!model.decoderBatchesByDefault(), "on the CPU prompts go one by one");
			model.setBatching(true);
			final Embedding emb = model.encode(Normalization.AUTO.toRgb255(plane), w, h);
			final boolean boxesOnly = dir.contains("medsam");
			final List<ObjectPrompt> prompts = new ArrayList<>();
			for (int i = 0; i < 9 && !boxesOnly; i++) {
				prompts.add(ObjectPrompt.ofPoints(i + 1, List.of(new PointPrompt(20 + 31 * i, 15 +
					19 * i, true))));
			}
			prompts.add(ObjectPrompt.ofBox(20, new BoxPrompt(10, 10, 120, 100)));
			prompts.add(ObjectPrompt.ofBox(21, new BoxPrompt(150, 90, 290, 190)));
			if (!boxesOnly) {
				prompts.add(ObjectPrompt.ofPoints(22, List.of(new PointPrompt(40, 40, true),
					new PointPrompt(200, 150, false))));
				prompts.add(ObjectPrompt.ofPoints(23, List.of(new PointPrompt(100, 60, true))));
			}
			if (model.maskInputSize() > 0) {
				final int side = model.maskInputSize();
				final float[] m = new float[side * side];
				for (int i = 0; i < m.length; i++) m[i] = (i % side) < side / 3 ? 4 : -4;
				prompts.add(ObjectPrompt.ofPoints(24, List.of(new PointPrompt(30, 30, true)))
					.withMaskInput(m));
			}
			final int before = model.decoderRuns.get();
			final List<Prediction> together = model.decodeAll(emb, prompts);
			final int runs = model.decoderRuns.get() - before;
			assertEquals(prompts.size(), together.size());
			if (batches) {
				assertTrue(runs < prompts.size() / 2, dir + ": " + runs + " decoder runs for " +
					prompts.size() + " prompts");
			}
			else {
				assertEquals(prompts.size(), runs, dir + ": one run per prompt");
			}
			for (int i = 0; i < prompts.size(); i++) {
				final Prediction one = model.decode(emb, prompts.get(i));
				final Prediction b = together.get(i);
				final String what = dir + " prompt " + i;
				assertEquals(one.label(), b.label(), what);
				assertEquals(one.chosen(), b.chosen(), what + ": chosen mask");
				assertEquals(one.candidates().size(), b.candidates().size(), what);
				for (int k = 0; k < one.candidates().size(); k++) {
					final MaskCandidate x = one.candidates().get(k), y = b.candidates().get(k);
					assertEquals(x.iou(), y.iou(), 1e-4, what + " IoU " + k);
					assertEquals(x.logits().length, y.logits().length, what);
					double max = 0;
					for (int p = 0; p < x.logits().length; p++) {
						max = Math.max(max, Math.abs(x.logits()[p] - y.logits()[p]));
					}
					assertTrue(max < 1e-3, what + " mask " + k + " differs by " + max);
				}
			}
		}
	}
}

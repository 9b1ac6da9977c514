package org.anyseg.ops.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ImageFiles;
import org.anyseg.ops.io.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.ModelFrame;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.testutil.Conformance;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Runs every Family A fixture case through the Java pipeline (ImageJ reading, intensity
 * normalization, Pillow-style resize, SAM normalization, prompt mapping, ONNX Runtime,
 * mask selection) and compares each stage with the independent Python reference made by
 * {@code tools/fixtures/make_family_a.py}.
 */
class FamilyAConformanceTest {

	private static final Path DIR = Fixtures.familyA();
	/** Chosen low-res logits of each case, fed to the refinement cases. */
	private final Map<String, float[]> lowResByCase = new HashMap<>();

	@TestFactory
	Stream<DynamicTest> everyCase() throws IOException {
		final JsonArray cases;
		try (Reader r = Files.newBufferedReader(DIR.resolve("cases.json"))) {
			cases = new Gson().fromJson(r, JsonArray.class);
		}
		final List<DynamicTest> tests = new ArrayList<>();
		for (final JsonElement e : cases) {
			final JsonObject c = e.getAsJsonObject();
			tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> run(c)));
		}
		return tests.stream();
	}

	private void run(final JsonObject c) throws IOException {
		final String name = c.get("name").getAsString();
		final Plane plane = ImagePlanes.plane(ImageFiles.open(DIR.resolve(c.get("image")
			.getAsString())), PlaneSelection.FIRST);
		final Normalization norm = Conformance.normalization(c.getAsJsonObject("normalization"));
		try (FamilyAModel model = (FamilyAModel) ModelLoader.load(Fixtures.familyAModel(c.get(
			"encoder").getAsString(), c.get("decoder").getAsString()), RuntimeOptions.defaults()))
		{
			final FloatTensor input = model.preprocess(norm.toRgb255(plane), plane.width(), plane
				.height());
			compare(name, "preprocessed", c, input.toArray(), 2e-3);
			final Embedding emb = model.runEncoder(input, plane.width(), plane.height());
			compare(name, "embedding", c, emb.tensor(FamilyA.EMBEDDINGS).toArray(), 1e-3);

			ObjectPrompt prompt = Conformance.prompt(c);
			final float[][] pts = SamPrompts.encode(prompt, new ModelFrame(plane.width(),
				plane.height(), 1024), true);
			compare(name, "point_coords", c, pts[0], 1e-3);
			compare(name, "point_labels", c, pts[1], 0);
			if (!c.get("mask_input_from").isJsonNull()) {
				prompt = prompt.withMaskInput(lowResByCase.get(c.get("mask_input_from")
					.getAsString()));
			}
			final Prediction p = model.decode(emb, prompt);
			compare(name, "masks", c, Conformance.concat(p.candidates(), true), 2e-3);
			compare(name, "low_res_masks", c, Conformance.concat(p.candidates(), false), 2e-3);
			compare(name, "iou_predictions", c, Conformance.ious(p.candidates()), 1e-3);
			assertEquals(c.get("chosen_index").getAsInt(), p.chosen(), name + ": chosen mask");
			final int tol = c.get("mask_area_tolerance").getAsInt();
			final int area = p.best().area();
			assertTrue(Math.abs(area - c.get("mask_area").getAsInt()) <= tol, name + ": mask area " +
				area + " vs " + c.get("mask_area") + " +- " + tol);
			lowResByCase.put(name, p.best().lowRes());
		}
	}

	private static void compare(final String name, final String key, final JsonObject c,
		final float[] actual, final double tol) throws IOException
	{
		Conformance.compare(DIR, name + "/" + key, c.getAsJsonObject(key), actual, tol, false);
	}
}

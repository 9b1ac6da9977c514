package org.anyseg.ops.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ImageFiles;
import org.anyseg.ops.io.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.testutil.Conformance;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Runs every fixture case of families B to E (made by {@code tools/fixtures/make_family_*.py}
 * with an independent Python implementation of each family's pre- and post-processing)
 * through the Java pipeline: the model folder is loaded as a user's would be (detection, or
 * {@code anyseg-model.json}), and each stage is compared: encoder input, every encoder
 * output, the prompt tensors as fed, full-size mask scores, low-res masks, IoU, the chosen
 * mask and its area; invalid prompts must be refused with the expected message.
 */
class FamilyConformanceTest {

	static final List<String> FAMILIES = List.of("family_b", "family_c", "family_d",
		"family_e");

	@Test
	void everyFamilyHasFixtures() {
		for (final String f : FAMILIES) {
			assertTrue(Files.isRegularFile(Fixtures.root().resolve(f).resolve("cases.json")), f);
		}
	}

	@TestFactory
	Stream<DynamicNode> everyCase() throws IOException {
		final List<DynamicNode> nodes = new ArrayList<>();
		for (final String f : FAMILIES) {
			final Path dir = Fixtures.root().resolve(f);
			if (!Files.isRegularFile(dir.resolve("cases.json"))) continue;
			final JsonObject all = Conformance.json(dir.resolve("cases.json"), JsonObject.class);
			final Map<String, float[]> lowResByCase = new HashMap<>();
			final List<DynamicTest> tests = new ArrayList<>();
			for (final JsonElement e : all.getAsJsonArray("cases")) {
				final JsonObject c = e.getAsJsonObject();
				final JsonObject variant = all.getAsJsonObject("variants").getAsJsonObject(c.get(
					"variant").getAsString());
				tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> run(dir, variant,
					c, lowResByCase)));
			}
			nodes.add(DynamicContainer.dynamicContainer(f, tests));
		}
		return nodes.stream();
	}

	private static void run(final Path dir, final JsonObject variant, final JsonObject c,
		final Map<String, float[]> lowResByCase) throws IOException
	{
		final String name = c.get("name").getAsString();
		final Plane plane = ImagePlanes.plane(ImageFiles.open(dir.resolve(c.get("image")
			.getAsString())), PlaneSelection.FIRST);
		final int w = plane.width(), h = plane.height();
		final Normalization norm = Conformance.normalization(c.getAsJsonObject("normalization"));
		final Path modelDir = dir.resolve(variant.get("dir").getAsString());
		try (PromptableModel loaded = ModelLoader.load(ModelLoader.filesIn(modelDir),
			RuntimeOptions.defaults()))
		{
			assertEquals(variant.get("family_id").getAsString(), loaded.family(), name +
				": detected family");
			final EncoderDecoderModel model = (EncoderDecoderModel) loaded;
			final FloatTensor input = model.preprocess(norm.toRgb255(plane), w, h);
			final Embedding emb = model.runEncoder(input, w, h);
			final ObjectPrompt base = Conformance.prompt(c);
			if (c.has("error") && !c.get("error").isJsonNull()) {
				final AnySegException e = assertThrows(AnySegException.class, () -> model.decode(emb,
					base), name + ": must be refused");
				assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(c.get("error")
					.getAsString()), name + ": message '" + e.getMessage() + "' should mention " + c
						.get("error"));
				return;
			}
			compare(dir, name, "preprocessed", c.getAsJsonObject("preprocessed"), input.toArray(),
				2e-3);
			for (final Map.Entry<String, JsonElement> e : c.getAsJsonObject("embedding")
				.entrySet())
			{
				compare(dir, name, "embedding " + e.getKey(), e.getValue().getAsJsonObject(), emb
					.tensor(e.getKey()).toArray(), 1e-3);
			}
			final ObjectPrompt prompt = c.has("mask_input_from") && !c.get("mask_input_from")
				.isJsonNull() ? base.withMaskInput(lowResByCase.get(c.get("mask_input_from")
					.getAsString())) : base;
			final Map<String, Feed> feeds = new HashMap<>();
			for (final Feed f : model.promptFeeds(prompt, w, h)) feeds.put(f.name(), f);
			for (final Map.Entry<String, JsonElement> e : c.getAsJsonObject("prompt_tensors")
				.entrySet())
			{
				final Feed f = feeds.get(e.getKey());
				assertTrue(f != null, name + ": no decoder input " + e.getKey() + " was fed");
				compare(dir, name, "prompt " + e.getKey(), e.getValue().getAsJsonObject(), f
					.values(), 1e-4);
			}
			final Prediction p = model.decode(emb, prompt);
			Conformance.compare(dir, name + "/masks", c.getAsJsonObject("masks"), Conformance
				.concat(p.candidates(), true), 2e-3, true);
			if (c.has("low_res_masks") && p.best().lowRes() != null) {
				compare(dir, name, "low_res_masks", c.getAsJsonObject("low_res_masks"), Conformance
					.concat(p.candidates(), false), 2e-3);
			}
			compare(dir, name, "iou_predictions", c.getAsJsonObject("iou_predictions"), Conformance
				.ious(p.candidates()), 1e-3);
			assertEquals(c.get("chosen_index").getAsInt(), p.chosen(), name + ": chosen mask");
			final int tol = c.get("mask_area_tolerance").getAsInt();
			final int area = p.best().area();
			assertTrue(Math.abs(area - c.get("mask_area").getAsInt()) <= tol, name + ": mask area " +
				area + " vs " + c.get("mask_area") + " +- " + tol);
			lowResByCase.put(name, p.best().lowRes());
		}
	}

	private static void compare(final Path dir, final String name, final String key,
		final JsonObject ref, final float[] actual, final double tol) throws IOException
	{
		Conformance.compare(dir, name + "/" + key, ref, actual, tol, false);
	}
}

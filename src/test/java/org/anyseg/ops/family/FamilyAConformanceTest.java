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
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelFrame;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.testutil.Fixtures;
import org.anyseg.testutil.Npy;
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
		final Normalization norm = normalization(c.getAsJsonObject("normalization"));
		try (FamilyAModel model = (FamilyAModel) ModelLoader.load(Fixtures.familyAModel(c.get(
			"encoder").getAsString(), c.get("decoder").getAsString()), RuntimeOptions.defaults()))
		{
			final FloatTensor input = model.preprocess(norm.toRgb255(plane), plane.width(), plane
				.height());
			compare(name, "preprocessed", c, input.toArray(), 2e-3);
			final Embedding emb = model.runEncoder(input, plane.width(), plane.height());
			compare(name, "embedding", c, emb.tensor(FamilyA.EMBEDDINGS).toArray(), 1e-3);

			ObjectPrompt prompt = prompt(c);
			final float[][] pts = FamilyAModel.encodePoints(prompt, new ModelFrame(plane.width(),
				plane.height(), 1024));
			compare(name, "point_coords", c, pts[0], 1e-3);
			compare(name, "point_labels", c, pts[1], 0);
			if (!c.get("mask_input_from").isJsonNull()) {
				prompt = prompt.withMaskInput(lowResByCase.get(c.get("mask_input_from")
					.getAsString()));
			}
			final Prediction p = model.decode(emb, prompt);
			compare(name, "masks", c, concat(p.candidates(), true), 2e-3);
			compare(name, "low_res_masks", c, concat(p.candidates(), false), 2e-3);
			final float[] iou = new float[p.candidates().size()];
			for (int i = 0; i < iou.length; i++) iou[i] = p.candidates().get(i).iou();
			compare(name, "iou_predictions", c, iou, 1e-3);
			assertEquals(c.get("chosen_index").getAsInt(), p.chosen(), name + ": chosen mask");
			final int tol = c.get("mask_area_tolerance").getAsInt();
			final int area = p.best().area();
			assertTrue(Math.abs(area - c.get("mask_area").getAsInt()) <= tol, name + ": mask area " +
				area + " vs " + c.get("mask_area") + " +- " + tol);
			lowResByCase.put(name, p.best().lowRes());
		}
	}

	private static float[] concat(final List<MaskCandidate> cands, final boolean full) {
		final int n = full ? cands.get(0).logits().length : cands.get(0).lowRes().length;
		final float[] out = new float[n * cands.size()];
		for (int i = 0; i < cands.size(); i++) {
			System.arraycopy(full ? cands.get(i).logits() : cands.get(i).lowRes(), 0, out, i * n, n);
		}
		return out;
	}

	/**
	 * Compares the strided reference sample value by value (tolerance relative to the
	 * array's magnitude) and the full-array sum.
	 */
	private static void compare(final String name, final String key, final JsonObject c,
		final float[] actual, final double tol) throws IOException
	{
		final JsonObject ref = c.getAsJsonObject(key);
		long size = 1;
		for (final JsonElement d : ref.getAsJsonArray("shape")) size *= d.getAsLong();
		assertEquals(size, actual.length, name + "/" + key + ": size");
		final int stride = ref.get("stride").getAsInt();
		final float[] expected = Npy.readFloats(DIR.resolve(ref.get("file").getAsString()));
		final double scale = Math.max(1, Math.max(Math.abs(ref.get("min").getAsDouble()), Math
			.abs(ref.get("max").getAsDouble())));
		for (int i = 0; i < expected.length; i++) {
			final float a = actual[i * stride];
			if (Math.abs(a - expected[i]) > tol * scale) {
				throw new AssertionError(name + "/" + key + "[" + i * stride + "]: expected " +
					expected[i] + " got " + a);
			}
		}
		double sum = 0;
		for (final float v : actual) sum += v;
		final double refSum = ref.get("sum").getAsDouble();
		final double absSum = ref.get("abs_sum").getAsDouble();
		assertEquals(refSum, sum, Math.max(1e-3, 1e-4 * absSum), name + "/" + key + ": sum");
	}

	private static Normalization normalization(final JsonObject n) {
		switch (n.get("mode").getAsString()) {
			case "auto":
				return Normalization.AUTO;
			case "minmax":
				return Normalization.MINMAX;
			case "percentile":
				return Normalization.percentile(n.get("lo").getAsDouble(), n.get("hi").getAsDouble());
			case "window":
				return Normalization.window(n.get("level").getAsDouble(), n.get("width")
					.getAsDouble());
			default:
				throw new IllegalArgumentException(n.toString());
		}
	}

	private static ObjectPrompt prompt(final JsonObject c) {
		final List<PointPrompt> pts = new ArrayList<>();
		for (final JsonElement p : c.getAsJsonArray("points")) {
			final JsonArray a = p.getAsJsonArray();
			pts.add(new PointPrompt(a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2)
				.getAsInt() == 1));
		}
		BoxPrompt box = null;
		if (!c.get("box").isJsonNull()) {
			final JsonArray b = c.getAsJsonArray("box");
			box = new BoxPrompt(b.get(0).getAsDouble(), b.get(1).getAsDouble(), b.get(2)
				.getAsDouble(), b.get(3).getAsDouble());
		}
		return new ObjectPrompt(1, pts, box, null);
	}
}

package org.anyseg.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.junit.jupiter.api.DynamicTest;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The conformance harness: the fixtures made by {@code tools/fixtures/make_*.py} (cases,
 * prompts, normalizations, reference arrays) and the one comparison of the Java pipeline with
 * them. {@link #tests} runs every case of a fixture folder through an encoder-decoder model
 * stage by stage: encoder input, every encoder output, the prompt tensors as fed, full-size
 * mask scores, low-res masks, IoU, the chosen mask and its area; a case with an
 * {@code error} must be refused with that word in the message. {@link #compare} and
 * {@link #assertArea} serve the tests that drive other pipelines (SAM 2's memory).
 * <p>
 * Two case layouts are read: family A's (one {@code embedding} reference, the encoder's
 * {@value #SAM_EMBEDDINGS}; prompt references {@code point_coords}, {@code point_labels},
 * {@code mask_input} and the number {@code has_mask_input} at the top level) and that of the
 * later families ({@code embedding} and {@code prompt_tensors} map input and output names to
 * references).
 */
public final class Conformance {

	/** Logits beyond this magnitude on the same side count as equal (saturated sigmoids). */
	private static final double SATURATED = 8;
	/** The encoder output a single {@code embedding} reference (family A's layout) holds. */
	private static final String SAM_EMBEDDINGS = "image_embeddings";
	/** Family A's prompt references, at the top level of a case. */
	private static final List<String> TOP_LEVEL_PROMPTS = List.of("point_coords",
		"point_labels", "mask_input");
	/** Tolerances, relative to each reference array's magnitude. */
	private static final double TOL_INPUT = 2e-3, TOL_EMBEDDING = 1e-3, TOL_PROMPT = 1e-4,
		TOL_MASKS = 2e-3, TOL_IOU = 1e-3;

	private Conformance() {}

	/**
	 * The stages of an encoder-decoder model that the fixtures record. The engine keeps
	 * them package-private, so a class of the tests in {@code org.anyseg.ops.family} adapts
	 * them.
	 */
	public interface Stages {

		/** The exact encoder input for a plane. */
		FloatTensor preprocess(float[][] rgb255, int width, int height);

		/** The encoder run on that input. */
		Embedding runEncoder(FloatTensor input, int width, int height);

		/** The decoder inputs that carry the prompt. */
		List<Feed> promptFeeds(ObjectPrompt prompt, int width, int height);
	}

	/**
	 * A model loaded for one case: its stages, the family its folder must be detected as
	 * ({@code null}: not checked) and whether its mask scores saturate (made from
	 * probabilities: values beyond +-8 on the reference's side pass, and the sum is not
	 * compared).
	 */
	public record Subject(PromptableModel model, Stages stages, String family,
		boolean saturatingMasks) implements AutoCloseable
	{

		@Override
		public void close() {
			model.close();
		}
	}

	/** Loads the model a case names. */
	@FunctionalInterface
	public interface Loader {

		Subject load(JsonObject c) throws IOException;
	}

	/**
	 * One dynamic test per case of a fixture folder, named after the case. Cases run in
	 * order: a case with {@code mask_input_from} is prompted with the low-res mask chosen in
	 * that earlier case.
	 */
	public static List<DynamicTest> tests(final Path dir, final JsonArray cases,
		final Loader loader)
	{
		final Map<String, float[]> lowResByCase = new HashMap<>();
		final List<DynamicTest> tests = new ArrayList<>();
		for (final JsonElement e : cases) {
			final JsonObject c = e.getAsJsonObject();
			tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> {
				try (Subject s = loader.load(c)) {
					run(dir, c, s, lowResByCase);
				}
			}));
		}
		return tests;
	}

	private static void run(final Path dir, final JsonObject c, final Subject s,
		final Map<String, float[]> lowResByCase) throws IOException
	{
		final String name = c.get("name").getAsString();
		if (s.family() != null) {
			assertEquals(s.family(), s.model().family(), name + ": detected family");
		}
		final Plane plane = ImagePlanes.plane(ImageFiles.open(dir.resolve(c.get("image")
			.getAsString())), PlaneSelection.FIRST);
		final int w = plane.width(), h = plane.height();
		final FloatTensor input = s.stages().preprocess(normalization(c.getAsJsonObject(
			"normalization")).toRgb255(plane), w, h);
		final Embedding emb = s.stages().runEncoder(input, w, h);
		final ObjectPrompt base = prompt(c);
		if (isSet(c, "error")) {
			final AnySegException e = assertThrows(AnySegException.class, () -> s.model().decode(
				emb, base), name + ": must be refused");
			assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(c.get("error")
				.getAsString()), name + ": message '" + e.getMessage() + "' should mention " + c.get(
					"error"));
			return;
		}
		compare(dir, name + "/preprocessed", c.getAsJsonObject("preprocessed"), input.toArray(),
			TOL_INPUT, false);
		for (final Map.Entry<String, JsonObject> e : embeddingRefs(c).entrySet()) {
			final FloatTensor t = emb.tensor(e.getKey());
			assertNotNull(t, name + ": no encoder output " + e.getKey());
			compare(dir, name + "/embedding " + e.getKey(), e.getValue(), t.toArray(),
				TOL_EMBEDDING, false);
		}
		final ObjectPrompt prompt = isSet(c, "mask_input_from") ? base.withMaskInput(lowResByCase
			.get(c.get("mask_input_from").getAsString())) : base;
		comparePromptFeeds(dir, name, c, s.stages().promptFeeds(prompt, w, h));
		final Prediction p = s.model().decode(emb, prompt);
		compare(dir, name + "/masks", c.getAsJsonObject("masks"), concat(p.candidates(), true),
			TOL_MASKS, s.saturatingMasks());
		if (c.has("low_res_masks") && p.best().lowRes() != null) {
			// a model without a mask input (EfficientSAM) keeps no low-res masks to compare
			compare(dir, name + "/low_res_masks", c.getAsJsonObject("low_res_masks"), concat(p
				.candidates(), false), TOL_MASKS, false);
		}
		compare(dir, name + "/iou_predictions", c.getAsJsonObject("iou_predictions"), ious(p
			.candidates()), TOL_IOU, false);
		assertEquals(c.get("chosen_index").getAsInt(), p.chosen(), name + ": chosen mask");
		assertArea(c, p.best().area(), name);
		lowResByCase.put(name, p.best().lowRes());
	}

	/** Every fed prompt tensor that the case records; labels and flags exactly. */
	private static void comparePromptFeeds(final Path dir, final String name,
		final JsonObject c, final List<Feed> fed) throws IOException
	{
		final Map<String, Feed> feeds = new HashMap<>();
		for (final Feed f : fed) feeds.put(f.name(), f);
		final Map<String, JsonObject> refs = new LinkedHashMap<>();
		if (c.has("prompt_tensors")) {
			for (final Map.Entry<String, JsonElement> e : c.getAsJsonObject("prompt_tensors")
				.entrySet()) refs.put(e.getKey(), e.getValue().getAsJsonObject());
		}
		else {
			for (final String key : TOP_LEVEL_PROMPTS) {
				if (c.has(key) && c.get(key).isJsonObject()) refs.put(key, c.getAsJsonObject(key));
			}
			final Feed flag = feeds.get("has_mask_input");
			if (c.has("has_mask_input") && c.get("has_mask_input").isJsonPrimitive()) {
				assertNotNull(flag, name + ": no decoder input has_mask_input was fed");
				assertEquals(c.get("has_mask_input").getAsFloat(), flag.values()[0], 0, name +
					"/prompt has_mask_input");
			}
		}
		for (final Map.Entry<String, JsonObject> e : refs.entrySet()) {
			final Feed f = feeds.get(e.getKey());
			assertNotNull(f, name + ": no decoder input " + e.getKey() + " was fed");
			final boolean exact = e.getKey().contains("label") || e.getKey().startsWith("has_");
			compare(dir, name + "/prompt " + e.getKey(), e.getValue(), f.values(), exact ? 0
				: TOL_PROMPT, false);
		}
	}

	/** The case's encoder outputs by name, in either layout. */
	private static Map<String, JsonObject> embeddingRefs(final JsonObject c) {
		final JsonObject e = c.getAsJsonObject("embedding");
		if (e.has("file")) return Map.of(SAM_EMBEDDINGS, e);
		final Map<String, JsonObject> refs = new LinkedHashMap<>();
		for (final Map.Entry<String, JsonElement> t : e.entrySet()) {
			refs.put(t.getKey(), t.getValue().getAsJsonObject());
		}
		return refs;
	}

	private static boolean isSet(final JsonObject c, final String key) {
		return c.has(key) && !c.get(key).isJsonNull();
	}

	/**
	 * Asserts that a mask area is within the reference's {@code mask_area_tolerance} of its
	 * {@code mask_area} (the pixels whose logit lies too near 0 to decide in float).
	 */
	public static void assertArea(final JsonObject ref, final int area, final String what) {
		final int expected = ref.get("mask_area").getAsInt();
		final int tol = ref.get("mask_area_tolerance").getAsInt();
		assertTrue(Math.abs(area - expected) <= tol, what + ": mask area " + area + " vs " +
			expected + " +- " + tol);
	}

	public static <T extends JsonElement> T json(final Path file, final Class<T> type)
		throws IOException
	{
		try (Reader r = Files.newBufferedReader(file)) {
			return new Gson().fromJson(r, type);
		}
	}

	/**
	 * Compares the strided reference sample value by value (tolerance relative to the
	 * array's magnitude) and the full-array sum.
	 *
	 * @param saturating whether values beyond +-8 on the same side as the reference pass
	 *          (mask scores made from probabilities, whose float rounding near 0 and 1 is
	 *          amplified by the logit)
	 */
	public static void compare(final Path dir, final String what, final JsonObject ref,
		final float[] actual, final double tol, final boolean saturating) throws IOException
	{
		long size = 1;
		for (final JsonElement d : ref.getAsJsonArray("shape")) size *= d.getAsLong();
		assertEquals(size, actual.length, what + ": size");
		final int stride = ref.get("stride").getAsInt();
		final float[] expected = Npy.readFloats(dir.resolve(ref.get("file").getAsString()));
		final double scale = Math.max(1, Math.max(Math.abs(ref.get("min").getAsDouble()), Math
			.abs(ref.get("max").getAsDouble())));
		for (int i = 0; i < expected.length; i++) {
			final float a = actual[i * stride];
			if (saturating && Math.abs(a) > SATURATED && Math.abs(expected[i]) > SATURATED && Math
				.signum(a) == Math.signum(expected[i])) continue;
			if (Math.abs(a - expected[i]) > tol * scale) {
				throw new AssertionError(what + "[" + i * stride + "]: expected " + expected[i] +
					" got " + a);
			}
		}
		if (saturating) return;
		double sum = 0;
		for (final float v : actual) sum += v;
		final double refSum = ref.get("sum").getAsDouble();
		final double absSum = ref.get("abs_sum").getAsDouble();
		assertEquals(refSum, sum, Math.max(1e-3, 1e-4 * absSum), what + ": sum");
	}

	public static Normalization normalization(final JsonObject n) {
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

	/** The case's points ({@code [x, y, 1|0]}) and box ({@code [x0, y0, x1, y1]}, exclusive). */
	public static ObjectPrompt prompt(final JsonObject c) {
		final List<PointPrompt> pts = new ArrayList<>();
		for (final JsonElement p : c.getAsJsonArray("points")) {
			final JsonArray a = p.getAsJsonArray();
			pts.add(new PointPrompt(a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2)
				.getAsInt() == 1));
		}
		BoxPrompt box = null;
		if (c.has("box") && !c.get("box").isJsonNull()) {
			final JsonArray b = c.getAsJsonArray("box");
			box = new BoxPrompt(b.get(0).getAsDouble(), b.get(1).getAsDouble(), b.get(2)
				.getAsDouble(), b.get(3).getAsDouble());
		}
		return new ObjectPrompt(1, pts, box, null);
	}

	/** Every candidate's full-size logits (or low-res logits), concatenated. */
	public static float[] concat(final List<MaskCandidate> cands, final boolean full) {
		final int n = full ? cands.get(0).logits().length : cands.get(0).lowRes().length;
		final float[] out = new float[n * cands.size()];
		for (int i = 0; i < cands.size(); i++) {
			System.arraycopy(full ? cands.get(i).logits() : cands.get(i).lowRes(), 0, out, i * n, n);
		}
		return out;
	}

	public static float[] ious(final List<MaskCandidate> cands) {
		final float[] iou = new float[cands.size()];
		for (int i = 0; i < iou.length; i++) iou[i] = cands.get(i).iou();
		return iou;
	}
}

package org.anyseg.ops.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.MemoryModel;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.volume.Volume;
import org.anyseg.testutil.Conformance;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * SAM 2's four-graph video export against the independent Python reference of
 * {@code tools/fixtures/make_sam2_memory.py}: the folder is detected, the prompted slice's
 * encoder input matches, and tracking through all 37 slices (conditioning frame, recent
 * frames, object pointers, temporal codes, fresh memory per direction) reproduces every
 * slice's mask logits; the propagation engine then gives the same masks.
 */
@Tag("slow")
class Sam2MemoryConformanceTest {

	static final Path DIR = Fixtures.root().resolve("sam2_memory");

	@Test
	void tracksEverySliceAsTheReference() throws IOException {
		final JsonObject c = Conformance.json(DIR.resolve("cases.json"), JsonObject.class);
		final Volume v = ImagePlanes.volume(ImageFiles.open(DIR.resolve(c.get("volume")
			.getAsString())), 1, 1);
		final Normalization norm = Conformance.normalization(c.getAsJsonObject("normalization"));
		final JsonObject pj = c.getAsJsonObject("prompt");
		final int zp = pj.get("slice").getAsInt();
		final ObjectPrompt prompt = Conformance.prompt(pj);
		final Map<Integer, JsonObject> frames = new HashMap<>();
		for (final JsonElement e : c.getAsJsonArray("frames")) {
			frames.put(e.getAsJsonObject().get("z").getAsInt(), e.getAsJsonObject());
		}
		try (PromptableModel loaded = ModelLoader.load(ModelLoader.filesIn(DIR), RuntimeOptions
			.defaults()))
		{
			assertEquals("sam2-memory", loaded.family());
			final Sam2MemoryModel m = (Sam2MemoryModel) loaded;
			Conformance.compare(DIR, "prompted image", c.getAsJsonObject("prompted_image"), m
				.preprocess(norm.toRgb255(v.plane(zp)), v.nx(), v.ny()).toArray(), 2e-3, false);
			final Map<Integer, Embedding> emb = new HashMap<>();
			for (int z = 0; z < v.nz(); z++) {
				emb.put(z, m.encode(norm.toRgb255(v.plane(z)), v.nx(), v.ny()));
			}
			final MemoryModel.Memory cond = m.prompted(emb.get(zp), zp, prompt);
			check(frames.get(zp), cond);
			for (final int dir : new int[] { 1, -1 }) {
				final List<MemoryModel.Memory> bank = new ArrayList<>();
				for (int z = zp + dir; z >= 0 && z < v.nz(); z += dir) {
					final MemoryModel.Memory mem = m.track(emb.get(z), z, 1, List.of(cond), bank);
					check(frames.get(z), mem);
					bank.add(mem);
				}
			}
		}
	}

	private static void check(final JsonObject f, final MemoryModel.Memory m)
		throws IOException
	{
		final int z = f.get("z").getAsInt();
		Conformance.compare(DIR, "slice " + z + " pred_mask", f.getAsJsonObject("pred_mask"), m
			.prediction().best().logits(), 2e-3, false);
		Conformance.assertArea(f, m.prediction().best().area(), "slice " + z);
	}

	@Test
	void theEngineTracksWithTheMemory() throws IOException {
		final JsonObject c = Conformance.json(DIR.resolve("cases.json"), JsonObject.class);
		final Volume v = ImagePlanes.volume(ImageFiles.open(DIR.resolve(c.get("volume")
			.getAsString())), 1, 1);
		final JsonObject pj = c.getAsJsonObject("prompt");
		try (Segmenter seg = new Segmenter(ModelLoader.load(ModelLoader.filesIn(DIR),
			RuntimeOptions.defaults()), "sam2-memory", new EmbeddingCache(1024)))
		{
			final Propagation.Result r = new Propagator(seg).propagate(v, Normalization.AUTO, List
				.of(new Propagation.Target(1, List.of(new Propagation.Seed(pj.get("slice").getAsInt(),
					Conformance.prompt(pj))))), Propagation.Options.defaults().withMinAreaRatio(0), null,
				null);
			assertEquals(v.nz(), r.slices().size(), r.stops().toString());
			for (final JsonElement e : c.getAsJsonArray("frames")) {
				final JsonObject f = e.getAsJsonObject();
				int area = 0;
				for (final short s : r.labels()[f.get("z").getAsInt()]) if (s == 1) area++;
				Conformance.assertArea(f, area, "engine, slice " + f.get("z"));
			}
			assertEquals(v.nz(), seg.encoderRuns(), "each slice encoded once");
		}
	}

	/**
	 * A second prompted (corrected) slice is one more conditioning frame of the walks that
	 * meet it, as in SAM 2's video predictor: the engine's slice between the two equals
	 * tracking with both prompted memories, which differs from tracking with the first alone;
	 * the walk away from it (below the first prompted slice) does not change.
	 */
	@Test
	void aCorrectedSliceIsAnExtraConditioningFrame() throws IOException {
		final JsonObject c = Conformance.json(DIR.resolve("cases.json"), JsonObject.class);
		final Volume v = ImagePlanes.volume(ImageFiles.open(DIR.resolve(c.get("volume")
			.getAsString())), 1, 1);
		final JsonObject pj = c.getAsJsonObject("prompt");
		final int zp = pj.get("slice").getAsInt(), zc = zp + 8, z = zp + 1;
		final ObjectPrompt prompt = Conformance.prompt(pj);
		try (Segmenter seg = new Segmenter(ModelLoader.load(ModelLoader.filesIn(DIR),
			RuntimeOptions.defaults()), "sam2-memory", new EmbeddingCache(1024)))
		{
			final Propagation.Result r = new Propagator(seg).propagate(v, Normalization.AUTO, List
				.of(new Propagation.Target(1, List.of(new Propagation.Seed(zp, prompt),
					new Propagation.Seed(zc, prompt)))), Propagation.Options.defaults()
						.withMinAreaRatio(0), null, null);
			final Sam2MemoryModel m = (Sam2MemoryModel) seg.model();
			final Normalization norm = org.anyseg.ops.volume.VolumeNormalization.resolve(
				Normalization.AUTO, v);
			final MemoryModel.Memory p = m.prompted(seg.embed(v.plane(zp), norm), zp,
				prompt), q = m.prompted(seg.embed(v.plane(zc), norm), zc, prompt);
			final float[] both = m.track(seg.embed(v.plane(z), norm), z, 1, List.of(
				p, q), List.of()).prediction().best().logits();
			final float[] one = m.track(seg.embed(v.plane(z), norm), z, 1, List.of(
				p), List.of()).prediction().best().logits();
			int area = 0, expected = 0;
			for (final short s : r.labels()[z]) if (s == 1) area++;
			for (final float f : both) if (f > 0) expected++;
			assertEquals(expected, area, "slice " + z + ": tracked with both prompted slices");
			double diff = 0;
			for (int i = 0; i < one.length; i++) diff = Math.max(diff, Math.abs(one[i] - both[i]));
			assertTrue(diff > 1e-3, "the second conditioning frame changes the logits: " + diff);
			final Propagation.Result alone = new Propagator(seg).propagate(v, Normalization.AUTO,
				List.of(new Propagation.Target(1, List.of(new Propagation.Seed(zp, prompt)))),
				Propagation.Options.defaults().withMinAreaRatio(0), null, null);
			for (int b = 0; b < zp; b++) {
				org.junit.jupiter.api.Assertions.assertArrayEquals(alone.labels()[b], r.labels()[b],
					"slice " + b + " lies beyond the correction");
			}
		}
	}
}

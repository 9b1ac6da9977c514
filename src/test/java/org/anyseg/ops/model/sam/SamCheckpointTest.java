package org.anyseg.ops.model.sam;

import static org.anyseg.ops.model.sam.SamCheckpointFixture.DIR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * A small random SAM checkpoint ({@code fixtures/sam_checkpoint}, made by
 * tools/fixtures/make_sam_checkpoint.py with the project's own reference, itself checked
 * against Meta's code) loaded through the model loader exactly as {@code --model FILE.pth}:
 * the image embedding, the four predicted IoUs and the four masks at the image size equal
 * the reference for a point, a box, a box with a negative point and several points, on an
 * RGB and a grey 8-bit image; the float16 copy of the same weights agrees within float16's
 * precision.
 */
class SamCheckpointTest {

	private static final Map<String, PromptableModel> MODELS = new ConcurrentHashMap<>();
	private static final Map<String, Embedding> EMBEDDINGS = new ConcurrentHashMap<>();
	private static JsonObject cases;

	@BeforeAll
	static void load() {
		cases = SamCheckpointFixture.cases();
	}

	@AfterAll
	static void close() {
		MODELS.values().forEach(PromptableModel::close);
	}

	private static PromptableModel model(final String file) {
		return MODELS.computeIfAbsent(file, f -> ModelLoader.load(ModelCatalog.standard().resolve(
			DIR.resolve(f).toString()), RuntimeOptions.defaults()));
	}

	@TestFactory
	Stream<DynamicTest> everyStageEqualsTheReference() {
		return tests("tiny_sam.pth", 1e-4, 1e-4, 0.999);
	}

	/** Tolerances from SPEC_sam_checkpoint.md: embedding 3.6e-3, IoU 1.2e-4, masks 0.997. */
	@TestFactory
	Stream<DynamicTest> float16WeightsAgreeWithinTheirPrecision() {
		return tests("tiny_sam_fp16.pth", 5e-3, 5e-4, 0.99);
	}

	private Stream<DynamicTest> tests(final String file, final double embTol,
		final double iouTol, final double maskIou)
	{
		final List<DynamicTest> tests = new ArrayList<>();
		for (final String image : List.of("synth_rgb", "synth_gray")) {
			final JsonObject im = cases.getAsJsonObject(image);
			tests.add(DynamicTest.dynamicTest(image + " embedding", () -> {
				final float[] got = encode(file, image).tensor("image_embeddings").toArray();
				final float[] want = SamCheckpointFixture.floats(DIR.resolve(image +
					".embedding.f32"));
				assertEquals(want.length, got.length);
				final double d = SamCheckpointFixture.maxDiff(got, want);
				assertTrue(d < embTol, "embedding differs by " + d);
			}));
			for (final String c : im.getAsJsonObject("cases").keySet()) {
				tests.add(DynamicTest.dynamicTest(image + " " + c, () -> checkCase(file, image, im
					.getAsJsonObject("cases").getAsJsonObject(c), c, iouTol, maskIou)));
			}
		}
		return tests.stream();
	}

	private static void checkCase(final String file, final String image, final JsonObject c,
		final String name, final double iouTol, final double maskIou) throws IOException
	{
		final List<MaskCandidate> got = model(file).decode(encode(file, image),
			SamCheckpointFixture.prompt(c)).candidates();
		final JsonArray iou = c.getAsJsonArray("iou");
		assertEquals(iou.size(), got.size(), "mask count");
		for (int k = 0; k < got.size(); k++) {
			assertEquals(iou.get(k).getAsFloat(), got.get(k).iou(), iouTol, "IoU prediction " + k);
			final double j = SamCheckpointFixture.iou(got.get(k), image, name, k);
			assertTrue(j >= maskIou, image + " " + name + " mask " + k + ": IoU " + j);
		}
	}

	private static Embedding encode(final String file, final String image) {
		return EMBEDDINGS.computeIfAbsent(file + "/" + image, k -> {
			try {
				final BufferedImage im = ImageIO.read(DIR.resolve(image + ".png").toFile());
				return model(file).encode(SamCheckpointFixture.rgb255(image), im.getWidth(), im
					.getHeight());
			}
			catch (final IOException e) {
				throw new IllegalStateException(e);
			}
		});
	}
}

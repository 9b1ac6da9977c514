package org.anyseg.ops.model.sam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonObject;

/**
 * The tiny checkpoint on real images of {@code ../shared/data} (a 16-bit DSB nucleus image
 * and a Kvasir polyp JPEG that SAM's resize shrinks): the four masks of a point, a box, a
 * box with a negative point and several points equal the reference's (IoU at least 0.999).
 */
@Tag("realdata")
class SamCheckpointRealDataTest {

	@TestFactory
	Stream<DynamicTest> realImagesGiveTheReferenceMasks() throws Exception {
		return Fixtures.sharedDataTests("tiny SAM checkpoint on real images", data -> {
			final JsonObject real = SamCheckpointFixture.cases().getAsJsonObject("real");
			final PromptableModel model = ModelLoader.load(List.of(ModelFile.of(
				SamCheckpointFixture.DIR.resolve("tiny_sam.pth"))), RuntimeOptions.defaults());
			final List<DynamicTest> tests = new ArrayList<>();
			for (final String image : real.keySet()) {
				final JsonObject im = real.getAsJsonObject(image);
				tests.add(DynamicTest.dynamicTest(image, () -> {
					final int w = im.get("width").getAsInt(), h = im.get("height").getAsInt();
					final float[][] rgb = rgb255(data.resolve(im.get("path").getAsString()), im.get(
						"to_uint8").getAsString(), w, h);
					Assumptions.assumeTrue(sha256(rgb).equals(im.get("uint8_sha256").getAsString()),
						"Skipped: this JVM decodes " + image + " differently from Pillow (another JPEG " +
							"decoder), so its masks cannot be compared exactly");
					final Embedding e = model.encode(rgb, w, h);
					final JsonObject cases = im.getAsJsonObject("cases");
					for (final String c : cases.keySet()) {
						final List<MaskCandidate> got = model.decode(e, SamCheckpointFixture.prompt(
							cases.getAsJsonObject(c))).candidates();
						assertEquals(4, got.size());
						for (int k = 0; k < 4; k++) {
							final double iou = SamCheckpointFixture.iou(got.get(k).logits(),
								SamCheckpointFixture.mask(SamCheckpointFixture.DIR.resolve("real/" + image +
									"." + c + ".mask" + k + ".png")));
							assertTrue(iou >= 0.999, image + " " + c + " mask " + k + ": IoU " + iou);
						}
					}
				}));
			}
			tests.add(DynamicTest.dynamicTest("close", model::close));
			return tests.stream();
		});
	}

	/** The image as the reference made its 8-bit RGB (SPEC_sam_checkpoint.md). */
	private static float[][] rgb255(final Path file, final String how, final int w,
		final int h) throws Exception
	{
		final float[][] rgb = new float[3][w * h];
		if (how.equals("pil_rgb")) {
			final BufferedImage im = ImageIO.read(file.toFile());
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int p = im.getRGB(x, y);
					rgb[0][y * w + x] = p >> 16 & 255;
					rgb[1][y * w + x] = p >> 8 & 255;
					rgb[2][y * w + x] = p & 255;
				}
			}
			return rgb;
		}
		final Plane plane = ImagePlanes.plane(ImageFiles.open(file), PlaneSelection.FIRST);
		final float[] v = plane.channel(0);
		float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
		for (final float f : v) {
			lo = Math.min(lo, f);
			hi = Math.max(hi, f);
		}
		for (int i = 0; i < v.length; i++) {
			final float u = (float) Math.floor((v[i] - lo) * 255.0 / (hi - lo) + 0.5);
			rgb[0][i] = rgb[1][i] = rgb[2][i] = u;
		}
		return rgb;
	}

	private static String sha256(final float[][] rgb) throws Exception {
		final MessageDigest d = MessageDigest.getInstance("SHA-256");
		final byte[] px = new byte[rgb[0].length * 3];
		for (int i = 0; i < rgb[0].length; i++) {
			for (int b = 0; b < 3; b++) px[3 * i + b] = (byte) rgb[b][i];
		}
		return HexFormat.of().formatHex(d.digest(px));
	}
}

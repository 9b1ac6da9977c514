package org.anyseg.ops.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.anyseg.ops.family.InputRecipe;
import org.anyseg.ops.family.SamPreprocessing;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.ModelFrame;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@link PillowResize} against Pillow's own {@code Image.resize(size, BILINEAR)} output
 * (fixtures of {@code tools/fixtures/make_pillow_resize.py}): every case byte-identical. Also
 * the SAM recipe's choice ({@link InputRecipe}): uint8 channels through PillowResize,
 * anything else, and every other recipe, through the float {@link Resampler}.
 */
class PillowResizeTest {

	private static Path dir() {
		return Fixtures.root().resolve("pillow_resize");
	}

	@TestFactory
	Stream<DynamicTest> byteIdenticalToPillow() throws IOException {
		final JsonObject manifest = JsonParser.parseString(Files.readString(dir().resolve(
			"cases.json"))).getAsJsonObject();
		final List<DynamicTest> tests = new ArrayList<>();
		for (final JsonElement e : manifest.getAsJsonArray("cases")) {
			final JsonObject c = e.getAsJsonObject();
			tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> check(c)));
		}
		assertTrue(tests.size() >= 15, "fixture cases found: " + tests.size());
		return tests.stream();
	}

	private static void check(final JsonObject c) throws Exception {
		final String name = c.get("name").getAsString();
		final int w = c.get("width").getAsInt(), h = c.get("height").getAsInt();
		final int nw = c.get("new_width").getAsInt(), nh = c.get("new_height").getAsInt();
		final int channels = c.get("channels").getAsInt();
		if (c.get("rule").getAsString().equals("sam")) {
			final ModelFrame f = new ModelFrame(w, h, 1024);
			assertEquals(nw + "x" + nh, f.resizedWidth() + "x" + f.resizedHeight(),
				name + ": ModelFrame's resized size is SAM's get_preprocess_shape");
		}
		final byte[][] src = readPlanes(dir().resolve(c.get("src").getAsString()), w, h, channels);
		final byte[][] expected = readPlanes(dir().resolve(c.get("dst").getAsString()), nw, nh,
			channels);
		assertEquals(c.get("dst_sha256").getAsString(), sha256(interleave(expected)), name +
			": the PNG decodes to the bytes Pillow wrote");
		final byte[][] actual = channels == 1 ? new byte[][] { PillowResize.bilinear(src[0], w, h,
			nw, nh) } : PillowResize.bilinear(src, w, h, nw, nh);
		for (int b = 0; b < channels; b++) {
			int differing = 0, maxDiff = 0, first = -1;
			for (int i = 0; i < expected[b].length; i++) {
				final int d = Math.abs((actual[b][i] & 0xFF) - (expected[b][i] & 0xFF));
				if (d != 0) {
					if (first < 0) first = i;
					differing++;
					maxDiff = Math.max(maxDiff, d);
				}
			}
			assertEquals(0, differing, name + " band " + b + ": " + differing + " of " +
				expected[b].length + " pixels differ from Pillow (max " + maxDiff +
				" grey levels, first at x=" + (first < 0 ? -1 : first % nw) + " y=" + (first < 0 ? -1
					: first / nw) + ")");
		}
	}

	@Test
	void samePlaneIsResizedOnceAndShared() {
		final byte[] g = { 0, 10, (byte) 200, (byte) 255, 7, 9 };
		final byte[][] out = PillowResize.bilinear(new byte[][] { g, g, g }, 3, 2, 5, 4);
		assertSame(out[0], out[1]);
		assertSame(out[0], out[2]);
		assertArrayEquals(PillowResize.bilinear(g, 3, 2, 5, 4), out[0]);
	}

	@Test
	void sameSizeCopiesAndNeverWritesTheInput() {
		final byte[] src = { 1, 2, 3, 4, 5, 6 };
		final byte[] out = PillowResize.bilinear(src, 3, 2, 3, 2);
		assertArrayEquals(src, out);
		out[0] = 99;
		assertEquals(1, src[0]);
		PillowResize.bilinear(src, 3, 2, 2, 7);
		assertArrayEquals(new byte[] { 1, 2, 3, 4, 5, 6 }, src);
	}

	@Test
	void handWorkedDownscale() {
		// 4 -> 2: taps {.75,.75,.25}/1.75 and {.25,.75,.75}/1.75 on 0,10,20,30: 7.14 and 22.86
		final byte[] out = PillowResize.bilinear(new byte[] { 0, 10, 20, 30 }, 4, 1, 2, 1);
		assertArrayEquals(new byte[] { 7, 23 }, out);
	}

	@Test
	void validatesArguments() {
		final byte[] p = new byte[6];
		assertThrows(NullPointerException.class, () -> PillowResize.bilinear((byte[]) null, 3, 2,
			4, 4));
		assertThrows(NullPointerException.class, () -> PillowResize.bilinear((byte[][]) null, 3,
			2, 4, 4));
		assertThrows(NullPointerException.class, () -> PillowResize.bilinear(new byte[][] { p,
			null }, 3, 2, 4, 4));
		for (final int[] s : new int[][] { { 0, 2, 4, 4 }, { 3, 0, 4, 4 }, { 3, 2, 0, 4 }, { 3, 2,
			4, 0 }, { -3, -2, 4, 4 }, { 3, 2, -1, 4 } })
		{
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> PillowResize.bilinear(p, s[0], s[1], s[2], s[3]));
			assertTrue(e.getMessage().contains("at least 1x1"), e.getMessage());
		}
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> PillowResize.bilinear(p, 2, 2, 4, 4));
		assertTrue(e.getMessage().contains("6 values, not 2x2"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> PillowResize.bilinear(p, 3, 2, 65536,
			65536));
	}

	// --- the SAM recipe resizes uint8 channels through PillowResize, anything else as floats

	private static float[][] randomRgb(final long seed, final int n) {
		final java.util.Random r = new java.util.Random(seed);
		final float[][] rgb = new float[3][n];
		for (final float[] c : rgb) {
			for (int i = 0; i < n; i++) c[i] = r.nextInt(256);
		}
		return rgb;
	}

	private static float[] pillow(final float[] v, final int w, final int h, final int nw,
		final int nh)
	{
		final byte[] b = new byte[v.length];
		for (int i = 0; i < v.length; i++) b[i] = (byte) (int) v[i];
		final byte[] r = PillowResize.bilinear(b, w, h, nw, nh);
		final float[] f = new float[r.length];
		for (int i = 0; i < f.length; i++) f[i] = r[i] & 0xFF;
		return f;
	}

	@Test
	void samRecipeResizesUint8ChannelsLikePillow() {
		final int w = 150, h = 100, nw = 1024, nh = 683;
		final float[][] rgb = randomRgb(1, w * h);
		final InputRecipe sam = InputRecipe.sam(1024);
		assertEquals(InputRecipe.Resize.PILLOW_UINT8, sam.resize());
		final float[][] r = sam.resized(rgb, w, h);
		final ModelFrame frame = new ModelFrame(w, h, 1024);
		final float[][] viaFrame = SamPreprocessing.resize(rgb, frame);
		final FloatTensor t = SamPreprocessing.normalizedPadded(rgb, frame);
		final float[] tv = t.toArray();
		for (int c = 0; c < 3; c++) {
			final float[] expected = pillow(rgb[c], w, h, nw, nh);
			assertArrayEquals(expected, r[c], "channel " + c);
			assertArrayEquals(expected, viaFrame[c], "channel " + c);
			for (final int i : new int[] { 0, 777, nw * nh - 1 }) {
				final float want = (expected[i] - SamPreprocessing.mean(c)) / SamPreprocessing.std(c);
				final int y = i / nw, x = i % nw;
				assertEquals(want, tv[(c * 1024 + y) * 1024 + x], 1e-5f, "tensor " + c + "," + i);
			}
		}
		final float[] hwc = SamPreprocessing.resizedHwc(rgb, frame).toArray();
		assertEquals(r[1][500], hwc[3 * 500 + 1]);
	}

	@Test
	void grayChannelsAreResizedOnceAndStayShared() {
		final float[] g = randomRgb(2, 40 * 30)[0];
		final float[][] r = InputRecipe.sam(1024).resized(new float[][] { g, g, g }, 40, 30);
		assertSame(r[0], r[1]);
		assertSame(r[0], r[2]);
		assertArrayEquals(pillow(g, 40, 30, 1024, 768), r[0]);
	}

	@Test
	void valuesWithoutAUint8CounterpartKeepTheFloatResize() {
		final int w = 40, h = 30;
		for (final float odd : new float[] { 12.5f, -1f, 256f, Float.NaN }) {
			final float[][] rgb = randomRgb(3, w * h);
			rgb[2][17] = odd;
			final float[][] r = InputRecipe.sam(1024).resized(rgb, w, h);
			for (int c = 0; c < 3; c++) {
				assertArrayEquals(Resampler.resize(rgb[c], w, h, 1024, 768), r[c], "value " + odd +
					", channel " + c);
			}
		}
	}

	@Test
	void otherRecipesKeepTheFloatResize() {
		final float[][] rgb = randomRgb(4, 40 * 30);
		final InputRecipe lite = new InputRecipe(InputRecipe.Geometry.LONG_SIDE_PAD, 256,
			InputRecipe.Values.MINMAX);
		final InputRecipe medsam = new InputRecipe(InputRecipe.Geometry.STRETCH, 1024,
			InputRecipe.Values.MINMAX);
		assertEquals(InputRecipe.Resize.FLOAT, lite.resize());
		assertArrayEquals(Resampler.resize(rgb[0], 40, 30, 256, 192), lite.resized(rgb, 40,
			30)[0]);
		assertArrayEquals(Resampler.resize(rgb[1], 40, 30, 1024, 1024), medsam.resized(rgb, 40,
			30)[1]);
		assertEquals(InputRecipe.Resize.PILLOW_UINT8, InputRecipe.sam(512).withValues(
			InputRecipe.Values.UNIT).withSide(1024).resize(), "with... keeps the resize");
	}

	/** The planes of an 8-bit gray or RGB PNG, exactly as stored. */
	private static byte[][] readPlanes(final Path png, final int w, final int h,
		final int channels) throws IOException
	{
		final BufferedImage img = ImageIO.read(png.toFile());
		assertEquals(w + "x" + h, img.getWidth() + "x" + img.getHeight(), png.toString());
		final Raster r = img.getRaster();
		assertEquals(channels, r.getNumBands(), png.toString());
		final byte[][] planes = new byte[channels][w * h];
		final int[] v = new int[w * h];
		for (int b = 0; b < channels; b++) {
			r.getSamples(0, 0, w, h, b, v);
			for (int i = 0; i < v.length; i++) planes[b][i] = (byte) v[i];
		}
		return planes;
	}

	private static byte[] interleave(final byte[][] planes) {
		final int n = planes[0].length, c = planes.length;
		final byte[] out = new byte[n * c];
		for (int i = 0; i < n; i++) {
			for (int b = 0; b < c; b++) out[i * c + b] = planes[b][i];
		}
		return out;
	}

	private static String sha256(final byte[] bytes) throws NoSuchAlgorithmException {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}
}

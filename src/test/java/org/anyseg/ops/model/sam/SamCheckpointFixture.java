package org.anyseg.ops.model.sam;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.anyseg.testutil.Fixtures;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The reference values of {@code fixtures/sam_checkpoint} (tools/fixtures/make_sam_checkpoint.py,
 * SPEC_sam_checkpoint.md): images, prompts in ImageJ's terms, expected masks.
 */
public final class SamCheckpointFixture {

	public static final Path DIR = Fixtures.root().resolve("sam_checkpoint");

	private SamCheckpointFixture() {}

	/** {@code cases.json}. */
	public static JsonObject cases() {
		try {
			return JsonParser.parseString(Files.readString(DIR.resolve("cases.json")))
				.getAsJsonObject();
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Three planes 0..255 of a fixture image (a grey one repeats its channel). */
	public static float[][] rgb255(final String image) throws IOException {
		return rgb255(DIR.resolve(image + ".png"));
	}

	/** Three planes 0..255 (grey images repeat their one channel, as SAM's predictor does). */
	public static float[][] rgb255(final Path png) throws IOException {
		final BufferedImage im = ImageIO.read(png.toFile());
		final int w = im.getWidth(), h = im.getHeight();
		final float[][] rgb = new float[3][w * h];
		final boolean grey = im.getRaster().getNumBands() == 1;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				for (int b = 0; b < 3; b++) {
					rgb[b][y * w + x] = im.getRaster().getSample(x, y, grey ? 0 : b);
				}
			}
		}
		return rgb;
	}

	/** A binary PNG mask as booleans, row-major. */
	public static boolean[] mask(final Path png) throws IOException {
		final BufferedImage im = ImageIO.read(png.toFile());
		final boolean[] m = new boolean[im.getWidth() * im.getHeight()];
		for (int y = 0; y < im.getHeight(); y++) {
			for (int x = 0; x < im.getWidth(); x++) {
				m[y * im.getWidth() + x] = im.getRaster().getSample(x, y, 0) > 0;
			}
		}
		return m;
	}

	/** IoU of a candidate's mask (logits above 0) with the reference mask of token k. */
	public static double iou(final MaskCandidate c, final String image, final String prompt,
		final int k) throws IOException
	{
		return iou(c.logits(), mask(DIR.resolve(image + "." + prompt + ".mask" + k + ".png")));
	}

	public static double iou(final float[] logits, final boolean[] want) {
		int inter = 0, union = 0;
		for (int i = 0; i < want.length; i++) {
			final boolean g = logits[i] > 0;
			if (g && want[i]) inter++;
			if (g || want[i]) union++;
		}
		return union == 0 ? 1 : inter / (double) union;
	}

	/** A case's prompt in ImageJ's terms: a box's X1 is exclusive, SAM's corner inclusive. */
	public static ObjectPrompt prompt(final JsonObject c) {
		final List<PointPrompt> pts = new ArrayList<>();
		if (c.get("points").isJsonArray()) {
			final JsonArray xy = c.getAsJsonArray("points"), l = c.getAsJsonArray("labels");
			for (int i = 0; i < xy.size(); i++) {
				final JsonArray p = xy.get(i).getAsJsonArray();
				pts.add(new PointPrompt(p.get(0).getAsDouble(), p.get(1).getAsDouble(), l.get(i)
					.getAsInt() == 1));
			}
		}
		final JsonElement b = c.get("box");
		final BoxPrompt box = b.isJsonArray() ? new BoxPrompt(b.getAsJsonArray().get(0)
			.getAsDouble(), b.getAsJsonArray().get(1).getAsDouble(), b.getAsJsonArray().get(2)
				.getAsDouble() + 1, b.getAsJsonArray().get(3).getAsDouble() + 1) : null;
		return new ObjectPrompt(1, pts, box, null);
	}

	/** Raw little-endian float32 values. */
	public static float[] floats(final Path f) throws IOException {
		final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
		final float[] a = new float[b.remaining() / 4];
		b.asFloatBuffer().get(a);
		return a;
	}

	public static double maxDiff(final float[] a, final float[] b) {
		double m = 0;
		for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
		return m;
	}
}

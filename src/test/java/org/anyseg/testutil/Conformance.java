package org.anyseg.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Reading the conformance fixtures made by {@code tools/fixtures/make_family_*.py}: cases,
 * prompts, normalizations, and value-by-value comparison with the reference arrays.
 */
public final class Conformance {

	/** Logits beyond this magnitude on the same side count as equal (saturated sigmoids). */
	private static final double SATURATED = 8;

	private Conformance() {}

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

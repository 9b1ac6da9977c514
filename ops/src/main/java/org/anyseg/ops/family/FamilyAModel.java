package org.anyseg.ops.family;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.ModelFrame;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * A Family A model: SAM preprocessing, encoder run, prompt encoding in the resized-1024
 * frame ({@link ModelFrame}), decoder run and SAM's mask selection.
 */
final class FamilyAModel implements PromptableModel {

	private final String family;
	private final OnnxGraph encoder;
	private final OnnxGraph decoder;
	private final boolean hwc;
	/** The encoder input, reused from plane to plane (guarded by {@code this}). */
	private FloatTensor input;

	FamilyAModel(final String family, final OnnxGraph encoder, final OnnxGraph decoder) {
		this.family = family;
		this.encoder = encoder;
		this.decoder = decoder;
		this.hwc = FamilyA.takesHwc(encoder);
	}

	@Override
	public String family() {
		return family;
	}

	@Override
	public int maskInputSize() {
		return FamilyA.MASK_SIDE;
	}

	@Override
	public float[] maskInput(final byte[] mask, final int width, final int height) {
		return SamPreprocessing.maskToLowRes(mask, new ModelFrame(width, height, FamilyA.LONG_SIDE),
			FamilyA.MASK_SIDE);
	}

	/** The exact encoder input for a plane (exposed for conformance tests). */
	synchronized FloatTensor preprocess(final float[][] rgb255, final int width,
		final int height)
	{
		final ModelFrame frame = new ModelFrame(width, height, FamilyA.LONG_SIDE);
		if (hwc) return SamPreprocessing.resizedHwc(rgb255, frame);
		input = SamPreprocessing.normalizedPadded(rgb255, frame, input);
		return input;
	}

	@Override
	public synchronized Embedding encode(final float[][] rgb255, final int width,
		final int height)
	{
		return runEncoder(preprocess(rgb255, width, height), width, height);
	}

	Embedding runEncoder(final FloatTensor input, final int width, final int height) {
		// ONNX Runtime writes the embedding straight into the direct buffer the cache keeps
		final FloatTensor emb = FloatTensor.allocate(1, 256, FamilyA.EMBED_SIDE, FamilyA.EMBED_SIDE);
		try (OnnxTensor in = input.toOnnx(); OnnxTensor out = emb.toOnnx()) {
			encoder.runInto(Map.of(FamilyA.ENC_IN, in), Map.of(FamilyA.EMBEDDINGS, out));
			return new Embedding(width, height, Map.of(FamilyA.EMBEDDINGS, emb));
		}
		catch (final OrtException e) {
			throw new AnySegException("The encoder " + encoder.file().name() + " failed: " + e
				.getMessage(), e);
		}
	}

	@Override
	public Prediction decode(final Embedding embedding, final ObjectPrompt prompt) {
		final int w = embedding.width(), h = embedding.height();
		prompt.checkInside(w, h);
		final ModelFrame frame = new ModelFrame(w, h, FamilyA.LONG_SIDE);
		final float[][] pts = encodePoints(prompt, frame);
		final int n = pts[1].length;
		final float[] maskIn = prompt.maskInput() != null ? prompt.maskInput()
			: new float[FamilyA.MASK_SIDE * FamilyA.MASK_SIDE];
		if (maskIn.length != FamilyA.MASK_SIDE * FamilyA.MASK_SIDE) {
			throw new AnySegException("Mask input has " + maskIn.length + " values; this model " +
				"takes a " + FamilyA.MASK_SIDE + "x" + FamilyA.MASK_SIDE + " low-res mask.");
		}
		final Map<String, OnnxTensor> feeds = new HashMap<>();
		try {
			feeds.put(FamilyA.EMBEDDINGS, embedding.tensor(FamilyA.EMBEDDINGS).toOnnx());
			feeds.put(FamilyA.POINT_COORDS, FloatTensor.of(pts[0], 1, n, 2).toOnnx());
			feeds.put(FamilyA.POINT_LABELS, FloatTensor.of(pts[1], 1, n).toOnnx());
			feeds.put(FamilyA.MASK_INPUT, FloatTensor.of(maskIn, 1, 1, FamilyA.MASK_SIDE,
				FamilyA.MASK_SIDE).toOnnx());
			feeds.put(FamilyA.HAS_MASK_INPUT, FloatTensor.of(new float[] { prompt
				.maskInput() != null ? 1 : 0 }, 1).toOnnx());
			feeds.put(FamilyA.ORIG_SIZE, FloatTensor.of(new float[] { h, w }, 2).toOnnx());
			try (OrtSession.Result r = decoder.run(feeds)) {
				final List<MaskCandidate> c = candidates(r, w, h);
				return new Prediction(prompt.label(), w, h, c, MaskSelection.choose(c, prompt
					.isSingleClick()));
			}
		}
		catch (final OrtException e) {
			throw new AnySegException("The decoder " + decoder.file().name() + " failed: " + e
				.getMessage(), e);
		}
		finally {
			feeds.values().forEach(OnnxTensor::close);
		}
	}

	/**
	 * SAM's point encoding: clicks (label 1 or 0), then a box as two corners (labels 2, 3);
	 * without a box one padding point (0, 0) with label -1. Returns {coords, labels}.
	 */
	static float[][] encodePoints(final ObjectPrompt prompt, final ModelFrame frame) {
		final List<float[]> list = new ArrayList<>();
		for (final PointPrompt p : prompt.points()) {
			list.add(new float[] { (float) frame.mapX(p.x()), (float) frame.mapY(p.y()), p
				.positive() ? 1 : 0 });
		}
		final BoxPrompt box = prompt.box();
		if (box != null) {
			final double[] c = box.inclusiveCorners();
			list.add(new float[] { (float) frame.mapX(c[0]), (float) frame.mapY(c[1]), 2 });
			list.add(new float[] { (float) frame.mapX(c[2]), (float) frame.mapY(c[3]), 3 });
		}
		else {
			list.add(new float[] { 0, 0, -1 });
		}
		final float[] coords = new float[2 * list.size()];
		final float[] labels = new float[list.size()];
		for (int i = 0; i < list.size(); i++) {
			coords[2 * i] = list.get(i)[0];
			coords[2 * i + 1] = list.get(i)[1];
			labels[i] = list.get(i)[2];
		}
		return new float[][] { coords, labels };
	}

	private static List<MaskCandidate> candidates(final OrtSession.Result r, final int w,
		final int h) throws OrtException
	{
		final java.nio.FloatBuffer masks = output(r, FamilyA.MASKS).getFloatBuffer();
		final java.nio.FloatBuffer low = output(r, FamilyA.LOW_RES).getFloatBuffer();
		final float[] iou = floats(output(r, FamilyA.IOU));
		final int m = iou.length, plane = w * h, lowPlane = FamilyA.MASK_SIDE * FamilyA.MASK_SIDE;
		if (masks.capacity() != m * plane || low.capacity() != m * lowPlane) {
			throw new AnySegException("The decoder returned masks of an unexpected size (" + masks
				.capacity() + " values for " + m + " masks of " + w + "x" + h + "); it does not " +
				"follow the SAM decoder export it claims to.");
		}
		final List<MaskCandidate> list = new ArrayList<>(m);
		for (int i = 0; i < m; i++) {
			final float[] lm = new float[plane];
			masks.get(i * plane, lm);
			final float[] ll = new float[lowPlane];
			low.get(i * lowPlane, ll);
			list.add(new MaskCandidate(i, iou[i], lm, ll));
		}
		return list;
	}

	private static OnnxTensor output(final OrtSession.Result r, final String name) {
		return (OnnxTensor) r.get(name).orElseThrow(() -> new AnySegException(
			"The model gave no output named " + name + "."));
	}

	private static float[] floats(final OnnxTensor t) {
		final java.nio.FloatBuffer b = t.getFloatBuffer();
		final float[] a = new float[b.remaining()];
		b.get(a);
		return a;
	}

	@Override
	public void close() {
		try (encoder; decoder) {
			// both closed
		}
	}
}

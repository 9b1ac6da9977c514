package org.anyseg.ops.family;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.Finite;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.MemoryModel;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptFrame;
import org.anyseg.ops.prompt.ObjectPrompt;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The four-graph SAM 2 video export. Single planes: encoder, then decoder on the encoder's
 * {@code vision_feats} with the prompt (SAM 2's frame of an unmemoried, prompted frame).
 * Tracking, as SAM 2's {@code _prepare_memory_conditioned_features}: memory frames are the
 * conditioning (prompted) frames plus the {@value #RECENT} most recent tracked frames (oldest
 * first, temporal code row 6 for the conditioning frames and {@code distance - 1} for the
 * others); object pointers are those of the conditioning frames behind the walk (as SAM 2
 * evaluates, {@code only_obj_ptrs_in_the_past_for_eval}) plus up to {@value #RECENT_PTRS}
 * recent ones (nearest first), whose position rows are zero; memory attention gives the
 * frame's {@code image_embed}; the decoder runs with the "no prompt" point.
 */
final class Sam2MemoryModel extends RecipeModel implements MemoryModel {

	static final int RECENT = 6;
	static final int RECENT_PTRS = 15;
	static final int COND_ROW = 6;
	private static final int TOKENS = 4096, MEM_DIM = 64, PTR_DIM = 256, PTR_TOKENS = 4;

	private final OnnxGraph attention;
	private final OnnxGraph memoryEncoder;

	Sam2MemoryModel(final String family, final OnnxGraph encoder, final OnnxGraph decoder,
		final OnnxGraph attention, final OnnxGraph memoryEncoder, final InputRecipe recipe)
	{
		super(family, encoder, decoder, Map.of(Sam2Memory.HIGH_RES_FEAT0,
			Sam2Memory.HIGH_RES_FEATS_0, Sam2Memory.HIGH_RES_FEAT1, Sam2Memory.HIGH_RES_FEATS_1,
			Sam2Memory.VISION_FEATS, Sam2Memory.IMAGE_EMBED), recipe);
		this.attention = attention;
		this.memoryEncoder = memoryEncoder;
	}

	/** One frame's memory: its mask memory, position encoding, object pointer. */
	record Frame(int frame, Prediction prediction, float[] features, float[] pos, float[] ptr,
		float[] temporal) implements Memory
	{}

	@Override
	public int maxRecent() {
		return RECENT_PTRS;
	}

	@Override
	protected List<Feed> promptFeeds(final ObjectPrompt prompt, final int width,
		final int height)
	{
		final float[][] pts = SamPrompts.encode(prompt, PromptFrame.stretched(width, height,
			Sam2Model.SIDE), false, true);
		return feeds(pts[0], pts[1], width, height);
	}

	private List<Feed> feeds(final float[] coords, final float[] labels, final int w,
		final int h)
	{
		final int n = labels.length;
		return List.of(Feed.floats(Sam2Memory.POINT_COORDS, coords, 1, n, 2), Feed.as(decoder,
			Sam2Memory.POINT_LABELS, labels, 1, n), Feed.as(decoder, Sam2Memory.FRAME_SIZE, new float[] { h, w }, 2));
	}

	@Override
	protected List<MaskCandidate> candidates(final Outputs out, final int width,
		final int height) throws OrtException
	{
		// the export has no IoU head: the predicted IoU is unknown
		return candidates(out.floats(Sam2Memory.PRED_MASK), null, new float[] { Float.NaN }, width *
			height, 0);
	}

	@Override
	public Memory prompted(final Embedding e, final int frame, final ObjectPrompt prompt) {
		prompt.checkInside(e.width(), e.height());
		return run(e, frame, prompt.label(), e.tensor(Sam2Memory.IMAGE_EMBED), promptFeeds(prompt, e
			.width(), e.height()));
	}

	@Override
	public Memory track(final Embedding e, final int frame, final int label,
		final List<Memory> conditioning, final List<Memory> recent)
	{
		final Frame cond = (Frame) conditioning.get(0);
		final List<Frame> mem = new ArrayList<>();
		final List<Integer> rows = new ArrayList<>();
		for (final Memory c : conditioning) {
			mem.add((Frame) c);
			rows.add(COND_ROW);
		}
		for (int i = Math.max(0, recent.size() - RECENT); i < recent.size(); i++) {
			final Frame f = (Frame) recent.get(i);
			mem.add(f);
			rows.add(Math.min(COND_ROW - 1, Math.abs(frame - f.frame()) - 1));
		}
		// object pointers: the prompted frames behind the walk (SAM 2 evaluates with
		// only_obj_ptrs_in_the_past), then the recent ones, nearest first
		final List<Frame> ptrs = new ArrayList<>();
		for (final Memory c : conditioning) {
			if (Integer.signum(c.frame() - frame) == Integer.signum(cond.frame() - frame)) {
				ptrs.add((Frame) c);
			}
		}
		for (int i = recent.size() - 1; i >= Math.max(0, recent.size() - RECENT_PTRS); i--) {
			ptrs.add((Frame) recent.get(i));
		}
		final int buf = mem.size(), num = ptrs.size();
		final float[] m1 = new float[buf * MEM_DIM * TOKENS];
		final float[] pos = new float[(buf * TOKENS + PTR_TOKENS * num) * MEM_DIM];
		for (int i = 0; i < buf; i++) {
			final Frame f = mem.get(i);
			System.arraycopy(f.features(), 0, m1, i * MEM_DIM * TOKENS, MEM_DIM * TOKENS);
			final int row = rows.get(i) * MEM_DIM;
			for (int p = 0; p < TOKENS; p++) {
				final int o = (i * TOKENS + p) * MEM_DIM;
				for (int c = 0; c < MEM_DIM; c++) {
					pos[o + c] = f.pos()[p * MEM_DIM + c] + cond.temporal()[row + c];
				}
			}
		}
		final float[] m0 = new float[num * PTR_DIM];
		for (int j = 0; j < num; j++) System.arraycopy(ptrs.get(j).ptr(), 0, m0, j * PTR_DIM, PTR_DIM);
		final FloatTensor embed = attend(e, m0, num, m1, buf, pos);
		return run(e, frame, label, embed, feeds(new float[] { 0, 0 }, new float[] { -1 }, e
			.width(), e.height()));
	}

	/** Memory attention: the frame's features conditioned on the memories. */
	private FloatTensor attend(final Embedding e, final float[] m0, final int num,
		final float[] m1, final int buf, final float[] pos)
	{
		final Map<String, OnnxTensor> f = new HashMap<>();
		try {
			f.put(Sam2Memory.CURRENT_VISION_FEAT, e.tensor(Sam2Memory.IMAGE_EMBED).toOnnx());
			f.put(Sam2Memory.CURRENT_VISION_POS_EMBED, e.tensor(Sam2Memory.VISION_POS_EMBED).toOnnx());
			f.put(Sam2Memory.MEMORY_0, FloatTensor.of(m0, num, PTR_DIM).toOnnx());
			f.put(Sam2Memory.MEMORY_1, FloatTensor.of(m1, buf, MEM_DIM, 64, 64).toOnnx());
			f.put(Sam2Memory.MEMORY_POS_EMBED, FloatTensor.of(pos, buf * TOKENS + PTR_TOKENS * num, 1,
				MEM_DIM).toOnnx());
			try (OrtSession.Result r = attention.run(f)) {
				final OnnxTensor t = (OnnxTensor) r.get(Sam2Memory.IMAGE_EMBED).orElseThrow();
				return FloatTensor.of(floats(t, Sam2Memory.IMAGE_EMBED, attention), t.getInfo().getShape());
			}
		}
		catch (final OrtException ex) {
			throw new AnySegException("The memory attention " + attention.file().name() +
				" failed: " + ex.getMessage(), ex);
		}
		finally {
			f.values().forEach(OnnxTensor::close);
		}
	}

	/** Decoder on the given image_embed, then the memory encoder on its mask. */
	private Frame run(final Embedding e, final int frame, final int label,
		final FloatTensor imageEmbed, final List<Feed> prompt)
	{
		final int w = e.width(), h = e.height();
		final Map<String, OnnxTensor> f = new HashMap<>();
		try {
			f.put(Sam2Memory.IMAGE_EMBED, imageEmbed.toOnnx());
			f.put(Sam2Memory.HIGH_RES_FEATS_0, e.tensor(Sam2Memory.HIGH_RES_FEATS_0).toOnnx());
			f.put(Sam2Memory.HIGH_RES_FEATS_1, e.tensor(Sam2Memory.HIGH_RES_FEATS_1).toOnnx());
			for (final Feed p : prompt) f.put(p.name(), p.toOnnx());
			final float[] mask, ptr;
			final FloatTensor forMem;
			try (OrtSession.Result r = decoder.run(f)) {
				mask = floats((OnnxTensor) r.get(Sam2Memory.PRED_MASK).orElseThrow(), Sam2Memory.PRED_MASK, decoder);
				ptr = floats((OnnxTensor) r.get(Sam2Memory.OBJ_PTR).orElseThrow(), Sam2Memory.OBJ_PTR, decoder);
				final OnnxTensor m = (OnnxTensor) r.get(Sam2Memory.MASK_FOR_MEM).orElseThrow();
				forMem = FloatTensor.of(floats(m, Sam2Memory.MASK_FOR_MEM, decoder), m.getInfo().getShape());
			}
			if (mask.length != w * h) {
				throw new AnySegException("The decoder returned a mask of " + mask.length +
					" values for a " + w + "x" + h + " slice.");
			}
			final Map<String, OnnxTensor> g = new HashMap<>();
			try {
				g.put(Sam2Memory.MASK_FOR_MEM, forMem.toOnnx());
				g.put(Sam2Memory.PIX_FEAT, e.tensor(Sam2Memory.PIX_FEAT).toOnnx());
				try (OrtSession.Result r = memoryEncoder.run(g)) {
					final Prediction p = new Prediction(label, w, h, List.of(new MaskCandidate(0,
						Float.NaN, mask, null)), 0);
					return new Frame(frame, p, floats((OnnxTensor) r.get(Sam2Memory.MASKMEM_FEATURES)
						.orElseThrow(), Sam2Memory.MASKMEM_FEATURES, memoryEncoder), floats((OnnxTensor) r.get(
						Sam2Memory.MASKMEM_POS_ENC).orElseThrow(), Sam2Memory.MASKMEM_POS_ENC, memoryEncoder), ptr,
						floats((OnnxTensor) r.get(Sam2Memory.TEMPORAL_CODE).orElseThrow(), Sam2Memory.TEMPORAL_CODE,
						memoryEncoder));
				}
			}
			finally {
				g.values().forEach(OnnxTensor::close);
			}
		}
		catch (final OrtException ex) {
			throw new AnySegException("SAM 2 tracking failed on slice " + frame + ": " + ex
				.getMessage(), ex);
		}
		finally {
			f.values().forEach(OnnxTensor::close);
		}
	}

	private static float[] floats(final OnnxTensor t, final String name, final OnnxGraph g) {
		final FloatBuffer b = t.getFloatBuffer();
		final float[] a = new float[b.remaining()];
		b.get(a);
		return Finite.require(a, name, g);
	}

	@Override
	public void close() {
		try (attention; memoryEncoder) {
			super.close();
		}
	}
}

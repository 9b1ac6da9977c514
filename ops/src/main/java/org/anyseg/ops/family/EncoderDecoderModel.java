package org.anyseg.ops.family;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.Feed;
import org.anyseg.ops.model.Finite;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.MaskCandidate;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.Prediction;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.TensorSpec;
import org.anyseg.ops.prompt.ObjectPrompt;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * What every encoder + decoder family shares: run the encoder once per plane keeping all
 * its float outputs as the embedding, feed the embedding tensors the decoder takes by name
 * together with the family's prompt tensors, and choose among the returned masks. A family
 * supplies its preprocessing, its prompt tensors and the reading of its outputs.
 */
abstract class EncoderDecoderModel implements PromptableModel {

	private final String family;
	protected final OnnxGraph encoder;
	protected final OnnxGraph decoder;
	private final String encoderInput;
	private final Map<String, String> embeddingNames;
	/** The encoder input, reused from plane to plane (guarded by {@code this}). */
	private FloatTensor input;
	/** Set when the decoder failed on a batch although its first dimension is free. */
	private volatile boolean batchRefused;
	private final PromptBatches batches;
	/** Whether prompts are batched (on a GPU; tests switch it on for the CPU). */
	private volatile boolean batching;
	/** Decoder runs so far (for tests of batching). */
	final java.util.concurrent.atomic.AtomicInteger decoderRuns =
		new java.util.concurrent.atomic.AtomicInteger();

	protected EncoderDecoderModel(final String family, final OnnxGraph encoder,
		final OnnxGraph decoder)
	{
		this(family, encoder, decoder, Map.of());
	}

	/**
	 * @param embeddingNames encoder outputs to keep under another name (the decoder input
	 *          they feed), for exports whose two graphs name the tensor differently
	 */
	protected EncoderDecoderModel(final String family, final OnnxGraph encoder,
		final OnnxGraph decoder, final Map<String, String> embeddingNames)
	{
		this.family = family;
		this.encoder = encoder;
		this.decoder = decoder;
		this.encoderInput = encoder.inputs().keySet().iterator().next();
		this.embeddingNames = Map.copyOf(embeddingNames);
		this.batching = decoder.onGpu();
		this.batches = new PromptBatches(decoder);
	}

	/** Whether this model batches prompts unless told otherwise (on a GPU). */
	boolean decoderBatchesByDefault() {
		return decoder.onGpu();
	}

	/** Batches prompts (or not) whatever the device; for tests and benchmarks. */
	void setBatching(final boolean on) {
		batching = on;
	}

	/** The encoder input for a plane, written into {@code reuse} when it fits. */
	protected abstract FloatTensor preprocess(float[][] rgb255, int width, int height,
		FloatTensor reuse);

	/** The decoder inputs that carry the prompt (everything but the embedding). */
	protected abstract List<Feed> promptFeeds(ObjectPrompt prompt, int width, int height);

	/** The candidate masks, at the image size, from the decoder's outputs. */
	protected abstract List<MaskCandidate> candidates(Outputs out, int width, int height)
		throws OrtException;

	/** Refuses prompts the model was not made for; by default accepts all. */
	protected void checkPrompt(final ObjectPrompt prompt) {}

	@Override
	public String family() {
		return family;
	}

	@Override
	public int maskInputSize() {
		return 0;
	}

	@Override
	public float[] maskInput(final byte[] mask, final int width, final int height) {
		return null;
	}

	/** The exact encoder input for a plane (exposed for conformance tests). */
	synchronized FloatTensor preprocess(final float[][] rgb255, final int width,
		final int height)
	{
		input = preprocess(rgb255, width, height, input);
		return input;
	}

	@Override
	public synchronized Embedding encode(final float[][] rgb255, final int width,
		final int height)
	{
		return runEncoder(preprocess(rgb255, width, height), width, height);
	}

	Embedding runEncoder(final FloatTensor in, final int width, final int height) {
		final Map<String, FloatTensor> out = new HashMap<>();
		try (OnnxTensor x = in.toOnnx()) {
			final Map<String, TensorSpec> specs = encoder.outputs();
			if (specs.values().stream().allMatch(s -> s.type() == OnnxJavaType.FLOAT && Arrays
				.stream(s.shape()).allMatch(d -> d > 0)))
			{
				// ONNX Runtime writes straight into the direct buffers the cache keeps
				final Map<String, OnnxTensor> pinned = new HashMap<>();
				try {
					for (final TensorSpec s : specs.values()) {
						final FloatTensor t = FloatTensor.allocate(s.shape());
						out.put(s.name(), t);
						pinned.put(s.name(), t.toOnnx());
					}
					encoder.runInto(Map.of(encoderInput, x), pinned);
				}
				finally {
					pinned.values().forEach(OnnxTensor::close);
				}
			}
			else {
				try (OrtSession.Result r = encoder.run(Map.of(encoderInput, x))) {
					for (final Map.Entry<String, OnnxValue> e : r) {
						if (e.getValue() instanceof OnnxTensor t && t.getInfo()
							.type == OnnxJavaType.FLOAT)
						{
							final FloatBuffer b = t.getFloatBuffer();
							final float[] a = new float[b.remaining()];
							b.get(a);
							out.put(e.getKey(), FloatTensor.of(a, t.getInfo().getShape()));
						}
					}
				}
			}
			for (final Map.Entry<String, FloatTensor> e : out.entrySet()) {
				Finite.require(e.getValue().buffer(), e.getKey(), encoder);
			}
			for (final Map.Entry<String, String> e : embeddingNames.entrySet()) {
				if (out.containsKey(e.getKey())) out.put(e.getValue(), out.remove(e.getKey()));
			}
			return new Embedding(width, height, out);
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
		checkPrompt(prompt);
		return run(embedding, List.of(prompt), promptFeeds(prompt, w, h)).get(0);
	}

	/**
	 * Decodes several prompts. On a GPU, prompts that fit together (same number of points,
	 * same shared inputs) go to the decoder in one run when its prompt inputs have a free
	 * first dimension (SAM 2 exports, EfficientViT-SAM); on the CPU, or when the graph refuses
	 * a batch, one prompt per run: measured on 2 cores, batches were 1.0-2x slower (the
	 * decoders repeat the image embedding for every prompt of a batch; BENCHMARKS.md). The
	 * results are those of {@link #decode} either way.
	 */
	@Override
	public List<Prediction> decodeAll(final Embedding embedding,
		final List<ObjectPrompt> prompts)
	{
		final int w = embedding.width(), h = embedding.height();
		for (final ObjectPrompt p : prompts) {
			p.checkInside(w, h);
			checkPrompt(p);
		}
		if (prompts.size() < 2 || batchRefused || !batching) {
			return PromptableModel.super.decodeAll(embedding, prompts);
		}
		final List<List<Feed>> feeds = new ArrayList<>(prompts.size());
		final Map<String, List<Integer>> groups = new LinkedHashMap<>();
		for (int i = 0; i < prompts.size(); i++) {
			feeds.add(promptFeeds(prompts.get(i), w, h));
			final String key = batches.key(feeds.get(i));
			if (key == null) return PromptableModel.super.decodeAll(embedding, prompts);
			groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
		}
		final int rows = PromptBatches.rows(w, h);
		final Prediction[] out = new Prediction[prompts.size()];
		for (final List<Integer> group : groups.values()) {
			for (int from = 0; from < group.size(); from += rows) {
				final List<Integer> chunk = group.subList(from, Math.min(group.size(), from + rows));
				final List<ObjectPrompt> ps = new ArrayList<>(chunk.size());
				final List<List<Feed>> fs = new ArrayList<>(chunk.size());
				for (final int i : chunk) {
					ps.add(prompts.get(i));
					fs.add(feeds.get(i));
				}
				List<Prediction> r;
				try {
					r = run(embedding, ps, batches.stack(fs));
				}
				catch (final AnySegException e) {
					if (chunk.size() == 1) throw e;
					// the graph's first dimension is free but it does not batch: one by one from now
					batchRefused = true;
					r = PromptableModel.super.decodeAll(embedding, ps);
				}
				for (int k = 0; k < chunk.size(); k++) out[chunk.get(k)] = r.get(k);
			}
		}
		return new ArrayList<>(Arrays.asList(out));
	}

	/** One decoder run for {@code prompts.size()} prompts whose feeds are given. */
	private List<Prediction> run(final Embedding embedding, final List<ObjectPrompt> prompts,
		final List<Feed> promptFeeds)
	{
		final int w = embedding.width(), h = embedding.height();
		final Map<String, OnnxTensor> feeds = new HashMap<>();
		try {
			for (final Map.Entry<String, FloatTensor> e : embedding.tensors().entrySet()) {
				if (decoder.input(e.getKey()) != null) feeds.put(e.getKey(), e.getValue().toOnnx());
			}
			for (final Feed f : promptFeeds) feeds.put(f.name(), f.toOnnx());
			decoderRuns.incrementAndGet();
			try (OrtSession.Result r = decoder.run(feeds)) {
				final List<Prediction> out = new ArrayList<>(prompts.size());
				final Outputs all = new Outputs(r, decoder);
				for (int i = 0; i < prompts.size(); i++) {
					final ObjectPrompt p = prompts.get(i);
					final List<MaskCandidate> c = candidates(all.row(i, prompts.size()), w, h);
					out.add(new Prediction(p.label(), w, h, c, MaskSelection.choose(c, p
						.isSingleClick())));
				}
				return out;
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

	/** Candidates from per-mask arrays (full-size logits, optional low-res logits, IoU). */
	static List<MaskCandidate> candidates(final float[] full, final float[] low,
		final float[] iou, final int plane, final int lowPlane)
	{
		final int m = iou.length;
		if (full.length != m * plane || low != null && low.length != m * lowPlane) {
			throw new AnySegException("The decoder returned " + full.length + " mask values for " +
				m + " masks of " + plane + " pixels; it does not follow the interface of the " +
				"family it was detected as.");
		}
		final List<MaskCandidate> list = new ArrayList<>(m);
		for (int i = 0; i < m; i++) {
			list.add(new MaskCandidate(i, iou[i], Arrays.copyOfRange(full, i * plane, (i + 1) *
				plane), low == null ? null : Arrays.copyOfRange(low, i * lowPlane, (i + 1) *
					lowPlane)));
		}
		return list;
	}

	/**
	 * Candidates from low-res logits only ({@code side x side} per mask), each turned into
	 * full-size logits by {@code toFull}.
	 */
	static List<MaskCandidate> fromLowRes(final float[] low, final float[] iou, final int side,
		final int width, final int height, final java.util.function.UnaryOperator<float[]> toFull)
	{
		final int lowPlane = side * side, plane = width * height;
		if (low.length != iou.length * lowPlane) {
			throw new AnySegException("The decoder returned " + low.length + " mask values for " +
				iou.length + " masks; expected " + side + "x" + side + " low-res masks.");
		}
		final float[] full = new float[iou.length * plane];
		for (int i = 0; i < iou.length; i++) {
			System.arraycopy(toFull.apply(Arrays.copyOfRange(low, i * lowPlane, (i + 1) * lowPlane)),
				0, full, i * plane, plane);
		}
		return candidates(full, low, iou, plane, lowPlane);
	}

	@Override
	public void close() {
		try (encoder; decoder) {
			// both closed
		}
	}
}

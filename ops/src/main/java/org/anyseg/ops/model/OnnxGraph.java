package org.anyseg.ops.model;

import java.nio.file.Files;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.graph.ConstantIfInliner;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * One ONNX Runtime session over one model file, with its inputs and outputs described as
 * {@link TensorSpec}s. Thread-safe for {@link #run}; close it to free native memory.
 */
public final class OnnxGraph implements AutoCloseable {

	private final ModelFile file;
	private final OrtSession session;
	private final boolean gpu;
	/** Runs hold the read lock, close the write lock. */
	private final java.util.concurrent.locks.ReadWriteLock lock =
		new java.util.concurrent.locks.ReentrantReadWriteLock();
	private boolean closed;
	private final Map<String, TensorSpec> inputs;
	private final Map<String, TensorSpec> outputs;
	private final GraphSetting setting;
	private final int inlinedIfs;
	private volatile GraphRecorder recorder;
	private String part = "";

	private OnnxGraph(final ModelFile file, final OrtSession session, final boolean gpu,
		final GraphSetting setting, final int inlinedIfs) throws OrtException
	{
		this.file = file;
		this.session = session;
		this.gpu = gpu;
		this.setting = setting;
		this.inlinedIfs = inlinedIfs;
		this.inputs = specs(session.getInputInfo());
		this.outputs = specs(session.getOutputInfo());
	}

	/**
	 * Opens a session on a model file with full optimisation ({@link GraphSetting#FULL}).
	 *
	 * @throws AnySegException when the file is missing or ONNX Runtime cannot load it
	 */
	public static OnnxGraph open(final ModelFile file, final RuntimeOptions options) {
		return open(file, options, GraphSetting.FULL, true);
	}

	/**
	 * Opens a session on a model file with the given optimisation setting. With
	 * {@code inlineConstantIfs} (and any setting but {@link GraphSetting#NONE}), {@code If}
	 * nodes whose condition is constant are first replaced by their taken branch in memory
	 * ({@link ConstantIfInliner}); the file itself is never changed.
	 *
	 * @throws AnySegException when the file is missing or ONNX Runtime cannot load it
	 */
	public static OnnxGraph open(final ModelFile file, final RuntimeOptions options,
		final GraphSetting setting, final boolean inlineConstantIfs)
	{
		if (file.path() != null && !Files.isRegularFile(file.path())) {
			throw new AnySegException("Model file not found: " + file.path() +
				". Check the path or download the model again.");
		}
		if (file.path() != null) org.anyseg.ops.model.graph.ExternalDataCheck.check(file.path()); // issue 15: before ONNX Runtime allocates
		try (OrtSession.SessionOptions so = options.toSessionOptions()) {
			setting.apply(so);
			final OrtEnvironment env = OrtEnvironment.getEnvironment();
			// a bundled file is read once, for the rewrite and the session alike
			final byte[] bundled = file.path() == null ? file.bytes() : null;
			final ConstantIfInliner.Result inlined = inlineConstantIfs &&
				setting != GraphSetting.NONE ? ModelBytes.inlineConstantIfs(file, bundled) : null;
			final OrtSession s;
			if (inlined != null) {
				if (file.path() != null) {
					// external weights stay beside the file
					so.addConfigEntry("session.model_external_initializers_file_folder_path", file
						.path().toAbsolutePath().getParent().toString());
				}
				// the branch that is never taken may leave initializers unused: not worth a warning
				so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
				s = env.createSession(inlined.model(), so);
			}
			else {
				s = bundled == null ? env.createSession(file.path().toString(), so) : env
					.createSession(bundled, so);
			}
			return new OnnxGraph(file, s, !options.device().equals(RuntimeOptions.CPU), setting,
				inlined == null ? 0 : inlined.inlined());
		}
		catch (final OrtException e) {
			throw new AnySegException("ONNX Runtime cannot load model file " + file.name() +
				" (" + firstLine(e.getMessage()) + "). The file is corrupt, truncated or not an " +
				"ONNX model: download or export it again.", e);
		}
	}

	/**
	 * Opens a session on a graph built in memory ({@link
	 * org.anyseg.ops.model.graph.OnnxGraphBuilder}) whose weights are bound from
	 * {@code weights} or read from external data files in {@code externalFolder}. ONNX Runtime
	 * copies bound weights into the session (documented for {@code AddExternalInitializers}),
	 * so the caller may free them once this returns.
	 *
	 * @param part which graph of the file this is, for messages ("encoder", "decoder")
	 */
	public static OnnxGraph ofBuilt(final ModelFile file, final String part,
		final java.nio.ByteBuffer model, final Map<String, ai.onnxruntime.OnnxTensorLike> weights,
		final java.nio.file.Path externalFolder, final RuntimeOptions options)
	{
		try (OrtSession.SessionOptions so = options.toSessionOptions()) {
			GraphSetting.FULL.apply(so);
			if (!weights.isEmpty()) so.addExternalInitializers(weights);
			if (externalFolder != null) {
				so.addConfigEntry("session.model_external_initializers_file_folder_path",
					externalFolder.toString());
			}
			final OnnxGraph g = new OnnxGraph(file, OrtEnvironment.getEnvironment().createSession(
				model, so), !options.device().equals(RuntimeOptions.CPU), GraphSetting.FULL, 0);
			g.part = " (" + part + ")";
			return g;
		}
		catch (final OrtException e) {
			throw new AnySegException("ONNX Runtime cannot build the " + part + " of " + file
				.name() + " (" + firstLine(e.getMessage()) + "). This is a bug in AnySeg's " +
				"graph for this architecture: please report it with the model's name.", e);
		}
	}

	private static String firstLine(final String s) {
		if (s == null) return "no detail";
		final int nl = s.indexOf('\n');
		return nl < 0 ? s : s.substring(0, nl);
	}

	private static Map<String, TensorSpec> specs(final Map<String, NodeInfo> info) {
		final Map<String, TensorSpec> m = new LinkedHashMap<>();
		for (final NodeInfo n : info.values()) {
			if (n.getInfo() instanceof TensorInfo t) {
				m.put(n.getName(), new TensorSpec(n.getName(), t.type, t.getShape()));
			}
		}
		return Collections.unmodifiableMap(m);
	}

	/** The optimisation setting this session was created with. */
	public GraphSetting setting() {
		return setting;
	}

	/** How many constant-condition {@code If} nodes were replaced by their branch. */
	public int inlinedIfs() {
		return inlinedIfs;
	}

	/** Records every run's inputs and outputs (for {@link GraphCheck}); {@code null} stops. */
	void record(final GraphRecorder r) {
		this.recorder = r;
	}

	/** Whether the session runs on a GPU. */
	public boolean onGpu() {
		return gpu;
	}

	public ModelFile file() {
		return file;
	}

	public Map<String, TensorSpec> inputs() {
		return inputs;
	}

	public Map<String, TensorSpec> outputs() {
		return outputs;
	}

	public TensorSpec input(final String name) {
		return inputs.get(name);
	}

	/** Runs the graph; the caller closes the result. */
	public OrtSession.Result run(final Map<String, OnnxTensor> feeds) throws OrtException {
		lock.readLock().lock();
		try {
			checkOpen();
			final GraphRecorder r = recorder;
			if (r == null) return session.run(feeds);
			final OrtSession.Result result = session.run(feeds);
			r.record(this, feeds, result);
			return result;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/** Runs the graph writing the named outputs into the given tensors (no copies). */
	public void runInto(final Map<String, OnnxTensor> feeds, final Map<String, OnnxTensor> outputs)
		throws OrtException
	{
		lock.readLock().lock();
		try {
			checkOpen();
			session.run(feeds, outputs).close();
			final GraphRecorder r = recorder;
			if (r != null) r.record(this, feeds, outputs);
		}
		finally {
			lock.readLock().unlock();
		}
	}

	private void checkOpen() {
		if (closed) {
			throw new AnySegException("The model " + file.name() + " was closed (settings " +
				"changed or the model was unloaded) while it was in use: run the command again.");
		}
	}

	/** Inputs and outputs, for error messages: {@code in: a float[1,3], ... out: ...}. */
	public String describe() {
		return file.name() + part + ": inputs " + inputs.values() + ", outputs " + outputs.values();
	}

	/**
	 * Closes the session once the runs in progress have finished (closing it under a running
	 * graph crashes the JVM in native code); later runs fail with a clear message.
	 */
	@Override
	public void close() {
		lock.writeLock().lock();
		try {
			if (closed) return;
			closed = true;
			session.close();
		}
		catch (final OrtException e) {
			throw new IllegalStateException("Closing ONNX session of " + file.name() + " failed",
				e);
		}
		finally {
			lock.writeLock().unlock();
		}
	}
}

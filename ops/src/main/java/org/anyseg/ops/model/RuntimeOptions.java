package org.anyseg.ops.model;

import org.anyseg.ops.AnySegException;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime session settings shared by every graph of a model.
 *
 * @param threads intra-op threads (defaults to the machine's cores)
 * @param cpuArena whether ONNX Runtime keeps its growing CPU memory arena; off by default,
 *          which bounds peak memory of the first encoder runs at little cost in speed
 *          (see BENCHMARKS.md)
 */
public record RuntimeOptions(int threads, boolean cpuArena) {

	public RuntimeOptions {
		if (threads < 1) {
			throw new AnySegException("Thread count must be at least 1, got " + threads + ".");
		}
	}

	public static RuntimeOptions defaults() {
		return new RuntimeOptions(Runtime.getRuntime().availableProcessors(), false);
	}

	public RuntimeOptions withThreads(final int n) {
		return new RuntimeOptions(n, cpuArena);
	}

	/** Session options for these settings; the caller closes them. */
	public OrtSession.SessionOptions toSessionOptions() throws OrtException {
		final OrtSession.SessionOptions o = new OrtSession.SessionOptions();
		o.setIntraOpNumThreads(threads);
		o.setInterOpNumThreads(1);
		o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
		o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
		o.setCPUArenaAllocator(cpuArena);
		o.setMemoryPatternOptimization(cpuArena);
		// idle ONNX Runtime threads must not spin: they would steal the cores that Java
		// preprocessing and the UI need between runs
		o.addConfigEntry("session.intra_op.allow_spinning", "0");
		return o;
	}
}

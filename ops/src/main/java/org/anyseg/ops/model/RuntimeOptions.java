package org.anyseg.ops.model;

import java.util.EnumSet;
import java.util.Locale;

import org.anyseg.ops.AnySegException;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime session settings shared by every graph of a model.
 *
 * @param threads intra-op threads (defaults to the machine's cores)
 * @param cpuArena whether ONNX Runtime keeps its growing CPU memory arena; off by default,
 *          which bounds peak memory of the first encoder runs at little cost in speed
 *          (see BENCHMARKS.md)
 * @param device {@code cpu}, or {@code cuda} / {@code cuda:N} for an NVIDIA GPU, which needs
 *          ONNX Runtime's GPU build ({@code onnxruntime_gpu}) on the class path
 */
public record RuntimeOptions(int threads, boolean cpuArena, String device) {

	public static final String CPU = "cpu";
	/** More threads than this only stall session creation. */
	public static final int MAX_THREADS = 1024;

	public RuntimeOptions {
		if (threads < 1 || threads > MAX_THREADS) {
			throw new AnySegException("Thread count must be from 1 to " + MAX_THREADS + ", got " +
				threads + " (this computer has " + Runtime.getRuntime().availableProcessors() +
				" cores).");
		}
		device = device == null ? CPU : device.trim().toLowerCase(Locale.ROOT);
		if (!device.equals(CPU) && !device.matches("cuda(:\\d+)?")) {
			throw new AnySegException("Unknown device '" + device + "': use cpu, cuda or cuda:N " +
				"(N = GPU number).");
		}
	}

	public static RuntimeOptions defaults() {
		return new RuntimeOptions(Runtime.getRuntime().availableProcessors(), false, CPU);
	}

	public RuntimeOptions withThreads(final int n) {
		return new RuntimeOptions(n, cpuArena, device);
	}

	public RuntimeOptions withDevice(final String d) {
		return new RuntimeOptions(threads, cpuArena, d);
	}

	/** Whether this ONNX Runtime can run on CUDA GPUs (its GPU build is on the class path). */
	public static boolean cudaAvailable() {
		final EnumSet<OrtProvider> p = OrtEnvironment.getAvailableProviders();
		return p.contains(OrtProvider.CUDA);
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
		if (!device.equals(CPU)) {
			if (!cudaAvailable()) {
				o.close();
				throw new AnySegException("The GPU (" + device + ") was asked for, but this ONNX " +
					"Runtime has no CUDA support (available: " + OrtEnvironment
						.getAvailableProviders() + "). Replace onnxruntime-*.jar by ONNX Runtime's GPU " +
					"build onnxruntime_gpu-*.jar of the same version (see docs/models.md, 'GPU'), " +
					"or choose the CPU.");
			}
			final int id = device.contains(":") ? Integer.parseInt(device.substring(5)) : 0;
			try {
				o.addCUDA(id);
			}
			catch (final OrtException e) {
				o.close();
				throw new AnySegException("Cannot use CUDA GPU " + id + ": " + e.getMessage() +
					". Check the NVIDIA driver and CUDA/cuDNN versions ONNX Runtime's GPU build " +
					"needs, or choose the CPU.", e);
			}
		}
		return o;
	}
}

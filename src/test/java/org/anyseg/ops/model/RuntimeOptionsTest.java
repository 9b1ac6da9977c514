package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anyseg.ops.AnySegException;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Device selection: CPU by default; asking for CUDA on ONNX Runtime's CPU build (what Maven
 * Central's {@code onnxruntime} is) fails with a message saying how to get the GPU build.
 */
class RuntimeOptionsTest {

	@Test
	void cpuByDefaultAndDevicesAreChecked() {
		assertEquals("cpu", RuntimeOptions.defaults().device());
		assertEquals("cuda:1", RuntimeOptions.defaults().withDevice(" CUDA:1 ").device());
		final AnySegException e = assertThrows(AnySegException.class, () -> RuntimeOptions
			.defaults().withDevice("gpu"));
		assertTrue(e.getMessage().contains("use cpu, cuda or cuda:N"), e.getMessage());
	}

	@Test
	void cudaOnTheCpuBuildSaysWhatToDo() {
		Assumptions.assumeFalse(RuntimeOptions.cudaAvailable(), "this ONNX Runtime has CUDA");
		final AnySegException e = assertThrows(AnySegException.class, () -> ModelLoader.load(
			Fixtures.samOnnxModel("encoder_normalized.onnx", "decoder_m1.onnx"), RuntimeOptions
				.defaults().withDevice("cuda")));
		assertTrue(e.getMessage().contains("no CUDA support") && e.getMessage().contains(
			"onnxruntime_gpu"), e.getMessage());
	}
}

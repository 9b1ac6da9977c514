package org.anyseg.ops.model.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.OnnxGraph;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Issue 15: an ONNX file's external data is checked before ONNX Runtime allocates
 * (fixtures by tools/fixtures/make_external_data.py: Y = X * W + B, W float[2,3] at offset
 * 0 and B float[3] at offset 32 of weights.bin, 44 bytes). The good model loads and
 * computes; each bad one is refused by the check and by model loading, naming the tensor
 * and the sizes; every cut of the data file is refused, every link out of the folder too.
 */
class ExternalDataCheckTest {

	@TempDir
	Path tmp;

	static Path dir(final String c) {
		return Fixtures.root().resolve("external_data").resolve(c);
	}

	private static OnnxGraph open(final Path model) {
		return OnnxGraph.open(ModelFile.of(model), RuntimeOptions.defaults().withThreads(1));
	}

	@Test
	void theGoodModelPassesLoadsAndComputes() throws Exception {
		final Path model = dir("good").resolve("model.onnx");
		assertEquals(2, ExternalDataCheck.check(model), "W and B are external");
		try (OnnxGraph g = open(model); OnnxTensor x = OnnxTensor.createTensor(OrtEnvironment
			.getEnvironment(), FloatBuffer.wrap(new float[] { 1, 1, 1, 2, 2, 2 }), new long[] { 2,
				3 }); OrtSession.Result r = g.run(Map.of("X", x)))
		{
			final float[][] y = (float[][]) r.get("Y").orElseThrow().getValue();
			assertArrayEquals(new float[] { 10, 20.5f, 31 }, y[0], 1e-6f);
			assertArrayEquals(new float[] { 13, 24, 35 }, y[1], 1e-6f);
		}
		// models without external data pass untouched
		assertEquals(0, ExternalDataCheck.check(Fixtures.samOnnx().resolve("decoder_m4.onnx")));
	}

	@Test
	void eachBadFixtureIsRefusedBeforeOnnxRuntimeReadsIt() {
		final Map<String, String[]> expected = Map.of( //
			"truncated", new String[] { "'B'", "32..44", "30 bytes", "truncated" }, //
			"wrong_length", new String[] { "'W'", "20 bytes", "needs 24 bytes", "[2, 3]" }, //
			"parent_location", new String[] { "'W'", "../weights.bin", "not a file name" }, //
			"absolute_location", new String[] { "'W'", "/tmp/anyseg-weights.bin",
				"not a file name" }, //
			"missing_file", new String[] { "'W'", "missing.bin", "missing" }, //
			"subfolder_location", new String[] { "'W'", "sub/weights.bin", "not a file name" }, //
			"memory_address", new String[] { "'W'", "_ORT_MEM_ADDR_", "not a file name" }, //
			"negative_offset", new String[] { "'W'", "offset", "-8" });
		for (final Map.Entry<String, String[]> c : expected.entrySet()) {
			final Path model = dir(c.getKey()).resolve("model.onnx");
			for (final String via : new String[] { "check", "load" }) {
				final AnySegException e = assertThrows(AnySegException.class, () -> {
					if (via.equals("check")) ExternalDataCheck.check(model);
					else open(model).close();
				}, c.getKey() + " " + via);
				for (final String s : c.getValue()) {
					assertTrue(e.getMessage().contains(s), c.getKey() + " " + via + ": '" + s +
						"' in " + e.getMessage());
				}
				assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
			}
		}
	}

	/** Every length of the data file short of 44 bytes is refused; 44 and more pass. */
	@Test
	void everyCutOfTheDataFileIsRefused() throws Exception {
		final byte[] weights = Files.readAllBytes(dir("good").resolve("weights.bin"));
		final Path d = Files.createDirectories(tmp.resolve("cut"));
		Files.copy(dir("good").resolve("model.onnx"), d.resolve("model.onnx"));
		int refused = 0;
		for (int n = 0; n <= weights.length + 4; n++) {
			Files.write(d.resolve("weights.bin"), Arrays.copyOf(weights, n));
			if (n < weights.length) {
				final AnySegException e = assertThrows(AnySegException.class, () -> ExternalDataCheck
					.check(d.resolve("model.onnx")), "cut to " + n);
				assertTrue(e.getMessage().contains("has " + n + " bytes"), e.getMessage());
				refused++;
			}
			else assertEquals(2, ExternalDataCheck.check(d.resolve("model.onnx")), "length " + n);
		}
		assertEquals(44, refused);
	}

	/** A data file that is a link: fine inside the model folder, refused when it leads out. */
	@Test
	void linksMayNotLeadOutOfTheModelFolder() throws Exception {
		final Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
		Files.copy(dir("good").resolve("weights.bin"), outside.resolve("real.bin"));
		final Path d = Files.createDirectories(tmp.resolve("model"));
		Files.copy(dir("good").resolve("model.onnx"), d.resolve("model.onnx"));
		Files.createSymbolicLink(d.resolve("weights.bin"), outside.resolve("real.bin"));
		final AnySegException e = assertThrows(AnySegException.class, () -> ExternalDataCheck
			.check(d.resolve("model.onnx")));
		assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
		// a folder link to the model folder itself is fine: the data stays inside it
		Files.delete(d.resolve("weights.bin"));
		Files.copy(outside.resolve("real.bin"), d.resolve("real.bin"));
		Files.createSymbolicLink(d.resolve("weights.bin"), d.resolve("real.bin"));
		assertEquals(2, ExternalDataCheck.check(d.resolve("model.onnx")));
		final Path linkedFolder = Files.createSymbolicLink(tmp.resolve("linked"), d);
		assertEquals(2, ExternalDataCheck.check(linkedFolder.resolve("model.onnx")));
	}

	/** Bytes per tensor by type: 4-bit types round up, unknown types are not compared. */
	@Test
	void tensorSizesFollowDimsAndType() {
		final long[][] cases = { { 1, 4 * 6 }, { 10, 2 * 6 }, { 7, 8 * 6 }, { 2, 6 }, { 22, 3 }, {
			15, 16 * 6 }, { 9, 6 }, { 16, 12 } };
		for (final long[] c : cases) {
			assertEquals(c[1], ExternalDataCheck.bytes("t", new long[] { 2, 3 }, (int) c[0]),
				"type " + c[0]);
		}
		assertEquals(2, ExternalDataCheck.bytes("t", new long[] { 3 }, 21), "3 uint4: 2 bytes");
		assertEquals(-1, ExternalDataCheck.bytes("t", new long[] { 3 }, 99));
		assertEquals(0, ExternalDataCheck.bytes("t", new long[] { 0, 5 }, 1));
		assertThrows(AnySegException.class, () -> ExternalDataCheck.bytes("t", new long[] {
			1L << 40, 1L << 40 }, 1), "overflow");
		assertThrows(AnySegException.class, () -> ExternalDataCheck.bytes("t", new long[] { -1 },
			1));
		// a file that is no protocol buffer is left to ONNX Runtime
		assertEquals(0, ExternalDataCheck.check(ByteBuffer.wrap(new byte[] { (byte) 0xff, 1, 2 }),
			tmp, "x.onnx"));
	}
}

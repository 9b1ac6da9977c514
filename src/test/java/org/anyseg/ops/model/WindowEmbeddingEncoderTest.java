package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.anyseg.testutil.Fixtures;
import org.anyseg.testutil.Npy;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Issue 19: a SAM 2-like encoder with Hiera's tiled window position embedding, as torch
 * exports it, opened as AnySeg opens every graph, gives PyTorch's outputs in every fresh
 * session. ONNX Runtime 1.24.2's constant folding gets image_embed wrong by 0.22 in every
 * session unless the constant If nodes are rewritten first.
 */
class WindowEmbeddingEncoderTest {

	static final int SESSIONS = 5;
	static final String[] OUTPUTS = { "high_res_feats_0", "high_res_feats_1", "image_embed" };

	static Path dir() {
		return Fixtures.root().resolve("sam2_window_pe");
	}

	/** x[0,c,y,x] = ((c*31 + y*7 + x*13) % 256) / 255 - 0.5, as the generator. */
	static float[] probeInput() {
		final float[] x = new float[3 * 1024 * 1024];
		for (int c = 0; c < 3; c++) {
			for (int y = 0; y < 1024; y++) {
				for (int i = 0; i < 1024; i++) {
					x[(c * 1024 + y) * 1024 + i] = (c * 31 + y * 7 + i * 13) % 256 / 255f - 0.5f;
				}
			}
		}
		return x;
	}

	@Test
	void everyFreshSessionGivesPyTorchsOutputs() throws Exception {
		final JsonObject cases = JsonParser.parseString(java.nio.file.Files.readString(dir()
			.resolve("cases.json"))).getAsJsonObject().getAsJsonObject("outputs");
		final float[] x = probeInput();
		final List<String> wrong = new ArrayList<>();
		for (int s = 0; s < SESSIONS; s++) {
			try (OnnxGraph g = OnnxGraph.open(ModelFile.of(dir().resolve("encoder.onnx")),
				RuntimeOptions.defaults()); OnnxTensor in = OnnxTensor.createTensor(OrtEnvironment
					.getEnvironment(), FloatBuffer.wrap(x), new long[] { 1, 3, 1024, 1024 });
				OrtSession.Result r = g.run(Map.of("image", in)))
			{
				for (final String name : OUTPUTS) {
					final JsonObject ref = cases.getAsJsonObject(name);
					final float[] want = Npy.readFloats(dir().resolve(ref.get("file").getAsString()));
					final int stride = ref.get("stride").getAsInt();
					final FloatBuffer got = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
					double worst = 0;
					for (int i = 0; i < want.length; i++) {
						worst = Math.max(worst, Math.abs(got.get(i * stride) - want[i]));
					}
					if (worst > 1e-4) wrong.add("session " + s + " " + name + " off by " + worst);
				}
			}
		}
		assertTrue(wrong.isEmpty(), String.join("; ", wrong));
	}

	@Test
	void theFixtureReproducesTheRuntimeBugWithoutTheRewrite() throws Exception {
		// guards the fixture: if a future ONNX Runtime fixes constant folding, this says so
		final float[] x = probeInput();
		final ModelFile f = ModelFile.of(dir().resolve("encoder.onnx"));
		double diff = 0;
		try (OnnxGraph plain = OnnxGraph.open(f, RuntimeOptions.defaults(), GraphSetting.FULL,
			false); OnnxGraph none = OnnxGraph.open(f, RuntimeOptions.defaults(), GraphSetting.NONE,
				false); OnnxTensor in = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
					FloatBuffer.wrap(x), new long[] { 1, 3, 1024, 1024 });
			OrtSession.Result a = plain.run(Map.of("image", in)); OrtSession.Result b = none.run(Map
				.of("image", in)))
		{
			final FloatBuffer p = ((OnnxTensor) a.get("image_embed").orElseThrow()).getFloatBuffer();
			final FloatBuffer q = ((OnnxTensor) b.get("image_embed").orElseThrow()).getFloatBuffer();
			for (int i = 0; i < p.limit(); i++) diff = Math.max(diff, Math.abs(p.get(i) - q.get(i)));
		}
		assertTrue(diff > 0.01 || !GraphCheck.runtime().equals("1.24.2"), "ONNX Runtime " +
			GraphCheck.runtime() + " no longer mis-folds the fixture (difference " + diff + ")");
		assertEquals(GraphSetting.FULL, GraphSetting.of("full"));
	}
}

package org.anyseg.ops.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/** The rewrite replaces only Ifs whose condition is proven, and keeps what the graph computes. */
class ConstantIfInlinerTest {

	static Path dir() {
		return Fixtures.root().resolve("sam2_window_pe");
	}

	private static ByteBuffer bytes(final String name) throws IOException {
		return ByteBuffer.wrap(Files.readAllBytes(dir().resolve(name)));
	}

	@Test
	void inlinesTheTiledWindowEmbeddingsIfs() throws IOException {
		assertEquals(2, ConstantIfInliner.constantIfs(bytes("encoder.onnx")));
		final ConstantIfInliner.Result r = ConstantIfInliner.rewrite(bytes("encoder.onnx"));
		assertNotNull(r);
		assertEquals(2, r.inlined());
		final OnnxModel m = new OnnxModel(r.model());
		assertTrue(m.nodes.stream().noneMatch(n -> n.is("If")), "no If left");
		// the Identity the else-branch passed the initializer through is gone: Tile reads it
		final Node tile = m.nodes.stream().filter(n -> n.is("Tile")).findFirst().orElseThrow();
		assertEquals("pos_embed_window", tile.inputs.get(0));
		assertTrue(m.nodes.stream().noneMatch(n -> n.is("Identity")));
		assertEquals(0, ConstantIfInliner.constantIfs(r.model()), "a second pass finds nothing");
	}

	@Test
	void leavesGraphsWithoutConstantIfsAlone() throws IOException {
		for (final Path p : new Path[] { Fixtures.samOnnx().resolve("encoder_normalized.onnx"),
			Fixtures.samOnnx().resolve("decoder_m4.onnx"), Fixtures.root().resolve(
				"sam2_split/sam2/encoder.onnx") })
		{
			assertNull(ConstantIfInliner.rewrite(ByteBuffer.wrap(Files.readAllBytes(p))), p
				.toString());
		}
	}

	/** Conditions on input values or on a dynamic dim are never taken as constant. */
	@Test
	void keepsIfsThatDependOnTheInput() throws Exception {
		assertEquals(0, ConstantIfInliner.constantIfs(bytes("dynamic_if.onnx")));
		assertNull(ConstantIfInliner.rewrite(bytes("dynamic_if.onnx")));
		final OrtEnvironment env = OrtEnvironment.getEnvironment();
		try (OrtSession s = env.createSession(dir().resolve("dynamic_if.onnx").toString())) {
			// the graph does take both branches of both Ifs for some inputs
			assertEquals(11f, run(env, s, new float[] { 0.5f, 0.5f, 0.5f, 0.5f })[0] - 0.5f, 1e-6);
			assertEquals(19f, run(env, s, new float[] { -1f, 0f, 0f })[0] + 1f, 1e-6);
		}
	}

	private static float[] run(final OrtEnvironment env, final OrtSession s, final float[] x)
		throws Exception
	{
		try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {
			x.length }); OrtSession.Result r = s.run(Map.of("x", t)))
		{
			final FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
			final float[] a = new float[b.remaining()];
			b.get(a);
			return a;
		}
	}

	@Test
	void refusesATruncatedFileWithAClearMessage() throws IOException {
		final ByteBuffer all = bytes("encoder.onnx");
		final ByteBuffer cut = all.slice(0, all.remaining() / 2);
		final Exception e = org.junit.jupiter.api.Assertions.assertThrows(
			org.anyseg.ops.AnySegException.class, () -> ConstantIfInliner.rewrite(cut));
		assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
	}
}

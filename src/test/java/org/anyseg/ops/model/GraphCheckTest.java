package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The graph check: probe, fallbacks, the verdicts recorded beside a model, every family. */
class GraphCheckTest {

	@TempDir
	Path tmp;
	private final List<String> notices = new ArrayList<>();

	@BeforeEach
	void listen() {
		ModelLoader.notices(notices::add);
	}

	@AfterEach
	void restore() {
		ModelLoader.notices(null);
		GraphVerdicts.mode(GraphVerdicts.Mode.OFF);
	}

	/** The window-embedding encoder with family B's SAM 2 decoder, in a folder of its own. */
	private Path windowEmbeddingModel() throws IOException {
		final Path dir = Files.createDirectories(tmp.resolve("sam2-window-pe"));
		Files.copy(Fixtures.root().resolve("sam2_window_pe/encoder.onnx"), dir.resolve(
			"encoder.onnx"));
		Files.copy(Fixtures.root().resolve("sam2_split/sam2/decoder.onnx"), dir.resolve(
			"decoder.onnx"));
		return dir;
	}

	private static GraphCheck.Verdict verdict(final List<GraphCheck.Verdict> v,
		final String file)
	{
		return v.stream().filter(x -> x.file().equals(file)).findFirst().orElseThrow();
	}

	@Test
	void fullOptimisationIsExactOnceTheConstantIfsAreInlined() throws IOException {
		final List<ModelFile> files = ModelLoader.filesIn(windowEmbeddingModel());
		final List<GraphCheck.Verdict> v = GraphCheck.check(files, ModelConfig.NONE,
			RuntimeOptions.defaults(), notices::add);
		final GraphCheck.Verdict enc = verdict(v, "encoder.onnx");
		assertEquals(GraphSetting.FULL, enc.setting());
		assertEquals(2, enc.inlinedIfs());
		assertTrue(enc.fullError() <= GraphCheck.TOLERANCE, "error " + enc.fullError());
		assertEquals(files.get(1).sha256(), enc.sha256());
		assertEquals(GraphSetting.FULL, verdict(v, "decoder.onnx").setting());
		assertTrue(notices.stream().anyMatch(n -> n.contains("2 constant If nodes replaced")),
			notices.toString());
	}

	@Test
	void withoutTheRewriteTheCheckFindsTheWrongGraphAndTurnsConstantFoldingOff()
		throws IOException
	{
		final List<ModelFile> files = ModelLoader.filesIn(windowEmbeddingModel());
		final List<GraphCheck.Verdict> v = GraphCheck.check(files, ModelConfig.NONE,
			RuntimeOptions.defaults(), notices::add, false);
		final GraphCheck.Verdict enc = verdict(v, "encoder.onnx");
		assertEquals(GraphSetting.NO_CONSTANT_FOLDING, enc.setting());
		assertTrue(enc.fullError() > 0.01, "full optimisation error " + enc.fullError());
		assertEquals(GraphSetting.FULL, verdict(v, "decoder.onnx").setting());
		assertTrue(notices.stream().anyMatch(n -> n.contains("computes wrong values") && n
			.contains("constant folding off")), notices.toString());
	}

	@Test
	void theVerdictIsRecordedBySha256AndTheCheckRunsOncePerFile() throws IOException {
		GraphVerdicts.mode(GraphVerdicts.Mode.RECORD);
		final Path dir = windowEmbeddingModel();
		final List<ModelFile> files = ModelLoader.filesIn(dir);
		try (PromptableModel m = ModelLoader.load(files, RuntimeOptions.defaults())) {
			m.decode(m.encode(new float[][] { new float[64 * 48], new float[64 * 48],
				new float[64 * 48] }, 64, 48), ObjectPrompt.ofBox(1, new BoxPrompt(10, 10, 30, 30)));
		}
		assertEquals(1, checks(), notices.toString());
		final JsonObject recorded = JsonParser.parseString(Files.readString(dir.resolve(
			ModelConfig.FILE))).getAsJsonObject().getAsJsonObject(GraphVerdicts.KEY);
		for (final ModelFile f : files) {
			final JsonObject v = recorded.getAsJsonObject(f.sha256());
			assertEquals(f.fileName(), v.get("file").getAsString());
			assertEquals("full", v.get("setting").getAsString());
			assertEquals(GraphCheck.runtime(), v.get("onnxruntime").getAsString());
		}
		// the folder's configuration still loads, and the second load does not check again
		assertEquals(null, ModelConfig.read(dir).family());
		ModelLoader.load(files, RuntimeOptions.defaults()).close();
		assertEquals(1, checks(), notices.toString());
		// a touched file with the same bytes is found by its SHA-256: no check
		Files.setLastModifiedTime(dir.resolve("decoder.onnx"), java.nio.file.attribute.FileTime
			.fromMillis(1_000_000));
		ModelLoader.load(files, RuntimeOptions.defaults()).close();
		assertEquals(1, checks(), notices.toString());
		// other bytes under the same name are checked again
		Files.copy(Fixtures.root().resolve("sam2_split/sam2/encoder.onnx"), dir.resolve(
			"encoder.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		ModelLoader.load(files, RuntimeOptions.defaults()).close();
		assertEquals(2, checks(), notices.toString());
	}

	@Test
	void aRecordedFallbackIsWhatTheGraphOpensWith() throws IOException {
		GraphVerdicts.mode(GraphVerdicts.Mode.RECORD);
		final Path dir = windowEmbeddingModel();
		final List<ModelFile> files = ModelLoader.filesIn(dir);
		ModelLoader.load(files, RuntimeOptions.defaults()).close();
		final Path json = dir.resolve(ModelConfig.FILE);
		Files.writeString(json, Files.readString(json).replace("\"full\"",
			"\"no-constant-folding\""));
		final Map<ModelFile, GraphSetting> s = GraphVerdicts.settings(files, ModelConfig.NONE,
			RuntimeOptions.defaults(), notices::add);
		assertEquals(GraphSetting.NO_CONSTANT_FOLDING, s.get(files.get(0)));
		assertEquals(GraphSetting.NO_CONSTANT_FOLDING, s.get(files.get(1)));
		assertEquals(1, checks());
	}

	private long checks() {
		return notices.stream().filter(n -> n.startsWith("Checking")).count();
	}

	/** Every family's fixture: the probe reaches every graph, and each gets a verdict. */
	static Stream<String> models() {
		return Stream.of("sam2_split/sam2", "sam2_ort/sam2_bool", "sam2_ort/sam2_logits",
			"efficient_sams/efficientsam", "efficient_sams/edgesam", "efficient_sams/efficientvit_l",
			"efficient_sams/efficientvit_xl", "medical_sams/medsam", "medical_sams/litemedsam", "sam2_memory");
	}

	@ParameterizedTest
	@MethodSource("models")
	void everyFamilysGraphsAreChecked(final String model) {
		final List<ModelFile> files = ModelLoader.filesIn(Fixtures.root().resolve(model));
		final List<GraphCheck.Verdict> v = GraphCheck.check(files, ModelConfig.of(files),
			RuntimeOptions.defaults().withThreads(1), notices::add);
		assertEquals(files.size(), v.size());
		for (final GraphCheck.Verdict x : v) {
			assertEquals(GraphSetting.FULL, x.setting(), x.describe());
			assertTrue(x.fullError() <= GraphCheck.TOLERANCE, x.describe());
		}
	}

	@Test
	void samOnnxGraphsAreChecked() {
		final List<ModelFile> files = Fixtures.samOnnxModel("encoder_hwc.onnx", "decoder_m4.onnx");
		final List<GraphCheck.Verdict> v = GraphCheck.check(files, ModelConfig.NONE,
			RuntimeOptions.defaults(), notices::add);
		assertEquals(2, v.size());
		v.forEach(x -> assertEquals(GraphSetting.FULL, x.setting(), x.describe()));
	}

	@Test
	void aNonFiniteEmbeddingIsAnErrorNotAnEmptyMask() throws IOException {
		final Path dir = Files.createDirectories(tmp.resolve("nan"));
		Files.copy(Fixtures.root().resolve("sam2_window_pe/nan_encoder.onnx"), dir.resolve(
			"encoder.onnx"));
		Files.copy(Fixtures.samOnnx().resolve("decoder_m4.onnx"), dir.resolve("decoder.onnx"));
		try (PromptableModel m = ModelLoader.load(ModelLoader.filesIn(dir), RuntimeOptions
			.defaults()))
		{
			final AnySegException e = assertThrows(AnySegException.class, () -> m.encode(
				new float[][] { new float[32 * 32], new float[32 * 32], new float[32 * 32] }, 32, 32));
			assertTrue(e.getMessage().contains("computed NaN") && e.getMessage().contains(
				"image_embeddings") && e.getMessage().contains("models verify --deep"), e.getMessage());
		}
	}

	@Test
	void finiteRefusesInfinityInDecoderOutputsToo() {
		try (OnnxGraph g = OnnxGraph.open(Fixtures.samOnnxModel("encoder_normalized.onnx",
			"decoder_m4.onnx").get(1), RuntimeOptions.defaults())) {
			assertThrows(AnySegException.class, () -> Finite.require(new float[] { 0, 1,
				Float.NEGATIVE_INFINITY }, "masks", g));
			assertFalse(Finite.require(new float[] { 0, -3e38f }, "masks", g).length == 0);
		}
	}
}

package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.anyseg.ops.auto.AutoParams;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.auto.AutoSegmenter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** anyseg-model.json: the model's own segment-everything defaults, and clear errors. */
class ModelConfigTest {

	@TempDir
	Path tmp;

	private ModelConfig config(final String json) throws Exception {
		Files.writeString(tmp.resolve(ModelConfig.FILE), json);
		Files.write(tmp.resolve("decoder.onnx"), new byte[0]);
		return ModelConfig.of(List.of(ModelFile.of(tmp.resolve("decoder.onnx"))));
	}

	@Test
	void segmentEverythingDefaultsComeFromTheModel() throws Exception {
		final ModelConfig c = config("{\"family\": \"sam\", \"segment_everything\": " +
			"{\"pred_iou_thresh\": 0.55, \"points_per_side\": 24}}");
		assertEquals("sam", c.family());
		final AutoParams p = AutoParams.defaults(c);
		final AutoParams sam = AutoParams.defaults();
		assertEquals(0.55, p.predIouThresh());
		assertEquals(24, p.pointsPerSide());
		assertEquals(sam.stabilityScoreThresh(), p.stabilityScoreThresh(), "not set: SAM's");
		assertEquals(sam, AutoParams.defaults(ModelConfig.NONE));
	}

	@Test
	void unknownOrWronglyTypedSettingsAreRefusedClearly() throws Exception {
		AnySegException e = assertThrows(AnySegException.class, () -> config(
			"{\"segment_everything\": {\"iou\": 0.5}}"));
		assertTrue(e.getMessage().contains("unknown key 'iou'") && e.getMessage().contains(
			"pred_iou_thresh"), e.getMessage());
		e = assertThrows(AnySegException.class, () -> config(
			"{\"segment_everything\": {\"pred_iou_thresh\": \"high\"}}"));
		assertTrue(e.getMessage().contains("wrong type"), e.getMessage());
	}

	@Test
	void aFolderWithoutConfigHasNone() throws Exception {
		Files.write(tmp.resolve("decoder.onnx"), new byte[0]);
		assertEquals(ModelConfig.NONE, ModelConfig.of(List.of(ModelFile.of(tmp.resolve(
			"decoder.onnx")))));
	}

	@Test
	void aBundledModelsConfigIsReadFromTheClassPath() {
		final ModelConfig c = ModelConfig.of(List.of(ModelFile.ofResource(
			"fixtures/bundled_config/decoder.onnx")));
		assertEquals("bundled", c.name());
		assertEquals(0.42, AutoParams.defaults(c).predIouThresh());
		assertEquals(ModelConfig.NONE, ModelConfig.of(List.of(ModelFile.ofResource(
			"fixtures/no_such_model/decoder.onnx"))));
	}
}

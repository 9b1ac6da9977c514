package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.anyseg.testutil.Errors;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;

import ij.measure.ResultsTable;

/** Settings and Manage Models, headless through the CommandService. */
class ModelCommandsTest {

	@TempDir
	Path tmp;
	Context context;
	CommandService commands;
	AnySegService anyseg;

	@BeforeEach
	void start() throws Exception {
		context = new Context();
		commands = context.service(CommandService.class);
		anyseg = context.service(AnySegService.class);
		commands.run(SettingsCommand.class, true, "threads", 1, "cache_mb", 64, "model_folder", tmp
			.resolve("models").toFile()).get();
	}

	@AfterEach
	void stop() {
		// saved settings must not leak into other tests or the developer's own Fiji
		context.service(org.scijava.prefs.PrefService.class).clear(AnySegService.class);
		context.dispose();
	}

	@Test
	void settingsApply() {
		assertEquals(1, anyseg.options().threads());
		assertEquals(64, anyseg.cacheMb());
		assertEquals(tmp.resolve("models"), anyseg.catalog().modelFolder());
	}

	@Test
	void settingsSurviveARestart() {
		context.dispose();
		context = new Context();
		final AnySegService again = context.service(AnySegService.class);
		assertEquals(1, again.options().threads());
		assertEquals(64, again.cacheMb());
		assertEquals(tmp.resolve("models"), again.catalog().modelFolder());
	}

	@Test
	void importListsAndLoadsAModel() throws Exception {
		final Path src = Files.createDirectories(tmp.resolve("download"));
		Files.copy(Fixtures.samOnnx().resolve("encoder_hwc.onnx"), src.resolve("enc.onnx"));
		Files.copy(Fixtures.samOnnx().resolve("decoder_m1.onnx"), src.resolve("dec.onnx"));
		final ResultsTable t = (ResultsTable) commands.run(ModelsMacroCommand.class, true,
			"action", "Import model folder", "import_folder", src.toString(), "model_name", "tiny")
			.get().getOutput("models");
		assertEquals(2, t.size());
		assertEquals("demo", t.getStringValue("Name", 0));
		assertEquals("tiny", t.getStringValue("Name", 1));
		assertEquals("sam", t.getStringValue("Family", 1));
		assertTrue(Files.isRegularFile(tmp.resolve("models/tiny/enc.onnx")));
		anyseg.setModel("tiny");
		assertEquals("sam", anyseg.segmenter().model().family());
		assertEquals(anyseg.segmenter(), anyseg.segmenter("tiny"), "one loaded model, reused");
	}

	@Test
	void importsAPyTorchCheckpointAndSegmentsWithIt() throws Exception {
		final Path ckpt = Fixtures.root().resolve("sam_checkpoint/tiny_sam.pth");
		final ResultsTable t = (ResultsTable) commands.run(ModelsMacroCommand.class, true,
			"action", "Import checkpoint (.pth)", "import_folder", ckpt.toString(), "model_name",
			"tiny-ckpt").get().getOutput("models");
		assertEquals("tiny-ckpt", t.getStringValue("Name", 1));
		assertEquals("sam", t.getStringValue("Family", 1));
		assertTrue(Files.isRegularFile(tmp.resolve("models/tiny-ckpt/tiny_sam.pth")));
		assertTrue(Files.readString(tmp.resolve("models/tiny-ckpt/tiny_sam.pth.sha256"))
			.startsWith(org.anyseg.ops.model.ModelFile.of(ckpt).sha256()), "SHA-256 recorded");
		anyseg.setModel("tiny-ckpt");
		final org.anyseg.ops.model.PromptableModel m = anyseg.segmenter().model();
		final float[][] rgb = org.anyseg.ops.model.sam.SamCheckpointFixture.rgb255("synth_rgb");
		final org.anyseg.ops.model.Prediction p = m.decode(m.encode(rgb, 300, 200),
			org.anyseg.ops.prompt.ObjectPrompt.ofBox(1, new org.anyseg.ops.prompt.BoxPrompt(48,
				40, 141, 123)));
		assertTrue(org.anyseg.ops.model.sam.SamCheckpointFixture.iou(p.candidates().get(0),
			"synth_rgb", "box", 0) >= 0.999, "the imported model's mask is the reference's");
	}

	/**
	 * The deep graph check from Fiji (issue 19's 'models verify --deep'); it failed before
	 * because a second unset File parameter made SciJava's file preprocessor prompt and cancel.
	 */
	@Test
	void checksAnInstalledModelsGraphsAndRecordsTheVerdict() throws Exception {
		final Path src = Files.createDirectories(tmp.resolve("download"));
		Files.copy(Fixtures.samOnnx().resolve("encoder_hwc.onnx"), src.resolve("enc.onnx"));
		Files.copy(Fixtures.samOnnx().resolve("decoder_m1.onnx"), src.resolve("dec.onnx"));
		commands.run(ModelsMacroCommand.class, true, "action", "Import model folder",
			"import_folder", src.toString(), "model_name", "tiny").get();
		final var m = commands.run(ModelsMacroCommand.class, true, "action",
			"Check graphs (deep)", "model_name", "tiny").get();
		assertFalse(m.isCanceled(), "not cancelled: " + m.getCancelReason());
		assertTrue(Files.readString(tmp.resolve("models/tiny/anyseg-model.json")).contains(
			"graph_checks"), "verdict recorded beside the model");
	}

	@Test
	void badImportLeavesNothingBehind() throws Exception {
		final Path src = Files.createDirectories(tmp.resolve("half"));
		Files.copy(Fixtures.samOnnx().resolve("decoder_m1.onnx"), src.resolve("dec.onnx"));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> commands.run(
			ModelsMacroCommand.class, true, "action", "Import model folder", "import_folder", src
				.toString(), "model_name", "half").get());
		assertTrue(Errors.userMessage(e).contains("match no supported model family"), Errors
			.userMessage(e));
		assertFalse(Files.exists(tmp.resolve("models/half")));
	}
}

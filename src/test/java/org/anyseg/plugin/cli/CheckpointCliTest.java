package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.sam.SamCheckpointFixture;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.Opener;

/**
 * PyTorch checkpoints as a user gives them: {@code segment --model FILE.pth} writes the
 * reference's mask, {@code models import FILE.pth} installs it with its SHA-256 and
 * {@code models verify} notices a changed file; a checkpoint of another architecture, a
 * truncated one and one carrying code end in exit 2 with a message, and nothing runs or is
 * installed.
 */
class CheckpointCliTest {

	static final Path TINY = SamCheckpointFixture.DIR.resolve("tiny_sam.pth");
	static final Path BAD = Fixtures.root().resolve("checkpoints");

	@TempDir
	Path tmp;
	final StringWriter out = new StringWriter();
	final StringWriter err = new StringWriter();

	@BeforeEach
	void models() {
		System.setProperty("anyseg.models", tmp.resolve("models").toString());
	}

	@AfterEach
	void clear() {
		System.clearProperty("anyseg.models");
	}

	private int cli(final String... args) {
		return AnySegCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
	}

	@Test
	void segmentWithACheckpointWritesTheReferenceMask() throws IOException {
		final Path labels = tmp.resolve("labels.tif");
		// SAM's box [48,40,140,122] (inclusive corner) is ImageJ's rectangle 48,40,141,123
		assertEquals(0, cli("segment", "--model", TINY.toString(), "--image",
			SamCheckpointFixture.DIR.resolve("synth_rgb.png").toString(), "--box", "48,40,141,123",
			"--out", labels.toString()), err.toString());
		final ImagePlus imp = new Opener().openImage(labels.toString());
		final boolean[] want = SamCheckpointFixture.mask(SamCheckpointFixture.DIR.resolve(
			"synth_rgb.box.mask0.png"));
		final float[] got = new float[want.length];
		for (int i = 0; i < got.length; i++) got[i] = imp.getProcessor().getf(i) > 0 ? 1 : -1;
		final double iou = SamCheckpointFixture.iou(got, want);
		assertTrue(iou >= 0.999, "a box takes token 0, as Meta's predictor: IoU " + iou);
	}

	@Test
	void importInstallsTheCheckpointAndVerifyChecksItsHash() throws IOException {
		final Path copy = Files.copy(TINY, tmp.resolve("my_sam.pth"));
		assertEquals(0, cli("models", "import", copy.toString()), err.toString());
		assertTrue(out.toString().contains("Imported my_sam (family sam)"), out.toString());
		final Path installed = tmp.resolve("models/my_sam/my_sam.pth");
		assertTrue(Files.isRegularFile(installed));
		assertEquals(0, cli("models", "verify", "my_sam"), err.toString());
		assertTrue(out.toString().contains("OK (family sam)"), out.toString());

		final Path labels = tmp.resolve("l.tif");
		assertEquals(0, cli("segment", "--model", "my_sam", "--image", SamCheckpointFixture.DIR
			.resolve("synth_gray.png").toString(), "--point", "40,50", "--out", labels
				.toString()), err.toString());

		// a changed byte of the installed checkpoint is noticed (the tensors still load)
		final byte[] b = Files.readAllBytes(installed);
		b[b.length / 2] ^= 1;
		Files.write(installed, b, StandardOpenOption.TRUNCATE_EXISTING);
		assertEquals(2, cli("models", "verify", "my_sam"));
		assertTrue(out.toString().contains("FAILED") && (out.toString().contains("SHA-256") ||
			out.toString().contains("CRC")), out.toString());
	}

	@Test
	void badCheckpointsExitTwoAndNothingIsInstalled() throws IOException {
		final Map<String, String> cases = Map.of(
			"int_buffer.pth", "not a checkpoint of an architecture AnySeg can build",
			"plain_f32.pth", "has no tensor 'image_encoder.pos_embed'", // SAM's names, a few
			"truncated.pth", "cut short",
			"malicious_os_system.pth", "os.system",
			"malicious_builtins_eval.pth", "builtins.eval",
			"legacy.pth", "torch.save",
			"nested_micro_sam.pt", "has no tensor");
		for (final Map.Entry<String, String> c : cases.entrySet()) {
			final StringWriter e = new StringWriter();
			final Path marker = Path.of(System.getProperty("java.io.tmpdir"),
				"anyseg_checkpoint_marker_os_system");
			Files.deleteIfExists(marker);
			assertEquals(2, AnySegCli.run(new String[] { "segment", "--model", BAD.resolve(c
				.getKey()).toString(), "--image", SamCheckpointFixture.DIR.resolve("synth_rgb.png")
					.toString(), "--point", "10,10", "--out", tmp.resolve("x.tif").toString() },
				new PrintWriter(new StringWriter(), true), new PrintWriter(e, true)), c.getKey());
			assertTrue(e.toString().contains(c.getValue()), c.getKey() + ": " + e);
			assertFalse(e.toString().contains("\tat "), "no stack trace: " + e);
			assertFalse(Files.exists(tmp.resolve("x.tif")), "nothing written");
			assertFalse(Files.exists(marker), "the payload never ran");
			assertEquals(2, AnySegCli.run(new String[] { "models", "import", BAD.resolve(c.getKey())
				.toString(), "--name", "bad" }, new PrintWriter(new StringWriter(), true),
				new PrintWriter(new StringWriter(), true)), c.getKey());
			assertFalse(Files.exists(tmp.resolve("models/bad")), "nothing installed");
		}
	}

	@Test
	void missingExtraAndMisshapenTensorsAreNamed() {
		final Map<String, long[]> shapes = org.anyseg.ops.model.sam.SamShapes.tiny();
		final var built = new org.anyseg.ops.model.sam.SamArchitecture().build(shapes);
		final Map<String, long[]> missing = new java.util.LinkedHashMap<>(shapes);
		missing.remove("mask_decoder.iou_token.weight");
		assertTrue(message(built, missing).contains("lacks 'mask_decoder.iou_token.weight'"));
		final Map<String, long[]> extra = new java.util.LinkedHashMap<>(shapes);
		extra.put("image_encoder.blocks.0.attn.extra.weight", new long[] { 2 });
		assertTrue(message(built, extra).contains("'image_encoder.blocks.0.attn.extra.weight'"));
		final Map<String, long[]> wrong = new java.util.LinkedHashMap<>(shapes);
		wrong.put("mask_decoder.transformer.layers.0.norm1.weight", new long[] { 31 });
		final String m = message(built, wrong);
		assertTrue(m.contains("'mask_decoder.transformer.layers.0.norm1.weight' has shape [31]") &&
			m.contains("needs [32]"), m);
	}

	private static String message(final org.anyseg.ops.model.arch.CheckpointArchitecture.Built b,
		final Map<String, long[]> shapes)
	{
		try {
			org.anyseg.ops.model.CheckpointGraphs.checkWeights(b, shapes);
		}
		catch (final AnySegException e) {
			return e.getMessage();
		}
		throw new AssertionError("accepted");
	}
}

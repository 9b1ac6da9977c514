package org.anyseg.ops.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * {@link TorchCheckpoint} against the fixtures of {@code tools/fixtures/make_checkpoints.py}
 * (written by torch 1.13, or opcode by opcode where torch cannot write them) and their
 * {@code expected.json}: every value of every tensor (float32 bit patterns) for each dtype
 * and layout, the unwrapping of nested and prefixed state dicts, and each refusal with the
 * name of what was refused. The malicious fixtures run their payloads under torch.load
 * (shown by the generator's {@code --prove-payloads}); here their marker files must not appear.
 */
class TorchCheckpointTest {

	private static final String NOTHING_RUN = "nothing from the file was run";
	/** mask_decoder.iou_token.weight of the plain fixtures: storage values 4..9. */
	private static final float[] IOU_TOKEN = { -0.5f, -0.375f, -0.25f, -0.125f, 0f, 0.125f };

	private static Path dir;
	private static JsonObject expected;

	@TempDir
	Path tmp;

	@BeforeAll
	static void readExpected() throws IOException {
		dir = Fixtures.root().resolve("checkpoints");
		try (Reader r = Files.newBufferedReader(dir.resolve("expected.json"))) {
			expected = JsonParser.parseReader(r).getAsJsonObject();
		}
	}

	@TestFactory
	Stream<DynamicTest> everyFixtureGivesItsExpectedValues() {
		return expected.getAsJsonObject("loads").entrySet().stream().map(e -> DynamicTest
			.dynamicTest(e.getKey(), () -> checkLoad(dir.resolve(e.getKey()), e.getValue()
				.getAsJsonObject())));
	}

	@TestFactory
	Stream<DynamicTest> everyRefusalSaysWhy() {
		return expected.getAsJsonObject("refusals").entrySet().stream().map(e -> DynamicTest
			.dynamicTest(e.getKey(), () -> checkRefusal(e.getKey(), e.getValue()
				.getAsJsonObject())));
	}

	private static void checkLoad(final Path file, final JsonObject want) {
		try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
			assertTrue(c.describe().startsWith(want.get("describe").getAsString()), c.describe());
			final JsonArray tensors = want.getAsJsonArray("tensors");
			final List<String> names = new ArrayList<>();
			tensors.forEach(t -> names.add(t.getAsJsonObject().get("name").getAsString()));
			assertEquals(names, new ArrayList<>(c.tensors().keySet()), "names, in file order");
			for (final JsonElement el : tensors) {
				final JsonObject t = el.getAsJsonObject();
				final String name = t.get("name").getAsString();
				final TensorEntry entry = c.tensors().get(name);
				assertEquals(DType.valueOf(t.get("dtype").getAsString()), entry.dtype(), name);
				assertArrayEquals(longs(t.getAsJsonArray("shape")), entry.shape(), name);
				assertArrayEquals(longs(t.getAsJsonArray("stride")), entry.stride(), name);
				assertEquals(t.get("storage_offset").getAsLong(), entry.storageOffset(), name);
				final FloatBuffer f = c.floats(name);
				assertTrue(f.isDirect(), name);
				assertEquals(ByteOrder.LITTLE_ENDIAN, f.order(), name);
				assertEquals(0, f.position(), name);
				assertEquals(entry.numel(), f.remaining(), name);
				final long[] bits = longs(t.getAsJsonArray("bits"));
				double sum = 0;
				for (int i = 0; i < bits.length; i++) {
					assertEquals((int) bits[i], Float.floatToRawIntBits(f.get(i)), name + "[" + i +
						"]");
					if (Float.isFinite(f.get(i))) sum += f.get(i);
				}
				if (Double.isFinite(t.get("sum").getAsDouble())) {
					assertEquals(t.get("sum").getAsDouble(), sum, 1e-9 * (1 + Math.abs(sum)), name);
				}
			}
			final List<String> skipped = new ArrayList<>();
			want.getAsJsonArray("skipped").forEach(s -> skipped.add(s.getAsString()));
			assertEquals(skipped, new ArrayList<>(c.skipped().keySet()));
		}
	}

	private void checkRefusal(final String name, final JsonObject want) throws IOException {
		final Path marker = want.has("marker") ? Path.of(want.get("marker").getAsString()) : null;
		if (marker != null) Files.deleteIfExists(marker);
		final AnySegException e = assertThrows(AnySegException.class, () -> TorchCheckpoint.open(
			dir.resolve(name)));
		final String m = e.getMessage();
		assertTrue(m.contains(want.get("message").getAsString()), m);
		assertTrue(m.contains(name), "names the file: " + m);
		if (marker != null) {
			assertTrue(m.contains(NOTHING_RUN), m);
			assertFalse(Files.exists(marker), "the payload ran: " + marker);
		}
	}

	@Test
	void eachMaliciousPickleIsRefusedNamingItsGlobalAndRunsNothing() throws IOException {
		final String[][] cases = { { "malicious_os_system.pth", "refers to os.system" },
			{ "malicious_posix_system.pth", "refers to posix.system" },
			{ "malicious_builtins_eval.pth", "refers to builtins.eval" },
			{ "malicious_subprocess_popen.pth", "refers to subprocess.Popen" },
			{ "malicious_stack_global_exec.pth", "refers to builtins.exec" },
			{ "malicious_deep.pth", "refers to os.system" },
			{ "malicious_inst_opcode.pth", "uses the opcode INST ('i')" } };
		for (final String[] c : cases) {
			final JsonObject want = expected.getAsJsonObject("refusals").getAsJsonObject(c[0]);
			final Path marker = Path.of(want.get("marker").getAsString());
			Files.deleteIfExists(marker);
			final String m = assertThrows(AnySegException.class, () -> TorchCheckpoint.open(dir
				.resolve(c[0]))).getMessage();
			assertTrue(m.contains(c[1]) && m.contains("not a plain state dict") && m.contains(
				NOTHING_RUN), m);
			assertFalse(Files.exists(marker), c[0] + " ran its payload: " + marker);
		}
	}

	@Test
	void aStoredContiguousFloat32TensorIsAViewOfTheFile() {
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("plain_f32.pth"))) {
			// a view at a non-zero offset of a storage shared with another tensor
			final TensorEntry e = c.tensors().get("mask_decoder.iou_token.weight");
			assertEquals(4, e.storageOffset());
			assertEquals(e.storageKey(), c.tensors().get("mask_decoder.mask_tokens.weight")
				.storageKey());
			final FloatBuffer f = c.floats(e.name());
			assertTrue(f.isDirect() && f.isReadOnly(), "a read-only view of the mapped file");
			assertArrayEquals(IOU_TOKEN, array(f));
		}
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("plain_f16.pth"))) {
			final FloatBuffer f = c.floats("mask_decoder.iou_token.weight");
			assertTrue(f.isDirect() && !f.isReadOnly(), "float16: a converted copy");
			assertArrayEquals(IOU_TOKEN, array(f));
		}
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("deflated.pth"))) {
			assertFalse(c.floats("mask_decoder.iou_token.weight").isReadOnly(), "deflated: a copy");
		}
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("non_contiguous.pth"))) {
			assertFalse(c.tensors().get("transposed").contiguous());
			assertFalse(c.floats("transposed").isReadOnly(), "gathered: a copy");
		}
	}

	@Test
	void trainingCheckpointsAreUnwrappedAndRenamedToSamKeys() {
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("nested_micro_sam.pt"))) {
			assertTrue(c.tensors().keySet().stream().allMatch(n -> n.startsWith("image_encoder.") ||
				n.startsWith("mask_decoder.") || n.startsWith("prompt_encoder.")), c.tensors()
					.keySet().toString());
			assertTrue(c.describe().contains("unwrapped from 'model_state', prefix 'sam.' removed"),
				c.describe());
			assertEquals("another state dict (1 tensors)", c.skipped().get("decoder_state"));
			assertEquals("a dict", c.skipped().get("optimizer_state"));
			assertEquals("an int", c.skipped().get("epoch"));
			assertEquals("a float", c.skipped().get("best_metric"));
		}
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("module_prefixed.pth"))) {
			assertTrue(c.tensors().containsKey("image_encoder.patch_embed.proj.weight"));
			assertTrue(c.describe().endsWith("prefix 'module.' removed"), c.describe());
		}
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("wrapped_model.pt"))) {
			assertEquals(6, c.tensors().size());
			assertTrue(c.skipped().isEmpty());
		}
	}

	@Test
	void tensorsOfOtherTypesAreSkippedAndListed() {
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("int_buffer.pth"))) {
			assertEquals(Map.of("1.num_batches_tracked", "int64 tensor"), c.skipped());
			assertTrue(c.describe().contains("skipped 1 entry of it ('1.num_batches_tracked': " +
				"int64 tensor)"), c.describe());
			assertFalse(c.tensors().containsKey("1.num_batches_tracked"));
		}
		try (TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("torch2_v3.pth"))) {
			assertEquals(Map.of("counts", "uint16 tensor"), c.skipped());
		}
	}

	@Test
	void legacyCutShortAndOversizedFilesAreRefusedClearly() throws IOException {
		String m = assertThrows(AnySegException.class, () -> TorchCheckpoint.open(dir.resolve(
			"legacy.pth"))).getMessage();
		assertTrue(m.contains("legacy format") && m.contains("torch.save (PyTorch >= 1.6 zip " +
			"format)"), m);
		m = assertThrows(AnySegException.class, () -> TorchCheckpoint.open(dir.resolve(
			"oversized_storage.pth"))).getMessage();
		assertTrue(m.contains("storage '0' declares 1000 float32 values (4000 bytes) but its " +
			"entry holds 64 bytes"), m);
		m = assertThrows(AnySegException.class, () -> TorchCheckpoint.open(dir.resolve(
			"view_out_of_storage.pth"))).getMessage();
		assertTrue(m.contains("tensor 'w' (offset 10, shape [2, 4], stride [4, 1]) reaches " +
			"element 17 of storage '0', beyond its storage of 16 float32 values"), m);
		final byte[] whole = Files.readAllBytes(dir.resolve("plain_f32.pth"));
		for (final int n : new int[] { whole.length - 1, whole.length - 22, whole.length / 2, 100,
			4 })
		{
			final Path cut = tmp.resolve("cut" + n + ".pth");
			Files.write(cut, Arrays.copyOf(whole, n));
			m = assertThrows(AnySegException.class, () -> TorchCheckpoint.open(cut)).getMessage();
			assertTrue(m.contains(CheckpointErrors.CUT_SHORT), n + ": " + m);
		}
		final Path empty = Files.write(tmp.resolve("empty.pth"), new byte[0]);
		assertTrue(assertThrows(AnySegException.class, () -> TorchCheckpoint.open(empty))
			.getMessage().contains("the file is empty"));
		final Path onnx = Files.write(tmp.resolve("model.onnx"), new byte[] { 8, 7, 18, 4 });
		assertTrue(assertThrows(AnySegException.class, () -> TorchCheckpoint.open(onnx))
			.getMessage().contains("not a PyTorch checkpoint: no zip archive"));
		assertTrue(assertThrows(AnySegException.class, () -> TorchCheckpoint.open(tmp.resolve(
			"absent.pth"))).getMessage().contains("does not exist"));
	}

	@Test
	void unknownNamesAndClosedCheckpointsFailClearly() {
		final TorchCheckpoint c = TorchCheckpoint.open(dir.resolve("plain_f32.pth"));
		final String m = assertThrows(AnySegException.class, () -> c.floats("image_encoder.nope"))
			.getMessage();
		assertTrue(m.contains("has no tensor 'image_encoder.nope'") && m.contains("6 tensors"), m);
		assertArrayEquals(new float[] { 1f, 1.5f, 2f, 2.5f }, array(c.floats(
			"image_encoder.patch_embed.proj.bias")), "read while open");
		c.close(); // unmaps what it returned: never read after this
		assertThrows(IllegalStateException.class, () -> c.floats(
			"image_encoder.patch_embed.proj.bias"));
	}

	@Test
	void halfToFloatIsExactForAllBitPatterns() {
		for (int h = 0; h < 1 << 16; h++) {
			final int exp = h >>> 10 & 0x1f;
			final int mantissa = h & 0x3ff;
			final double sign = (h & 0x8000) != 0 ? -1 : 1;
			final float got = FloatReader.halfToFloat((short) h);
			final int bits = Float.floatToRawIntBits(got);
			if (exp == 0x1f) {
				final int infOrNan = (h & 0x8000) << 16 | 0x7f800000 | mantissa << 13;
				assertEquals(infOrNan, bits, Integer.toHexString(h));
				continue;
			}
			final double want = sign * (exp == 0 ? mantissa * 0x1p-24 : (1 + mantissa / 1024.0) *
				Math.pow(2, exp - 15));
			assertEquals(Float.floatToRawIntBits((float) want), bits, Integer.toHexString(h));
		}
	}

	/**
	 * Bytes of a valid file flipped, overwritten or cut (fixed seed): each variant loads with
	 * exactly the expected values or is refused with an AnySegException (CRC-32 checks turn a
	 * damaged storage into a refusal), never another exception, never a hang.
	 */
	@Test
	void damagedFilesLoadCorrectlyOrAreRefused() throws IOException {
		for (final String name : new String[] { "plain_f32.pth", "deflated.pth" }) {
			final byte[] whole = Files.readAllBytes(dir.resolve(name));
			final JsonObject want = expected.getAsJsonObject("loads").getAsJsonObject(name);
			final Fuzz.Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Fuzz
				.run(whole, 100, 17, tmp, p -> checkLoad(p, want)));
			assertEquals(100, o.loaded() + o.refused());
			assertTrue(o.refused() > 30 && o.loaded() > 5, name + ": " + o);
		}
	}

	/**
	 * The pickle itself damaged (written back into a valid archive, so the CRC passes):
	 * every variant loads or is refused with an AnySegException.
	 */
	@Test
	void damagedPicklesLoadOrAreRefused() throws IOException {
		for (final String name : new String[] { "nested_micro_sam.pt", "protocol4.pt" }) {
			final Fuzz.Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Fuzz
				.runOnPickle(dir.resolve(name), 100, 23, tmp));
			assertEquals(100, o.loaded() + o.refused());
			assertTrue(o.refused() > 30, name + ": " + o);
		}
	}

	private static long[] longs(final JsonArray a) {
		final long[] v = new long[a.size()];
		for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsLong();
		return v;
	}

	static float[] array(final FloatBuffer f) {
		final float[] v = new float[f.remaining()];
		f.duplicate().get(v);
		return v;
	}
}

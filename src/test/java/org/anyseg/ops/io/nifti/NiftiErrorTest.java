package org.anyseg.ops.io.nifti;

import static org.anyseg.ops.io.nifti.NiftiTestFiles.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files give an AnySegException that says what is wrong and what to do. */
class NiftiErrorTest {

	@TempDir
	Path tmp;

	private static AnySegException refused(final Path file, final String... phrases) {
		final AnySegException e = assertThrows(AnySegException.class, () -> NiftiVolume.read(
			file));
		for (final String p : phrases) {
			assertTrue(e.getMessage().contains(p), "message has \"" + p + "\": " + e.getMessage());
		}
		assertTrue(e.getMessage().contains(file.toString()), "message names the file");
		return e;
	}

	/** A copy of a synthetic file with some header bytes changed (little-endian NIfTI-1). */
	private Path patched(final String name, final Consumer<ByteBuffer> patch) throws Exception {
		final byte[] b = Files.readAllBytes(resource(name));
		patch.accept(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN));
		final Path p = tmp.resolve("patched-" + name);
		Files.write(p, b);
		return p;
	}

	@Test
	void truncatedNii() throws Exception {
		final Path good = tmp.resolve("good.nii");
		NiftiWriter.write(good, NiftiHeader.read(resource("nifti2_f64.nii")), z -> NiftiVolume
			.read(resource("nifti2_f64.nii")).slice(z));
		final byte[] b = Files.readAllBytes(good);
		assertEquals(544 + 7 * 5 * 3 * 8, b.length);
		final Path cut = tmp.resolve("cut.nii");
		Files.write(cut, Arrays.copyOf(b, 1000));
		refused(cut, "truncated", "840 bytes", "only 456", "again");
	}

	@Test
	void truncatedNiiGz() throws Exception {
		final Path good = tmp.resolve("good.nii.gz");
		final NiftiVolume v = NiftiVolume.read(resource("nifti1_ext_u32.nii"));
		NiftiWriter.write(good, v.header(), v::slice);
		assertEquals(v.slice(1)[5], NiftiVolume.read(good).slice(1)[5]);
		// the compressed stream cut short
		final byte[] gz = Files.readAllBytes(good);
		final Path cut = tmp.resolve("cut.nii.gz");
		Files.write(cut, Arrays.copyOf(gz, gz.length - 12));
		refused(cut, "truncated", "again");
		Files.write(cut, Arrays.copyOf(gz, 30));
		refused(cut, "truncated", "again");
		// a complete gzip stream of a cut file: the byte counts are exact
		final byte[] raw = NiftiTestFiles.uncompressed(good);
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(cut))) {
			out.write(raw, 0, 384 + 50);
		}
		refused(cut, "truncated", "96 bytes", "only 50");
	}

	@Test
	void garbageHeader() throws Exception {
		final byte[] junk = new byte[600];
		new Random(42).nextBytes(junk);
		final Path p = tmp.resolve("junk.nii");
		Files.write(p, junk);
		refused(p, "Not a NIfTI file", "348", ".nii");
		Files.writeString(p, "this is not an image\n");
		refused(p, "Not a NIfTI file");
		final Path gz = tmp.resolve("junk.nii.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
			out.write(junk);
		}
		refused(gz, "Not a NIfTI file");
		// right size field, wrong magic
		refused(patched("nifti1_ext_u32.nii", b -> b.put(345, (byte) 'x')), "Not a NIfTI file",
			"magic");
		refused(patched("nifti1_ext_u32.nii", b -> b.put(345, (byte) 'i')), ".hdr/.img",
			"single .nii");
		refused(patched("nifti2_f64.nii", b -> b.put(9, (byte) '\r')), "binary mode");
	}

	@Test
	void dimZeroOutOfRange() throws Exception {
		refused(patched("nifti1_ext_u32.nii", b -> b.putShort(40, (short) 9)), "Invalid NIfTI " +
			"header", "dim[0]", "9", "1..7", "export");
		refused(patched("nifti1_ext_u32.nii", b -> b.putShort(40, (short) 0)), "dim[0]");
		refused(patched("nifti2_f64.nii", b -> b.putLong(16, 9)), "dim[0]", "9");
	}

	@Test
	void nonPositiveDimension() throws Exception {
		refused(patched("nifti1_ext_u32.nii", b -> b.putShort(44, (short) 0)), "dim[2] is 0");
		refused(patched("nifti2_f64.nii", b -> b.putLong(40, -3)), "dim[3] is -3");
	}

	@Test
	void bitpixNotMatchingDatatype() throws Exception {
		refused(patched("nifti1_ext_u32.nii", b -> b.putShort(72, (short) 16)), "bitpix is 16",
			"uint32", "32 bits");
	}

	@Test
	void unsupportedDatatype() throws Exception {
		refused(patched("nifti1_ext_u32.nii", b -> b.putShort(70, (short) 128).putShort(72,
			(short) 24)), "datatype 128", "RGB24", "Convert");
		refused(patched("nifti2_f64.nii", b -> b.putShort(12, (short) 1792).putShort(14,
			(short) 128)), "datatype 1792", "complex128");
	}

	@Test
	void missingFile() {
		refused(tmp.resolve("absent.nii.gz"), "not found");
	}

	@Test
	void failedWriteLeavesNoPartialOutput() throws Exception {
		final NiftiVolume v = NiftiVolume.read(resource("nifti2_f64.nii"));
		for (final String name : List.of("out.nii", "out.nii.gz")) {
			final Path out = tmp.resolve(name);
			final RuntimeException boom = new IllegalStateException("boom");
			assertThrows(IllegalStateException.class, () -> NiftiWriter.write(out, v.header(),
				z -> {
					if (z == 2) throw boom;
					return v.slice(z);
				}));
			assertFalse(Files.exists(out), "no output after a failed write");
			// a wrong slice size is refused the same way
			assertThrows(IllegalArgumentException.class, () -> NiftiWriter.write(out, v.header(),
				z -> new float[3]));
			assertFalse(Files.exists(out));
			// an existing output is left as it was
			NiftiWriter.write(out, v.header(), v::slice);
			final byte[] before = Files.readAllBytes(out);
			assertThrows(IllegalStateException.class, () -> NiftiWriter.write(out, v.header(),
				z -> {
					throw boom;
				}));
			assertArrayEquals(before, Files.readAllBytes(out));
		}
		try (Stream<Path> s = Files.list(tmp)) {
			assertEquals(List.of("out.nii", "out.nii.gz"), s.map(p -> p.getFileName().toString())
				.sorted().toList(), "no temporary files left");
		}
	}

	@Test
	void unwritableTargetIsAnAnySegException() throws Exception {
		final Path dirInTheWay = tmp.resolve("taken.nii");
		Files.createDirectories(dirInTheWay.resolve("child"));
		final NiftiVolume v = NiftiVolume.read(resource("nifti2_f64.nii"));
		final AnySegException e = assertThrows(AnySegException.class, () -> NiftiWriter.write(
			dirInTheWay, v.header(), v::slice));
		assertTrue(e.getMessage().contains("Cannot write"), e.getMessage());
	}
}

package org.anyseg.ops.io.nifti;

import static org.anyseg.ops.io.nifti.NiftiTestFiles.assertSameFields;
import static org.anyseg.ops.io.nifti.NiftiTestFiles.assertSameGeometry;
import static org.anyseg.ops.io.nifti.NiftiTestFiles.assertSameVoxels;
import static org.anyseg.ops.io.nifti.NiftiTestFiles.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Read, write, read back: headers and voxels survive, label volumes keep the geometry. */
class NiftiRoundTripTest {

	@TempDir
	Path tmp;

	/** Every NIfTI file of ../shared/data, through .nii and .nii.gz, and as a label volume. */
	@TestFactory
	@Tag("realdata")
	Stream<DynamicTest> sharedDataRoundTrips() throws Exception {
		return Fixtures.sharedDataTests("../shared/data", root -> {
			final List<Path> files = NiftiTestFiles.sharedFiles(root);
			assertFalse(files.isEmpty(), "../shared/data holds NIfTI files");
			return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
				() -> roundTrip(f)));
		});
	}

	@Test
	void syntheticFilesRoundTrip() throws Exception {
		for (final String name : List.of("nifti2_f64.nii", "nifti1_ext_u32.nii")) {
			roundTrip(resource(name));
		}
	}

	private void roundTrip(final Path file) throws Exception {
		final String name = file.getFileName().toString();
		final NiftiVolume in = NiftiVolume.read(file);
		final byte[] original = NiftiTestFiles.uncompressed(file);
		for (final String suffix : List.of(".nii.gz", ".nii")) {
			final Path out = tmp.resolve(name + "-copy" + suffix);
			NiftiWriter.write(out, in.header(), in::slice);
			final NiftiVolume back = NiftiVolume.read(out);
			assertSameFields(in.header(), back.header(), name + suffix);
			assertArrayEquals(in.header().rawBytes(), back.header().rawBytes(), name + suffix +
				": header and extension bytes");
			assertSameVoxels(in, back, name + suffix);
			final int dt = in.header().datatype();
			if (dt != 8 && dt != 768 && dt != 64) { // types whose values float holds exactly
				assertArrayEquals(original, NiftiTestFiles.uncompressed(out), name + suffix +
					": the written file is byte-identical to the input");
			}
			if (Files.getFileStore(out).supportsFileAttributeView("posix")) {
				assertEquals("rw-r--r--", PosixFilePermissions.toString(Files
					.getPosixFilePermissions(out)));
			}
		}
		assertEquals(List.of(), leftovers(), "no temporary files left");
		labelsKeepGeometry(in, name);
	}

	private void labelsKeepGeometry(final NiftiVolume in, final String name) throws Exception {
		final short[][] labels = syntheticLabels(in.nx(), in.ny(), in.nz(), 7);
		final Path out = tmp.resolve(name + "-labels.nii.gz");
		NiftiWriter.writeLabels(out, in.header(), labels);
		final NiftiVolume back = NiftiVolume.read(out);
		assertSameGeometry(in.header(), back.header(), name + " labels");
		assertEquals(2, back.header().datatype(), name + " labels are uint8");
		assertEquals(8, back.header().bitpix());
		assertEquals(1.0, back.header().sclSlope());
		assertEquals(0.0, back.header().sclInter());
		assertEquals(7.0, back.header().calMax());
		assertEquals(in.header().descrip(), back.header().descrip());
		assertOnlyLabelFieldsDiffer(in.header(), back.header());
		for (int z = 0; z < in.nz(); z++) {
			for (int i = 0; i < labels[z].length; i++) {
				assertEquals(labels[z][i], back.slice(z)[i], name + " label at " + i + "," + z);
			}
		}
	}

	static short[][] syntheticLabels(final int nx, final int ny, final int nz, final int max) {
		final short[][] l = new short[nz][nx * ny];
		for (int z = 0; z < nz; z++) {
			for (int y = 0; y < ny; y++) {
				for (int x = 0; x < nx; x++) l[z][x + nx * y] = (short) ((x / 3 + 2 * y + 5 * z) % 
					(max + 1));
			}
		}
		l[nz - 1][nx * ny - 1] = (short) max;
		return l;
	}

	/** The header bytes outside datatype, bitpix, dims above 3, vox_offset, scl, cal. */
	static void assertOnlyLabelFieldsDiffer(final NiftiHeader src, final NiftiHeader labels) {
		final byte[] a = src.rawBytes();
		final byte[] b = labels.rawBytes();
		final int size = src.version() == 1 ? 348 : 540;
		final int[][] allowed = src.version() == 1 ? new int[][] { { 40, 42 }, { 48, 56 }, { 70,
			74 }, { 108, 120 }, { 124, 132 } } : new int[][] { { 12, 24 }, { 48, 80 }, { 168,
				208 } };
		for (int i = 0; i < size; i++) {
			final int at = i;
			if (Arrays.stream(allowed).anyMatch(r -> at >= r[0] && at < r[1])) continue;
			assertEquals(a[i], b[i], "header byte " + i + " is kept");
		}
		assertEquals(size + 4, b.length, "extensions are dropped");
		assertEquals(size + 4, labels.voxOffset());
	}

	@Test
	void largeLabelsUseSixteenBits() throws Exception {
		final NiftiHeader like = NiftiVolume.read(resource("nifti2_f64.nii")).header();
		final short[][] labels = syntheticLabels(7, 5, 3, 300);
		final Path out = tmp.resolve("l16.nii");
		NiftiWriter.writeLabels(out, like, labels);
		NiftiVolume back = NiftiVolume.read(out);
		assertEquals(4, back.header().datatype(), "int16 for labels up to 32767");
		assertEquals(300f, back.slice(2)[34]);
		assertEquals(2, back.header().version());
		assertOnlyLabelFieldsDiffer(like, back.header());
		labels[0][0] = (short) 40000;
		NiftiWriter.writeLabels(out, like, labels);
		back = NiftiVolume.read(out);
		assertEquals(512, back.header().datatype(), "uint16 above 32767");
		assertEquals(40000f, back.slice(0)[0]);
		assertEquals(40000.0, back.header().calMax());
	}

	/** All volumes of the big-endian 4D file, written back as 4D and as a 3D label volume. */
	@Test
	void fourDimensionalBigEndianRoundTrip() throws Exception {
		final Path file = resource("nifti1_4d_be.nii.gz");
		final List<NiftiVolume> volumes = new ArrayList<>();
		for (int t = 0; t < 3; t++) volumes.add(NiftiVolume.read(file, t));
		final NiftiHeader h = volumes.get(0).header();
		assertEquals(ByteOrder.BIG_ENDIAN, h.byteOrder());
		assertTrue(h.isScaled());
		final Path out = tmp.resolve("4d.nii");
		final int nz = volumes.get(0).nz();
		NiftiWriter.write(out, h, s -> volumes.get(s / nz).slice(s % nz));
		assertArrayEquals(NiftiTestFiles.uncompressed(file), Files.readAllBytes(out),
			"the raw integers are reproduced through the scaling");
		for (int t = 0; t < 3; t++) {
			assertSameVoxels(volumes.get(t), NiftiVolume.read(out, t), "volume " + t);
		}
		final Path labels = tmp.resolve("4d-labels.nii.gz");
		NiftiWriter.writeLabels(labels, h, syntheticLabels(6, 5, 4, 3));
		final NiftiHeader lh = NiftiVolume.read(labels).header();
		assertEquals(3, lh.rank(), "labels of a 4D image are 3D");
		assertArrayEquals(new int[] { 6, 5, 4 }, lh.dims());
		assertEquals(ByteOrder.BIG_ENDIAN, lh.byteOrder());
		assertSameGeometry(h, lh, "4D labels");
		assertOnlyLabelFieldsDiffer(h, lh);
	}

	@Test
	void forLabelsDropsExtensionsAndKeepsTheRest() {
		final NiftiHeader h = NiftiHeader.read(resource("nifti1_ext_u32.nii"));
		assertEquals(384, h.voxOffset(), "the file has an extension");
		final NiftiHeader l = h.forLabels(512);
		assertEquals(512, l.datatype());
		assertEquals(16, l.bitpix());
		assertOnlyLabelFieldsDiffer(h, l);
		final byte[] b = l.rawBytes();
		assertArrayEquals(new byte[4], Arrays.copyOfRange(b, 348, 352), "empty extension flag");
	}

	private List<Path> leftovers() throws Exception {
		try (Stream<Path> s = Files.list(tmp)) {
			return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
		}
	}
}

package org.anyseg.ops.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The NIfTI test files and comparisons shared by the NIfTI tests. */
final class NiftiTestFiles {

	private NiftiTestFiles() {}

	/** The synthetic files made by tools/nifti/make_reference.py. */
	static Path resource(final String name) {
		return Paths.get("src/test/resources/nifti").resolve(name).toAbsolutePath();
	}

	/** Every .nii and .nii.gz under {@code root} (../shared/data), sorted. */
	static List<Path> sharedFiles(final Path root) throws IOException {
		try (Stream<Path> s = Files.walk(root)) {
			return s.filter(p -> {
				final String n = p.getFileName().toString().toLowerCase();
				return Files.isRegularFile(p) && (n.endsWith(".nii") || n.endsWith(".nii.gz"));
			}).sorted().collect(Collectors.toList());
		}
	}

	/** The file's bytes, decompressed when it is gzipped. */
	static byte[] uncompressed(final Path file) throws IOException {
		final byte[] b = Files.readAllBytes(file);
		if (b.length > 1 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
			try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
				return in.readAllBytes();
			}
		}
		return b;
	}

	/** Every header field with an accessor, compared one by one. */
	static void assertSameFields(final NiftiHeader want, final NiftiHeader got, final String what) {
		assertEquals(want.version(), got.version(), what + ": version");
		assertEquals(want.byteOrder(), got.byteOrder(), what + ": byte order");
		assertEquals(want.rank(), got.rank(), what + ": dim[0]");
		assertArrayEquals(want.dims(), got.dims(), what + ": dims");
		assertEquals(want.datatype(), got.datatype(), what + ": datatype");
		assertEquals(want.bitpix(), got.bitpix(), what + ": bitpix");
		assertEquals(want.sclSlope(), got.sclSlope(), what + ": scl_slope");
		assertEquals(want.sclInter(), got.sclInter(), what + ": scl_inter");
		assertEquals(want.calMin(), got.calMin(), what + ": cal_min");
		assertEquals(want.calMax(), got.calMax(), what + ": cal_max");
		assertEquals(want.descrip(), got.descrip(), what + ": descrip");
		assertEquals(want.voxOffset(), got.voxOffset(), what + ": vox_offset");
		assertSameGeometry(want, got, what);
	}

	/** The geometry fields: bit-identical (assertArrayEquals on doubles compares bits). */
	static void assertSameGeometry(final NiftiHeader want, final NiftiHeader got,
		final String what)
	{
		final int[] w = want.dims();
		final int[] g = got.dims();
		for (int i = 0; i < Math.min(3, w.length); i++) {
			assertEquals(w[i], g[i], what + ": dim[" + (i + 1) + "]");
		}
		assertArrayEquals(want.pixdim(), got.pixdim(), what + ": pixdim");
		assertArrayEquals(want.spacing(), got.spacing(), what + ": spacing");
		assertEquals(want.qformCode(), got.qformCode(), what + ": qform_code");
		assertEquals(want.sformCode(), got.sformCode(), what + ": sform_code");
		assertArrayEquals(want.quatern(), got.quatern(), what + ": quatern and qoffset");
		for (int r = 0; r < 3; r++) {
			assertArrayEquals(want.srow()[r], got.srow()[r], what + ": srow " + r);
		}
		assertEquals(want.xyztUnits(), got.xyztUnits(), what + ": xyzt_units");
		assertEquals(want.spatialUnit(), got.spatialUnit(), what + ": spatial unit");
	}

	/** Every voxel equal, NaN included. */
	static void assertSameVoxels(final NiftiVolume want, final NiftiVolume got,
		final String what)
	{
		assertEquals(want.nx(), got.nx(), what + ": nx");
		assertEquals(want.ny(), got.ny(), what + ": ny");
		assertEquals(want.nz(), got.nz(), what + ": nz");
		for (int z = 0; z < want.nz(); z++) {
			assertArrayEquals(want.slice(z), got.slice(z), what + ": slice " + z);
		}
	}
}

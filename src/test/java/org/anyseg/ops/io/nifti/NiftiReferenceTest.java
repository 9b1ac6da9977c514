package org.anyseg.ops.io.nifti;

import static org.anyseg.ops.io.nifti.NiftiTestFiles.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The reader against nibabel: src/test/resources/nifti/*_reference.json, written by
 * tools/nifti/make_reference.py, hold the header fields and (scaled) voxel values nibabel
 * reads.
 */
class NiftiReferenceTest {

	private static JsonObject json(final String name) throws Exception {
		try (Reader r = Files.newBufferedReader(resource(name))) {
			return JsonParser.parseReader(r).getAsJsonObject();
		}
	}

	@TestFactory
	@Tag("realdata")
	Stream<DynamicTest> sharedDataMatchesNibabel() throws Exception {
		return Fixtures.sharedDataTests("../shared/data", NiftiReferenceTest::sharedDataTests);
	}

	private static Stream<DynamicTest> sharedDataTests(final Path root) throws Exception {
		final JsonObject ref = json("shared_reference.json");
		final List<Path> files = NiftiTestFiles.sharedFiles(root);
		final Set<String> keys = files.stream().map(f -> root.relativize(f).toString().replace(
			'\\', '/')).collect(Collectors.toCollection(TreeSet::new));
		assertEquals(new TreeSet<>(ref.keySet()), keys, "the reference covers exactly the " +
			"NIfTI files of ../shared/data (rerun tools/nifti/make_reference.py if they changed)");
		return files.stream().map(f -> {
			final String key = root.relativize(f).toString().replace('\\', '/');
			return DynamicTest.dynamicTest(key, () -> compareShared(f, ref.getAsJsonObject(key),
				key));
		});
	}

	private static void compareShared(final Path file, final JsonObject ref, final String key) {
		final NiftiVolume v = NiftiVolume.read(file);
		compareHeader(v.header(), ref.getAsJsonObject("header"), key);
		double sum = 0;
		double min = Double.POSITIVE_INFINITY;
		double max = Double.NEGATIVE_INFINITY;
		for (int z = 0; z < v.nz(); z++) {
			for (final float f : v.slice(z)) {
				sum += f;
				min = Math.min(min, f);
				max = Math.max(max, f);
			}
		}
		final double refSum = ref.get("sum").getAsDouble();
		assertEquals(refSum, sum, 1e-9 * Math.max(1, Math.abs(refSum)), key + ": sum");
		assertEquals(ref.get("min").getAsDouble(), min, key + ": min");
		assertEquals(ref.get("max").getAsDouble(), max, key + ": max");
		for (final JsonElement e : ref.getAsJsonArray("probes")) {
			final JsonArray ijk = e.getAsJsonObject().getAsJsonArray("ijk");
			final int i = ijk.get(0).getAsInt();
			final int j = ijk.get(1).getAsInt();
			final int k = ijk.get(2).getAsInt();
			assertEquals((float) e.getAsJsonObject().get("value").getAsDouble(), v.slice(k)[i + v
				.nx() * j], key + ": voxel " + ijk);
		}
	}

	static void compareHeader(final NiftiHeader h, final JsonObject r, final String what) {
		assertEquals(r.get("version").getAsInt(), h.version(), what + ": version");
		assertEquals(r.get("endianness").getAsString().equals("big") ? ByteOrder.BIG_ENDIAN
			: ByteOrder.LITTLE_ENDIAN, h.byteOrder(), what + ": byte order");
		final JsonArray dim = r.getAsJsonArray("dim");
		assertEquals(dim.get(0).getAsInt(), h.rank(), what + ": dim[0]");
		for (int i = 0; i < h.rank(); i++) {
			assertEquals(dim.get(i + 1).getAsInt(), h.dims()[i], what + ": dim[" + (i + 1) + "]");
		}
		final JsonArray pixdim = r.getAsJsonArray("pixdim");
		for (int i = 0; i < 8; i++) {
			assertEquals(pixdim.get(i).getAsDouble(), h.pixdim()[i], what + ": pixdim[" + i + "]");
		}
		assertEquals(r.get("datatype").getAsInt(), h.datatype(), what + ": datatype");
		assertEquals(r.get("bitpix").getAsInt(), h.bitpix(), what + ": bitpix");
		assertEquals(r.get("scl_slope").getAsDouble(), h.sclSlope(), what + ": scl_slope");
		assertEquals(r.get("scl_inter").getAsDouble(), h.sclInter(), what + ": scl_inter");
		assertEquals(r.get("qform_code").getAsInt(), h.qformCode(), what + ": qform_code");
		assertEquals(r.get("sform_code").getAsInt(), h.sformCode(), what + ": sform_code");
		final String[] q = { "quatern_b", "quatern_c", "quatern_d", "qoffset_x", "qoffset_y",
			"qoffset_z" };
		for (int i = 0; i < 6; i++) {
			assertEquals(r.get(q[i]).getAsDouble(), h.quatern()[i], what + ": " + q[i]);
		}
		final String[] rows = { "srow_x", "srow_y", "srow_z" };
		for (int row = 0; row < 3; row++) {
			final JsonArray a = r.getAsJsonArray(rows[row]);
			for (int c = 0; c < 4; c++) {
				assertEquals(a.get(c).getAsDouble(), h.srow()[row][c], what + ": " + rows[row] +
					"[" + c + "]");
			}
		}
		assertEquals(r.get("xyzt_units").getAsInt(), h.xyztUnits(), what + ": xyzt_units");
		assertEquals(r.get("vox_offset").getAsLong(), h.voxOffset(), what + ": vox_offset");
		assertEquals(r.get("descrip").getAsString(), h.descrip(), what + ": descrip");
	}

	/** Every value of volume t, against nibabel's scaled values (x fastest, then t). */
	private static void compareValues(final NiftiVolume v, final JsonObject ref, final int t,
		final String what)
	{
		final JsonArray values = ref.getAsJsonArray("values");
		final int n = v.nx() * v.ny();
		for (int k = 0; k < v.nz(); k++) {
			for (int i = 0; i < n; i++) {
				final double want = values.get(i + n * (k + v.nz() * t)).getAsDouble();
				assertEquals((float) want, v.slice(k)[i], what + ": voxel " + i + " of slice " + k +
					" of volume " + t);
			}
		}
	}

	@Test
	void nifti2Float64() throws Exception {
		final JsonObject ref = json("synthetic_reference.json").getAsJsonObject("nifti2_f64.nii");
		final NiftiVolume v = NiftiVolume.read(resource("nifti2_f64.nii"));
		compareHeader(v.header(), ref.getAsJsonObject("header"), "nifti2");
		assertEquals(2, v.header().version());
		assertEquals(7, v.nx());
		assertEquals(5, v.ny());
		assertEquals(3, v.nz());
		assertEquals("mm", v.header().spatialUnit());
		assertEquals("AnySeg synthetic NIfTI-2", v.header().descrip());
		assertTrue(v.header().srow()[0][1] != 0, "the sform is oblique");
		compareValues(v, ref, 0, "nifti2");
	}

	@Test
	void fourDimensionalBigEndianScaled() throws Exception {
		final JsonObject ref = json("synthetic_reference.json").getAsJsonObject(
			"nifti1_4d_be.nii.gz");
		final Path file = resource("nifti1_4d_be.nii.gz");
		final AnySegException e = assertThrows(AnySegException.class, () -> NiftiVolume.read(
			file));
		assertTrue(e.getMessage().contains("3 volumes"), e.getMessage());
		assertTrue(e.getMessage().contains("read(file, t)"), e.getMessage());
		assertTrue(e.getMessage().contains("0 to 2"), e.getMessage());
		for (int t = 0; t < 3; t++) {
			final NiftiVolume v = NiftiVolume.read(file, t);
			compareHeader(v.header(), ref.getAsJsonObject("header"), "4D");
			assertEquals(4, v.nz());
			compareValues(v, ref, t, "4D");
		}
		final NiftiVolume v2 = NiftiVolume.read(file, 2);
		assertEquals(0.5, v2.header().sclSlope());
		assertEquals(-10.0, v2.header().sclInter());
		assertEquals("micron", v2.header().spatialUnit());
		assertEquals(ByteOrder.BIG_ENDIAN, v2.header().byteOrder());
		final AnySegException e3 = assertThrows(AnySegException.class, () -> NiftiVolume.read(
			file, 3));
		assertTrue(e3.getMessage().contains("0 to 2"), e3.getMessage());
	}

	@Test
	void uint32WithExtension() throws Exception {
		final JsonObject ref = json("synthetic_reference.json").getAsJsonObject(
			"nifti1_ext_u32.nii");
		final NiftiVolume v = NiftiVolume.read(resource("nifti1_ext_u32.nii"));
		compareHeader(v.header(), ref.getAsJsonObject("header"), "uint32");
		assertEquals("m", v.header().spatialUnit());
		assertEquals(1, ref.get("extensions").getAsInt());
		assertEquals(384, v.header().rawBytes().length, "header, flag and extension are kept");
		compareValues(v, ref, 0, "uint32");
	}
}

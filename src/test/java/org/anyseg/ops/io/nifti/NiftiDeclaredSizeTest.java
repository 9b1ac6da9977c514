package org.anyseg.ops.io.nifti;

import static org.anyseg.ops.io.nifti.NiftiTestFiles.resource;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a header's declared sizes are checked before anything is allocated: a NIfTI-1
 * header claiming 32767^3 voxels over a tiny body used to overflow an int or run out of
 * memory; now each variant is refused with a message.
 */
class NiftiDeclaredSizeTest {

	@TempDir
	Path tmp;

	/** nifti1_ext_u32.nii with dim[1..3] set as given (NIfTI-1: int16 dims at byte 42). */
	private Path withDims(final String name, final int nx, final int ny, final int nz,
		final boolean gz) throws Exception
	{
		final byte[] b = Files.readAllBytes(resource("nifti1_ext_u32.nii"));
		final ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
		bb.putShort(42, (short) nx);
		bb.putShort(44, (short) ny);
		bb.putShort(46, (short) nz);
		final Path p = tmp.resolve(name);
		if (!gz) Files.write(p, b);
		else try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
			out.write(b);
		}
		return p;
	}

	@Test
	void hugeDeclaredSizesAreRefusedBeforeAllocating() throws Exception {
		final int[][] dims = { { 32767, 32767, 32767 }, { 32767, 32767, 1 }, { 30000, 20000,
			500 }, { 1, 1, 32767 } };
		for (final int[] d : dims) {
			for (final boolean gz : new boolean[] { false, true }) {
				final Path p = withDims("huge" + d[0] + "x" + d[1] + "x" + d[2] + (gz ? ".nii.gz"
					: ".nii"), d[0], d[1], d[2], gz);
				final AnySegException e = assertThrows(AnySegException.class, () -> NiftiVolume.read(
					p), p.toString());
				final String m = e.getMessage();
				assertTrue(m.contains("truncated") || m.contains("memory") || m.contains(
					"in one piece"), p + ": " + m);
			}
		}
	}
}

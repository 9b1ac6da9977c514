package org.anyseg.ops.io.nifti;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;

import org.anyseg.ops.io.AtomicFiles;

/**
 * Writes NIfTI-1 and NIfTI-2 files ({@code .nii}; gzip-compressed when the name ends in
 * {@code .gz}). The header's raw bytes (header and extensions, up to {@code vox_offset}) are
 * written as they are, then the voxels in the header's datatype and byte order, slice after
 * slice, i fastest (the layout of {@link NiftiVolume}). Output is atomic: a temporary file
 * beside the target, renamed over it when complete, with permissions rw-r--r--; a failure
 * leaves no partial output.
 */
public final class NiftiWriter {

	private NiftiWriter() {}

	/**
	 * Writes {@code header} and the slices it announces: the product of dim[3..dim[0]]
	 * slices of dim[1] * dim[2] values, slice {@code s = z + nz * t} for a 4D header.
	 * Values are stored as {@code (v - scl_inter) / scl_slope} when the header is scaled
	 * ({@link NiftiHeader#isScaled()}); integer types round to nearest and clamp to their
	 * range (NaN becomes 0), so what {@link NiftiVolume} reads back is {@code v} up to the
	 * type's precision.
	 *
	 * @param slices gives the values of slice s, called once per slice in order
	 */
	public static void write(final Path file, final NiftiHeader header,
		final IntFunction<float[]> slices)
	{
		final NiftiDataType type = NiftiDataType.of(header.datatype());
		if (type == null || header.bitpix() != type.bits()) {
			throw new IllegalArgumentException("Cannot write " + NiftiDataType.describe(header
				.datatype()) + " with bitpix " + header.bitpix());
		}
		final long count = header.sliceCount();
		final int n = header.sliceVoxels();
		final boolean scaled = header.isScaled();
		final double slope = header.sclSlope();
		final double inter = header.effectiveInter();
		final byte[] head = header.rawBytes();
		AtomicFiles.writeAtomically(file, tmp -> {
			try (OutputStream out = open(tmp, file)) {
				out.write(head);
				final byte[] raw = new byte[n * type.bits() / 8];
				final ByteBuffer b = ByteBuffer.wrap(raw).order(header.byteOrder());
				for (int s = 0; s < count; s++) {
					final float[] v = slices.apply(s);
					if (v == null || v.length != n) {
						throw new IllegalArgumentException("Slice " + s + " has " + (v == null ? "no"
							: v.length) + " values; the header announces " + n);
					}
					if (scaled) {
						for (int i = 0; i < n; i++) type.put(b, i, (v[i] - inter) / slope);
					}
					else {
						for (int i = 0; i < n; i++) type.put(b, i, v[i]);
					}
					out.write(raw);
				}
			}
		});
	}

	/**
	 * Writes a label volume with the geometry of {@code like} (see
	 * {@link NiftiHeader#forLabels(int)}): uint8 when the largest label is at most 255, else
	 * int16 up to 32767, else uint16. Labels are read as unsigned 16-bit values;
	 * {@code cal_min} is 0 and {@code cal_max} the largest label.
	 *
	 * @param labelSlices one array per slice k of {@code like}, i fastest
	 */
	public static void writeLabels(final Path out, final NiftiHeader like,
		final short[][] labelSlices)
	{
		final int[] d = like.dims();
		final int nz = d.length > 2 ? d[2] : 1;
		final int n = like.sliceVoxels();
		if (labelSlices.length != nz) {
			throw new IllegalArgumentException(labelSlices.length + " label slices for a volume " +
				"of " + nz + " slices");
		}
		int max = 0;
		for (final short[] s : labelSlices) {
			if (s.length != n) {
				throw new IllegalArgumentException("A label slice has " + s.length + " values, " +
					"not " + n);
			}
			for (final short v : s) max = Math.max(max, v & 0xffff);
		}
		final int datatype = max <= 255 ? NiftiDataType.UINT8.code() : max <= Short.MAX_VALUE
			? NiftiDataType.INT16.code() : NiftiDataType.UINT16.code();
		final NiftiHeader h = like.forLabels(datatype).withCalRange(0, max);
		write(out, h, z -> {
			final short[] s = labelSlices[z];
			final float[] f = new float[n];
			for (int i = 0; i < n; i++) f[i] = s[i] & 0xffff;
			return f;
		});
	}

	/**
	 * Writes a label volume of any count with the geometry of {@code like}: as
	 * {@link #writeLabels(Path, NiftiHeader, short[][])} while the largest label is at most
	 * 65535, else int32 (exact up to 2^24, the precision of the float slices {@link #write}
	 * takes).
	 *
	 * @param labelSlices one array per slice k of {@code like}, i fastest
	 */
	public static void writeLabels(final Path out, final NiftiHeader like,
		final int[][] labelSlices)
	{
		final int n = like.sliceVoxels();
		int max = 0;
		for (final int[] s : labelSlices) {
			if (s.length != n) {
				throw new IllegalArgumentException("A label slice has " + s.length + " values, " +
					"not " + n);
			}
			for (final int v : s) max = Math.max(max, v);
		}
		if (max <= 65535) {
			final short[][] s = new short[labelSlices.length][n];
			for (int z = 0; z < s.length; z++) {
				for (int i = 0; i < n; i++) s[z][i] = (short) labelSlices[z][i];
			}
			writeLabels(out, like, s);
			return;
		}
		if (max > 1 << 24) {
			throw new IllegalArgumentException(max + " labels exceed 2^24, what is written " +
				"exactly");
		}
		final int[] d = like.dims();
		final int nz = d.length > 2 ? d[2] : 1;
		if (labelSlices.length != nz) {
			throw new IllegalArgumentException(labelSlices.length + " label slices for a volume " +
				"of " + nz + " slices");
		}
		final NiftiHeader h = like.forLabels(NiftiDataType.INT32.code()).withCalRange(0, max);
		write(out, h, z -> {
			final int[] s = labelSlices[z];
			final float[] f = new float[n];
			for (int i = 0; i < n; i++) f[i] = s[i];
			return f;
		});
	}

	private static OutputStream open(final Path tmp, final Path target) throws IOException {
		final OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
		if (!target.getFileName().toString().toLowerCase().endsWith(".gz")) return os;
		return new BufferedOutputStream(new GZIPOutputStream(os, 1 << 16), 1 << 16);
	}
}

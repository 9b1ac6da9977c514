package org.anyseg.ops.io.nifti;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.MemoryBudget;

/**
 * One 3D volume of a NIfTI-1 or NIfTI-2 file ({@code .nii}, or {@code .nii.gz} compressed
 * with gzip), as float values in one array per slice.
 * <p>
 * Layout: voxel (i, j, k) of the file is {@code slice(k)[i + nx() * j]}, i (x) fastest, then
 * j (y), one array per k (z), exactly as stored on disk. There is no reorientation: the
 * orientation (qform, sform) stays in {@link #header()}. Values are scaled by
 * {@code scl_slope} and {@code scl_inter} where the header asks for it
 * ({@link NiftiHeader#isScaled()}), computed in double and rounded to float.
 * <p>
 * Reading streams the file: apart from the float arrays it holds one slice of raw bytes and
 * the header. Supported types: uint8, int8, int16, uint16, int32, uint32, float32, float64,
 * in either byte order; files of 1 or 2 dimensions read as one slice.
 */
public final class NiftiVolume {

	private final NiftiHeader header;
	private final float[][] slices;

	private NiftiVolume(final NiftiHeader header, final float[][] slices) {
		this.header = header;
		this.slices = slices;
	}

	/** The file's header, unchanged (for a 4D file, still 4D). */
	public NiftiHeader header() {
		return header;
	}

	public int nx() {
		return header.dims()[0];
	}

	public int ny() {
		final int[] d = header.dims();
		return d.length > 1 ? d[1] : 1;
	}

	public int nz() {
		return slices.length;
	}

	/**
	 * The values of slice {@code z}, i fastest ({@code nx() * ny()} values). This is the
	 * stored array, not a copy.
	 */
	public float[] slice(final int z) {
		return slices[z];
	}

	/**
	 * Reads a 3D (or 1D, 2D) file. A file holding several volumes (dim[4] or higher above 1)
	 * is refused with a message saying how many; read one of them with {@link #read(Path, int)}.
	 */
	public static NiftiVolume read(final Path file) {
		return read(file, -1);
	}

	/**
	 * Reads volume {@code t} (0-based) of a file with several volumes: dims[4..7] are flattened,
	 * so t runs over all of them, dim[4] fastest. {@code t = 0} also reads a 3D file.
	 */
	public static NiftiVolume read(final Path file, final int t) {
		try (InputStream in = NiftiStreams.open(file)) {
			final NiftiHeader h = NiftiHeader.read(in, file);
			final long volumes = volumes(h);
			if (t < 0 && volumes > 1) {
				throw new AnySegException("NIfTI file " + file + " holds " + volumes + " volumes " +
					"(a 4D series, dim[4] = " + h.dims()[3] + "). Pick one volume to segment: " +
					"read(file, t) with t from 0 to " + (volumes - 1) + ".");
			}
			if (t >= volumes) {
				throw new AnySegException("NIfTI file " + file + " holds " + volumes +
					" volume(s); volume " + t + " does not exist. Choose t from 0 to " + (volumes -
						1) + ".");
			}
			return readVolume(in, h, Math.max(t, 0), file);
		}
		catch (final IOException e) {
			throw NiftiStreams.readError(file, e);
		}
	}

	private static long volumes(final NiftiHeader h) {
		final int[] d = h.dims();
		long n = 1;
		for (int i = 3; i < d.length; i++) n *= d[i];
		return n;
	}

	private static NiftiVolume readVolume(final InputStream in, final NiftiHeader h,
		final int t, final Path file) throws IOException
	{
		final NiftiDataType type = NiftiDataType.of(h.datatype());
		final int[] d = h.dims();
		final int nz = d.length > 2 ? d[2] : 1;
		final int n = h.sliceVoxels();
		final long sliceBytesL = (long) n * h.bytesPerVoxel();
		if (sliceBytesL > Integer.MAX_VALUE - 8) {
			throw new AnySegException("NIfTI file " + file + " declares slices of " + d[0] + " x " +
				(d.length > 1 ? d[1] : 1) + " voxels (" + sliceBytesL + " bytes each), more than AnySeg " +
				"can read in one piece. Check that the file is a real image (its header may be " +
				"damaged).");
		}
		final int sliceBytes = (int) sliceBytesL;
		final long volumeBytes = sliceBytesL * nz;
		final long expected = saturatingMultiply(volumeBytes, volumes(h));
		// declared sizes are checked against the file before anything is allocated
		if (!NiftiStreams.isGzip(file) && java.nio.file.Files.size(file) - h.voxOffset() <
			saturatingMultiply(volumeBytes, t + 1L))
		{
			throw truncated(file, expected, java.nio.file.Files.size(file) - h.voxOffset());
		}
		MemoryBudget.require(saturatingMultiply((long) n * 4L, nz) + sliceBytesL, "Reading " +
			file.getFileName() + " (" + java.util.Arrays.toString(d) + " voxels)");
		final long skipped = NiftiStreams.skipFully(in, volumeBytes * t);
		if (skipped < volumeBytes * t) throw truncated(file, expected, skipped);
		final boolean scaled = h.isScaled();
		final double slope = h.sclSlope();
		final double inter = h.effectiveInter();
		final byte[] raw = new byte[sliceBytes];
		final ByteBuffer b = ByteBuffer.wrap(raw).order(h.byteOrder());
		final float[][] slices = new float[nz][];
		for (int z = 0; z < nz; z++) {
			final int got = readFully(in, raw);
			if (got < sliceBytes) {
				throw truncated(file, expected, volumeBytes * t + (long) sliceBytes * z + got);
			}
			final float[] s = new float[n];
			if (scaled) {
				for (int i = 0; i < n; i++) s[i] = (float) (type.get(b, i) * slope + inter);
			}
			else {
				for (int i = 0; i < n; i++) s[i] = (float) type.get(b, i);
			}
			slices[z] = s;
		}
		return new NiftiVolume(h, slices);
	}

	private static long saturatingMultiply(final long a, final long b) {
		try {
			return Math.multiplyExact(a, b);
		}
		catch (final ArithmeticException e) {
			return Long.MAX_VALUE;
		}
	}

	/** Reads until {@code buf} is full or the data ends (also a damaged gzip end). */
	private static int readFully(final InputStream in, final byte[] buf) throws IOException {
		int got = 0;
		try {
			while (got < buf.length) {
				final int r = in.read(buf, got, buf.length - got);
				if (r < 0) break;
				got += r;
			}
		}
		catch (final EOFException e) {
			// a truncated .nii.gz: GZIPInputStream reports the cut as an EOFException
		}
		return got;
	}

	private static AnySegException truncated(final Path file, final long expected,
		final long got)
	{
		return new AnySegException("NIfTI file " + file + " is truncated: its header announces " +
			expected + " bytes of voxel data, but the file holds only " + got + ". The file was " +
			"cut short (an interrupted download or copy); copy or export it again.");
	}
}

package org.anyseg.ops.io.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.anyseg.ops.AnySegException;

/**
 * The header of a single-file NIfTI-1 ({@code n+1}) or NIfTI-2 ({@code n+2}) image, kept as
 * the raw bytes read from the file: the header itself plus everything up to
 * {@code vox_offset} (the extension flag and any extensions). Every field therefore survives
 * a read and write unchanged, including those without an accessor (intent, slice timing,
 * aux_file, ...). Accessors decode fields on demand in the file's byte order; NIfTI-1 floats
 * and shorts are widened to {@code double} and {@code int} without changing their value.
 * <p>
 * Instances are immutable. A header returned by {@link #read} has been validated: supported
 * data type, {@code bitpix} matching it, {@code dim[0]} in 1..7, positive dimensions.
 */
public final class NiftiHeader {

	static final int SIZE_V1 = 348;
	static final int SIZE_V2 = 540;
	/** Largest header plus extensions accepted; extensions are normally a few kilobytes. */
	private static final long MAX_VOX_OFFSET = 64L << 20;

	private final byte[] bytes;
	private final int version;
	private final ByteOrder order;

	private NiftiHeader(final byte[] bytes, final int version, final ByteOrder order) {
		this.bytes = bytes;
		this.version = version;
		this.order = order;
	}

	/** Reads and validates the header of a {@code .nii} or {@code .nii.gz} file. */
	public static NiftiHeader read(final Path file) {
		try (InputStream in = NiftiStreams.open(file)) {
			return read(in, file);
		}
		catch (final IOException e) {
			throw NiftiStreams.readError(file, e);
		}
	}

	/** Reads the header and the bytes up to {@code vox_offset} from the start of a stream. */
	static NiftiHeader read(final InputStream in, final Path file) throws IOException {
		final byte[] first = new byte[4];
		if (in.readNBytes(first, 0, 4) < 4) throw notNifti(file, "it is shorter than a header");
		final int le = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt();
		final int be = ByteBuffer.wrap(first).order(ByteOrder.BIG_ENDIAN).getInt();
		final ByteOrder order;
		final int size;
		if (le == SIZE_V1 || le == SIZE_V2) {
			order = ByteOrder.LITTLE_ENDIAN;
			size = le;
		}
		else if (be == SIZE_V1 || be == SIZE_V2) {
			order = ByteOrder.BIG_ENDIAN;
			size = be;
		}
		else {
			throw notNifti(file, "the header size field is " + le + ", not 348 (NIfTI-1) or " +
				"540 (NIfTI-2)");
		}
		final byte[] head = Arrays.copyOf(first, size);
		if (in.readNBytes(head, 4, size - 4) < size - 4) {
			throw notNifti(file, "it ends inside the " + size + "-byte header");
		}
		final int version = size == SIZE_V1 ? 1 : 2;
		checkMagic(head, version, file);
		final NiftiHeader h = new NiftiHeader(head, version, order);
		final long voxOffset = h.voxOffset();
		if (voxOffset < size || voxOffset > MAX_VOX_OFFSET) {
			throw invalid(file, "vox_offset is " + voxOffset + ", outside " + size + ".." +
				MAX_VOX_OFFSET);
		}
		h.validate(file);
		final byte[] all = Arrays.copyOf(head, (int) voxOffset);
		final int got = in.readNBytes(all, size, all.length - size);
		if (got < all.length - size) {
			throw new AnySegException("NIfTI file " + file + " is truncated: it ends inside " +
				"the header extensions (" + voxOffset + " header bytes announced, " + (size + got) +
				" present). Export the image again.");
		}
		return new NiftiHeader(all, version, order);
	}

	private static void checkMagic(final byte[] head, final int version, final Path file) {
		if (version == 1) {
			final String magic = new String(head, 344, 3, StandardCharsets.ISO_8859_1);
			if (magic.equals("ni1")) {
				throw new AnySegException("NIfTI file " + file + " is the header of a .hdr/.img " +
					"pair, which AnySeg does not read. Save the image as a single .nii or .nii.gz " +
					"file (for example with Fiji's NIfTI export or nibabel).");
			}
			if (!magic.equals("n+1") || head[347] != 0) {
				throw notNifti(file, "the magic string is not \"n+1\"");
			}
		}
		else {
			final String magic = new String(head, 4, 3, StandardCharsets.ISO_8859_1);
			if (magic.equals("ni2")) {
				throw new AnySegException("NIfTI-2 file " + file + " is the header of a .hdr/.img " +
					"pair, which AnySeg does not read. Save the image as a single .nii or .nii.gz file.");
			}
			if (!magic.equals("n+2") || head[7] != 0) {
				throw notNifti(file, "the magic string is not \"n+2\"");
			}
			if (head[8] != '\r' || head[9] != '\n' || head[10] != 0x1a || head[11] != '\n') {
				throw new AnySegException("NIfTI-2 file " + file + " is damaged: the bytes after " +
					"its magic string were changed, as a text-mode file transfer does. Copy the " +
					"file again in binary mode.");
			}
		}
	}

	private void validate(final Path file) {
		final int rank = rawDim(0) > Integer.MAX_VALUE ? -1 : (int) rawDim(0);
		if (rank < 1 || rank > 7) {
			throw invalid(file, "dim[0] (the number of dimensions) is " + rawDim(0) +
				", outside 1..7");
		}
		for (int i = 1; i <= rank; i++) {
			final long d = rawDim(i);
			if (d < 1 || d > Integer.MAX_VALUE) {
				throw invalid(file, "dim[" + i + "] is " + d + "; each dimension must be " +
					"between 1 and " + Integer.MAX_VALUE);
			}
		}
		final int dt = datatype();
		final NiftiDataType type = NiftiDataType.of(dt);
		if (type == null) {
			throw new AnySegException("NIfTI file " + file + " stores " + NiftiDataType.describe(
				dt) + ", which AnySeg does not read. Convert it to uint8, int8, int16, uint16, " +
				"int32, uint32, float32 or float64 (for example with nibabel or Fiji).");
		}
		if (bitpix() != type.bits()) {
			throw invalid(file, "bitpix is " + bitpix() + " but datatype " + dt + " (" + type
				.label() + ") has " + type.bits() + " bits per voxel");
		}
		if ((long) dims()[0] * (rank > 1 ? dims()[1] : 1) > Integer.MAX_VALUE - 8) {
			throw invalid(file, "one slice has more than " + (Integer.MAX_VALUE - 8) + " voxels");
		}
	}

	private static AnySegException notNifti(final Path file, final String why) {
		return new AnySegException("Not a NIfTI file: " + file + " (" + why + "). Open a " +
			"NIfTI-1 or NIfTI-2 image (.nii or .nii.gz).");
	}

	private static AnySegException invalid(final Path file, final String why) {
		return new AnySegException("Invalid NIfTI header in " + file + ": " + why + ". The " +
			"file is damaged or was written by a faulty program; export the image again.");
	}

	// ---- raw access

	private ByteBuffer buf() {
		return ByteBuffer.wrap(bytes).order(order);
	}

	/** A field widened to double: float/double in NIfTI-1/NIfTI-2. */
	private double real(final int offsetV1, final int offsetV2) {
		return version == 1 ? buf().getFloat(offsetV1) : buf().getDouble(offsetV2);
	}

	/** A field widened to int: short/int in NIfTI-1/NIfTI-2. */
	private int integer(final int offsetV1, final int offsetV2) {
		return version == 1 ? buf().getShort(offsetV1) : buf().getInt(offsetV2);
	}

	private long rawDim(final int i) {
		return version == 1 ? buf().getShort(40 + 2 * i) : buf().getLong(16 + 8 * i);
	}

	// ---- accessors

	/** 1 for NIfTI-1, 2 for NIfTI-2. */
	public int version() {
		return version;
	}

	/** The byte order of the header and the voxel data. */
	public ByteOrder byteOrder() {
		return order;
	}

	/** A copy of the raw bytes from the start of the file up to {@code vox_offset}. */
	public byte[] rawBytes() {
		return bytes.clone();
	}

	/** The number of dimensions, {@code dim[0]}. */
	public int rank() {
		return (int) rawDim(0);
	}

	/** {@code dim[1..dim[0]]}: the size along i, j, k, t, ... */
	public int[] dims() {
		final int[] d = new int[rank()];
		for (int i = 0; i < d.length; i++) d[i] = (int) rawDim(i + 1);
		return d;
	}

	/** All eight {@code pixdim} values; {@code pixdim[0]} is qfac. */
	public double[] pixdim() {
		final double[] p = new double[8];
		for (int i = 0; i < 8; i++) p[i] = real(76 + 4 * i, 104 + 8 * i);
		return p;
	}

	/** {@code pixdim[1..3]}: the voxel size along i, j, k in {@link #spatialUnit()}. */
	public double[] spacing() {
		return Arrays.copyOfRange(pixdim(), 1, 4);
	}

	/** The NIfTI datatype code (2 uint8, 4 int16, 16 float32, 512 uint16, ...). */
	public int datatype() {
		return version == 1 ? buf().getShort(70) : buf().getShort(12);
	}

	public int bitpix() {
		return version == 1 ? buf().getShort(72) : buf().getShort(14);
	}

	public double sclSlope() {
		return real(112, 176);
	}

	public double sclInter() {
		return real(116, 184);
	}

	public double calMin() {
		return real(128, 200);
	}

	public double calMax() {
		return real(124, 192);
	}

	public int qformCode() {
		return integer(252, 344);
	}

	public int sformCode() {
		return integer(254, 348);
	}

	/** quatern_b, quatern_c, quatern_d, qoffset_x, qoffset_y, qoffset_z. */
	public double[] quatern() {
		final double[] q = new double[6];
		for (int i = 0; i < 6; i++) q[i] = real(256 + 4 * i, 352 + 8 * i);
		return q;
	}

	/** srow_x, srow_y, srow_z: the rows of the sform affine. */
	public double[][] srow() {
		final double[][] s = new double[3][4];
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 4; c++) s[r][c] = real(280 + 16 * r + 4 * c, 400 + 32 * r + 8 * c);
		}
		return s;
	}

	public int xyztUnits() {
		return version == 1 ? bytes[123] & 0xff : buf().getInt(500);
	}

	/** The unit of {@link #spacing()}: "m", "mm", "micron", or "" when unknown. */
	public String spatialUnit() {
		switch (xyztUnits() & 0x07) {
			case 1:
				return "m";
			case 2:
				return "mm";
			case 3:
				return "micron";
			default:
				return "";
		}
	}

	/** The description text, up to its first NUL. */
	public String descrip() {
		final int start = version == 1 ? 148 : 240;
		int end = start;
		while (end < start + 80 && bytes[end] != 0) end++;
		return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
	}

	/** Where the voxel data starts: the byte count of the header and its extensions. */
	public long voxOffset() {
		return version == 1 ? (long) buf().getFloat(108) : buf().getLong(168);
	}

	/** True when values are {@code raw * sclSlope() + sclInter()} rather than raw. */
	public boolean isScaled() {
		final double s = sclSlope();
		final double i = sclInter();
		return s != 0 && Double.isFinite(s) && !(s == 1 && (i == 0 || !Double.isFinite(i)));
	}

	/** {@link #sclInter()}, or 0 where it is not a finite number (nibabel's reading). */
	double effectiveInter() {
		final double i = sclInter();
		return Double.isFinite(i) ? i : 0;
	}

	// ---- derived headers

	/**
	 * A header for a label image with this header's geometry: a copy identical in every
	 * header byte except {@code datatype}, {@code bitpix} (those of {@code datatype}),
	 * {@code scl_slope} = 1, {@code scl_inter} = 0, {@code cal_min} = {@code cal_max} = 0,
	 * and, when this header has more than three dimensions, {@code dim[0]} = 3 and
	 * {@code dim[4..7]} = 1. Extensions are dropped: the copy has an empty extension flag and
	 * {@code vox_offset} 352 (NIfTI-1) or 544 (NIfTI-2). Geometry ({@code dim[1..3]},
	 * {@code pixdim}, qform and sform, {@code xyzt_units}) is bit-identical.
	 *
	 * @param datatype a supported NIfTI datatype code, such as 2 (uint8) or 512 (uint16)
	 */
	public NiftiHeader forLabels(final int datatype) {
		final NiftiDataType type = NiftiDataType.of(datatype);
		if (type == null) {
			throw new IllegalArgumentException("Unsupported NIfTI datatype " + datatype);
		}
		final int size = version == 1 ? SIZE_V1 : SIZE_V2;
		final byte[] b = Arrays.copyOf(bytes, size + 4);
		Arrays.fill(b, size, size + 4, (byte) 0); // extension flag: no extensions
		final ByteBuffer w = ByteBuffer.wrap(b).order(order);
		final NiftiHeader copy = new NiftiHeader(b, version, order);
		if (version == 1) {
			w.putShort(70, (short) datatype).putShort(72, (short) type.bits());
			w.putFloat(108, size + 4).putFloat(112, 1f).putFloat(116, 0f);
			w.putFloat(124, 0f).putFloat(128, 0f);
			if (rank() > 3) {
				w.putShort(40, (short) 3);
				for (int i = 4; i <= 7; i++) w.putShort(40 + 2 * i, (short) 1);
			}
		}
		else {
			w.putShort(12, (short) datatype).putShort(14, (short) type.bits());
			w.putLong(168, size + 4).putDouble(176, 1).putDouble(184, 0);
			w.putDouble(192, 0).putDouble(200, 0);
			if (rank() > 3) {
				w.putLong(16, 3);
				for (int i = 4; i <= 7; i++) w.putLong(16 + 8 * i, 1);
			}
		}
		return copy;
	}

	/** A copy with {@code cal_min} and {@code cal_max} set (the display range of viewers). */
	NiftiHeader withCalRange(final double min, final double max) {
		final byte[] b = bytes.clone();
		final ByteBuffer w = ByteBuffer.wrap(b).order(order);
		if (version == 1) w.putFloat(128, (float) min).putFloat(124, (float) max);
		else w.putDouble(200, min).putDouble(192, max);
		return new NiftiHeader(b, version, order);
	}

	/** Bytes of one voxel. */
	int bytesPerVoxel() {
		return bitpix() / 8;
	}

	/** The number of i-j slices stored: the product of dim[3..dim[0]]. */
	long sliceCount() {
		final int[] d = dims();
		long n = 1;
		for (int i = 2; i < d.length; i++) n *= d[i];
		return n;
	}

	/** Voxels in one i-j slice. */
	int sliceVoxels() {
		final int[] d = dims();
		return d[0] * (d.length > 1 ? d[1] : 1);
	}

	@Override
	public String toString() {
		return "NIfTI-" + version + " " + Arrays.toString(dims()) + " datatype " + datatype() +
			" " + order;
	}
}

package org.anyseg.ops.io.nifti;

import java.nio.ByteBuffer;

/**
 * The NIfTI voxel types AnySeg reads and writes, with their conversion to and from float.
 * Values pass through {@code float}: integers beyond 2^24 (int32, uint32) and float64
 * values are rounded to the nearest float.
 */
enum NiftiDataType {

	UINT8(2, 8, "uint8", 0, 255),
	INT16(4, 16, "int16", Short.MIN_VALUE, Short.MAX_VALUE),
	INT32(8, 32, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE),
	FLOAT32(16, 32, "float32", 0, 0),
	FLOAT64(64, 64, "float64", 0, 0),
	INT8(256, 8, "int8", Byte.MIN_VALUE, Byte.MAX_VALUE),
	UINT16(512, 16, "uint16", 0, 65535),
	UINT32(768, 32, "uint32", 0, 4294967295L);

	private final int code;
	private final int bits;
	private final String label;
	private final long min;
	private final long max;

	NiftiDataType(final int code, final int bits, final String label, final long min,
		final long max)
	{
		this.code = code;
		this.bits = bits;
		this.label = label;
		this.min = min;
		this.max = max;
	}

	int code() {
		return code;
	}

	int bits() {
		return bits;
	}

	String label() {
		return label;
	}

	/** The type of a datatype code, or null when AnySeg does not support it. */
	static NiftiDataType of(final int code) {
		for (final NiftiDataType t : values()) {
			if (t.code == code) return t;
		}
		return null;
	}

	/** A datatype code with its NIfTI name where known, for messages. */
	static String describe(final int code) {
		final String name;
		switch (code) {
			case 0:
				name = "unknown";
				break;
			case 1:
				name = "binary (1 bit)";
				break;
			case 32:
				name = "complex64";
				break;
			case 128:
				name = "RGB24";
				break;
			case 1024:
				name = "int64";
				break;
			case 1280:
				name = "uint64";
				break;
			case 1536:
				name = "float128";
				break;
			case 1792:
				name = "complex128";
				break;
			case 2048:
				name = "complex256";
				break;
			case 2304:
				name = "RGBA32";
				break;
			default:
				final NiftiDataType t = of(code);
				name = t == null ? "not a NIfTI type" : t.label;
		}
		return "datatype " + code + " (" + name + ")";
	}

	/** The raw value of voxel {@code i} of a slice buffer in the buffer's byte order. */
	double get(final ByteBuffer b, final int i) {
		switch (this) {
			case UINT8:
				return b.get(i) & 0xff;
			case INT8:
				return b.get(i);
			case INT16:
				return b.getShort(2 * i);
			case UINT16:
				return b.getShort(2 * i) & 0xffff;
			case INT32:
				return b.getInt(4 * i);
			case UINT32:
				return b.getInt(4 * i) & 0xffffffffL;
			case FLOAT32:
				return b.getFloat(4 * i);
			default:
				return b.getDouble(8 * i);
		}
	}

	/**
	 * Stores {@code v} as voxel {@code i}: integers are rounded to nearest and clamped to the
	 * type's range, NaN becomes 0.
	 */
	void put(final ByteBuffer b, final int i, final double v) {
		if (this == FLOAT32) {
			b.putFloat(4 * i, (float) v);
			return;
		}
		if (this == FLOAT64) {
			b.putDouble(8 * i, v);
			return;
		}
		final long r = Double.isNaN(v) ? 0 : (long) Math.max(min, Math.min(max, Math.rint(v)));
		switch (this) {
			case UINT8:
			case INT8:
				b.put(i, (byte) r);
				break;
			case INT16:
			case UINT16:
				b.putShort(2 * i, (short) r);
				break;
			default:
				b.putInt(4 * i, (int) r);
		}
	}
}

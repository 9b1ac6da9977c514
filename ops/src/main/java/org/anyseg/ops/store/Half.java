package org.anyseg.ops.store;

/**
 * IEEE 754 half precision (binary16, numpy's {@code float16}) to and from float: Java 17
 * has no {@code Float.floatToFloat16}. Rounding is to nearest, ties to even; values beyond
 * 65504 become infinity, tiny ones subnormal or zero, as numpy's {@code astype(float16)}.
 */
final class Half {

	private Half() {}

	/** The half-precision bits of {@code f}, rounded to nearest even. */
	static short fromFloat(final float f) {
		final int bits = Float.floatToRawIntBits(f);
		final int sign = (bits >>> 16) & 0x8000;
		final int exp = (bits >>> 23) & 0xff;
		int mant = bits & 0x7fffff;
		if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0)); // Inf, NaN
		final int e = exp - 127 + 15;
		if (e >= 0x1f) return (short) (sign | 0x7c00); // overflow
		if (e <= 0) {
			if (e < -10) return (short) sign; // below half the smallest subnormal
			mant |= 0x800000; // implicit leading one
			final int shift = 14 - e;
			int h = mant >> shift;
			final int rest = mant & ((1 << shift) - 1), half = 1 << (shift - 1);
			if (rest > half || rest == half && (h & 1) != 0) h++;
			return (short) (sign | h);
		}
		int h = (e << 10) | (mant >> 13);
		final int rest = mant & 0x1fff;
		if (rest > 0x1000 || rest == 0x1000 && (h & 1) != 0) h++; // may carry into the exponent
		return (short) (sign | h);
	}

	/** The float value of half-precision bits (exact). */
	static float toFloat(final short s) {
		final int h = s & 0xffff;
		final int sign = (h & 0x8000) << 16;
		final int exp = (h >>> 10) & 0x1f;
		final int mant = h & 0x3ff;
		if (exp == 0) {
			final float v = mant * 0x1p-24f; // subnormal or zero
			return sign != 0 ? -v : v;
		}
		if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
		return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
	}
}

package org.anyseg.ops.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.anyseg.ops.AnySegException;

/**
 * The values of a tensor as a direct, little-endian float32 buffer in C order. A float32
 * tensor that is contiguous, in a stored entry of a little-endian archive, is a read-only view
 * of the memory-mapped file (no copy); every other tensor is gathered through its strides
 * into a new buffer, converting float16 and bfloat16 exactly.
 */
final class FloatReader {

	private FloatReader() {}

	static FloatBuffer read(final TensorEntry t, final TorchArchive archive) throws IOException {
		final long numel = t.numel();
		if (numel > (Integer.MAX_VALUE - 8) / 4) {
			throw new AnySegException("tensor '" + t.name() + "' has " + numel + " values, more " +
				"than one float buffer can hold (2 GiB)");
		}
		if (numel == 0) return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN)
			.asFloatBuffer();
		final int size = t.dtype().bytes();
		final ByteBuffer region = archive.region(t.storageKey(), t.storageOffset() * size, span(t) *
			size);
		if (t.dtype() == DType.FLOAT32 && t.contiguous() && archive.order() ==
			ByteOrder.LITTLE_ENDIAN && archive.mappable(t.storageKey()))
		{
			return region.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
		}
		return gather(region, t, (int) numel);
	}

	/** Elements from the first to the last one the tensor reaches (checked when opened). */
	static long span(final TensorEntry t) {
		final long[] shape = t.shape();
		final long[] stride = t.stride();
		long last = 0;
		for (int k = 0; k < shape.length; k++) last += (shape[k] - 1) * stride[k];
		return last + 1;
	}

	/** Element {@code i} of the tensor (C order) is element {@code sum_k i_k * stride[k]} of
	 * {@code src}. */
	private static FloatBuffer gather(final ByteBuffer src, final TensorEntry t, final int numel) {
		final FloatBuffer out = ByteBuffer.allocateDirect(numel * 4).order(ByteOrder.LITTLE_ENDIAN)
			.asFloatBuffer();
		final long[] shape = t.shape();
		final long[] stride = t.stride();
		final int rank = shape.length;
		if (rank == 0) {
			out.put(0, value(src, t.dtype(), 0));
			return out;
		}
		final int inner = (int) shape[rank - 1];
		final long step = stride[rank - 1];
		final long[] index = new long[rank];
		long base = 0;
		int o = 0;
		while (o < numel) {
			long at = base;
			for (int j = 0; j < inner; j++, at += step) {
				out.put(o++, value(src, t.dtype(), (int) at));
			}
			// the next row: an odometer over the outer dimensions
			for (int d = rank - 2; d >= 0; d--) {
				base += stride[d];
				if (++index[d] < shape[d]) break;
				base -= stride[d] * shape[d];
				index[d] = 0;
			}
		}
		return out;
	}

	private static float value(final ByteBuffer src, final DType type, final int element) {
		return switch (type) {
			case FLOAT32 -> src.getFloat(element * 4);
			case FLOAT16 -> halfToFloat(src.getShort(element * 2));
			case BFLOAT16 -> Float.intBitsToFloat((src.getShort(element * 2) & 0xffff) << 16);
		};
	}

	/**
	 * IEEE binary16 to binary32, exact: normal values re-biased (exponent + 112), subnormals
	 * {@code mantissa * 2^-24}, infinities and NaNs (payload kept) mapped to their float32
	 * counterparts.
	 */
	static float halfToFloat(final short h) {
		final int bits = h & 0xffff;
		final int sign = (bits & 0x8000) << 16;
		final int exp = bits >>> 10 & 0x1f;
		final int mantissa = bits & 0x3ff;
		if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
		if (exp == 0) {
			final float v = mantissa * 0x1p-24f;
			return sign != 0 ? -v : v;
		}
		return Float.intBitsToFloat(sign | exp + 112 << 23 | mantissa << 13);
	}
}

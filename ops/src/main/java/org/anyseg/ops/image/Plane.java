package org.anyseg.ops.image;

import java.util.Objects;

import org.anyseg.ops.AnySegException;

/**
 * One 2D image plane as the engine sees it: gray (one channel) or RGB (three channels),
 * pixel values as floats in row-major order ({@code index = y * width + x}).
 * <p>
 * The {@link Kind} records where the values came from, since the default intensity
 * normalization depends on it (8-bit and RGB values are used as they are, 16- and 32-bit
 * values are stretched). A plane is immutable by contract: the engine never writes into
 * the arrays it was given.
 */
public final class Plane {

	/** Pixel type of the source image. */
	public enum Kind {
		GRAY8, GRAY16, GRAY32, RGB
	}

	private final int width;
	private final int height;
	private final Kind kind;
	private final float[][] channels;
	/** Lazily computed; 0 = not yet (a real hash of 0 is merely recomputed). */
	private volatile long fingerprint;

	public Plane(final int width, final int height, final Kind kind, final float[]... channels) {
		if (width < 1 || height < 1) {
			throw new AnySegException("Unsupported image: it is " + width + "x" + height +
				" pixels; an image needs at least one pixel in each direction.");
		}
		Objects.requireNonNull(kind, "kind");
		final int expected = kind == Kind.RGB ? 3 : 1;
		if (channels.length != expected) {
			throw new IllegalArgumentException(kind + " plane needs " + expected +
				" channel(s), got " + channels.length);
		}
		for (final float[] c : channels) {
			if (c.length != width * height) {
				throw new IllegalArgumentException("channel has " + c.length +
					" values, expected " + width + "*" + height);
			}
		}
		this.width = width;
		this.height = height;
		this.kind = kind;
		this.channels = channels;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	public Kind kind() {
		return kind;
	}

	/** A rectangle of this plane (the plane itself when the rectangle is all of it). */
	public Plane crop(final int x, final int y, final int w, final int h) {
		if (x == 0 && y == 0 && w == width && h == height) return this;
		if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > width || y + h > height) {
			throw new IllegalArgumentException("Rectangle " + x + "," + y + " " + w + "x" + h +
				" is not inside the " + width + "x" + height + " plane.");
		}
		final float[][] ch = new float[channelCount()][];
		for (int c = 0; c < ch.length; c++) {
			final float[] src = channel(c), dst = new float[w * h];
			for (int r = 0; r < h; r++) System.arraycopy(src, (y + r) * width + x, dst, r * w, w);
			ch[c] = dst;
		}
		return new Plane(w, h, kind, ch);
	}

	public int channelCount() {
		return channels.length;
	}

	/** The values of channel {@code c}; callers must not modify the returned array. */
	public float[] channel(final int c) {
		return channels[c];
	}

	/**
	 * A 64-bit fingerprint of size, kind and every pixel value, used to recognise a plane
	 * that was already encoded. Collisions are possible in principle but need two different
	 * images of the same size with the same 64-bit hash.
	 */
	public long fingerprint() {
		long f = fingerprint;
		if (f == 0) fingerprint = f = computeFingerprint();
		return f;
	}

	private long computeFingerprint() {
		long h = 0xcbf29ce484222325L;
		h = mix(h, width);
		h = mix(h, height);
		h = mix(h, kind.ordinal());
		for (final float[] c : channels) {
			for (final float v : c) {
				h = mix(h, Float.floatToIntBits(v));
			}
		}
		return h;
	}

	private static long mix(long h, final int v) {
		h ^= v;
		h *= 0x100000001b3L;
		return h ^ (h >>> 29);
	}

	@Override
	public String toString() {
		return width + "x" + height + " " + kind;
	}
}

package org.anyseg.ops.volume;

import java.util.Locale;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Plane;

/**
 * The axis a volume is walked along. Slicing along {@code Y} gives planes of
 * {@code (x, z)} (width nx, height nz); along {@code X} planes of {@code (y, z)} (width ny,
 * height nz). {@link #view} presents a volume so that its "slices" are those planes, and
 * {@link #toVolume} maps view coordinates back.
 */
public enum Axis {
	Z, Y, X;

	public static Axis parse(final String s) {
		try {
			return valueOf(s.trim().toUpperCase(Locale.ROOT));
		}
		catch (final IllegalArgumentException e) {
			throw new AnySegException("Unknown axis '" + s + "': use z, y or x.");
		}
	}

	/** The volume seen with this axis as its slice axis. */
	public Volume view(final Volume v) {
		if (this == Z) return v;
		final boolean y = this == Y;
		return new Volume() {

			@Override
			public int nx() {
				return y ? v.nx() : v.ny();
			}

			@Override
			public int ny() {
				return v.nz();
			}

			@Override
			public int nz() {
				return y ? v.ny() : v.nx();
			}

			@Override
			public float[] slice(final int s) {
				final int w = nx(), h = ny();
				final float[] out = new float[w * h];
				for (int z = 0; z < h; z++) {
					final float[] src = v.slice(z);
					for (int i = 0; i < w; i++) {
						out[z * w + i] = y ? src[s * v.nx() + i] : src[i * v.nx() + s];
					}
				}
				return out;
			}

			@Override
			public Plane.Kind kind() {
				return v.kind();
			}
		};
	}

	/** Volume coordinates {x, y, z} of view coordinates {@code (u, w, s)} (s = view slice). */
	public int[] toVolume(final int u, final int w, final int s) {
		switch (this) {
			case Z:
				return new int[] { u, w, s };
			case Y:
				return new int[] { u, s, w };
			default:
				return new int[] { s, u, w };
		}
	}
}

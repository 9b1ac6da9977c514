package org.anyseg.ops.volume;

import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Plane;

/**
 * A 3D gray-value volume as slices along its third axis: voxel {@code (x, y, z)} is
 * {@code slice(z)[y * nx + x]}. For a NIfTI file x, y, z are the indices i, j, k of its
 * stored array; for an ImageJ stack the pixel column, row and slice (0-based).
 */
public interface Volume {

	int nx();

	int ny();

	int nz();

	/** Values of slice {@code z} (x fastest); callers must not modify the array. */
	float[] slice(int z);

	/** What the values are, for the default intensity normalization. */
	Plane.Kind kind();

	/** Slice {@code z} as a plane for the segmentation engine. */
	default Plane plane(final int z) {
		checkSlice(z);
		return new Plane(nx(), ny(), kind(), slice(z));
	}

	default void checkSlice(final int z) {
		if (z < 0 || z >= nz()) {
			throw new AnySegException("Slice " + z + " is outside the volume: it has " + nz() +
				" slices, 0.." + (nz() - 1) + " (0-based).");
		}
	}

	/** A volume over the given slices (each {@code nx * ny} values, x fastest). */
	static Volume of(final int nx, final int ny, final Plane.Kind kind,
		final List<float[]> slices)
	{
		for (final float[] s : slices) {
			if (s.length != nx * ny) throw new IllegalArgumentException("slice size " + s.length);
		}
		final List<float[]> copy = List.copyOf(slices);
		return new Volume() {

			@Override
			public int nx() {
				return nx;
			}

			@Override
			public int ny() {
				return ny;
			}

			@Override
			public int nz() {
				return copy.size();
			}

			@Override
			public float[] slice(final int z) {
				return copy.get(z);
			}

			@Override
			public Plane.Kind kind() {
				return kind;
			}
		};
	}
}

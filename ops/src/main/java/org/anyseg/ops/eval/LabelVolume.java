package org.anyseg.ops.eval;

import java.util.SortedSet;
import java.util.TreeSet;

import org.anyseg.ops.AnySegException;

/**
 * A label image or volume for evaluation: {@code nx * ny * nz} integer labels with a voxel
 * spacing.
 * <p>
 * Conventions: the voxel {@code (x, y, z)} is {@code labels[x + nx * (y + ny * z)]} (x
 * fastest, then y, then z); label 0 is background and every other value is a label (a class
 * or an instance); a 2D image has {@code nz = 1}. The spacing {@code (sx, sy, sz)} is the
 * voxel size along x, y and z in physical units (for example mm), used by the surface
 * distances of {@link Metrics}; 2D images from {@link #of2D} have spacing 1 (pixels).
 * <p>
 * The label array is shared, not copied: do not modify it while the volume is in use.
 */
public final class LabelVolume {

	private final int nx, ny, nz;
	private final double sx, sy, sz;
	private final int[] labels;

	/**
	 * @param nx width (voxels along x), at least 1
	 * @param ny height (voxels along y), at least 1
	 * @param nz depth (voxels along z), 1 for a 2D image
	 * @param sx voxel size along x (finite, positive)
	 * @param sy voxel size along y
	 * @param sz voxel size along z
	 * @param labels {@code nx * ny * nz} labels, x fastest, then y, then z; 0 = background
	 * @throws AnySegException if a size or spacing is invalid or the array has the wrong length
	 */
	public LabelVolume(final int nx, final int ny, final int nz, final double sx,
		final double sy, final double sz, final int[] labels)
	{
		if (nx < 1 || ny < 1 || nz < 1) throw new AnySegException("Invalid label volume size " +
			nx + "x" + ny + "x" + nz + ": every dimension must be at least 1 (nz = 1 for 2D).");
		for (final double s : new double[] { sx, sy, sz }) {
			if (!(s > 0) || Double.isInfinite(s)) throw new AnySegException(
				"Invalid voxel spacing " + sx + " x " + sy + " x " + sz +
					": each must be a finite positive size (use 1 for pixels).");
		}
		if (labels == null) throw new AnySegException("No label array given for a " + nx + "x" +
			ny + "x" + nz + " label volume.");
		final long n = (long) nx * ny * nz;
		if (labels.length != n) throw new AnySegException("The label array has " +
			labels.length + " values but a " + nx + "x" + ny + "x" + nz + " volume has " + n +
			" voxels: pass nx * ny * nz labels, x fastest, then y, then z.");
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.sx = sx;
		this.sy = sy;
		this.sz = sz;
		this.labels = labels;
	}

	/** A 2D label image ({@code nz = 1}) with spacing 1; labels are x fastest, then y. */
	public static LabelVolume of2D(final int w, final int h, final int[] labels) {
		return new LabelVolume(w, h, 1, 1, 1, 1, labels);
	}

	/**
	 * A binary mask of {@code v}: label 1 where {@code v}'s value is greater than
	 * {@code threshold}, 0 elsewhere; same size and spacing. For masks stored as 0/255
	 * images, where lossy compression (JPEG) leaves values near 0 and 255, use 127.
	 */
	public static LabelVolume binary(final LabelVolume v, final int threshold) {
		final int[] src = v.labels;
		final int[] out = new int[src.length];
		for (int i = 0; i < src.length; i++)
			out[i] = src[i] > threshold ? 1 : 0;
		return new LabelVolume(v.nx, v.ny, v.nz, v.sx, v.sy, v.sz, out);
	}

	public int nx() {
		return nx;
	}

	public int ny() {
		return ny;
	}

	public int nz() {
		return nz;
	}

	/** The voxel size {@code {sx, sy, sz}} (a fresh array). */
	public double[] spacing() {
		return new double[] { sx, sy, sz };
	}

	/** The label array itself (shared, not a copy): x fastest, then y, then z. */
	public int[] labels() {
		return labels;
	}

	/** The label of voxel {@code (x, y, z)}; use {@code z = 0} for 2D. */
	public int label(final int x, final int y, final int z) {
		if (x < 0 || x >= nx || y < 0 || y >= ny || z < 0 || z >= nz)
			throw new IndexOutOfBoundsException("(" + x + ", " + y + ", " + z + ") is outside " +
				nx + "x" + ny + "x" + nz);
		return labels[x + nx * (y + ny * z)];
	}

	/** The non-zero labels present, in increasing order (computed on each call: one pass). */
	public SortedSet<Integer> labelSet() {
		final TreeSet<Integer> set = new TreeSet<>();
		int last = 0;
		for (final int l : labels) {
			if (l != 0 && l != last) {
				set.add(l);
				last = l;
			}
		}
		return set;
	}

	/** Whether {@code other} has the same size (spacing is not compared). */
	boolean sameSize(final LabelVolume other) {
		return nx == other.nx && ny == other.ny && nz == other.nz;
	}

	String size() {
		return nx + "x" + ny + "x" + nz;
	}

	@Override
	public String toString() {
		return "LabelVolume[" + size() + ", spacing " + sx + " x " + sy + " x " + sz + "]";
	}
}

package org.anyseg.ops.io;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Plane;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.view.Views;

/**
 * Turns a 2D ImgLib2 image (an ImageJ2 {@code Dataset} plane, a BigDataViewer source slice)
 * into an engine {@link Plane}: unsigned 8- and 16-bit types keep their kind (so the default
 * normalization treats them as ImageJ does), every other real type becomes 32-bit.
 */
public final class ImgLib2Planes {

	private ImgLib2Planes() {}

	public static <T extends RealType<T>> Plane of(final RandomAccessibleInterval<T> img) {
		if (img.numDimensions() != 2) {
			throw new AnySegException("A plane needs 2 dimensions, this image has " + img
				.numDimensions() + ": take a 2D view (a slice) first.");
		}
		final long w = img.dimension(0), h = img.dimension(1);
		if (w * h > Integer.MAX_VALUE) {
			throw new AnySegException("Plane of " + w + "x" + h + " pixels is too large.");
		}
		final float[] v = new float[(int) (w * h)];
		final Cursor<T> c = Views.flatIterable(img).cursor();
		for (int i = 0; c.hasNext(); i++) v[i] = c.next().getRealFloat();
		final T type = img.getType();
		final Plane.Kind kind = type instanceof UnsignedByteType ? Plane.Kind.GRAY8
			: type instanceof UnsignedShortType ? Plane.Kind.GRAY16 : Plane.Kind.GRAY32;
		return new Plane((int) w, (int) h, kind, v);
	}
}

package org.anyseg.ops.io.ij;

import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Plane;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * Turns one plane of an ImageJ image of any kind into an engine {@link Plane}: 8-, 16-,
 * 32-bit gray as they are, RGB split into channels, indexed color through its LUT, and a
 * multi-channel image either as one chosen channel or composed to RGB as displayed.
 */
public final class ImagePlanes {

	private ImagePlanes() {}

	public static Plane plane(final ImagePlus imp, final PlaneSelection sel) {
		if (sel.slice() > imp.getNSlices() || sel.frame() > imp.getNFrames() || sel
			.channel() > imp.getNChannels())
		{
			throw new AnySegException("Image " + imp.getTitle() + " has " + imp.getNChannels() +
				" channel(s), " + imp.getNSlices() + " slice(s) and " + imp.getNFrames() +
				" frame(s); channel " + sel.channel() + ", slice " + sel.slice() + ", frame " + sel
					.frame() + " does not exist.");
		}
		if (imp.getNChannels() > 1 && sel.channel() == 0) return composite(imp, sel);
		final int c = Math.max(1, sel.channel());
		final ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c, sel.slice(),
			sel.frame()));
		return of(ip, imp.getType() == ImagePlus.COLOR_256);
	}

	/**
	 * The slices of one channel and frame of a stack as a volume (ImageJ's 1-based channel
	 * and frame; slice z of the volume is ImageJ slice z + 1). A time series (one slice,
	 * several frames) is a volume of its frames instead: frame t + 1 is its slice t, and
	 * {@code frame} is not used ({@link #walksFrames}). RGB stacks are refused.
	 */
	public static org.anyseg.ops.volume.Volume volume(final ImagePlus imp, final int channel,
		final int frame)
	{
		if (depth(imp) < 2) {
			throw new AnySegException("Image " + imp.getTitle() + " is 2D (one slice): " +
				"propagation needs a stack or volume. Segment it as an image instead, or open " +
				"the volume (a z-stack, a time series, or a NIfTI file).");
		}
		if (imp.getBitDepth() == 24) {
			throw new AnySegException("Image " + imp.getTitle() + " is an RGB stack; convert it " +
				"to 8-bit (Image > Type > 8-bit) or pick one channel for 3D segmentation.");
		}
		final int c = Math.max(1, Math.min(channel, imp.getNChannels()));
		final boolean t = walksFrames(imp);
		final java.util.List<float[]> slices = new java.util.ArrayList<>();
		Plane.Kind kind = Plane.Kind.GRAY8;
		for (int z = 1; z <= depth(imp); z++) {
			final Plane p = of(imp.getStack().getProcessor(t ? imp.getStackIndex(c, 1, z) : imp
				.getStackIndex(c, z, frame)), imp.getType() == ImagePlus.COLOR_256);
			kind = p.kind();
			slices.add(p.channel(0));
		}
		return org.anyseg.ops.volume.Volume.of(imp.getWidth(), imp.getHeight(), kind, slices);
	}

	/** Whether propagation walks an image's frames: one slice and several frames (T). */
	public static boolean walksFrames(final ImagePlus imp) {
		return imp.getNSlices() < 2 && imp.getNFrames() > 1;
	}

	/** How many planes propagation walks: the slices, or a time series' frames. */
	public static int depth(final ImagePlus imp) {
		return walksFrames(imp) ? imp.getNFrames() : imp.getNSlices();
	}

	/** The 0-based position shown along the walked dimension (slice, or frame). */
	public static int position(final ImagePlus imp) {
		return walksFrames(imp) ? imp.getT() - 1 : imp.getZ() - 1;
	}

	/** The 0-based position of a stack index along the walked dimension. */
	public static int position(final ImagePlus imp, final int stackIndex) {
		final int[] czt = imp.convertIndexToPosition(stackIndex);
		return (walksFrames(imp) ? czt[2] : czt[1]) - 1;
	}

	/**
	 * The plane {@code sel} chooses as a source of rectangles: read rectangle by rectangle when
	 * it is one channel (a single-channel image, or a chosen channel), else converted whole
	 * (all channels together).
	 */
	public static org.anyseg.ops.engine.PromptWindow.Source sourceOf(final ImagePlus imp,
		final PlaneSelection sel)
	{
		return imp.getNChannels() == 1 || sel.channel() > 0 ? source(imp, sel)
			: org.anyseg.ops.engine.PromptWindow.Source.of(plane(imp, sel));
	}

	/**
	 * One plane of an image as a source of rectangles, converted only when asked (large
	 * images: windows and tiles); a single channel (the chosen one, or the first).
	 */
	public static org.anyseg.ops.engine.PromptWindow.Source source(final ImagePlus imp,
		final PlaneSelection sel)
	{
		final ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(Math.max(1, sel
			.channel()), sel.slice(), sel.frame()));
		final boolean indexed = imp.getType() == ImagePlus.COLOR_256;
		return new org.anyseg.ops.engine.PromptWindow.Source() {

			@Override
			public int width() {
				return imp.getWidth();
			}

			@Override
			public int height() {
				return imp.getHeight();
			}

			@Override
			public Plane crop(final int x, final int y, final int w, final int h) {
				synchronized (ip) {
					ip.setRoi(x, y, w, h);
					final ImageProcessor c = ip.crop();
					ip.resetRoi();
					return of(c, indexed);
				}
			}
		};
	}

	/** Converts one processor; {@code indexed} renders an 8-bit indexed-color image to RGB. */
	public static Plane of(final ImageProcessor ip, final boolean indexed) {
		final int w = ip.getWidth(), h = ip.getHeight(), n = w * h;
		final Object px = ip.getPixels();
		if (indexed) return rgb(ip.convertToColorProcessor());
		if (px instanceof byte[] b) {
			final float[] f = new float[n];
			for (int i = 0; i < n; i++) f[i] = b[i] & 0xff;
			return new Plane(w, h, Plane.Kind.GRAY8, f);
		}
		if (px instanceof short[] s) {
			final float[] f = new float[n];
			for (int i = 0; i < n; i++) f[i] = s[i] & 0xffff;
			return new Plane(w, h, Plane.Kind.GRAY16, f);
		}
		if (px instanceof float[] f) return new Plane(w, h, Plane.Kind.GRAY32, f.clone());
		if (px instanceof int[]) return rgb((ColorProcessor) ip);
		throw new AnySegException("Unsupported image: pixels of type " + px.getClass()
			.getSimpleName() + "; use 8-, 16-, 32-bit gray or RGB.");
	}

	private static Plane rgb(final ColorProcessor cp) {
		final int n = cp.getWidth() * cp.getHeight();
		final int[] px = (int[]) cp.getPixels();
		final float[] r = new float[n], g = new float[n], b = new float[n];
		for (int i = 0; i < n; i++) {
			r[i] = (px[i] >> 16) & 0xff;
			g[i] = (px[i] >> 8) & 0xff;
			b[i] = px[i] & 0xff;
		}
		return new Plane(cp.getWidth(), cp.getHeight(), Plane.Kind.RGB, r, g, b);
	}

	/** Sums the channels rendered with their LUTs and display ranges (ImageJ's composite). */
	private static Plane composite(final ImagePlus imp, final PlaneSelection sel) {
		final int w = imp.getWidth(), h = imp.getHeight(), n = w * h;
		final float[][] rgb = { new float[n], new float[n], new float[n] };
		final CompositeImage ci = imp instanceof CompositeImage c ? c : null;
		for (int c = 1; c <= imp.getNChannels(); c++) {
			final ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c, sel.slice(),
				sel.frame())).duplicate();
			if (ci != null) {
				ip.setLut(ci.getChannelLut(c));
				ip.setMinAndMax(ci.getChannelLut(c).min, ci.getChannelLut(c).max);
			}
			final Plane p = rgb(ip.convertToColorProcessor());
			for (int k = 0; k < 3; k++) {
				final float[] src = p.channel(k), dst = rgb[k];
				for (int i = 0; i < n; i++) dst[i] = Math.min(255f, dst[i] + src[i]);
			}
		}
		return new Plane(w, h, Plane.Kind.RGB, rgb);
	}
}

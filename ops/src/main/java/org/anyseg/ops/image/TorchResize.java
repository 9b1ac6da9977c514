package org.anyseg.ops.image;

/**
 * PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False)} without antialiasing,
 * which is how Segment Anything and its descendants upsample mask logits (the image itself
 * is resized by {@link Resampler}, Pillow's antialiased filter).
 */
public final class TorchResize {

	private TorchResize() {}

	/** Resizes a {@code sw x sh} row-major plane to {@code dw x dh}. */
	public static float[] bilinear(final float[] src, final int sw, final int sh, final int dw,
		final int dh)
	{
		return bilinearCrop(src, sw, sh, dw, dh, dw, dh);
	}

	/**
	 * The top-left {@code cw x ch} corner of the {@code dw x dh} resize, computed without
	 * building the rest (SAM's "upsample to 1024, then crop the padding away").
	 */
	public static float[] bilinearCrop(final float[] src, final int sw, final int sh,
		final int dw, final int dh, final int cw, final int ch)
	{
		final int[] x0 = new int[cw], x1 = new int[cw];
		final float[] fx = new float[cw];
		taps(sw, dw, cw, x0, x1, fx);
		final int[] y0 = new int[ch], y1 = new int[ch];
		final float[] fy = new float[ch];
		taps(sh, dh, ch, y0, y1, fy);
		final float[] out = new float[cw * ch];
		for (int y = 0; y < ch; y++) {
			final int r0 = y0[y] * sw, r1 = y1[y] * sw;
			final float wy = fy[y];
			for (int x = 0; x < cw; x++) {
				final float top = src[r0 + x0[x]] * (1 - fx[x]) + src[r0 + x1[x]] * fx[x];
				final float bottom = src[r1 + x0[x]] * (1 - fx[x]) + src[r1 + x1[x]] * fx[x];
				out[y * cw + x] = top * (1 - wy) + bottom * wy;
			}
		}
		return out;
	}

	/** ATen's area_pixel_compute_source_index for align_corners=False, clamped at 0. */
	private static void taps(final int in, final int out, final int n, final int[] i0,
		final int[] i1, final float[] frac)
	{
		final float scale = (float) in / out;
		for (int i = 0; i < n; i++) {
			float s = (i + 0.5f) * scale - 0.5f;
			if (s < 0) s = 0;
			final int a = Math.min((int) s, in - 1);
			i0[i] = a;
			i1[i] = Math.min(a + 1, in - 1);
			frac[i] = s - a;
		}
	}
}

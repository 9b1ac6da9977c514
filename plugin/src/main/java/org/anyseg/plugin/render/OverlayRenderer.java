package org.anyseg.plugin.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.io.ij.ImageFiles;

/**
 * Draws a label image over its source as a PNG a person can look at: each object tinted
 * with its own color at 40 % opacity and outlined at full color.
 */
public final class OverlayRenderer {

	private static final float ALPHA = 0.4f;

	private OverlayRenderer() {}

	/**
	 * @param rgb255 the source as three 0..255 channels (as the model saw it)
	 * @param labels row-major 16-bit labels, 0 = background
	 */
	public static BufferedImage render(final float[][] rgb255, final short[] labels,
		final int width, final int height)
	{
		return render(rgb255, widen(labels), width, height);
	}

	/** {@link #render(float[][], short[], int, int)} for labels of any count. */
	public static BufferedImage render(final float[][] rgb255, final int[] labels,
		final int width, final int height)
	{
		final BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final int i = y * width + x;
				int r = clamp(rgb255[0][i]), g = clamp(rgb255[1][i]), b = clamp(rgb255[2][i]);
				final int l = labels[i];
				if (l != 0) {
					final int c = color(l);
					final float a = isEdge(labels, width, height, x, y) ? 1f : ALPHA;
					r = Math.round(r * (1 - a) + ((c >> 16) & 0xff) * a);
					g = Math.round(g * (1 - a) + ((c >> 8) & 0xff) * a);
					b = Math.round(b * (1 - a) + (c & 0xff) * a);
				}
				img.setRGB(x, y, (r << 16) | (g << 8) | b);
			}
		}
		return img;
	}

	/**
	 * Writes the labels drawn over a whole plane (read from {@code source} and normalized as
	 * it was for the model) as PNG.
	 */
	public static void writePng(final Path out, final org.anyseg.ops.engine.PromptWindow.Source source,
		final org.anyseg.ops.image.Normalization norm, final short[] labels)
	{
		writePng(out, source, norm, widen(labels));
	}

	/** {@link #writePng(Path, org.anyseg.ops.engine.PromptWindow.Source,
	 * org.anyseg.ops.image.Normalization, short[])} for labels of any count. */
	public static void writePng(final Path out, final org.anyseg.ops.engine.PromptWindow.Source source,
		final org.anyseg.ops.image.Normalization norm, final int[] labels)
	{
		final int w = source.width(), h = source.height();
		writePng(out, render(norm.toRgb255(source.crop(0, 0, w, h)), labels, w, h));
	}

	private static int[] widen(final short[] labels) {
		final int[] out = new int[labels.length];
		for (int i = 0; i < out.length; i++) out[i] = labels[i] & 0xffff;
		return out;
	}

	public static void writePng(final Path out, final BufferedImage img) {
		AtomicFiles.writeAtomically(out, tmp -> {
			if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer");
		});
	}

	private static boolean isEdge(final int[] l, final int w, final int h, final int x,
		final int y)
	{
		final int v = l[y * w + x];
		return x == 0 || y == 0 || x == w - 1 || y == h - 1 || l[y * w + x - 1] != v ||
			l[y * w + x + 1] != v || l[(y - 1) * w + x] != v || l[(y + 1) * w + x] != v;
	}

	/** A bright color per label from the golden-angle hue sequence. */
	static int color(final int label) {
		final float hue = (label * 0.618034f) % 1f;
		return java.awt.Color.HSBtoRGB(hue, 0.85f, 1f) & 0xffffff;
	}

	private static int clamp(final float v) {
		return Math.max(0, Math.min(255, Math.round(v)));
	}
}

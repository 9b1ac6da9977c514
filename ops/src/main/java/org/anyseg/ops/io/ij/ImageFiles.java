package org.anyseg.ops.io.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.io.FileNames;
import org.anyseg.ops.AnySegException;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.process.ShortProcessor;

/** Reading images with ImageJ and writing label images atomically. */
public final class ImageFiles {

	private ImageFiles() {}

	/**
	 * Opens any image ImageJ can read (TIFF, PNG, JPEG, GIF, BMP, DICOM, ...), after checking
	 * what its header declares against the file and the free heap (TIFF, PNG, JPEG, GIF, BMP).
	 */
	public static ImagePlus open(final Path file) {
		if (!Files.isRegularFile(file)) {
			throw new AnySegException("Image file not found: " + file + ".");
		}
		TiffCheck.check(file);
		ImageHeaders.check(file); // PNG, JPEG, GIF, BMP: the heap they need, from their headers
		final ImagePlus imp = Watchdog.run(() -> new Opener().openImage(file.toAbsolutePath()
			.toString()), "ImageJ's decoder on " + file);
		if (imp == null || imp.getWidth() < 1) {
			throw new AnySegException("Cannot open image " + file + ": ImageJ does not recognise " +
				"it. Use TIFF, PNG, JPEG or another format ImageJ opens.");
		}
		return imp;
	}

	/**
	 * Writes a 16-bit label image as TIFF: first to a temporary file beside the target, then
	 * renamed over it, so a crash never leaves a half-written output. A {@code .png} name
	 * gives a 16-bit PNG, any other a TIFF.
	 *
	 * @param calibration pixel size to keep from the input, or {@code null}
	 */
	public static void writeLabels(final Path out, final short[] labels, final int width,
		final int height, final Calibration calibration)
	{
		final ImagePlus imp = labelImage(out.getFileName().toString(), labels, width, height,
			calibration);
		final boolean png = FileNames.extension(out).equals("png");
		AtomicFiles.writeAtomically(out, tmp -> {
			if (!(png ? new FileSaver(imp).saveAsPng(tmp.toString()) : new FileSaver(imp)
				.saveAsTiff(tmp.toString())))
			{
				throw new IOException("ImageJ could not write " + tmp);
			}
		});
	}

	/**
	 * A 16-bit label image with the source's pixel size and a display range that shows every
	 * label.
	 */
	public static ImagePlus labelImage(final String title, final short[] labels,
		final int width, final int height, final Calibration calibration)
	{
		final ImagePlus imp = new ImagePlus(title, new ShortProcessor(width, height, labels,
			null));
		if (calibration != null) imp.setCalibration(calibration.copy());
		int max = 0;
		for (final short s : labels) max = Math.max(max, s & 0xffff);
		imp.getProcessor().setMinAndMax(0, Math.max(1, max));
		return imp;
	}

	/**
	 * Writes a label image of any count, atomically: 16-bit as {@link #writeLabels(Path,
	 * short[], int, int, Calibration)} while the largest label is at most 65535, else a 32-bit
	 * float TIFF (as StarDist writes; exact up to 2^24 labels). A {@code .png} name holds 16
	 * bits only and is refused beyond.
	 */
	public static void writeLabels(final Path out, final int[] labels, final int width,
		final int height, final Calibration calibration)
	{
		final boolean png = FileNames.extension(out).equals("png");
		final ImagePlus imp = labelImage(out.getFileName().toString(), labels, width, height,
			calibration);
		if (png && imp.getBitDepth() == 32) {
			throw new org.anyseg.ops.AnySegException("More than 65535 objects do not fit a PNG: " +
				"write " + out.getFileName() + " as .tif (32-bit).");
		}
		AtomicFiles.writeAtomically(out, tmp -> {
			if (!(png ? new FileSaver(imp).saveAsPng(tmp.toString()) : new FileSaver(imp)
				.saveAsTiff(tmp.toString())))
			{
				throw new IOException("ImageJ could not write " + tmp);
			}
		});
	}

	/**
	 * A label image: 16-bit while the largest label is at most 65535, else 32-bit float
	 * (labels above 2^24 are refused, since a float holds integers exactly only up to there).
	 */
	public static ImagePlus labelImage(final String title, final int[] labels,
		final int width, final int height, final Calibration calibration)
	{
		int max = 0;
		for (final int v : labels) max = Math.max(max, v);
		if (max <= 65535) {
			final short[] s = new short[labels.length];
			for (int i = 0; i < s.length; i++) s[i] = (short) labels[i];
			return labelImage(title, s, width, height, calibration);
		}
		if (max > 1 << 24) {
			throw new org.anyseg.ops.AnySegException(max + " labels exceed what a 32-bit float " +
				"label image holds exactly (16777216).");
		}
		final float[] f = new float[labels.length];
		for (int i = 0; i < f.length; i++) f[i] = labels[i];
		final ImagePlus imp = new ImagePlus(title, new ij.process.FloatProcessor(width, height,
			f, null));
		if (calibration != null) imp.setCalibration(calibration.copy());
		imp.getProcessor().setMinAndMax(0, max);
		return imp;
	}
}

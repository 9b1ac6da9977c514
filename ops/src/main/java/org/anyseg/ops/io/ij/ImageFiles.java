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
}

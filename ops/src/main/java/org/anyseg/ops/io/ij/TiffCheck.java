package org.anyseg.ops.io.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.MemoryBudget;
import org.anyseg.ops.io.FileNames;

import ij.io.FileInfo;
import ij.io.TiffDecoder;

/**
 * Checks a TIFF's declared pixel data against the file before ImageJ decodes it: ImageJ
 * silently zero-fills an uncompressed TIFF that was cut short, and its zip decoder can spin
 * forever on one.
 */
final class TiffCheck {

	private TiffCheck() {}

	static void check(final Path file) {
		final String ext = FileNames.extension(file);
		if (!ext.equals("tif") && !ext.equals("tiff")) return;
		final FileInfo[] info;
		final long size;
		try {
			size = Files.size(file);
			final Path abs = file.toAbsolutePath();
			info = new TiffDecoder(abs.getParent().toString() + java.io.File.separator, abs
				.getFileName().toString()).getTiffInfo();
		}
		catch (final IOException | RuntimeException e) {
			throw new AnySegException("Cannot read the TIFF " + file + " (" + e.getMessage() +
				"): it is damaged or not a TIFF. Save or copy it again.", e);
		}
		if (info == null) return; // not a TIFF after all: ImageJ decides
		long pixels = 0;
		for (final FileInfo fi : info) {
			final long bpp = fi.getBytesPerPixel() == 3 ? 4 : fi.getBytesPerPixel(); // RGB as int
			pixels += (long) fi.width * fi.height * Math.max(1, bpp) * Math.max(1, fi.nImages);
		}
		// the decoded image must fit in the heap: refuse with the -Xmx it needs instead of an
		// OutOfMemoryError half way through decoding
		MemoryBudget.require(pixels, "Opening " + file.getFileName());
		for (final FileInfo fi : info) {
			final long end = end(fi);
			if (end > size) {
				throw new AnySegException("The TIFF " + file + " is truncated: its header places pixel " +
					"data up to byte " + end + ", but the file has " + size + " bytes. It was cut " +
					"short (an interrupted copy or download): copy or save it again.");
			}
		}
	}

	/** The end of the pixel data one TIFF entry declares. */
	static long end(final FileInfo fi) {
		long end = 0;
		if (fi.stripOffsets != null && fi.stripLengths != null) {
			for (int i = 0; i < Math.min(fi.stripOffsets.length, fi.stripLengths.length); i++) {
				end = Math.max(end, (fi.stripOffsets[i] & 0xffffffffL) + (fi.stripLengths[i] &
					0xffffffffL));
			}
		}
		final long start = fi.longOffset > 0 ? fi.longOffset : fi.offset & 0xffffffffL;
		final long bpp = fi.getBytesPerPixel();
		if (fi.compression == FileInfo.COMPRESSION_NONE && bpp > 0) {
			final long image = (long) fi.width * fi.height * bpp;
			final long gap = fi.longGap > 0 ? fi.longGap : fi.gapBetweenImages;
			end = Math.max(end, start + image * Math.max(1, fi.nImages) + gap * Math.max(0,
				fi.nImages - 1L));
		}
		else if (fi.nImages > 1 && end > 0) {
			// compressed images of a stack in one entry: strips of the first, then the others
			end = Math.max(end, start);
		}
		return end;
	}
}

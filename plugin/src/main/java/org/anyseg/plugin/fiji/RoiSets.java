package org.anyseg.plugin.fiji;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.anyseg.ops.AnySegException;

import ij.gui.Roi;
import ij.io.RoiDecoder;

/**
 * Reads ROI sets saved by the ROI Manager ({@code .zip}) or single {@code .roi} files without
 * a ROI Manager, so they work in headless batch runs too.
 */
public final class RoiSets {

	private RoiSets() {}

	public static List<Roi> read(final Path file) {
		if (!Files.isRegularFile(file)) {
			throw new AnySegException("ROI file not found: " + file + ".");
		}
		final String name = file.getFileName().toString().toLowerCase();
		try {
			final List<Roi> rois = new ArrayList<>();
			if (name.endsWith(".roi")) {
				rois.add(decode(Files.readAllBytes(file), file.getFileName().toString()));
			}
			else if (name.endsWith(".zip")) {
				try (InputStream in = Files.newInputStream(file);
						ZipInputStream zip = new ZipInputStream(in))
				{
					for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
						if (e.getName().toLowerCase().endsWith(".roi")) {
							rois.add(decode(zip.readAllBytes(), e.getName()));
						}
					}
				}
			}
			else {
				throw new AnySegException("ROI file " + file + " is neither a .zip ROI set nor a " +
					".roi file.");
			}
			if (rois.isEmpty()) throw new AnySegException("ROI set " + file + " holds no ROI.");
			return rois;
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read ROI file " + file + ": " + e.getMessage(), e);
		}
	}

	private static Roi decode(final byte[] bytes, final String name) {
		final Roi r = RoiDecoder.openFromByteArray(bytes);
		if (r == null) throw new AnySegException("ROI " + name + " could not be decoded.");
		if (r.getName() == null) r.setName(name.replaceAll("\\.roi$", ""));
		return r;
	}
}

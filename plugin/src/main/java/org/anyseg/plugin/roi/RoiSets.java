package org.anyseg.plugin.roi;

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

	/** Writes ROIs as a ROI Manager ROI set ({@code .zip}), atomically. */
	public static void write(final Path zip, final List<Roi> rois) {
		org.anyseg.ops.io.AtomicFiles.writeAtomically(zip, tmp -> {
			try (java.io.OutputStream os = Files.newOutputStream(tmp);
					java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(os))
			{
				int i = 0;
				for (final Roi r : rois) {
					final String n = r.getName() != null ? r.getName() : "object-" + i;
					z.putNextEntry(new ZipEntry(String.format("%04d-%s.roi", i++, n.replaceAll(
						"[^A-Za-z0-9._-]", "_"))));
					z.write(ij.io.RoiEncoder.saveAsByteArray(r));
					z.closeEntry();
				}
			}
		});
	}

	/** One outline ROI per label of a 16-bit label image, named "object N". */
	public static List<Roi> outlines(final short[] labels, final int w, final int h) {
		return outlines(i -> labels[i] & 0xffff, labels.length, w);
	}

	/** One outline ROI per label of a label image of any count, named "object N". */
	public static List<Roi> outlines(final int[] labels, final int w, final int h) {
		return outlines(i -> labels[i], labels.length, w);
	}

	private static List<Roi> outlines(final java.util.function.IntUnaryOperator at,
		final int n, final int w)
	{
		int max = 0;
		for (int i = 0; i < n; i++) max = Math.max(max, at.applyAsInt(i));
		final int[] x0 = new int[max + 1], y0 = new int[max + 1], x1 = new int[max + 1],
			y1 = new int[max + 1];
		java.util.Arrays.fill(x1, -1);
		for (int i = 0; i < n; i++) {
			final int l = at.applyAsInt(i);
			if (l <= 0) continue;
			final int x = i % w, y = i / w;
			if (x1[l] < 0) {
				x0[l] = x1[l] = x;
				y0[l] = y1[l] = y;
			}
			else {
				x0[l] = Math.min(x0[l], x);
				x1[l] = Math.max(x1[l], x);
				y1[l] = y;
			}
		}
		final List<Roi> out = new ArrayList<>();
		for (int l = 1; l <= max; l++) {
			if (x1[l] < 0) continue;
			final Roi r = RoiSegmentation.outline(at, w, l, x0[l], y0[l], x1[l], y1[l]);
			if (r != null) {
				r.setName("object " + l);
				out.add(r);
			}
		}
		return out;
	}

	private static Roi decode(final byte[] bytes, final String name) {
		final Roi r = RoiDecoder.openFromByteArray(bytes);
		if (r == null) throw new AnySegException("ROI " + name + " could not be decoded.");
		if (r.getName() == null) r.setName(name.replaceAll("\\.roi$", ""));
		return r;
	}
}

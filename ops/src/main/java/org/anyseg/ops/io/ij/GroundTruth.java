package org.anyseg.ops.io.ij;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.anyseg.ops.eval.LabelVolume;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.io.FileNames;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.nifti.NiftiVolume;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/**
 * Label images for evaluation and ground-truth prompts, found by base name in a folder: a
 * label image {@code NAME.*} (any format ImageJ opens, or NIfTI with its voxel spacing), or
 * else one binary mask per object named {@code NAME_*.*} (SAM-Med2D's layout), combined in
 * name order into labels 1, 2, ... named after the rest of the file name.
 */
public final class GroundTruth {

	/** Labels and, for per-object masks, the objects' names. */
	public record Loaded(LabelVolume labels, SortedMap<Integer, String> names) {}

	private GroundTruth() {}

	/** The label image of {@code base} in {@code dir}, or null when there is none. */
	public static Loaded find(final Path dir, final String base, final Integer threshold) {
		final List<Path> exact = new ArrayList<>(), parts = new ArrayList<>();
		try (Stream<Path> s = Files.list(dir)) {
			s.filter(FileNames::isImage).sorted().forEach(p -> {
				final String b = FileNames.base(p);
				if (b.equals(base)) exact.add(p);
				else if (b.startsWith(base + "_")) parts.add(p);
			});
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot list ground-truth folder " + dir + ": " + e
				.getMessage(), e);
		}
		if (!exact.isEmpty()) return new Loaded(read(exact.get(0), threshold), new TreeMap<>());
		if (parts.isEmpty()) return null;
		LabelVolume first = null;
		int[] data = null;
		final SortedMap<Integer, String> names = new TreeMap<>();
		for (int i = 0; i < parts.size(); i++) {
			final LabelVolume m = read(parts.get(i), threshold == null ? 0 : threshold);
			if (first == null) {
				first = m;
				data = new int[m.labels().length];
			}
			else if (m.labels().length != data.length) {
				throw new AnySegException("Mask " + parts.get(i).getFileName() + " has another size " +
					"than " + parts.get(0).getFileName() + "; the masks of one image must match it.");
			}
			final int[] v = m.labels();
			for (int j = 0; j < v.length; j++) if (v[j] != 0 && data[j] == 0) data[j] = i + 1;
			names.put(i + 1, FileNames.base(parts.get(i)).substring(base.length() + 1));
		}
		final double[] s = first.spacing();
		return new Loaded(new LabelVolume(first.nx(), first.ny(), first.nz(), s[0], s[1], s[2],
			data), names);
	}

	/**
	 * Reads a label image; {@code threshold} (when not null) makes it binary: label 1 where
	 * the value exceeds it (masks stored as 0/255, lossy JPEG masks at 127).
	 */
	public static LabelVolume read(final Path file, final Integer threshold) {
		final LabelVolume v;
		if (FileNames.extension(file).startsWith("nii")) {
			final NiftiVolume n = NiftiVolume.read(file);
			final int plane = n.nx() * n.ny();
			final int[] d = new int[plane * n.nz()];
			for (int z = 0; z < n.nz(); z++) {
				final float[] s = n.slice(z);
				for (int i = 0; i < plane; i++) d[z * plane + i] = Math.round(s[i]);
			}
			final double[] sp = n.header().spacing();
			v = new LabelVolume(n.nx(), n.ny(), n.nz(), sp[0], sp[1], sp[2], d);
		}
		else {
			final ImagePlus imp = ImageFiles.open(file);
			final int w = imp.getWidth(), h = imp.getHeight(), nz = imp.getStackSize();
			final int[] d = new int[w * h * nz];
			for (int z = 0; z < nz; z++) {
				final ImageProcessor ip = imp.getStack().getProcessor(z + 1);
				for (int i = 0; i < w * h; i++) {
					d[z * w * h + i] = imp.getBitDepth() == 24 ? ip.get(i) & 0xff : (int) ip.getf(i);
				}
			}
			final ij.measure.Calibration c = imp.getCalibration();
			v = new LabelVolume(w, h, nz, c.pixelWidth, c.pixelHeight, c.pixelDepth, d);
		}
		return threshold == null ? v : LabelVolume.binary(v, threshold);
	}
}

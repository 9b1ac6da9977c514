package org.anyseg.ops.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** File-name conventions shared by batch runs and evaluation. */
public final class FileNames {

	/** Extensions of images and volumes AnySeg reads in a folder (lower case, no dot). */
	public static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png", "jpg",
		"jpeg", "bmp", "gif", "nii", "nii.gz", "dcm");

	private FileNames() {}

	/** The extension, lower case, {@code nii.gz} counted as one. */
	public static String extension(final Path p) {
		final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		if (n.endsWith(".nii.gz")) return "nii.gz";
		final int dot = n.lastIndexOf('.');
		return dot < 0 ? "" : n.substring(dot + 1);
	}

	/** The name without its extension ({@code a.nii.gz} and {@code a.png} are both "a"). */
	public static String base(final Path p) {
		final String n = p.getFileName().toString();
		final String ext = extension(p);
		return ext.isEmpty() ? n : n.substring(0, n.length() - ext.length() - 1);
	}

	public static boolean isImage(final Path p) {
		final String n = p.getFileName().toString();
		return !n.startsWith(".") && IMAGE_EXTENSIONS.contains(extension(p));
	}
}

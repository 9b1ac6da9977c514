package org.anyseg.plugin.record;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.anyseg.ops.io.AtomicFiles;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;

/**
 * Crash-safe work: after each accepted change the tool writes the label stack
 * ({@code labels.tif}) and the prompt record ({@code prompts.csv}) of an image to
 * {@code <root>/<image-id>/}, each atomically (complete or absent; the record is written
 * last, so a folder with a record has its labels). The root is the system property
 * {@value #ROOT_PROPERTY} or {@code ~/.anyseg/recovery}. The image id is the image's file
 * path (or its title when unsaved) and its dimensions, hashed: the same image opened again
 * finds its folder.
 */
public final class Recovery {

	public static final String ROOT_PROPERTY = "anyseg.recovery.dir";

	private final Path dir;

	public Recovery(final ImagePlus imp) {
		this.dir = root().resolve(id(imp));
	}

	public static Path root() {
		final String p = System.getProperty(ROOT_PROPERTY);
		return p != null && !p.isBlank() ? Paths.get(p) : Paths.get(System.getProperty(
			"user.home"), ".anyseg", "recovery");
	}

	/** A file-name-safe id of the image: its short title and a hash of its source and size. */
	static String id(final ImagePlus imp) {
		final FileInfo fi = imp.getOriginalFileInfo();
		final String source = fi != null && fi.fileName != null && fi.directory != null ? fi.directory +
			fi.fileName : "title:" + imp.getTitle();
		final String key = source + "|" + imp.getWidth() + "x" + imp.getHeight() + "x" + imp
			.getStackSize();
		final String safe = imp.getShortTitle().replaceAll("[^A-Za-z0-9._-]", "_");
		return safe + "-" + Integer.toHexString(key.hashCode());
	}

	public Path folder() {
		return dir;
	}

	/** Whether a previous session left work for this image. */
	public boolean available() {
		return Files.isRegularFile(dir.resolve("prompts.csv")) && Files.isRegularFile(dir.resolve(
			"labels.tif"));
	}

	/** Saves the label stack and the record (labels first). */
	public void save(final ImagePlus labels, final PromptRecord record,
		final Map<String, String> notes, final int zBase)
	{
		final ImagePlus copy = labels.duplicate(); // the writer must not race the display
		AtomicFiles.writeAtomically(dir.resolve("labels.tif"), tmp -> {
			if (!new FileSaver(copy).saveAsTiffStack(tmp.toString())) throw new java.io.IOException(
				"the TIFF writer failed");
		});
		record.write(dir.resolve("prompts.csv"), notes, zBase);
	}

	/** The saved label stack (16-bit), or null when there is none. */
	public ImagePlus labels() {
		final Path p = dir.resolve("labels.tif");
		return Files.isRegularFile(p) ? IJ.openImage(p.toString()) : null;
	}

	public PromptRecord record(final int zBase) {
		return PromptRecord.read(dir.resolve("prompts.csv"), zBase);
	}

	/** Forgets the saved work (the user declined to restore it, or saved it elsewhere). */
	public void discard() {
		for (final String f : new String[] { "prompts.csv", "labels.tif" }) {
			try {
				Files.deleteIfExists(dir.resolve(f));
			}
			catch (final java.io.IOException e) {
				IJ.log("AnySeg: cannot delete " + dir.resolve(f) + ": " + e.getMessage());
			}
		}
	}

}

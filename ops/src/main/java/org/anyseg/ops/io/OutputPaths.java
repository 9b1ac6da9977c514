package org.anyseg.ops.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.anyseg.ops.AnySegException;

/**
 * Rules every output path obeys before anything is written: an output is never one of the
 * inputs (the same file by any path: symlinks, hard links, {@code ..}, a case-insensitive
 * file system), two outputs never share a file, and an output's name says the format it
 * gets.
 */
public final class OutputPaths {

	/** Extensions a 2D label image can be written as. */
	public static final Set<String> LABEL_FORMATS = Set.of("tif", "tiff", "png");
	/** Extensions a label volume can be written as. */
	public static final Set<String> VOLUME_FORMATS = Set.of("tif", "tiff", "nii", "nii.gz");

	private OutputPaths() {}

	/** One output a command was asked for: the option that named it, its path, its formats. */
	public record Output(String option, Path path, Set<String> formats) {}

	/**
	 * Checks a command's outputs together: each in one of its formats, none an input, no two
	 * the same file. Outputs not asked for (null path) are skipped.
	 */
	public static void check(final Collection<Path> inputs, final Output... outputs) {
		for (int i = 0; i < outputs.length; i++) {
			final Output o = outputs[i];
			if (o.path() == null) continue;
			checkFormat(o.path(), o.formats(), o.option());
			checkNotInput(o.path(), inputs, o.option());
			for (int j = 0; j < i; j++) {
				checkDistinct(outputs[j].path(), outputs[j].option(), o.path(), o.option());
			}
		}
	}

	/**
	 * Refuses an output that is one of the inputs.
	 *
	 * @param option how the user named the output (e.g. {@code --out})
	 */
	public static void checkNotInput(final Path out, final Collection<Path> inputs,
		final String option)
	{
		for (final Path in : inputs) {
			if (in != null && same(out, in)) {
				throw new AnySegException(option + " " + out + " is the input " + in + ": AnySeg " +
					"never writes over its inputs. Choose another output file.");
			}
		}
	}

	/** Refuses two outputs given as the same file. */
	public static void checkDistinct(final Path a, final String optionA, final Path b,
		final String optionB)
	{
		if (a != null && b != null && (a.toAbsolutePath().normalize().equals(b.toAbsolutePath()
			.normalize()) || same(a, b)))
		{
			throw new AnySegException(optionA + " and " + optionB + " are the same file (" + a +
				"): give each output its own name.");
		}
	}

	/** Refuses an output name whose extension is not one of {@code formats}. */
	public static void checkFormat(final Path out, final Set<String> formats,
		final String option)
	{
		final String ext = FileNames.extension(out);
		if (!formats.contains(ext)) {
			throw new AnySegException(option + " " + out + ": AnySeg cannot write ." + ext +
				" files here; use " + String.join(", ", formats.stream().sorted().map(e -> "." + e)
					.toList()) + ".");
		}
	}

	/**
	 * Refuses a batch whose outputs would overwrite an input or each other; checked before
	 * anything is written.
	 *
	 * @param targets each input's output files
	 */
	public static void checkBatch(final Map<Path, List<Path>> targets) {
		// each input by its identity on disk, so every target is looked up once (a folder of
		// thousands of images must not cost millions of file-system calls)
		final Map<Object, Path> inputs = new HashMap<>();
		for (final Path in : targets.keySet()) {
			final Object id = identity(in);
			if (id != null) inputs.put(id, in);
		}
		final Map<String, Path> claimed = new HashMap<>();
		final List<String> problems = new ArrayList<>();
		for (final Map.Entry<Path, List<Path>> e : targets.entrySet()) {
			for (final Path t : e.getValue()) {
				final Path in = Files.exists(t) ? inputs.get(identity(t)) : null;
				if (in != null) problems.add(t.getFileName() + " (from " + e.getKey().getFileName() +
					") would overwrite the input " + in.getFileName());
				final Path before = claimed.putIfAbsent(key(t), e.getKey());
				if (before != null && !before.equals(e.getKey())) {
					problems.add(before.getFileName() + " and " + e.getKey().getFileName() +
						" would both be written to " + t.getFileName());
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new AnySegException("Nothing was written: " + String.join("; ", problems.subList(0,
				Math.min(5, problems.size()))) + (problems.size() > 5 ? " (and " + (problems.size() -
					5) + " more)" : "") + ". Write the outputs to another folder (--out).");
		}
	}

	/**
	 * What makes an existing file itself whatever path names it (links, {@code ..}, case):
	 * its file key where the file system has one, else its real path; null when unreadable.
	 */
	private static Object identity(final Path p) {
		try {
			final Object key = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class)
				.fileKey();
			return key != null ? key : p.toRealPath();
		}
		catch (final IOException e) {
			return null;
		}
	}

	/**
	 * Deletes the temporary files {@link AtomicFiles} left beside these targets when a run was
	 * killed (hidden {@code .NAME*.part} files); returns how many. Only the given targets'
	 * own temporary files are touched, so a shard running beside keeps its own.
	 */
	public static int deleteStaleParts(final Path dir, final Collection<Path> targets) {
		if (!Files.isDirectory(dir)) return 0;
		int n = 0;
		try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.part")) {
			for (final Path p : s) {
				final String name = p.getFileName().toString();
				for (final Path t : targets) {
					if (name.startsWith("." + t.getFileName()) && Files.isRegularFile(p,
						LinkOption.NOFOLLOW_LINKS))
					{
						Files.deleteIfExists(p);
						n++;
						break;
					}
				}
			}
		}
		catch (final IOException e) {
			// best effort: a leftover temporary file is hidden and harmless
		}
		return n;
	}

	/** Whether two paths name the same existing file. */
	static boolean same(final Path a, final Path b) {
		try {
			if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) return true;
			return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
		}
		catch (final IOException e) {
			return false;
		}
	}

	/** A file's identity for collisions between outputs not yet written (case-insensitive). */
	private static String key(final Path p) {
		return p.toAbsolutePath().normalize().toString().toLowerCase(Locale.ROOT);
	}
}

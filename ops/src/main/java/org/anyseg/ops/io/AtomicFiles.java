package org.anyseg.ops.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.anyseg.ops.AnySegException;

/** Writing a file so that it is either complete or absent: a temporary file, then a rename. */
public final class AtomicFiles {

	private AtomicFiles() {}

	/** A writer of one file. */
	public interface FileWriter {

		void write(Path tmp) throws IOException;
	}

	/** Runs {@code writer} on a temporary file in the target's folder, then renames it. */
	public static void writeAtomically(final Path out, final FileWriter writer) {
		final Path dir = out.toAbsolutePath().getParent();
		Path tmp = null;
		try {
			Files.createDirectories(dir);
			tmp = Files.createTempFile(dir, "." + out.getFileName(), ".part");
			writer.write(tmp);
			// temporary files are private (rw-------); outputs get ordinary permissions
			if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
				Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions
					.fromString("rw-r--r--"));
			}
			Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot write " + out + ": " + e.getMessage() +
				". Check that the folder is writable and the disk has space.", e);
		}
		finally {
			if (tmp != null) {
				try {
					Files.deleteIfExists(tmp);
				}
				catch (final IOException e) {
					// best effort: the temporary file is hidden and named after the target
				}
			}
		}
	}
}

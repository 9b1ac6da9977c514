package org.anyseg.updatesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The ImageJ Updater's checksum and timestamp, re-implemented from the behaviour of
 * {@code net.imagej.updater.util.UpdaterUtil#getDigest(String, File)} (imagej-updater):
 * <ul>
 * <li>a file whose name ends in {@code .jar}: SHA-1 over its entries sorted by name
 * ({@link String#compareTo}); per entry the name's ASCII bytes, then its content, where
 * {@code *.properties} lose their {@code #} comment lines (see {@link #skipHashedLines})
 * and {@code META-INF/MANIFEST.MF} contributes no bytes at all (the Updater's manifest
 * filter keeps only lines whose upper-cased text starts with {@code "Main-Class:"}, which
 * never matches);</li>
 * <li>any other file: SHA-1 of the ASCII bytes of its path relative to the Fiji folder
 * (for example {@code plugins/Macros/x.ijm}) followed by its bytes.</li>
 * </ul>
 * The result is lower-case hex.
 */
public final class UpdaterChecksum {

	private UpdaterChecksum() {}

	/** The Updater's checksum of {@code file}, installed in Fiji as {@code path}. */
	public static String of(final String path, final Path file) throws IOException {
		if (path.endsWith(".jar")) return ofJar(file);
		final MessageDigest sha1 = sha1();
		sha1.update(path.getBytes(StandardCharsets.US_ASCII));
		sha1.update(Files.readAllBytes(file));
		return hex(sha1.digest());
	}

	/** The checksum of a jar: see the class comment. */
	public static String ofJar(final Path jar) throws IOException {
		final MessageDigest sha1 = sha1();
		try (JarFile jf = new JarFile(jar.toFile())) {
			final List<JarEntry> entries = new ArrayList<>(Collections.list(jf.entries()));
			entries.sort(Comparator.comparing(JarEntry::getName));
			for (final JarEntry e : entries) {
				sha1.update(e.getName().getBytes(StandardCharsets.US_ASCII));
				final byte[] content;
				try (InputStream in = jf.getInputStream(e)) {
					content = in.readAllBytes();
				}
				if (e.getName().equals("META-INF/MANIFEST.MF")) continue; // contributes nothing
				sha1.update(e.getName().endsWith(".properties") ? skipHashedLines(content)
					: content);
			}
		}
		return hex(sha1.digest());
	}

	/**
	 * The Updater's comment filter for {@code .properties} entries, byte for byte: at the
	 * start of a line (the stream's start, or after a {@code '\n'} that was not itself the
	 * first byte of a line) a run of {@code '#'} drops the rest of that line but keeps its
	 * {@code '\n'}. Its quirks are kept: after an empty line, or a comment line that is only
	 * {@code '#'}s, the next line is not treated as a line start.
	 */
	static byte[] skipHashedLines(final byte[] in) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		boolean atLineStart = true;
		int i = 0;
		while (i < in.length) {
			int ch = in[i++] & 0xff;
			if (!atLineStart) {
				if (ch == '\n') atLineStart = true;
				out.write(ch);
				continue;
			}
			if (ch != '#') {
				atLineStart = false;
				out.write(ch);
				continue;
			}
			// a comment: skip the '#' run, then the rest of the line
			while (i < in.length && in[i] == '#') i++;
			if (i == in.length) break;
			ch = in[i++] & 0xff;
			atLineStart = false;
			if (ch != '\n') {
				while (i < in.length && in[i] != '\n') i++;
				if (i == in.length) break;
				ch = in[i++] & 0xff;
				atLineStart = true;
			}
			out.write(ch); // the comment's '\n'
		}
		return out.toByteArray();
	}

	/** The Updater's timestamp of a time: {@code yyyyMMddHHmmss} in the default time zone. */
	public static long timestamp(final long millis) {
		final Calendar c = Calendar.getInstance();
		c.setTimeInMillis(millis);
		return c.get(Calendar.YEAR) * 10000000000L + (c.get(Calendar.MONTH) + 1) * 100000000L + c
			.get(Calendar.DAY_OF_MONTH) * 1000000L + c.get(Calendar.HOUR_OF_DAY) * 10000L + c.get(
				Calendar.MINUTE) * 100L + c.get(Calendar.SECOND);
	}

	/** The inverse of {@link #timestamp(long)} (milliseconds, at the start of that second). */
	public static long millis(final long timestamp) {
		final String t = Long.toString(timestamp);
		final Calendar c = Calendar.getInstance();
		c.clear();
		c.set(Integer.parseInt(t.substring(0, 4)), Integer.parseInt(t.substring(4, 6)) - 1, Integer
			.parseInt(t.substring(6, 8)), Integer.parseInt(t.substring(8, 10)), Integer.parseInt(t
				.substring(10, 12)), Integer.parseInt(t.substring(12, 14)));
		return c.getTimeInMillis();
	}

	/** The Updater's timestamp of a file: that of its last-modified time. */
	public static long timestamp(final Path file) throws IOException {
		return timestamp(Files.getLastModifiedTime(file).toMillis());
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String hex(final byte[] bytes) {
		final StringBuilder sb = new StringBuilder(bytes.length * 2);
		for (final byte b : bytes) sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(
			Character.forDigit(b & 0xf, 16));
		return sb.toString();
	}
}

package org.anyseg.ops.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

import org.anyseg.ops.AnySegException;

/**
 * Downloads one file: HTTPS only (plain HTTP only to this machine), resumable with HTTP Range
 * from a {@code .part} file beside the target, verified (size, and SHA-256 when known), and
 * atomic: the target appears only complete and verified, by rename.
 */
public final class Downloader {

	/** Progress of one download; {@code total} is -1 when the server does not say. */
	public interface Progress {

		void update(long done, long total);
	}

	private final int connectTimeoutMs;
	private final int readTimeoutMs;

	public Downloader(final int connectTimeoutMs, final int readTimeoutMs) {
		this.connectTimeoutMs = connectTimeoutMs;
		this.readTimeoutMs = readTimeoutMs;
	}

	public static Downloader standard() {
		return new Downloader(15_000, 30_000);
	}

	/** The partial file a download resumes from. */
	public static Path partFile(final Path target) {
		return target.resolveSibling(target.getFileName() + ".part");
	}

	/**
	 * Downloads {@code uri} to {@code target}.
	 *
	 * @param sha256 expected lower-case hex SHA-256, or {@code null} when unknown
	 * @param cancelled polled between chunks; a cancelled download keeps its {@code .part}
	 * @throws AnySegException with what went wrong and what to do
	 */
	public void download(final URI uri, final Path target, final String sha256,
		final Progress progress, final BooleanSupplier cancelled)
	{
		checkScheme(uri);
		final Path part = partFile(target);
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			long have = Files.isRegularFile(part) ? Files.size(part) : 0;
			final HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
			c.setConnectTimeout(connectTimeoutMs);
			c.setReadTimeout(readTimeoutMs);
			c.setInstanceFollowRedirects(true);
			if (have > 0) c.setRequestProperty("Range", "bytes=" + have + "-");
			final int code = c.getResponseCode();
			if (code == 416) have = 0; // our .part is stale or complete: start again below
			if (code != 200 && code != 206) {
				throw new AnySegException("Download of " + uri + " failed: HTTP " + code + " " + c
					.getResponseMessage() + ". The file may have moved; check the address or " +
					"update AnySeg's model catalogue.");
			}
			final boolean append = code == 206 && have > 0;
			if (!append) have = 0;
			final long length = c.getContentLengthLong();
			final long total = length < 0 ? -1 : have + length;
			try (InputStream in = c.getInputStream();
					OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, append
						? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING))
			{
				final byte[] buf = new byte[1 << 16];
				long done = have;
				for (int n; (n = in.read(buf)) > 0;) {
					out.write(buf, 0, n);
					done += n;
					if (progress != null) progress.update(done, total);
					if (cancelled != null && cancelled.getAsBoolean()) {
						throw new AnySegException("Download of " + uri + " cancelled; it resumes from " +
							done + " bytes next time.");
					}
				}
			}
			final long size = Files.size(part);
			if (total >= 0 && size != total) {
				throw new AnySegException("Download of " + uri + " is incomplete: " + size + " of " +
					total + " bytes. Try again; it resumes where it stopped.");
			}
			if (sha256 != null) verify(uri, part, sha256);
			Files.move(part, target, StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final SocketTimeoutException e) {
			throw new AnySegException("Download of " + uri + " timed out (" + e.getMessage() +
				"). Check the network and try again; it resumes where it stopped.", e);
		}
		catch (final IOException e) {
			final String m = String.valueOf(e.getMessage());
			throw new AnySegException("Download of " + uri + " failed: " + m + (m.contains(
				"No space") ? ". The disk is full: free space or choose another model folder."
					: ". Try again; it resumes where it stopped."), e);
		}
	}

	private static void verify(final URI uri, final Path part, final String sha256)
		throws IOException
	{
		final String got = sha256(part);
		if (!got.equalsIgnoreCase(sha256)) {
			Files.deleteIfExists(part);
			throw new AnySegException("Download of " + uri + " has the wrong SHA-256 (expected " +
				sha256 + ", got " + got + "): it was corrupted or changed upstream. It was " +
				"deleted; try again, and report it if it happens again.");
		}
	}

	public static String sha256(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString());
		return org.anyseg.ops.model.ModelFile.of(file).sha256();
	}

	/** HTTPS everywhere; plain HTTP only to a loopback address (local tests, mirrors). */
	static void checkScheme(final URI uri) {
		final String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
		if (s.equals("https")) return;
		if (s.equals("http") && isLoopback(uri.getHost())) return;
		throw new AnySegException("Refusing to download " + uri + ": only https:// addresses " +
			"are allowed (plain http only to this computer).");
	}

	/** By name only, so no address is ever looked up for a refused URL. */
	private static boolean isLoopback(final String host) {
		if (host == null) return false;
		final String h = host.toLowerCase();
		return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals(
			"::1");
	}

}

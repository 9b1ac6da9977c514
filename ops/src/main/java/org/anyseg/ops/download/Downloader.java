package org.anyseg.ops.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.anyseg.ops.AnySegException;

/**
 * Downloads one file: HTTPS only (plain HTTP only to this machine), resumable with HTTP Range
 * from a {@code .part} file beside the target, verified (size, and SHA-256 and xxh128 when
 * known), and atomic: the target appears only complete and verified, by rename.
 */
public final class Downloader {

	/** Progress of one download; {@code total} is -1 when the server does not say. */
	public interface Progress {

		void update(long done, long total);
	}

	private final int connectTimeoutMs;
	private final int readTimeoutMs;
	private final Resolver resolver;

	public Downloader(final int connectTimeoutMs, final int readTimeoutMs) {
		this(connectTimeoutMs, readTimeoutMs, SYSTEM_RESOLVER);
	}

	/** With a replaceable name lookup, for tests that must not use the network. */
	Downloader(final int connectTimeoutMs, final int readTimeoutMs, final Resolver resolver) {
		this.connectTimeoutMs = connectTimeoutMs;
		this.readTimeoutMs = readTimeoutMs;
		this.resolver = resolver;
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
		download(uri, target, sha256, null, progress, cancelled);
	}

	/**
	 * Downloads {@code uri} to {@code target}, checking both hashes that are known.
	 *
	 * @param sha256 expected lower-case hex SHA-256, or {@code null} when unknown
	 * @param xxh128 expected XXH3 128-bit digest as {@link Xxh128} writes it (the hash
	 *          micro-sam publishes), or {@code null} when unknown
	 * @param cancelled polled between chunks; a cancelled download keeps its {@code .part}
	 * @throws AnySegException with what went wrong and what to do; a file with a wrong hash is
	 *           deleted and {@code target} is not written
	 */
	public void download(final URI uri, final Path target, final String sha256,
		final String xxh128, final Progress progress, final BooleanSupplier cancelled)
	{
		checkScheme(uri, resolver);
		final Path part = partFile(target);
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			if (Files.isSymbolicLink(part) || Files.isSymbolicLink(target)) {
				throw new AnySegException("Refusing to download to " + target + ": it or its " +
					"partial file is a symbolic link. Delete the link and try again.");
			}
			long have = Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS) ? Files.size(part) : 0;
			final HttpURLConnection c = connect(uri, have);
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
					OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
						StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS, append
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
			if (sha256 != null) verify(uri, part, "SHA-256", sha256, sha256(part));
			// a file too large for xxh128 whose SHA-256 has just passed is verified already
			if (xxh128 != null && (sha256 == null || size <= Xxh128.MAX_FILE)) {
				verify(uri, part, "xxh128", xxh128, xxh128(uri, part));
			}
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

	/**
	 * Opens {@code uri}, following at most {@link #MAX_REDIRECTS} redirects by hand so that
	 * every hop is checked: its scheme and host as for the first address, and never from
	 * https down to plain http.
	 */
	private HttpURLConnection connect(final URI uri, final long have) throws IOException {
		URI current = uri;
		for (int hop = 0;; hop++) {
			final HttpURLConnection c = (HttpURLConnection) current.toURL().openConnection();
			c.setConnectTimeout(connectTimeoutMs);
			c.setReadTimeout(readTimeoutMs);
			c.setInstanceFollowRedirects(false);
			if (have > 0) c.setRequestProperty("Range", "bytes=" + have + "-");
			final int code = c.getResponseCode();
			if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return c;
			final String location = c.getHeaderField("Location");
			c.disconnect();
			if (location == null || location.isBlank()) {
				throw new AnySegException("Download of " + uri + " failed: " + current + " answered " +
					"HTTP " + code + " (redirect) without saying where to. Check the address or " +
					"update AnySeg's model catalogue.");
			}
			if (hop >= MAX_REDIRECTS) {
				throw new AnySegException("Download of " + uri + " was redirected more than " +
					MAX_REDIRECTS + " times (last to " + location + "). Check the address or " +
					"update AnySeg's model catalogue.");
			}
			current = checkRedirect(uri, current, location, resolver);
		}
	}

	/**
	 * The address a redirect from {@code from} to {@code location} leads to, if allowed: the
	 * same rules as for the first address, and no downgrade from https to plain http.
	 */
	static URI checkRedirect(final URI original, final URI from, final String location,
		final Resolver resolver)
	{
		final URI next;
		try {
			next = from.resolve(new URI(location.trim()));
		}
		catch (final URISyntaxException | IllegalArgumentException e) {
			throw new AnySegException("Refusing to follow the redirect of " + original + " to " +
				location + ": it is not a valid address. Report the catalogue entry.", e);
		}
		final String was = from.getScheme() == null ? "" : from.getScheme().toLowerCase(
			Locale.ROOT);
		final String to = next.getScheme() == null ? "" : next.getScheme().toLowerCase(
			Locale.ROOT);
		if (was.equals("https") && !to.equals("https")) {
			throw new AnySegException("Refusing to download " + original + ": it redirects from " +
				"https:// down to " + next + ", which is not encrypted. Report the catalogue entry " +
				"or use a mirror that stays on https.");
		}
		final String why = refusal(next, resolver);
		if (why != null) {
			throw new AnySegException("Refusing to download " + original + ": it redirects to " +
				next + ", but " + why);
		}
		return next;
	}

	/** Most redirects followed for one download. */
	static final int MAX_REDIRECTS = 5;

	/** Looks up the addresses of a host name (replaceable in tests, which use no network). */
	interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;
	}

	static final Resolver SYSTEM_RESOLVER = InetAddress::getAllByName;

	private static void verify(final URI uri, final Path part, final String hash,
		final String expected, final String got) throws IOException
	{
		if (!got.equalsIgnoreCase(expected)) {
			Files.deleteIfExists(part);
			throw new AnySegException("Download of " + uri + " has the wrong " + hash +
				" (expected " + expected + ", got " + got + "): it was corrupted or changed " +
				"upstream. It was deleted; try again, and report it if it happens again.");
		}
	}

	/** The xxh128 of a downloaded file; one too large to hash is deleted like a wrong one. */
	private static String xxh128(final URI uri, final Path part) throws IOException {
		try {
			return Xxh128.of(part);
		}
		catch (final AnySegException e) {
			Files.deleteIfExists(part);
			throw new AnySegException("Download of " + uri + " cannot be verified and was " +
				"deleted: " + e.getMessage(), e);
		}
	}

	public static String sha256(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString());
		return org.anyseg.ops.model.ModelFile.of(file).sha256();
	}

	/** HTTPS everywhere; plain HTTP only to a loopback address (local tests, mirrors). */
	static void checkScheme(final URI uri) {
		checkScheme(uri, SYSTEM_RESOLVER);
	}

	/**
	 * HTTPS everywhere; plain HTTP only when every address the host resolves to is a
	 * loopback address (judged by the resolved addresses, never by how the name looks).
	 */
	static void checkScheme(final URI uri, final Resolver resolver) {
		final String why = refusal(uri, resolver);
		if (why != null) throw new AnySegException("Refusing to download " + uri + ": " + why);
	}

	private static final String ONLY = "only https:// addresses are allowed (plain http " +
		"only to this computer).";

	/** Why {@code uri} may not be downloaded from, as the end of a sentence, or null. */
	private static String refusal(final URI uri, final Resolver resolver) {
		final String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!s.equals("https") && !s.equals("http")) {
			return ONLY;
		}
		final String host = uri.getHost();
		if (host == null || host.isEmpty()) {
			return "it has no valid host name; " + ONLY;
		}
		if (s.equals("https")) return null;
		if (uri.getRawUserInfo() != null) {
			return "a plain http address must not contain a user name ('...@'); " + ONLY;
		}
		final InetAddress[] addresses;
		try {
			addresses = resolver.resolve(host);
		}
		catch (final UnknownHostException | SecurityException e) {
			return "its host " + host + " cannot be resolved; " + ONLY;
		}
		if (addresses == null || addresses.length == 0) {
			return "its host " + host + " has no address; " + ONLY;
		}
		for (final InetAddress a : addresses) {
			if (a == null || !a.isLoopbackAddress()) {
				return "its host " + host + " is " + (a == null ? "unknown" : a.getHostAddress()) +
					", not this computer; " + ONLY;
			}
		}
		return null;
	}

}

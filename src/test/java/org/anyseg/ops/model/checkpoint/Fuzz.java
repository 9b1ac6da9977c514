package org.anyseg.ops.model.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.anyseg.ops.AnySegException;

/**
 * Damaged variants of a checkpoint for {@link TorchCheckpointTest}: bytes flipped, a range
 * overwritten, or the file cut, from a fixed seed. An outcome is a load or an
 * {@link AnySegException}; anything else (another exception, a failed check) stops the run
 * with the variant that caused it. Variants stay in the caller's temporary folder (a file
 * still mapped cannot be deleted on Windows).
 */
final class Fuzz {

	/** How many variants loaded and how many were refused. */
	record Outcome(int loaded, int refused) {}

	/** What is done with each variant's file. */
	@FunctionalInterface
	interface Check {

		void accept(Path file) throws Exception;
	}

	private Fuzz() {}

	/** {@code variants} damaged copies of {@code whole}, each given to {@code check}. */
	static Outcome run(final byte[] whole, final int variants, final long seed, final Path tmp,
		final Check check) throws IOException
	{
		final Random r = new Random(seed);
		int loaded = 0;
		int refused = 0;
		for (int v = 0; v < variants; v++) {
			final StringBuilder how = new StringBuilder();
			final byte[] b = mutate(whole, r, how);
			final Path p = tmp.resolve("fuzz-" + seed + "-" + v + ".pth");
			Files.write(p, b);
			if (outcome(check, p, v, how)) loaded++;
			else refused++;
		}
		return new Outcome(loaded, refused);
	}

	/**
	 * Damaged copies of the data.pkl of {@code file}, each zipped again with the other
	 * entries (deflated, with correct CRCs), opened and all its tensors read.
	 */
	static Outcome runOnPickle(final Path file, final int variants, final long seed,
		final Path tmp) throws IOException
	{
		final Map<String, byte[]> entries = new LinkedHashMap<>();
		try (ZipFile z = new ZipFile(file.toFile())) {
			final Enumeration<? extends ZipEntry> en = z.entries();
			while (en.hasMoreElements()) {
				final ZipEntry e = en.nextElement();
				entries.put(e.getName(), z.getInputStream(e).readAllBytes());
			}
		}
		final String pkl = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl"))
			.findFirst().orElseThrow();
		final Random r = new Random(seed);
		int loaded = 0;
		int refused = 0;
		for (int v = 0; v < variants; v++) {
			final StringBuilder how = new StringBuilder("data.pkl: ");
			final Map<String, byte[]> damaged = new LinkedHashMap<>(entries);
			damaged.put(pkl, mutate(entries.get(pkl), r, how));
			final Path p = tmp.resolve("fuzz-pkl-" + seed + "-" + v + ".pt");
			try (OutputStream os = Files.newOutputStream(p); ZipOutputStream zip =
				new ZipOutputStream(os))
			{
				for (final Map.Entry<String, byte[]> e : damaged.entrySet()) {
					zip.putNextEntry(new ZipEntry(e.getKey()));
					zip.write(e.getValue());
					zip.closeEntry();
				}
			}
			if (outcome(Fuzz::readAll, p, v, how)) loaded++;
			else refused++;
		}
		return new Outcome(loaded, refused);
	}

	private static void readAll(final Path p) {
		try (TorchCheckpoint c = TorchCheckpoint.open(p)) {
			c.describe();
			for (final String name : c.tensors().keySet()) c.floats(name);
		}
	}

	/** True if {@code check} passed, false if it threw an AnySegException. */
	private static boolean outcome(final Check check, final Path p, final int v,
		final CharSequence how)
	{
		try {
			check.accept(p);
			return true;
		}
		catch (final AnySegException e) {
			return false;
		}
		catch (final Throwable t) {
			throw new AssertionError("variant " + v + " (" + how + ") failed with " + t, t);
		}
	}

	/** A damaged copy: 1 to 4 bits flipped, 1 to 16 bytes overwritten, or cut short. */
	static byte[] mutate(final byte[] whole, final Random r, final StringBuilder how) {
		final byte[] b = whole.clone();
		switch (r.nextInt(3)) {
			case 0 -> {
				final int n = 1 + r.nextInt(4);
				how.append("bits flipped at");
				for (int i = 0; i < n; i++) {
					final int at = r.nextInt(b.length);
					b[at] ^= (byte) (1 << r.nextInt(8));
					how.append(' ').append(at);
				}
			}
			case 1 -> {
				final int at = r.nextInt(b.length);
				final int n = Math.min(b.length - at, 1 + r.nextInt(16));
				for (int i = 0; i < n; i++) b[at + i] = (byte) r.nextInt(256);
				how.append(n).append(" bytes overwritten at ").append(at);
			}
			default -> {
				final int n = r.nextInt(b.length);
				how.append("cut to ").append(n).append(" bytes");
				return Arrays.copyOf(b, n);
			}
		}
		return b;
	}
}

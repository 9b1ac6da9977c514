package org.anyseg.ops;

import java.util.Locale;

/**
 * Refuses a job that will not fit in the Java heap before it allocates, with the heap it
 * needs, instead of an OutOfMemoryError half way.
 */
public final class MemoryBudget {

	private MemoryBudget() {}

	/** The heap this JVM may still allocate, in bytes. */
	public static long available() {
		final Runtime r = Runtime.getRuntime();
		return r.maxMemory() - (r.totalMemory() - r.freeMemory());
	}

	/**
	 * @param bytes what {@code what} will allocate
	 * @throws AnySegException when that exceeds the heap still available
	 */
	public static void require(final long bytes, final String what) {
		if (bytes < 0 || bytes > available()) {
			throw new AnySegException(what + " needs about " + mb(bytes < 0 ? Long.MAX_VALUE : bytes) +
				" of memory, but Java has only " + mb(available()) + " free (maximum heap " + mb(Runtime
					.getRuntime().maxMemory()) + "). " + advice(bytes));
		}
	}

	/** What to do about a heap too small for {@code bytes} more (or unknown: -1). */
	public static String advice(final long bytes) {
		final long need = bytes > 0 && bytes < Long.MAX_VALUE / 4 ? Runtime.getRuntime()
			.maxMemory() + 2 * bytes : -1;
		return "Give Java more memory: 'java -Xmx" + (need > 0 ? (need >> 30) + 1 + "g" : "16g") +
			" -jar ...' on the command line, Edit > Options > Memory & Threads in Fiji; or work " +
			"on a smaller part of the data.";
	}

	private static String mb(final long b) {
		return b >= Long.MAX_VALUE / 2 ? "more than any computer has" : String.format(Locale.ROOT,
			"%,d MB", b >> 20);
	}
}

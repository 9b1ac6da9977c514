package org.anyseg.ops.io.ij;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.anyseg.ops.AnySegException;

/**
 * Runs a decoder from ImageJ with a time limit, so a damaged file that makes it loop forever
 * fails with a message instead of stalling a batch ({@code anyseg.decodeSeconds}, default
 * 300 s).
 */
final class Watchdog {

	private static final ExecutorService DECODERS = Executors.newCachedThreadPool(r -> {
		final Thread t = new Thread(r, "AnySeg image decoder");
		t.setDaemon(true);
		return t;
	});

	private Watchdog() {}

	static long limitSeconds() {
		return Long.getLong("anyseg.decodeSeconds", 300);
	}

	static <T> T run(final Supplier<T> decoder, final String what) {
		final Future<T> f = DECODERS.submit(decoder::get);
		try {
			return f.get(limitSeconds(), TimeUnit.SECONDS);
		}
		catch (final TimeoutException e) {
			f.cancel(true);
			throw new AnySegException(what + " did not finish within " + limitSeconds() + " s: the " +
				"file is probably damaged (or far larger than it looks). Check it in another program; " +
				"the limit is the system property anyseg.decodeSeconds.");
		}
		catch (final InterruptedException e) {
			f.cancel(true);
			Thread.currentThread().interrupt();
			throw new AnySegException(what + " was interrupted.");
		}
		catch (final ExecutionException e) {
			final Throwable c = e.getCause();
			if (c instanceof RuntimeException r) throw r;
			if (c instanceof Error err) throw err;
			throw new AnySegException(what + " failed: " + c, c);
		}
	}
}

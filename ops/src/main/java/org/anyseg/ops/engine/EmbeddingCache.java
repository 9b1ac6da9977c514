package org.anyseg.ops.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.anyseg.ops.model.Embedding;

/**
 * Least-recently-used cache of image embeddings, bounded by their total size in bytes. The
 * same key asked from several threads at once computes once: later callers wait for the
 * first.
 */
public final class EmbeddingCache {

	private final long limitBytes;
	private final LinkedHashMap<Object, Embedding> map = new LinkedHashMap<>(16, 0.75f, true);
	private final Map<Object, CompletableFuture<Embedding>> inFlight = new ConcurrentHashMap<>();
	private long bytes;

	/** @param limitMb total size limit in MiB; 0 disables caching */
	public EmbeddingCache(final long limitMb) {
		this.limitBytes = limitMb * 1024 * 1024;
	}

	/** Returns the cached embedding for {@code key}, computing and caching it if absent. */
	public Embedding get(final Object key, final Supplier<Embedding> compute) {
		synchronized (this) {
			final Embedding e = map.get(key);
			if (e != null) return e;
		}
		final CompletableFuture<Embedding> mine = new CompletableFuture<>();
		final CompletableFuture<Embedding> other = inFlight.putIfAbsent(key, mine);
		if (other != null) return join(other);
		try {
			// another thread may have finished this key between the look-up above and
			// putIfAbsent (it then left inFlight): look again before computing
			Embedding e;
			synchronized (this) {
				e = map.get(key);
			}
			if (e == null) {
				e = compute.get();
				put(key, e);
			}
			mine.complete(e);
			return e;
		}
		catch (final RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			inFlight.remove(key);
		}
	}

	private static Embedding join(final CompletableFuture<Embedding> f) {
		try {
			return f.join();
		}
		catch (final CompletionException e) {
			if (e.getCause() instanceof RuntimeException r) throw r;
			throw e;
		}
	}

	private synchronized void put(final Object key, final Embedding e) {
		if (e.bytes() > limitBytes) return;
		final Embedding old = map.put(key, e);
		if (old != null) bytes -= old.bytes();
		bytes += e.bytes();
		final Iterator<Embedding> it = map.values().iterator();
		while (bytes > limitBytes && it.hasNext()) {
			bytes -= it.next().bytes();
			it.remove();
		}
	}

	/** Whether {@code key} is cached now (it may be evicted right after). */
	public synchronized boolean contains(final Object key) {
		return map.containsKey(key);
	}

	public synchronized int size() {
		return map.size();
	}

	public synchronized long bytes() {
		return bytes;
	}

	public synchronized void clear() {
		map.clear();
		bytes = 0;
	}
}

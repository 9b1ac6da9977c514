package org.anyseg.ops.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.anyseg.ops.model.Embedding;
import org.anyseg.ops.model.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * "Never encode a plane twice": threads asking for the same planes at once (a walk and its
 * prefetch) compute each key once, including when one thread finishes a key between
 * another's look-up and its claim (the race that encoded a slice twice under load in
 * {@code Sam2MemoryConformanceTest}).
 */
class EmbeddingCacheTest {

	@Test
	void concurrentRequestsComputeEachKeyOnce() throws Exception {
		final EmbeddingCache cache = new EmbeddingCache(1024);
		final Map<Integer, AtomicInteger> computed = new ConcurrentHashMap<>();
		final int keys = 3000, threads = 4;
		final ExecutorService pool = Executors.newFixedThreadPool(threads);
		final CountDownLatch start = new CountDownLatch(1);
		for (int t = 0; t < threads; t++) {
			final int offset = t;
			pool.submit(() -> {
				start.await();
				for (int i = 0; i < keys; i++) {
					final int k = offset % 2 == 0 ? i : keys - 1 - i; // meet in the middle
					cache.get(k, () -> {
						computed.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
						Thread.yield();
						return new Embedding(1, 1, Map.of("e", FloatTensor.of(new float[] { k }, 1)));
					});
				}
				return null;
			});
		}
		start.countDown();
		pool.shutdown();
		pool.awaitTermination(60, TimeUnit.SECONDS);
		assertEquals(keys, computed.size());
		final long twice = computed.values().stream().filter(c -> c.get() > 1).count();
		assertEquals(0, twice, "keys computed more than once");
	}
}

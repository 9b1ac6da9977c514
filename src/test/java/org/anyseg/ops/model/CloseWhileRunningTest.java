package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.junit.jupiter.api.Test;

/**
 * Closing a model while another thread decodes with it (settings changed during a long
 * segment-everything run) waits for the run in progress and fails the next one clearly,
 * instead of crashing the JVM inside ONNX Runtime.
 */
class CloseWhileRunningTest {

	@Test
	void closingWaitsForTheRunningDecoderAndLaterRunsFailClearly() throws Exception {
		final PromptableModel m = ModelLoader.load(ModelCatalog.demoFiles(), RuntimeOptions
			.defaults().withThreads(1));
		final float[][] rgb = new float[3][256 * 256];
		final Embedding e = m.encode(rgb, 256, 256);
		final AtomicInteger runs = new AtomicInteger();
		final AtomicReference<Throwable> ended = new AtomicReference<>();
		final Thread t = new Thread(() -> {
			try {
				while (true) {
					m.decode(e, ObjectPrompt.ofPoints(1, List.of(new PointPrompt(100, 100, true))));
					runs.incrementAndGet();
				}
			}
			catch (final Throwable x) {
				ended.set(x);
			}
		});
		t.start();
		while (runs.get() < 3 && t.isAlive()) Thread.sleep(5);
		assertTrue(runs.get() >= 3, "the decoder ran before the close: " + ended.get());
		m.close();
		t.join(30_000);
		assertNotNull(ended.get(), "the decoding thread stopped");
		assertTrue(ended.get() instanceof AnySegException && ended.get().getMessage().contains(
			"was closed"), String.valueOf(ended.get()));
	}
}

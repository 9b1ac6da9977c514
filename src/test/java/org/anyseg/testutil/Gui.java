package org.anyseg.testutil;

import java.awt.GraphicsEnvironment;

import org.junit.jupiter.api.Assumptions;

/**
 * GUI tests (tag {@code gui}) need an X display. Call {@link #assumeDisplay()} in each test
 * or in a {@code @BeforeEach}, never in a {@code @BeforeAll}: an assumption that fails
 * before any test starts hides the whole class from the report ("Tests run: 0") instead of
 * listing its tests as skipped with the reason.
 */
public final class Gui {

	private Gui() {}

	/** Skips the calling test, with a message saying why, when there is no display. */
	public static void assumeDisplay() {
		Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(),
			"Skipped: needs an X display (run the tests under xvfb-run, as CI does)");
	}
}

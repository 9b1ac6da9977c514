package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;

/** Every failure on the interactive tool's worker reaches the user with a message. */
class ToolFailureTest {

	@Test
	void userErrorsAndUnexpectedFailuresAreBothReported() {
		assertEquals("AnySeg: the point is outside the image", InteractiveSegmentationTool.failed(
			new AnySegException("the point is outside the image")));
		final String m = InteractiveSegmentationTool.failed(new IllegalStateException("boom"));
		assertTrue(m.contains("IllegalStateException: boom") && m.contains("report"), m);
		final String e = InteractiveSegmentationTool.failed(new OutOfMemoryError("Java heap space"));
		assertTrue(e.contains("OutOfMemoryError"), e);
	}
}

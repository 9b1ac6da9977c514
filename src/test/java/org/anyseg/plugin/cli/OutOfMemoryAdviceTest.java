package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.MemoryBudget;
import org.junit.jupiter.api.Test;

/** Issue 15: running out of memory is exit 2 with the heap to ask for, never a stack trace. */
class OutOfMemoryAdviceTest {

	@Test
	void theCliTurnsOutOfMemoryIntoExit2WithAdvice() {
		final StringWriter err = new StringWriter();
		assertEquals(2, AnySegCli.outOfMemory(new PrintWriter(err, true)));
		assertTrue(err.toString().contains("-Xmx") && err.toString().contains("out of memory"),
			err.toString());
	}

	@Test
	void jobsTooLargeForTheHeapAreRefusedBeforeAllocating() {
		final AnySegException e = assertThrows(AnySegException.class, () -> MemoryBudget.require(
			Runtime.getRuntime().maxMemory() * 2, "A test job"));
		assertTrue(e.getMessage().startsWith("A test job needs about") && e.getMessage().contains(
			"-Xmx"), e.getMessage());
		assertThrows(AnySegException.class, () -> MemoryBudget.require(-1, "An overflowing job"));
		MemoryBudget.require(1 << 20, "A small job");
	}
}

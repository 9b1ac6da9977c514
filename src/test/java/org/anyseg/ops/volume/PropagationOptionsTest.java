package org.anyseg.ops.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.function.Supplier;

import org.anyseg.ops.AnySegException;
import org.anyseg.plugin.cli.AnySegCli;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** Issue 15: propagation numbers are checked where the options are built, for every entry. */
class PropagationOptionsTest {

	@Test
	void badNumbersAreRefusedByName() {
		final Propagation.Options d = Propagation.Options.defaults();
		final List<Supplier<Propagation.Options>> bad = List.of(() -> d.withMinIou(Double.NaN),
			() -> d.withMinIou(1e9), () -> d.withMinAreaRatio(-0.1), () -> d.withMinAreaRatio(2),
			() -> d.withMargin(-1), () -> d.withMargin(Double.POSITIVE_INFINITY), () -> d
				.withMaxSlices(-3));
		for (final Supplier<Propagation.Options> s : bad) {
			final AnySegException e = assertThrows(AnySegException.class, s::get);
			assertTrue(e.getMessage().startsWith("Propagation:"), e.getMessage());
		}
		assertEquals(0.9, d.withMinIou(0.9).minIou());
	}

	@Test
	void theCommandLineExits2() {
		final StringWriter err = new StringWriter();
		final int rc = AnySegCli.run(new String[] { "segment", "--image", Fixtures.samOnnx()
			.resolve("gray8.tif").toString(), "--box", "60,50,130,115", "--propagate", "--margin",
			"-2", "--out", "x.tif" }, new PrintWriter(new StringWriter()), new PrintWriter(err,
				true));
		assertEquals(2, rc, err.toString());
		assertTrue(err.toString().contains("--margin"), err.toString());
	}
}

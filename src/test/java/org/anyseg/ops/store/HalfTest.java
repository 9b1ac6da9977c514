package org.anyseg.ops.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** float16 conversion against IEEE 754 binary16 values (as numpy's astype(float16)). */
class HalfTest {

	private static int bits(final float f) {
		return Half.fromFloat(f) & 0xffff;
	}

	@Test
	void knownValues() {
		assertEquals(0x3c00, bits(1f));
		assertEquals(0xc000, bits(-2f));
		assertEquals(0x0000, bits(0f));
		assertEquals(0x8000, bits(-0f));
		assertEquals(0x7bff, bits(65504f), "largest half");
		assertEquals(0x7c00, bits(65520f), "rounds up to infinity");
		assertEquals(0x7bff, bits(65519f), "rounds down to the largest half");
		assertEquals(0x0001, bits(0x1p-24f), "smallest subnormal");
		assertEquals(0x0000, bits(0x1p-25f), "a tie rounds to even (zero)");
		assertEquals(0x0001, bits(0x1.8p-25f), "above the tie rounds up");
		assertEquals(0x0400, bits(0x1p-14f), "smallest normal");
		assertEquals(0x3c00, bits(1f + 0x1p-11f), "tie at 1 + 2^-11 rounds to even (1)");
		assertEquals(0x3c02, bits(1f + 3 * 0x1p-11f), "tie at 1 + 3*2^-11 rounds to even");
		assertEquals(0x3555, bits(1f / 3), "1/3");
		assertEquals(0x7c00, bits(Float.POSITIVE_INFINITY));
		assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
	}

	@Test
	void everyHalfRoundTripsExactly() {
		for (int h = 0; h < 0x10000; h++) {
			final float f = Half.toFloat((short) h);
			if (Float.isNaN(f)) continue;
			assertEquals(h, bits(f), "half " + Integer.toHexString(h));
		}
	}

	@Test
	void relativeErrorIsWithinHalfAnUlp() {
		final Random r = new Random(3);
		for (int i = 0; i < 100_000; i++) {
			final float f = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
			if (Math.abs(f) < 0x1p-14f || Math.abs(f) > 65000) continue;
			final float back = Half.toFloat(Half.fromFloat(f));
			assertTrue(Math.abs(back - f) <= Math.abs(f) * 0x1p-11f, f + " -> " + back);
		}
	}
}

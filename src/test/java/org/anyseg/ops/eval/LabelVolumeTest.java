package org.anyseg.ops.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.anyseg.ops.AnySegException;
import org.junit.jupiter.api.Test;

class LabelVolumeTest {

	@Test
	void layoutIsXFastestThenYThenZ() {
		final int[] l = new int[2 * 3 * 4];
		l[1 + 2 * (2 + 3 * 3)] = 7; // (1, 2, 3)
		final LabelVolume v = new LabelVolume(2, 3, 4, 0.5, 0.5, 2, l);
		assertEquals(7, v.label(1, 2, 3));
		assertEquals(0, v.label(0, 2, 3));
		assertArrayEquals(new double[] { 0.5, 0.5, 2 }, v.spacing());
		assertEquals(List.of(7), List.copyOf(v.labelSet()));
		assertTrue(v.labels() == l, "shared, not copied");
		assertThrows(IndexOutOfBoundsException.class, () -> v.label(2, 0, 0));
	}

	@Test
	void of2DAndBinary() {
		final LabelVolume v = LabelVolume.of2D(3, 2, new int[] { 0, 3, 255, 128, 127, 250 });
		assertEquals(1, v.nz());
		assertArrayEquals(new double[] { 1, 1, 1 }, v.spacing());
		assertEquals(List.of(3, 127, 128, 250, 255), List.copyOf(v.labelSet()));
		final LabelVolume b = LabelVolume.binary(v, 127);
		assertArrayEquals(new int[] { 0, 0, 1, 1, 0, 1 }, b.labels());
		assertEquals(List.of(1), List.copyOf(b.labelSet()));
	}

	@Test
	void invalidVolumesAreRefused() {
		final AnySegException e = assertThrows(AnySegException.class, () -> LabelVolume.of2D(3, 3,
			new int[8]));
		assertTrue(e.getMessage().contains("8") && e.getMessage().contains("9"), e.getMessage());
		assertThrows(AnySegException.class, () -> new LabelVolume(0, 1, 1, 1, 1, 1, new int[0]));
		assertThrows(AnySegException.class, () -> new LabelVolume(1, 1, 1, 0, 1, 1, new int[1]));
		assertThrows(AnySegException.class, () -> new LabelVolume(1, 1, 1, 1, Double.NaN, 1,
			new int[1]));
	}
}

package org.anyseg.plugin.roi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import ij.gui.Roi;

/**
 * Issue 17: outlines of a label image beyond 65535 objects (32-bit labels) are traced per
 * label as for 16-bit ones, named by their label, each the size of its pixels.
 */
class RoiOutlinesTest {

	@Test
	void labelsBeyond16BitGetTheirOutlines() {
		final int w = 12, h = 6;
		final int[] l = new int[w * h];
		for (int y = 1; y < 4; y++) for (int x = 1; x < 5; x++) l[y * w + x] = 70000;
		for (int y = 2; y < 6; y++) for (int x = 7; x < 12; x++) l[y * w + x] = 70001;
		final List<Roi> r = RoiSets.outlines(l, w, h);
		assertEquals(2, r.size());
		assertEquals("object 70000", r.get(0).getName());
		assertEquals(12, r.get(0).getStatistics().pixelCount);
		assertEquals("object 70001", r.get(1).getName());
		assertEquals(20, r.get(1).getStatistics().pixelCount);
		// the 16-bit path gives the same outline for the same shape
		final short[] s = new short[w * h];
		for (int i = 0; i < l.length; i++) s[i] = (short) (l[i] == 70000 ? 3 : 0);
		assertEquals(r.get(0).getBounds(), RoiSets.outlines(s, w, h).get(0).getBounds());
	}
}

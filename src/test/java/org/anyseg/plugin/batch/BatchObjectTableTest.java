package org.anyseg.plugin.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.anyseg.ops.objects.ObjectTable;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.junit.jupiter.api.Test;

import ij.measure.Calibration;

/** batch --objects: each label's row carries its area and the prompt that made it. */
class BatchObjectTableTest {

	@Test
	void rowsNameTheirPrompts() {
		final int w = 20, h = 10;
		final short[] l = new short[w * h];
		for (int y = 2; y < 5; y++) for (int x = 3; x < 7; x++) l[y * w + x] = 2;
		l[9 * w + 19] = (short) 40000;
		final Calibration c = new Calibration();
		final ObjectTable t = org.anyseg.ops.io.ij.ObjectTables.plane(l, w, h, c, List.of(ObjectPrompt.ofBox(2,
			new BoxPrompt(3, 2, 7, 5)), ObjectPrompt.ofPoints(40000, List.of(new PointPrompt(19, 9,
				true), new PointPrompt(1, 1, false)))), List.of(new org.anyseg.ops.model.Prediction(2,
					w, h, List.of(new org.anyseg.ops.model.MaskCandidate(0, 0.75f, new float[w * h],
						null)), 0)));
		assertEquals(2, t.rows().size());
		assertEquals(12, t.rows().get(0).area());
		assertEquals("box(3,2,7,5)", t.rows().get(0).origin().prompt());
		assertEquals(0.75, t.rows().get(0).origin().predIou(), 1e-6, "the prediction's IoU");
		assertTrue(Double.isNaN(t.rows().get(1).origin().predIou()), "no prediction: unknown");
		assertEquals(40000, t.rows().get(1).label());
		assertEquals("point(19,9) neg(1,1)", t.rows().get(1).origin().prompt());
	}
}

package org.anyseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The no-model baselines of {@link DemoComparison} on the shared 2D data (no model, about a
 * second): they are properties of the data, so they check the evaluation itself (object
 * counts, the pairing of masks with images, the JPEG mask threshold). Measured: DSB filled
 * box 0.839, ellipse 0.881, Otsu 0.806; Kvasir 0.683, 0.741, 0.560; CT slices 0.765, 0.806,
 * 0.427.
 */
@Tag("realdata")
class BaselinesRealDataTest {

	@Test
	void dsbNuclei() {
		final Path shared = Fixtures.sharedData();
		final InstanceMasks gt = NucleiEvaluation.groundTruth(shared);
		assertEquals(125, gt.instances.size());
		check(NucleiEvaluation.baselines(shared, gt), 0.839, 0.881, 0.806);
	}

	@Test
	void kvasirPolyps() throws Exception {
		final BoxBaselines.Mean m = GtBoxEvaluation.baselines(GtBoxEvaluation.kvasir(Fixtures
			.sharedData()));
		assertEquals(5, m.count());
		check(m.mean(), 0.683, 0.741, 0.560);
	}

	@Test
	void ctSlices() throws Exception {
		final BoxBaselines.Mean m = GtBoxEvaluation.baselines(GtBoxEvaluation.ct(Fixtures
			.sharedData()));
		assertEquals(30, m.count());
		check(m.mean(), 0.765, 0.806, 0.427);
	}

	private static void check(final BoxBaselines.Scores s, final double box, final double el,
		final double otsu)
	{
		assertEquals(box, s.filledBox(), 0.001, "filled box");
		assertEquals(el, s.ellipse(), 0.001, "inscribed ellipse");
		assertEquals(otsu, s.otsu(), 0.001, "Otsu inside the box");
	}
}

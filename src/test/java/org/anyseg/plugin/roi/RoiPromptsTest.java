package org.anyseg.plugin.roi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.ByteProcessor;

/** Each ROI convention, checked on the prompts it produces. */
class RoiPromptsTest {

	static PromptableModel model;
	final ImagePlus imp = new ImagePlus("img", new ByteProcessor(100, 80));

	@BeforeAll
	static void load() {
		model = ModelLoader.load(Fixtures.samOnnxModel("encoder_normalized.onnx",
			"decoder_m1.onnx"), RuntimeOptions.defaults());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private List<RoiPrompts.Item> items(final Roi... rois) {
		return RoiPrompts.objects(imp, List.of(rois), model);
	}

	@Test
	void rectangleIsABoxInImageJsConvention() {
		final ObjectPrompt p = items(new Roi(10, 20, 30, 40)).get(0).prompt();
		assertEquals(10, p.box().x0());
		assertEquals(40, p.box().x1());
		assertEquals(60, p.box().y1());
		assertNull(p.maskInput(), "a plain rectangle gives no mask prompt");
	}

	@Test
	void counterOnePointsAndNegNamesAreBackground() {
		final PointRoi pts = new PointRoi(5, 5);
		pts.addPoint(50, 40);
		pts.setCounter(1); // the next point goes to counter 1
		pts.addPoint(60, 40);
		final ObjectPrompt p = items(pts).get(0).prompt();
		assertEquals(3, p.points().size());
		assertTrue(p.points().get(0).positive());
		assertFalse(p.points().get(2).positive(), "counter 1 = background");
		final PointRoi neg = new PointRoi(7, 7);
		neg.setName("neg-bg");
		assertFalse(items(neg).get(0).prompt().points().get(0).positive());
	}

	@Test
	void areaRoisGiveBoxAndMask() {
		final RoiPrompts.Item it = items(new OvalRoi(20, 10, 40, 30)).get(0);
		assertEquals(20, it.prompt().box().x0());
		assertEquals(60, it.prompt().box().x1());
		assertNotNull(it.prompt().maskInput());
		assertEquals(256 * 256, it.prompt().maskInput().length);
		assertEquals(1, it.mask()[(10 + 15) * 100 + 40], "the oval's centre is in the mask");
		assertEquals(0, it.mask()[10 * 100 + 20], "its bounding-box corner is not");
	}

	@Test
	void groupsMakeOneObjectAndOthersOneEach() {
		final Roi a = new Roi(1, 1, 10, 10);
		a.setGroup(2);
		final PointRoi b = new PointRoi(5, 5);
		b.setGroup(2);
		final List<RoiPrompts.Item> items = items(a, new Roi(50, 50, 10, 10), b);
		assertEquals(2, items.size());
		assertEquals(1, items.get(0).prompt().points().size());
		assertNotNull(items.get(0).prompt().box());
		assertEquals(List.of(1, 2), items.stream().map(i -> i.prompt().label()).toList());
	}

	@Test
	void refusals() {
		assertThrows(AnySegException.class, () -> items());
		final Roi b1 = new Roi(1, 1, 5, 5), b2 = new Roi(20, 20, 5, 5);
		b1.setGroup(1);
		b2.setGroup(1);
		final AnySegException two = assertThrows(AnySegException.class, () -> items(b1, b2));
		assertTrue(two.getMessage().contains("more than one box"), two.getMessage());
		final AnySegException out = assertThrows(AnySegException.class, () -> items(new PointRoi(
			150, 10)));
		assertTrue(out.getMessage().contains("outside"), out.getMessage());
	}
}

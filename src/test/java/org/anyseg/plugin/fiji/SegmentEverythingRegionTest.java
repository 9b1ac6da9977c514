package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.measure.ResultsTable;

/**
 * Issue 17: Plugins > AnySeg > Segment Everything, run headless, limits itself to the
 * image's area selection ("Only inside the selection", ticked by default): every object it
 * keeps lies mostly inside, the object table lists those only, and unticked it segments
 * the whole image again.
 */
@Tag("slow")
class SegmentEverythingRegionTest {

	@TempDir
	Path tmp;
	Context context;

	@BeforeEach
	void start() throws Exception {
		// every candidate kept, so the background makes objects everywhere
		Fixtures.demoModelWith(tmp.resolve("models/demo-tuned"), "{\"family\": \"sam\", " +
			"\"segment_everything\": {\"points_per_side\": 4, \"pred_iou_thresh\": -10.0, " +
			"\"stability_score_thresh\": 0.0, \"min_mask_region_area\": 3}}");
		context = new Context();
		final AnySegService anyseg = context.service(AnySegService.class);
		anyseg.configure(1, 64, tmp.resolve("models"));
		anyseg.setModel("demo-tuned");
	}

	@AfterEach
	void stop() {
		context.service(org.scijava.prefs.PrefService.class).clear(AnySegService.class);
		context.dispose();
	}

	private Module run(final ImagePlus image, final boolean onlyInside) throws Exception {
		final CommandService commands = context.service(CommandService.class);
		return context.service(ModuleService.class).run(commands.getCommand(
			SegmentEverythingCommand.class), true, "image", image, "normalization", "auto",
			"add_to_roi_manager", false, "show_objects", false, "only_inside_selection", onlyInside)
			.get();
	}

	/** Label to {area, pixels inside the selection}. */
	private static Map<Integer, int[]> areas(final ImagePlus labels, final Roi sel) {
		final Map<Integer, int[]> m = new HashMap<>();
		for (int y = 0; y < labels.getHeight(); y++) {
			for (int x = 0; x < labels.getWidth(); x++) {
				final int l = (int) labels.getProcessor().getf(x, y);
				if (l == 0) continue;
				final int[] c = m.computeIfAbsent(l, k -> new int[2]);
				c[0]++;
				if (sel.contains(x, y)) c[1]++;
			}
		}
		return m;
	}

	@Test
	void theSelectionLimitsTheObjectsAndTheirTable() throws Exception {
		final ImagePlus image = org.anyseg.testutil.Discs.image();
		final Roi sel = new ij.gui.OvalRoi(0, 0, 260, 210);
		image.setRoi(sel);
		final Module inside = run(image, true);
		final Map<Integer, int[]> in = areas((ImagePlus) inside.getOutput("labels"), sel);
		assertTrue(in.size() > 0, "objects inside the selection");
		for (final Map.Entry<Integer, int[]> e : in.entrySet()) {
			assertTrue(e.getValue()[1] > e.getValue()[0] / 2.0, "label " + e.getKey() +
				" mostly inside: " + e.getValue()[1] + " of " + e.getValue()[0]);
		}
		final ResultsTable t = ((SegmentEverythingCommand) inside.getDelegateObject()).objects();
		assertEquals(in.size(), t.size(), "one row per kept object");
		assertEquals(sel, image.getRoi(), "the selection is left as it was");
		final Module all = run(image, false);
		final Map<Integer, int[]> whole = areas((ImagePlus) all.getOutput("labels"), sel);
		assertTrue(whole.values().stream().anyMatch(c -> c[1] <= c[0] / 2.0),
			"unticked, objects outside the selection are found too: " + whole.size());
	}
}

package org.anyseg.ops.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.plugin.cli.AnySegCli;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: every segment-everything number is checked against one table, whichever entry
 * point it comes from (CLI options, the Fiji dialog and macros through Params.with, the
 * model's anyseg-model.json), with a message naming the parameter and its range; absurd
 * values used to end in OutOfMemoryError, IllegalArgumentException or millions of tiles.
 */
class ParameterRangesTest {

	@TempDir
	Path tmp;

	static final Map<String, Double> BAD = Map.of("points_per_side", 1e12,
		"crop_n_points_downscale_factor", 0.0, "crop_overlap_ratio", 50.0, "pred_iou_thresh",
		Double.NaN, "box_nms_thresh", -0.1, "min_mask_region_area", 2.5, "crop_n_layers", 9.0,
		"stability_score_thresh", Double.POSITIVE_INFINITY);

	@Test
	void theTableRefusesEachBadValueByName() {
		for (final Map.Entry<String, Double> e : BAD.entrySet()) {
			final AnySegException ex = assertThrows(AnySegException.class, () -> AutoParams
				.defaults().with(Map.of(e.getKey(), e.getValue())), e.getKey());
			assertTrue(ex.getMessage().contains(e.getKey()) && ex.getMessage().contains(" to "), ex
				.getMessage());
		}
		// every key of the table has a range that its defaults satisfy
		for (final String k : ModelConfig.SEGMENT_EVERYTHING_KEYS) {
			assertTrue(ModelConfig.SEGMENT_EVERYTHING_RANGES.containsKey(k), k);
		}
		assertThrows(AnySegException.class, () -> AutoParams.defaults().withTileSize(100)
			.withTileSize(128).withTileSize(64)); // overlap 128 >= half of 64
		assertThrows(AnySegException.class, () -> AutoParams.defaults().withTileSize(
			1 << 20));
		assertEquals(512, AutoParams.defaults().withTileSize(512).tileSize());
	}

	@Test
	void theModelsOwnJsonIsCheckedWhenItIsRead() throws IOException {
		for (final Map.Entry<String, Double> e : BAD.entrySet()) {
			if (!Double.isFinite(e.getValue())) continue; // JSON has no NaN or infinity
			final Path dir = Files.createDirectories(tmp.resolve(e.getKey()));
			Files.writeString(dir.resolve(ModelConfig.FILE), "{\"segment_everything\": {\"" + e
				.getKey() + "\": " + e.getValue() + "}}");
			final AnySegException ex = assertThrows(AnySegException.class, () -> ModelConfig.read(
				dir));
			assertTrue(ex.getMessage().contains(ModelConfig.FILE) && ex.getMessage().contains(e
				.getKey()), ex.getMessage());
		}
	}

	@Test
	void theCommandLineExits2WithTheRange() {
		final String img = Fixtures.samOnnx().resolve("gray8.tif").toString();
		final String[][] bad = { { "--points-per-side", "5000" }, { "--crop-n-layers", "9" }, {
			"--pred-iou-thresh", "1e9" }, { "--tile-size", "10" }, { "--threads", "100000000" } };
		for (final String[] b : bad) {
			final StringWriter err = new StringWriter();
			final int rc = AnySegCli.run(new String[] { "auto", "--image", img, "--out", tmp.resolve(
				"o.tif").toString(), b[0], b[1] }, new PrintWriter(new StringWriter()),
				new PrintWriter(err, true));
			assertEquals(2, rc, b[0] + " " + b[1] + ": " + err);
			assertTrue(err.toString().contains("from ") || err.toString().contains("must be"), b[0] +
				": " + err);
		}
		assertThrows(AnySegException.class, () -> RuntimeOptions.defaults().withThreads(
			RuntimeOptions.MAX_THREADS + 1));
	}
}

package org.anyseg.plugin.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.anyseg.ops.auto.AutoObjects;
import org.anyseg.ops.auto.AutoParams;
import org.anyseg.ops.auto.AutoSegmenter;
import org.anyseg.ops.auto.Region;
import org.anyseg.ops.engine.PromptWindow;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.OutputPaths;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.objects.GeoJsonWriter;
import org.anyseg.ops.objects.ObjectTable;
import org.anyseg.plugin.render.OverlayRenderer;
import org.anyseg.plugin.roi.Regions;

import ij.ImagePlus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code auto}: segment everything, no prompts. */
@Command(name = "auto", sortOptions = false, description = {
	"Segment every object of an image without prompts (a grid of clicks, filtered and " +
		"de-duplicated as Segment Anything's automatic mask generator).",
	"Writes an instance label image: 16-bit, or a 32-bit float TIFF beyond 65535 objects; " +
		"optionally an object table (CSV) and QuPath GeoJSON." })
final class AutoCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ModelOptions modelOptions = new ModelOptions();

	@Mixin
	EmbeddingOptions embeddings = new EmbeddingOptions();

	@Option(names = "--image", required = true, paramLabel = "FILE")
	Path image;

	@Option(names = "--out", required = true, paramLabel = "LABELS.tif")
	Path out;

	@Option(names = "--overlay", paramLabel = "OUT.png")
	Path overlay;

	@Option(names = "--rois", paramLabel = "OUT.zip",
		description = "Also write one outline ROI per object as a ROI Manager ROI set.")
	Path rois;

	@Option(names = "--objects", paramLabel = "OBJECTS.csv",
		description = "Also write one row per object: label, area (pixels and calibrated), " +
			"centroid, bounding box, predicted IoU, stability score, the click that made it, " +
			"the tile.")
	Path objects;

	@Option(names = "--geojson", paramLabel = "OBJECTS.geojson",
		description = "Also write the objects as GeoJSON that QuPath imports: one polygon " +
			"(holes kept) per object, with its measurements.")
	Path geojson;

	@Option(names = "--geojson-type", defaultValue = "detection", paramLabel = "TYPE",
		description = "QuPath object type of the GeoJSON features: detection or annotation " +
			"(default: ${DEFAULT-VALUE}).")
	String geojsonType;

	@Option(names = "--channel", defaultValue = "0", paramLabel = "C")
	int channel;

	@Option(names = "--points-per-side", paramLabel = "N",
		description = "Grid points along each side of a tile (default: the model's, else " +
			"32).")
	Integer pointsPerSide;

	@Option(names = "--pred-iou-thresh", paramLabel = "T",
		description = "Keep masks with a predicted IoU of at least T (default: the model's " +
			"own, from its anyseg-model.json, else 0.88 as Segment Anything).")
	Double predIou;

	@Option(names = "--stability-score-thresh", paramLabel = "T",
		description = "Keep masks with a stability score of at least T (default: the " +
			"model's, else 0.95).")
	Double stability;

	@Option(names = "--box-nms-thresh", paramLabel = "T",
		description = "Drop masks overlapping a better one by more than T (default: the " +
			"model's, else 0.7).")
	Double nms;

	@Option(names = "--min-mask-region-area", paramLabel = "PX",
		description = "Remove specks and fill holes smaller than PX pixels (default: the " +
			"model's, else 10).")
	Integer minArea;

	@Option(names = "--crop-n-layers", paramLabel = "N",
		description = "Also segment 2^i x 2^i zoomed crops of each tile for i = 1..N, for " +
			"small objects (default: the model's, else 0; each layer costs 4x the previous).")
	Integer cropLayers;

	@Option(names = "--tile-size", paramLabel = "PX",
		description = "Images larger than this are processed in overlapping tiles (default: " +
			"1024).")
	Integer tileSize;

	@Option(names = "--region", paramLabel = "ROI.roi|MASK.tif",
		description = "Segment only inside this region: an ImageJ selection (.roi, or a .zip " +
			"ROI set: their union) or a mask of the image's size whose non-zero pixels are the " +
			"region. Only tiles and grid points inside it are encoded and prompted; objects are " +
			"kept whole when more than --region-min-inside of their area lies inside.")
	Path region;

	@Option(names = "--region-min-inside", paramLabel = "F",
		description = "With --region: keep objects with more than F of their area inside it, " +
			"or all of it (default: 0.5, most; 0 = any overlap, 1 = wholly inside).")
	Double regionMinInside;

	@Override
	public Integer call() {
		final long t0 = System.nanoTime();
		final java.util.Map<String, Number> given = new java.util.HashMap<>();
		given.put("points_per_side", pointsPerSide);
		given.put("pred_iou_thresh", predIou);
		given.put("stability_score_thresh", stability);
		given.put("box_nms_thresh", nms);
		given.put("min_mask_region_area", minArea);
		given.put("crop_n_layers", cropLayers);
		AutoParams p = AutoParams.defaults(modelOptions.config()).with(given);
		if (tileSize != null) p = p.withTileSize(tileSize);
		final Normalization norm = modelOptions.normalization();
		if (regionMinInside != null && region == null) {
			throw new org.anyseg.ops.AnySegException("--region-min-inside needs --region.");
		}
		OutputPaths.check(region == null ? List.of(image) : List.of(image, region),
			new OutputPaths.Output("--out", out,
			OutputPaths.LABEL_FORMATS), new OutputPaths.Output("--overlay", overlay, java.util.Set
				.of("png")), new OutputPaths.Output("--rois", rois, java.util.Set.of("zip")),
			new OutputPaths.Output("--objects", objects, java.util.Set.of("csv")),
			new OutputPaths.Output("--geojson", geojson, java.util.Set.of("geojson", "json")));
		final GeoJsonWriter.ObjectType type = GeoJsonWriter.ObjectType.parse(geojsonType);
		final ImagePlus imp = ImageFiles.open(image);
		// large single-channel planes are read tile by tile; composites are composed once
		final PromptWindow.Source source = ImagePlanes.sourceOf(imp, new PlaneSelection(channel,
			1, 1));
		final Region inside = region == null ? null : Regions.read(region, imp.getWidth(), imp
			.getHeight()).withMinInside(regionMinInside != null ? regionMinInside : Region.MOST);
		final List<AutoSegmenter.Found> found;
		try (Segmenter seg = embeddings.segmenter(modelOptions, 512, spec.commandLine().getErr())) {
			final AutoSegmenter.Listener progress = (done, total) -> {
				if (done % 64 == 0 || done == total) {
					spec.commandLine().getErr().printf("\r%d/%d prompts", done, total);
					spec.commandLine().getErr().flush();
				}
			};
			found = new AutoSegmenter(seg).run(source, norm, p, inside, progress, null);
			embeddings.report(seg, spec.commandLine().getOut());
		}
		spec.commandLine().getErr().println();
		final int w = imp.getWidth(), h = imp.getHeight();
		final int[] all = AutoSegmenter.labelImage(found, w, h);
		ImageFiles.writeLabels(out, all, w, h, imp.getCalibration());
		if (objects != null || geojson != null) {
			final ij.measure.Calibration c = imp.getCalibration();
			final ObjectTable table = AutoObjects.table(found, all, w, h, c.pixelWidth,
				c.pixelHeight, c.getUnit());
			if (objects != null) table.writeCsv(objects);
			if (geojson != null) {
				GeoJsonWriter.write(geojson, all, w, h, table, GeoJsonWriter.Options.defaults()
					.withType(type));
			}
		}
		// ROI sets and overlays take the label image of any count
		final int[] labels = all;
		if (rois != null) {
			org.anyseg.plugin.roi.RoiSets.write(rois, org.anyseg.plugin.roi.RoiSets.outlines(
				labels, imp.getWidth(), imp.getHeight()));
		}
		if (overlay != null) OverlayRenderer.writePng(overlay, source, norm, labels);
		int painted = 0; // masks left without a pixel get no label
		for (final int v : all) painted = Math.max(painted, v);
		spec.commandLine().getOut().printf("wrote %s (%d objects, %.1f s)%n", out, painted,
			(System.nanoTime() - t0) / 1e9);
		return 0;
	}
}

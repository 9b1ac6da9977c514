package org.anyseg.plugin.fiji;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.io.OutputPaths;
import org.anyseg.ops.objects.GeoJsonWriter;
import org.anyseg.ops.objects.ObjectTable;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ImageProcessor;

/**
 * Plugins > AnySeg > Export Objects as GeoJSON: the current plane of a label image (8, 16
 * or 32 bit) as QuPath GeoJSON, one polygon per label with its measurements
 * ({@link GeoJsonWriter}); the file is written atomically and never over the image's own.
 */
@Plugin(type = Command.class, headless = true,
	menuPath = "Plugins>AnySeg>Export Objects as GeoJSON")
public class ExportGeoJsonCommand implements Command {

	@Parameter(label = "Label image")
	private ImagePlus labels;

	@Parameter(label = "GeoJSON file", style = "save")
	private File geojson_file;

	@Parameter(label = "QuPath object type", choices = { "detection", "annotation" })
	private String object_type = "detection";

	@Parameter(label = "Classification")
	private String class_name = "AnySeg";

	@Override
	public void run() {
		UserErrors.run(() -> export(labels, geojson_file.toPath(), object_type, class_name));
	}

	/**
	 * Writes the current plane of {@code labels} as QuPath GeoJSON (the command's and
	 * {@code Ext.anysegSaveGeoJson}'s work).
	 */
	public static void export(final ImagePlus labels, final java.nio.file.Path out,
		final String objectType, final String className)
	{
		{
			final List<java.nio.file.Path> inputs = new ArrayList<>();
			final ij.io.FileInfo fi = labels.getOriginalFileInfo();
			if (fi != null && fi.directory != null && fi.fileName != null) {
				inputs.add(java.nio.file.Path.of(fi.directory, fi.fileName));
			}
			OutputPaths.check(inputs, new OutputPaths.Output("GeoJSON file", out, Set.of(
				"geojson", "json")));
			final int w = labels.getWidth(), h = labels.getHeight();
			final int[] l = labels(labels.getProcessor());
			final Calibration c = labels.getCalibration();
			final ObjectTable t = ObjectTable.measure(l, w, h, c.pixelWidth, c.pixelHeight, c
				.getUnit(), k -> null);
			GeoJsonWriter.write(out, l, w, h, t, GeoJsonWriter.Options.defaults().withType(
				GeoJsonWriter.ObjectType.parse(objectType)).withClassName(className));
		}
	}

	/** The labels of a plane; RGB and fractional values are refused. */
	static int[] labels(final ImageProcessor ip) {
		if (ip.getBitDepth() == 24) {
			throw new AnySegException("An RGB image is not a label image.");
		}
		final int[] l = new int[ip.getPixelCount()];
		for (int i = 0; i < l.length; i++) {
			final float v = ip.getf(i);
			if (v != Math.rint(v)) {
				throw new AnySegException("Not a label image: pixel value " + v + " is not a " +
					"whole number.");
			}
			l[i] = (int) v;
		}
		return l;
	}
}

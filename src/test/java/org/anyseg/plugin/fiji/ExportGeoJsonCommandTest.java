package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.process.FloatProcessor;

/** Export Objects as GeoJSON, headless: a 32-bit label image gives one feature per label. */
class ExportGeoJsonCommandTest {

	@TempDir
	Path tmp;

	@Test
	void exportsEveryLabelOfA32BitImage() throws Exception {
		final FloatProcessor fp = new FloatProcessor(50, 40);
		for (int y = 5; y < 15; y++) for (int x = 5; x < 20; x++) fp.setf(x, y, 70000);
		for (int y = 20; y < 30; y++) for (int x = 30; x < 45; x++) fp.setf(x, y, 3);
		fp.setf(35, 25, 0); // a hole
		final Path out = tmp.resolve("objects.geojson");
		try (Context c = new Context()) {
			c.service(CommandService.class).run(ExportGeoJsonCommand.class, true, "labels",
				new ImagePlus("l", fp), "geojson_file", new File(out.toString()), "object_type",
				"annotation", "class_name", "Nucleus").get();
		}
		final JsonArray fs = JsonParser.parseString(Files.readString(out)).getAsJsonObject()
			.getAsJsonArray("features");
		assertEquals(2, fs.size());
		final JsonObject first = fs.get(0).getAsJsonObject();
		assertEquals("annotation", first.getAsJsonObject("properties").get("objectType")
			.getAsString());
		assertEquals("Nucleus", first.getAsJsonObject("properties").getAsJsonObject(
			"classification").get("name").getAsString());
		assertEquals(149, first.getAsJsonObject("properties").getAsJsonObject("measurements").get(
			"Area px").getAsInt());
		assertEquals(2, first.getAsJsonObject("geometry").getAsJsonArray("coordinates").size(),
			"outer ring and hole");
		assertEquals(70000, fs.get(1).getAsJsonObject().getAsJsonObject("properties")
			.getAsJsonObject("measurements").get("Label").getAsInt());
	}
}

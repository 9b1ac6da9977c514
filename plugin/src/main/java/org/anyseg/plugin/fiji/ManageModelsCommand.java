package org.anyseg.plugin.fiji;

import java.io.File;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelFile;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;

/**
 * Plugins &gt; AnySeg &gt; Manage Models: lists the bundled and installed models (family,
 * size, licence, whether usable) and imports a model folder from disk. Downloads from the
 * model catalogue come with the model-zoo work and will be one more action here.
 */
@Plugin(type = Command.class, headless = true, menuPath = "Plugins>AnySeg>Manage Models")
public class ManageModelsCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Parameter(label = "Action", choices = { "List models", "Import model folder" })
	private String action = "List models";

	@Parameter(label = "Folder to import (.onnx files)", style = "directory", required = false)
	private File import_folder;

	@Parameter(label = "Name for the imported model", required = false)
	private String model_name = "";

	@Parameter(label = "AnySeg models", type = ItemIO.OUTPUT)
	private ResultsTable models;

	@Override
	public void run() {
		UserErrors.run(() -> {
			if (action.startsWith("Import")) {
				if (import_folder == null) {
					throw new AnySegException("Choose the folder that holds the model's .onnx files.");
				}
				final String name = model_name == null || model_name.isBlank() ? import_folder
					.getName() : model_name;
				anyseg.catalog().importFolder(import_folder.toPath(), name);
			}
			models = table(anyseg.catalog());
		});
	}

	/** One row per model: name, family, size, licence, status, location. */
	static ResultsTable table(final ModelCatalog catalog) {
		final ResultsTable t = new ResultsTable();
		for (final String name : catalog.names()) {
			t.incrementCounter();
			t.addValue("Name", name);
			final List<ModelFile> files = catalog.resolve(name);
			final String family = catalog.family(name);
			t.addValue("Family", family);
			t.addValue("Size (MB)", String.format("%.1f", sizeMb(files)));
			t.addValue("Licence", ModelCatalog.DEMO.equals(name) ? "Apache-2.0 (AnySeg demo)"
				: "see the model's source");
			t.addValue("Status", family.startsWith("unusable") ? "present, not usable"
				: "installed");
			t.addValue("Location", ModelCatalog.DEMO.equals(name) ? "bundled in the AnySeg jar"
				: catalog.modelFolder().resolve(name).toString());
		}
		return t;
	}

	private static double sizeMb(final List<ModelFile> files) {
		return files.stream().mapToLong(ModelFile::size).sum() / 1e6;
	}

}

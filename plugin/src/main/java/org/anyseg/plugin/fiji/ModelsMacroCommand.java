package org.anyseg.plugin.fiji;

import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.download.Downloader;
import org.anyseg.ops.download.ModelInstaller;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.ModelZoo;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;

/**
 * Plugins &gt; AnySeg &gt; Advanced &gt; Models (macro): the model manager's actions as a
 * recordable, headless command (list, import a folder or a PyTorch checkpoint, download a catalogue model, delete);
 * the interactive window is {@link ManageModelsCommand}.
 */
@Plugin(type = Command.class, headless = true,
	menuPath = "Plugins>AnySeg>Advanced>Models (macro)")
public class ModelsMacroCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Parameter(label = "Action", choices = { "List models", "Import model folder",
		"Import checkpoint (.pth)", "Download catalogue model", "Check graphs (deep)",
		"Delete model" })
	private String action = "List models";

	/**
	 * A path as text, not a File: SciJava's file preprocessor prompts for an unset File input
	 * and cancels the command when nobody answers (headless, or a macro that lists, deletes
	 * or checks), so every action but import failed with a File here.
	 */
	@Parameter(label = "Folder (.onnx files) or checkpoint (.pth/.pt) to import",
		required = false)
	private String import_folder;

	@Parameter(label = "Model name (to import as, download or delete)", required = false)
	private String model_name = "";

	@Parameter(label = "AnySeg models", type = ItemIO.OUTPUT)
	private ResultsTable models;

	@Override
	public void run() {
		UserErrors.run(() -> {
			if (action.startsWith("Import")) {
				if (import_folder == null || import_folder.isBlank()) {
					throw new AnySegException("Give the folder that holds the model's .onnx files, " +
						"or its PyTorch checkpoint (.pth or .pt).");
				}
				final java.nio.file.Path source = java.nio.file.Paths.get(import_folder.trim());
				final String file = source.toAbsolutePath().normalize().getFileName().toString();
				final String name = model_name == null || model_name.isBlank() ? java.nio.file.Files
					.isRegularFile(source) ? file.replaceFirst("\\.[^.]*$", "") : file : model_name;
				anyseg.catalog().importModel(source, name);
			}
			else if (action.startsWith("Download")) {
				new ModelInstaller(Downloader.standard()).install(ModelZoo.bundled().get(model_name),
					anyseg.catalog(), new FijiProgress(), null);
			}
			else if (action.startsWith("Check graphs")) {
				// as 'models verify --deep NAME': optimised vs unoptimised graphs, verdict recorded
				for (final org.anyseg.ops.model.GraphCheck.Verdict v : org.anyseg.ops.model.GraphVerdicts
					.recheck(anyseg.catalog().resolve(model_name == null || model_name.isBlank()
						? ModelCatalog.DEMO : model_name), anyseg.options(), ij.IJ::log))
				{
					ij.IJ.log("AnySeg graph check, " + model_name + ": " + v.describe());
				}
			}
			else if (action.startsWith("Delete")) {
				anyseg.catalog().delete(model_name);
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
			final org.anyseg.ops.model.ModelStatus status = catalog.status(name);
			t.addValue("Family", status.toString());
			t.addValue("Size (MB)", String.format("%.1f", sizeMb(files)));
			t.addValue("Licence", licence(name));
			t.addValue("Status", status.usable() ? "installed" : "present, not usable");
			t.addValue("Location", ModelCatalog.DEMO.equals(name) ? "bundled in the AnySeg jar"
				: catalog.modelFolder().resolve(name).toString());
		}
		return t;
	}

	/** The demo's licence, the catalogue's for catalogue models, else unknown. */
	static String licence(final String name) {
		if (ModelCatalog.DEMO.equals(name)) return "Apache-2.0 (AnySeg demo)";
		return ModelZoo.bundled().find(name).map(ModelsMacroCommand::licence).orElse(
			"see the model's source");
	}

	/** A catalogue entry's licence, flagged when it forbids commercial use. */
	static String licence(final ModelZoo.Entry e) {
		return e.licence() + (e.commercialUse() ? "" : " (non-commercial)");
	}

	static double sizeMb(final List<ModelFile> files) {
		return files.stream().mapToLong(ModelFile::size).sum() / 1e6;
	}

}

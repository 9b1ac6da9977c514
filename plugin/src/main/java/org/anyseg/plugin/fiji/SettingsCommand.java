package org.anyseg.plugin.fiji;

import java.io.File;

import org.anyseg.ops.model.ModelCatalog;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Plugins &gt; AnySeg &gt; Settings: threads, embedding cache size, model folder. */
@Plugin(type = Command.class, headless = true, menuPath = "Plugins>AnySeg>Settings")
public class SettingsCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Parameter(label = "ONNX Runtime threads", min = "1",
		description = "Threads per model run; default: all cores.")
	private int threads = Runtime.getRuntime().availableProcessors();

	@Parameter(label = "Embedding cache (MB)", min = "0",
		description = "Memory for image embeddings, so prompting a plane again is instant " +
			"(a SAM embedding takes 4 MB).")
	private int cache_mb = AnySegService.DEFAULT_CACHE_MB;

	@Parameter(label = "Model folder", style = "directory", required = false,
		description = "Where installed models live; empty = ~/.anyseg/models.")
	private File model_folder;

	@Override
	public void run() {
		final File folder = model_folder != null && !model_folder.getPath().isEmpty()
			? model_folder : ModelCatalog.standard().modelFolder().toFile();
		anyseg.configure(threads, cache_mb, folder.toPath());
	}
}

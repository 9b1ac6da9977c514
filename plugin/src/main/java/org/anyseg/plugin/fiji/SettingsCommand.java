package org.anyseg.plugin.fiji;

import java.io.File;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.RuntimeOptions;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; AnySeg &gt; Settings: threads, embedding cache size, model folder, device, and
 * the store of precomputed embeddings.
 */
@Plugin(type = Command.class, headless = true, menuPath = "Plugins>AnySeg>Settings")
public class SettingsCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Parameter(label = "ONNX Runtime threads", min = "1", max = "1024",
		description = "Threads per model run; default: all cores.")
	private int threads = Runtime.getRuntime().availableProcessors();

	@Parameter(label = "Embedding cache (MB)", min = "0", max = "1048576",
		description = "Memory for image embeddings, so prompting a plane again is instant " +
			"(a SAM embedding takes 4 MB).")
	private int cache_mb = AnySegService.DEFAULT_CACHE_MB;

	@Parameter(label = "Model folder", style = "directory", required = false,
		description = "Where installed models live; empty = ~/.anyseg/models.")
	private File model_folder;

	@Parameter(label = "Run models on", choices = { "cpu", "cuda" },
		description = "cuda (an NVIDIA GPU) needs ONNX Runtime's GPU build in Fiji's jars " +
			"folder; see the AnySeg documentation.")
	private String device = "cpu";

	/**
	 * Not persisted by SciJava: the service keeps it (a remembered path of a store deleted
	 * since would fail every later run of this command); shown as the service's current one.
	 */
	@Parameter(label = "Precomputed embeddings", style = "directory", required = false,
		persist = false, initializer = "currentEmbeddings",
		description = "A store made by 'anyseg embed': planes it holds for the model are read, " +
			"not encoded; empty = none.")
	private File embeddings;

	/** Shows the store in use (a value given by a caller is kept). */
	void currentEmbeddings() {
		if (embeddings == null && anyseg != null && anyseg.embeddings() != null) {
			embeddings = anyseg.embeddings().dir().toFile();
		}
	}

	@Override
	public void run() {
		// nothing is changed when a number is out of range
		if (!UserErrors.run(() -> {
			Limits.THREADS.check(threads);
			Limits.CACHE_MB.check(cache_mb);
		})) return;
		final File folder = model_folder != null && !model_folder.getPath().isEmpty()
			? model_folder : ModelCatalog.standard().modelFolder().toFile();
		if (!"cpu".equals(device) && !RuntimeOptions.cudaAvailable()) {
			UserErrors.run(() -> {
				throw new AnySegException("This Fiji's ONNX Runtime has no CUDA support, so AnySeg " +
					"stays on the CPU. Replace jars/onnxruntime-*.jar by onnxruntime_gpu-*.jar of the " +
					"same version (see the AnySeg documentation, 'GPU').");
			});
			device = "cpu";
		}
		anyseg.configure(threads, cache_mb, folder.toPath(), device);
		UserErrors.run(() -> anyseg.setEmbeddings(embeddings == null ? null : embeddings
			.getPath()));
	}
}

package org.anyseg.plugin.fiji;

import java.io.File;
import java.util.List;

import org.anyseg.ops.image.Normalization;
import org.anyseg.plugin.batch.BatchRun;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.measure.ResultsTable;

/**
 * Plugins &gt; AnySeg &gt; Batch Segment Folder: every image of a folder, prompted by its
 * ROI set, a prompt table or ground-truth labels; progress bar, Esc cancels; the run log as
 * a results table (and run_log.csv in the output folder).
 */
@Plugin(type = Command.class, headless = true, menuPath = "Plugins>AnySeg>Batch Segment Folder")
public class BatchSegmentCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Parameter(label = "Input folder", style = "directory")
	private File input;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Prompts from", choices = { "ROI sets beside the images",
		"Prompt table (CSV with an image column)", "Ground-truth labels" })
	private String prompts_from = "ROI sets beside the images";

	@Parameter(label = "Prompt table (CSV)", required = false)
	private File prompt_table;

	@Parameter(label = "Ground-truth folder", style = "directory", required = false)
	private File ground_truth;

	@Parameter(label = "Ground-truth prompt", choices = { "box", "point", "points=3" })
	private String gt_prompt = "box";

	@Parameter(label = "Intensity normalization")
	private String normalization = "auto";

	@Parameter(label = "Overwrite existing outputs")
	private boolean overwrite = false;

	@Parameter(label = "Write overlays")
	private boolean overlays = false;

	@Parameter(label = "Write ROI sets (one outline per object)")
	private boolean rois = false;

	@Parameter(label = "Run log", type = ItemIO.OUTPUT)
	private ResultsTable log;

	@Override
	public void run() {
		UserErrors.run(() -> {
			final String src = prompts_from.startsWith("ROI") ? "rois" : prompts_from.startsWith(
				"Prompt") ? "csv:" + prompt_table : "gt:" + ground_truth + ":" + gt_prompt;
			final BatchRun.Options o = BatchRun.Options.defaults(input.toPath(), output.toPath(), src)
				.withNorm(Normalization.parse(normalization)).withOverwrite(overwrite).withOutputs(
					overlays, rois).withPropagation(org.anyseg.ops.volume.Propagation.Options.defaults(
						anyseg.modelConfig()), true); // volumes: the model's stop rules
			IJ.resetEscape();
			final List<BatchRun.Entry> entries = new BatchRun(anyseg.segmenter(), o).model(anyseg
				.model(), anyseg.catalog().resolve(anyseg.model())).run((i, n, f) -> {
				IJ.showProgress(i, n);
				IJ.showStatus("AnySeg batch: " + f.getFileName() + " (Esc cancels)");
			}, IJ::escapePressed);
			IJ.showProgress(1.0);
			log = new ResultsTable();
			for (final BatchRun.Entry e : entries) {
				log.incrementCounter();
				log.addValue("File", e.file());
				log.addValue("Objects", e.objects());
				log.addValue("Seconds", e.seconds());
				log.addValue("Status", e.status().toString());
				log.addValue("Error", e.error());
			}
		});
	}
}

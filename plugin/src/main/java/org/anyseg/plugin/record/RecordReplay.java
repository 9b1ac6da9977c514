package org.anyseg.plugin.record;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.volume.Volume;

/**
 * What makes a {@link PromptRecord} replayable: the label volume of a record is always one
 * {@link Propagator} run over the whole stack with every object's prompted and corrected
 * slices ({@link #compute}), which is what {@code segment --prompts RECORD --propagate} does
 * with the same model and settings; and the notes written with a record name the model, its
 * SHA-256, the settings and the command line that replays it ({@link #notes}). The
 * interactive tool, the macro functions and batch use this one class.
 */
public final class RecordReplay {

	private RecordReplay() {}

	/** The propagation settings of a record: {@code o}, or none beyond the prompted slices. */
	public static Propagation.Options options(final Propagation.Options o,
		final boolean propagated)
	{
		return propagated ? o : o.withMaxSlices(0);
	}

	/** The label volume of a record (a worker thread's call: it can take minutes). */
	public static Propagation.Result compute(final Segmenter seg, final Volume volume,
		final Normalization norm, final PromptRecord r, final Propagation.Options o,
		final Propagation.Listener listener, final BooleanSupplier cancel)
	{
		if (r.isEmpty()) return new Propagation.Result(new short[volume.nz()][volume.nx() * volume
			.ny()], List.of(), List.of(), false);
		return new Propagator(seg).propagate(volume, norm, r.targets(), options(o, r
			.propagated()), listener, cancel);
	}

	/** The settings notes of a record. */
	public static Map<String, String> settings(final String normalization,
		final Propagation.Options o)
	{
		return PromptRecord.notes("normalization", normalization, "axis", o.axis().name()
			.toLowerCase(), "min_iou", Double.toString(o.minIou()), "min_area_ratio", Double
				.toString(o.minAreaRatio()), "max_area_ratio", Double.toString(o.maxAreaRatio()),
			"min_inside", Double.toString(o.minInside()), "min_contrast", Double.toString(o
				.minContrast()), "margin", Double.toString(o.margin()), "follow", o.follow().word());
	}

	/** The CLI options that set {@code o}'s stop rules and follow-up prompt. */
	public static String cliOptions(final Propagation.Options o) {
		return "--min-iou " + o.minIou() + " --min-area-ratio " + o.minAreaRatio() +
			" --max-area-ratio " + o.maxAreaRatio() + " --min-inside " + o.minInside() +
			" --min-contrast " + o.minContrast() + " --margin " + o.margin() + " --follow " + o
				.follow().word();
	}

	/**
	 * The notes of a record: image, model, the SHA-256 of its files, the settings in force
	 * and the command that replays it.
	 */
	public static Map<String, String> notes(final String image, final String model,
		final List<ModelFile> files, final String normalization, final Propagation.Options o,
		final PromptRecord r)
	{
		final Propagation.Options in = options(o, r.propagated());
		final Map<String, String> m = PromptRecord.notes("image", image, "model", model, "sha256",
			String.join(";", files.stream().map(ModelFile::sha256).toList()));
		m.putAll(settings(normalization, in));
		m.put("replay", "anyseg segment --model " + model + " --image IMAGE --prompts THIS.csv" +
			(r.propagated() ? " --propagate" : "") + " --normalize " + normalization + " " +
			cliOptions(in) + " --out LABELS.tif");
		return m;
	}
}

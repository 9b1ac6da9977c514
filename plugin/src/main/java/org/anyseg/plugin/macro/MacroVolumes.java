package org.anyseg.plugin.macro;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.objects.VolumeObjectTable;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Propagator;
import org.anyseg.ops.volume.Volume;
import org.anyseg.plugin.fiji.AnySegService;
import org.anyseg.plugin.fiji.NiftiImages;
import org.anyseg.plugin.record.PromptRecord;
import org.anyseg.plugin.record.RecordReplay;

import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.process.ShortProcessor;

/**
 * The 3D macro functions: {@code Ext.anysegSetPropagation}, {@code Ext.anysegPropagate},
 * {@code Ext.anysegCorrect}, {@code Ext.anysegRepropagate}, {@code Ext.anysegSavePrompts}.
 * The objects of the stack are kept as a {@link PromptRecord} (as the interactive tool keeps
 * them): {@code Propagate} starts one, {@code Correct} adds a prompted slice to an object and
 * recomputes the label stack from the record, so a correction changes the object only
 * between its neighbouring prompted slices and the saved record replays the labels exactly
 * with {@code segment --prompts RECORD --propagate}. Settings: the model's
 * {@code propagation} block, then what {@code SetPropagation} set.
 */
final class MacroVolumes {

	private final Map<String, String> set = new LinkedHashMap<>();
	private PromptRecord record;
	private String recordImage;
	/** Why the record no longer gives the label stack (a range-bound repropagation). */
	private String notReplayable;

	/** {@code Ext.anysegSetPropagation(key, value)}; value "model" goes back to the model's. */
	void setPropagation(final String key, final String value) {
		final String k = key.trim().toLowerCase(java.util.Locale.ROOT);
		if (value.trim().equalsIgnoreCase("model")) {
			set.remove(k);
			return;
		}
		if (k.equals("follow")) {
			Propagation.Follow.parse(value.trim());
		}
		else {
			final Limits l = Limits.forKey(k).filter(x -> x.group == Limits.Group.PROPAGATION &&
				x.cli != null).orElseThrow(() -> new AnySegException("Unknown propagation setting '" +
					key + "': use min_iou, min_area_ratio, max_area_ratio, min_inside, min_contrast, " +
					"margin or follow."));
			final double v;
			try {
				v = Double.parseDouble(value.trim());
			}
			catch (final NumberFormatException e) {
				throw new AnySegException(k + " must be a number, got '" + value + "'.");
			}
			l.check(v);
		}
		set.put(k, value.trim());
	}

	/** The model's settings with what the macro set. */
	Propagation.Options options(final AnySegService s) {
		Propagation.Options o = Propagation.Options.defaults(s.modelConfig());
		for (final Map.Entry<String, String> e : set.entrySet()) {
			final String v = e.getValue();
			o = e.getKey().equals("follow") ? o.withFollow(Propagation.Follow.parse(v)) : o.with(e
				.getKey(), Double.parseDouble(v));
		}
		return o;
	}

	/**
	 * {@code Ext.anysegPropagate(minIou)}: the objects prompted on the current slice, through
	 * the stack; {@code minIou} NaN keeps the model's (or the set) value.
	 */
	VolumeObjectTable propagate(final AnySegService s, final ImagePlus imp, final String norm,
		final List<ObjectPrompt> objects, final double minIou)
	{
		if (objects.isEmpty()) {
			throw new AnySegException("No prompts: call Ext.anysegAddPoint or Ext.anysegAddBox " +
				"(on the current slice) before Ext.anysegPropagate.");
		}
		if (!Double.isNaN(minIou)) setPropagation("min_iou", Double.toString(minIou));
		final PromptRecord r = new PromptRecord();
		for (final ObjectPrompt o : objects) r.put(o.label(), ImagePlanes.position(imp), o);
		r.setPropagated(true);
		final Propagation.Result done = compute(s, imp, norm, r);
		show(imp, done.labels(), objects.size());
		record = r;
		recordImage = imp.getTitle();
		notReplayable = null;
		return table(imp, done, r);
	}

	/** The object table of a computed record. */
	private static VolumeObjectTable table(final ImagePlus imp, final Propagation.Result done,
		final PromptRecord r)
	{
		return org.anyseg.ops.io.ij.ObjectTables.volume(done, imp.getWidth(), imp.getCalibration(),
			r.targets());
	}

	/**
	 * {@code Ext.anysegCorrect(object)}: the added prompts (one object) become object
	 * {@code label}'s prompt on the current slice; the label stack is recomputed from the
	 * record.
	 */
	VolumeObjectTable correct(final AnySegService s, final ImagePlus imp, final String norm,
		final int label, final List<ObjectPrompt> objects)
	{
		final PromptRecord r = recordOf(imp, "Ext.anysegCorrect");
		if (!r.labels().contains(label)) {
			throw new AnySegException("Object " + label + " is not one of this stack's objects " + r
				.labels() + ".");
		}
		if (objects.size() != 1) {
			throw new AnySegException("Add one object's prompts (points, or one box with points) " +
				"on the current slice before Ext.anysegCorrect.");
		}
		final PromptRecord next = r.copy();
		next.put(label, ImagePlanes.position(imp), objects.get(0));
		final Propagation.Result done = compute(s, imp, norm, next);
		show(imp, done.labels(), next.labels().size());
		record = next;
		return table(imp, done, next);
	}

	/**
	 * A correction: object {@code label} is re-segmented on the image's current slice from the
	 * added prompts (together one object) and re-propagated both ways with the macro's
	 * settings, within slices {@code first..last} (1-based, inclusive; the caller passes the
	 * slices just inside the object's neighbouring prompted slices). In the open
	 * {@code TITLE-labels} stack, the object's voxels on those slices are replaced; nothing
	 * else changes ({@link Propagation.Options#withSliceRange}).
	 */
	void repropagate(final AnySegService s, final ImagePlus imp, final String norm,
		final int label, final int first, final int to, final List<ObjectPrompt> objects)
	{
		final int z = imp.getZ();
		if (label < 1 || label > 65535) {
			throw new AnySegException("Object " + label + " is not a label: use 1 to 65535.");
		}
		if (first < 1 || to > imp.getNSlices() || first > z || z > to) {
			throw new AnySegException("Slices " + first + ".." + to + " must hold the current " +
				"slice " + z + " and lie within 1.." + imp.getNSlices() + ".");
		}
		final ImagePlus labels = WindowManager.getImage(imp.getShortTitle() + "-labels");
		if (labels == null || labels.getStackSize() != imp.getNSlices()) {
			throw new AnySegException("No label stack '" + imp.getShortTitle() + "-labels' of " +
				imp.getNSlices() + " slices is open: run Ext.anysegPropagate first.");
		}
		if (objects.size() != 1) {
			throw new AnySegException("Add one object's prompts (points, or one box with points) " +
				"on the current slice before Ext.anysegRepropagate.");
		}
		final Volume v = ImagePlanes.volume(imp, Math.max(1, imp.getC()), imp.getT());
		final Propagation.Result r = new Propagator(s.segmenter()).propagate(v, Normalization
			.parse(norm), List.of(new Propagation.Target(label, List.of(
				new Propagation.Seed(z - 1, objects.get(0).withLabel(label))))), options(s)
					.withSliceRange(first - 1, to - 1), null, null);
		for (int k = first - 1; k < to; k++) {
			final short[] px = (short[]) labels.getStack().getProcessor(k + 1).getPixels();
			final short[] fresh = r.labels()[k];
			for (int i = 0; i < px.length; i++) {
				if (px[i] == (short) label) px[i] = 0;
				if (fresh[i] == (short) label) px[i] = (short) label;
			}
		}
		labels.updateAndDraw();
		notReplayable = "Ext.anysegRepropagate changed the labels within a slice range; " +
			"use Ext.anysegCorrect for a replayable record";
	}

	/** {@code Ext.anysegSavePrompts(path)}: the record of this stack, with its notes. */
	void savePrompts(final AnySegService s, final ImagePlus imp, final String norm,
		final Path file)
	{
		final PromptRecord r = recordOf(imp, "Ext.anysegSavePrompts");
		final Map<String, String> notes = RecordReplay.notes(imp.getTitle(), s.model(), s
			.catalog().resolve(s.model()), norm, options(s), r);
		if (notReplayable != null) notes.put("not_replayable", notReplayable);
		r.write(file, notes, zBase(imp));
	}

	/** Whether {@code imp} has a record. */
	boolean hasRecord(final ImagePlus imp) {
		return record != null && imp.getTitle().equals(recordImage);
	}

	/**
	 * Beside labels saved to {@code file}: {@code NAME-prompts.csv} (NAME = the file's name
	 * without its extension), when {@code labels} is the {@code TITLE-labels} stack of the
	 * image this macro propagated; else nothing.
	 */
	void saveBeside(final AnySegService s, final ImagePlus labels, final String norm,
		final Path file)
	{
		final ImagePlus source = recordImage == null ? null : WindowManager.getImage(recordImage);
		if (source == null || !labels.getTitle().equals(source.getShortTitle() + "-labels")) return;
		final String name = file.getFileName().toString().replaceFirst("(\\.nii)?\\.[^.]+$", "");
		savePrompts(s, source, norm, file.resolveSibling(name + "-prompts.csv"));
	}

	private PromptRecord recordOf(final ImagePlus imp, final String fn) {
		if (!hasRecord(imp)) {
			throw new AnySegException("No objects propagated on '" + imp.getTitle() + "' in this " +
				"macro: run Ext.anysegPropagate on it before " + fn + ".");
		}
		return record;
	}

	private Propagation.Result compute(final AnySegService s, final ImagePlus imp,
		final String norm, final PromptRecord r)
	{
		final Volume v = ImagePlanes.volume(imp, Math.max(1, imp.getC()), imp.getT());
		return RecordReplay.compute(s.segmenter(), v, Normalization.parse(norm), r, options(s),
			null, null);
	}

	/** Shows the labels as {@code TITLE-labels}, replacing an open one's slices. */
	private static void show(final ImagePlus imp, final short[][] labels, final int max) {
		final ImageStack st = new ImageStack(imp.getWidth(), imp.getHeight());
		for (final short[] sl : labels) {
			st.addSlice(new ShortProcessor(imp.getWidth(), imp.getHeight(), sl, null));
		}
		final String title = imp.getShortTitle() + "-labels";
		final ImagePlus open = WindowManager.getImage(title);
		final ImagePlus out = open != null && open.getStackSize() == labels.length ? open
			: new ImagePlus(title, st);
		if (out == open) out.setStack(st);
		out.setCalibration(imp.getCalibration());
		if (imp.getProperty(NiftiImages.SOURCE) != null) {
			out.setProperty(NiftiImages.SOURCE, imp.getProperty(NiftiImages.SOURCE));
		}
		out.setDisplayRange(0, Math.max(1, max));
		out.show();
	}

	/** z of the record as {@code segment} counts it: 0-based on NIfTI, 1-based otherwise. */
	static int zBase(final ImagePlus imp) {
		return imp.getProperty(NiftiImages.SOURCE) != null ? 0 : 1;
	}
}

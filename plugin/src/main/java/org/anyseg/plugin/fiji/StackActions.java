package org.anyseg.plugin.fiji;

import java.awt.EventQueue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Volume;
import org.anyseg.plugin.record.PromptRecord;
import org.anyseg.plugin.record.RecordReplay;
import org.anyseg.plugin.record.Recovery;

import ij.IJ;
import ij.ImagePlus;
import ij.io.SaveDialog;

/**
 * What the interactive tool does on a stack. Each change (accept, correct, propagate,
 * delete) builds the next {@link PromptRecord}, computes its label volume on the tool's
 * worker thread with progress (Esc keeps what is done), then, on the event thread, makes
 * it current (undoable), shows it in {@code TITLE-labels} and saves labels and record to
 * the image's {@link Recovery} folder. On attaching to an image whose recovery folder holds
 * work, the user is asked whether to restore it.
 */
public final class StackActions {

	private final AnySegService anyseg;
	private final InteractiveState state;
	private final ExecutorService worker;
	private final Runnable clearPrompts, redraw;
	private final AtomicBoolean cancel = new AtomicBoolean();
	private volatile boolean running;
	private volatile int revision;
	private Predicate<Path> restore = folder -> IJ.showMessageWithCancel("AnySeg",
		"AnySeg found unsaved work on this image from an earlier session\n(" + folder +
			").\nRestore its labels and prompts?");
	private String shaModel;
	private List<ModelFile> files;
	/** Set by the user (or a test); null: the current model's defaults. */
	private volatile Propagation.Options options;

	StackActions(final AnySegService anyseg, final InteractiveState state,
		final ExecutorService worker, final Runnable clearPrompts, final Runnable redraw)
	{
		this.redraw = redraw;
		this.anyseg = anyseg;
		this.state = state;
		this.worker = worker;
		this.clearPrompts = clearPrompts;
	}

	/** How the user is asked whether to restore earlier work (a dialog unless set). */
	public void setRestoreQuestion(final Predicate<Path> question) {
		this.restore = question;
	}

	/**
	 * The propagation settings (stop rules, margin, follow-up prompt; axis Z); null for the
	 * model's defaults ({@code propagation} in its {@code anyseg-model.json}). They apply to
	 * the next change and are written into the record.
	 */
	public void setOptions(final Propagation.Options o) {
		this.options = o;
	}

	/** The settings in force: the user's, else the current model's defaults. */
	public Propagation.Options options() {
		final Propagation.Options o = options;
		return o != null ? o : Propagation.Options.defaults(anyseg.modelConfig());
	}

	/** Changes applied so far (tests wait on it). */
	public int revision() {
		return revision;
	}

	public boolean running() {
		return running;
	}

	void cancel() {
		cancel.set(true);
	}

	/** The current object (what Shift+Enter corrects and Delete removes); 0 when none. */
	public int currentObject() {
		return state.stack == null ? 0 : state.stack.current;
	}

	public void setCurrentObject(final int label) {
		if (state.stack != null) state.stack.current = label;
	}

	/** The prompt record of the stack (a copy). */
	public PromptRecord record() {
		return state.stack.record.copy();
	}

	// -- actions (event thread) --

	/** Enter: the previewed prompts become a new object. */
	void acceptNew() {
		final ObjectPrompt p = prompts();
		if (p == null) return;
		final int label = state.stack.record.nextLabel();
		change(state.stack.with(label, z(), p), label, "segmenting object " + label);
	}

	/** Shift+Enter: the prompts correct the current object on this slice. */
	void correct() {
		followSelection();
		final int label = state.stack.current;
		final ObjectPrompt p = prompts();
		if (p == null) return;
		if (label == 0) {
			acceptNew();
			return;
		}
		change(state.stack.with(label, z(), p), label, "correcting object " + label + " on slice " +
			(z() + 1));
	}

	/** P: every object is propagated through the stack. */
	void propagate() {
		if (state.stack.record.isEmpty()) {
			IJ.showStatus("AnySeg: accept an object (Enter) before propagating it (P).");
			return;
		}
		change(state.stack.propagatedRecord(), state.stack.current, "propagating");
	}

	/** Delete: removes the current (or ROI Manager-selected) object. */
	void deleteCurrent() {
		followSelection();
		final int label = state.stack.current;
		if (label == 0) return;
		change(state.stack.without(label), 0, "deleting object " + label);
	}

	/** R: numbers the objects 1..n, in the labels, the record and the ROI Manager. */
	void renumber() {
		if (running || state.stack.record.isEmpty()) return;
		state.stack.renumber();
		applied("objects renumbered 1.." + state.stack.record.labels().size());
	}

	/** The object selected in the ROI Manager, if any, becomes the current one. */
	private void followSelection() {
		final int sel = ObjectRois.selected(state.imp);
		if (sel > 0 && state.stack.record.labels().contains(sel)) state.stack.current = sel;
	}

	/** Ctrl+Z with no prompts: the stack as before the last change. */
	void undo() {
		if (running || !state.stack.undo()) return;
		applied("undone");
	}

	void savePromptsDialog() {
		final SaveDialog d = new SaveDialog("Save prompts", state.imp.getShortTitle() + "-prompts",
			".csv");
		if (d.getFileName() != null) savePrompts(Path.of(d.getDirectory(), d.getFileName()));
	}

	/** Saves the record: the prompt table {@code segment --prompts} reads, with notes. */
	public void savePrompts(final Path file) {
		state.stack.record.write(file, notes(), zBase());
		IJ.showStatus("AnySeg: saved the prompts to " + file);
	}

	// -- internals --

	/**
	 * The first slice's number in the record's z column, as {@code segment} reads it: 0 for
	 * a NIfTI volume (array index k), 1 for other stacks (ImageJ's slice numbers).
	 */
	private int zBase() {
		final ij.io.FileInfo fi = state.imp.getOriginalFileInfo();
		final String name = fi != null && fi.fileName != null ? fi.fileName.toLowerCase() : "";
		return name.endsWith(".nii") || name.endsWith(".nii.gz") ? 0 : 1;
	}

	/** The slice (or a time series' frame) shown, 0-based. */
	private int z() {
		return org.anyseg.ops.io.ij.ImagePlanes.position(state.imp);
	}

	private ObjectPrompt prompts() {
		if (running) {
			IJ.showStatus("AnySeg: wait for the running propagation (Esc stops it).");
			return null;
		}
		return state.session == null || state.session.isEmpty() ? null : state.session.snapshot(1);
	}

	private void change(final PromptRecord next, final int current, final String what) {
		final Volume volume = new StackView(state.imp).volume();
		final Segmenter seg = anyseg.segmenter();
		final StackEditing editing = state.stack;
		final Propagation.Options o = options();
		cancel.set(false);
		running = true;
		IJ.resetEscape();
		IJ.showStatus("AnySeg: " + what + " (Esc keeps what is done)...");
		worker.submit(() -> {
			try {
				final Propagation.Result r = RecordReplay.compute(seg, volume, Normalization.AUTO, next, o, (done, total,
					last) -> IJ.showProgress(done, total), () -> cancel.get() || IJ.escapePressed());
				IJ.showProgress(1.0);
				EventQueue.invokeLater(() -> {
					running = false;
					if (editing != state.stack) return; // the tool moved to another image
					editing.commit(next, r.partial() ? StackEditing.keepUnreached(editing.labels, r) : r
						.labels(), r.partial());
					editing.current = current;
					clearPrompts.run();
					applied(r.partial() ? what + ": stopped, what was done is kept" : what + ": done");
				});
			}
			catch (final Throwable ex) {
				running = false;
				InteractiveSegmentationTool.failed(ex);
			}
		});
	}

	/** Shows the current state and saves it for recovery. */
	private void applied(final String what) {
		state.showStackLabels();
		ObjectRois.sync(state.imp, state.stack.record, state.stack.labels);
		redraw.run();
		try {
			new Recovery(state.imp).save(state.labels, state.stack.record, notes(), zBase());
		}
		catch (final RuntimeException e) {
			IJ.log("AnySeg: could not save the recovery copy: " + e.getMessage());
		}
		revision++;
		IJ.showStatus("AnySeg: " + what);
	}

	/** Called when the tool attaches to a new image: offers earlier work back. */
	void attached() {
		if (state.stack == null) return;
		final Recovery rec = new Recovery(state.imp);
		if (!rec.available()) return;
		if (!restore.test(rec.folder())) {
			rec.discard();
			return;
		}
		final ImagePlus saved = rec.labels();
		if (saved == null || saved.getStackSize() != state.stack.labels.length || saved
			.getBitDepth() != 16)
		{
			IJ.log("AnySeg: the recovered labels do not fit this image; not restored.");
			return;
		}
		final short[][] l = new short[saved.getStackSize()][];
		for (int z = 0; z < l.length; z++) l[z] = ((short[]) saved.getStack().getPixels(z + 1))
			.clone();
		final PromptRecord r = rec.record(zBase());
		state.stack.commit(r, l, false);
		state.stack.current = r.labels().isEmpty() ? 0 : r.labels().get(r.labels().size() - 1);
		applied("restored the work of an earlier session");
	}

	private Map<String, String> notes() {
		final String model = anyseg.model();
		if (!model.equals(shaModel)) {
			files = anyseg.catalog().resolve(model);
			shaModel = model;
		}
		final Map<String, String> m = RecordReplay.notes(state.imp.getTitle(), model, files,
			"auto", options(), state.stack.record);
		if (state.stack.partial) m.put("partial", "true (stopped with Esc: replaying gives the " +
			"full propagation, not these labels)");
		return m;
	}
}

package org.anyseg.ops.volume;

import java.util.List;

import org.anyseg.ops.Limits;
import org.anyseg.ops.prompt.ObjectPrompt;

/** The inputs and outputs of a {@link Propagator} run. */
public final class Propagation {

	private Propagation() {}

	/**
	 * When to stop walking away from a prompted slice, and how the next slice is prompted.
	 *
	 * @param axis the axis walked along
	 * @param minIou stop when the decoder's predicted IoU falls below this
	 * @param minAreaRatio stop when the area falls below this fraction of the previous
	 *          slice's (the object collapses)
	 * @param margin the previous mask's bounding box is grown by this fraction of its size
	 *          (at least 2 pixels) on every side to prompt the next slice
	 * @param maxSlices stop after this many slices in each direction
	 * @param maskInput whether the previous slice's low-res mask is fed as mask input (for
	 *          models that take one)
	 */
	public record Options(Axis axis, double minIou, double minAreaRatio, double margin,
		int maxSlices, boolean maskInput, Follow follow)
	{

		/**
		 * Every number checked against {@link Limits} where it enters (CLI options, the Fiji
		 * dialog, the macro function all build these options).
		 */
		public Options {
			Limits.MIN_IOU.check(minIou);
			Limits.MIN_AREA_RATIO.check(minAreaRatio);
			Limits.MARGIN.check(margin);
			Limits.MAX_SLICES.check(maxSlices);
			if (axis == null || follow == null) {
				throw new org.anyseg.ops.AnySegException("Propagation needs an axis and what " +
					"follows the object (box, point or box+point).");
			}
		}

		public static Options defaults() {
			return new Options(Axis.Z, 0.5, 0.2, 0.1, Integer.MAX_VALUE, true, Follow.BOX);
		}

		public Options withFollow(final Follow f) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, maskInput, f);
		}

		public Options withAxis(final Axis a) {
			return new Options(a, minIou, minAreaRatio, margin, maxSlices, maskInput, follow);
		}

		public Options withMinIou(final double v) {
			return new Options(axis, v, minAreaRatio, margin, maxSlices, maskInput, follow);
		}

		public Options withMinAreaRatio(final double v) {
			return new Options(axis, minIou, v, margin, maxSlices, maskInput, follow);
		}

		public Options withMargin(final double v) {
			return new Options(axis, minIou, minAreaRatio, v, maxSlices, maskInput, follow);
		}

		public Options withMaxSlices(final int v) {
			return new Options(axis, minIou, minAreaRatio, margin, v, maskInput, follow);
		}

		public Options withMaskInput(final boolean v) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, v, follow);
		}
	}

	/**
	 * What prompts the next slice besides the mask input: the previous mask's bounding box
	 * grown by the margin, a click at its centre, or both.
	 */
	public enum Follow {
		BOX, POINT, BOX_AND_POINT;

		public static Follow parse(final String s) {
			try {
				final String t = s.trim().toUpperCase(java.util.Locale.ROOT);
				return t.equals("BOX+POINT") ? BOX_AND_POINT : valueOf(t);
			}
			catch (final IllegalArgumentException e) {
				throw new org.anyseg.ops.AnySegException("Unknown follow-up prompt '" + s +
					"': use box, point or box+point.");
			}
		}
	}

	/** A prompt on one slice (slice index and prompt coordinates in the walked view). */
	public record Seed(int slice, ObjectPrompt prompt) {}

	/** One object: its label and its prompted slices (at least one). */
	public record Target(int label, List<Seed> seeds) {

		public Target {
			seeds = List.copyOf(seeds);
			if (seeds.isEmpty()) throw new IllegalArgumentException("object " + label + " unseeded");
		}
	}

	/** How each segmented slice came about. */
	public record SliceResult(int label, int slice, boolean prompted, float iou, int area) {}

	/** Why a walk stopped. */
	public record Stop(int label, int fromSlice, int direction, int atSlice, String reason) {}

	/** Progress: {@code done} of at most {@code total} slice decodings. */
	public interface Listener {

		void progress(int done, int total, SliceResult last);
	}

	/**
	 * The label volume (volume layout: {@code labels[z][y * nx + x]}), what was segmented,
	 * why each walk stopped, and whether the run was cancelled before the end.
	 */
	public record Result(short[][] labels, List<SliceResult> slices, List<Stop> stops,
		boolean partial)
	{}
}

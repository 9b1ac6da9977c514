package org.anyseg.ops.volume;

import java.util.List;

import org.anyseg.ops.Limits;
import org.anyseg.ops.prompt.ObjectPrompt;

/** The inputs and outputs of a {@link Propagator} run. */
public final class Propagation {

	private Propagation() {}

	/**
	 * When to stop walking away from a prompted slice, how the next slice is prompted, and
	 * which slices a run may touch.
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
	 * @param first the first slice (0-based, along {@code axis}) a run reads prompts from or
	 *          writes labels to
	 * @param last the last such slice, inclusive; {@link Integer#MAX_VALUE} (the default)
	 *          means the end of the stack
	 * @param maxAreaRatio stop when the area grows above this multiple of the previous
	 *          slice's; 0 (the default) = off ({@link StopRules})
	 * @param minInside stop when less than this fraction of the mask lies inside the previous
	 *          slice's mask dilated by the margin; 0 (the default) = off ({@link StopRules})
	 * @param minContrast stop when the mask's contrast with its surroundings falls below this
	 *          fraction of the prompted slice's; 0 (the default) = off ({@link StopRules})
	 */
	public record Options(Axis axis, double minIou, double minAreaRatio, double margin,
		int maxSlices, boolean maskInput, Follow follow, int first, int last, double maxAreaRatio,
		double minInside, double minContrast)
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
			Limits.MAX_AREA_RATIO.check(maxAreaRatio);
			Limits.MIN_INSIDE.check(minInside);
			Limits.MIN_CONTRAST.check(minContrast);
			Limits.SLICE.check(first);
			Limits.SLICE.check(last);
			if (last < first) {
				throw new org.anyseg.ops.AnySegException("Slice range " + first + ".." + last +
					" is empty: the last slice must not come before the first.");
			}
			if (axis == null || follow == null) {
				throw new org.anyseg.ops.AnySegException("Propagation needs an axis and what " +
					"follows the object (box, point or box+point).");
			}
		}

		public static Options defaults() {
			return new Options(Axis.Z, 0.5, 0.2, 0.1, Integer.MAX_VALUE, true, Follow.BOX, 0,
				Integer.MAX_VALUE, 0, 0, 0);
		}

		/**
		 * The defaults for a model: {@link #defaults()} with what its {@code anyseg-model.json}
		 * sets under {@code propagation} (a model whose predicted IoU is on its own scale
		 * names its own thresholds there). Callers then apply what the user set.
		 */
		public static Options defaults(final org.anyseg.ops.model.ModelConfig config) {
			final org.anyseg.ops.model.ModelConfig.PropagationDefaults d = config.propagation();
			Options o = defaults();
			for (final java.util.Map.Entry<String, Double> e : d.numbers().entrySet()) {
				o = o.with(e.getKey(), e.getValue());
			}
			return d.follow() == null ? o : o.withFollow(Follow.parse(d.follow()));
		}

		/**
		 * These options with one numeric setting named as in {@code anyseg-model.json}'s
		 * {@code propagation} block ({@code min_iou}, {@code min_area_ratio}, {@code margin},
		 * {@code max_area_ratio}, {@code min_inside}, {@code min_contrast}).
		 */
		public Options with(final String key, final double v) {
			return switch (key) {
				case "min_iou" -> withMinIou(v);
				case "min_area_ratio" -> withMinAreaRatio(v);
				case "margin" -> withMargin(v);
				case "max_area_ratio" -> withMaxAreaRatio(v);
				case "min_inside" -> withMinInside(v);
				case "min_contrast" -> withMinContrast(v);
				default -> throw new org.anyseg.ops.AnySegException("propagation: '" + key +
					"' is not applied by this version.");
			};
		}

		public Options withFollow(final Follow f) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, maskInput, f, first,
				last, maxAreaRatio, minInside, minContrast);
		}

		public Options withAxis(final Axis a) {
			return new Options(a, minIou, minAreaRatio, margin, maxSlices, maskInput, follow,
				first, last, maxAreaRatio, minInside, minContrast);
		}

		public Options withMinIou(final double v) {
			return new Options(axis, v, minAreaRatio, margin, maxSlices, maskInput, follow, first,
				last, maxAreaRatio, minInside, minContrast);
		}

		public Options withMinAreaRatio(final double v) {
			return new Options(axis, minIou, v, margin, maxSlices, maskInput, follow, first, last,
				maxAreaRatio, minInside, minContrast);
		}

		public Options withMargin(final double v) {
			return new Options(axis, minIou, minAreaRatio, v, maxSlices, maskInput, follow, first,
				last, maxAreaRatio, minInside, minContrast);
		}

		public Options withMaxSlices(final int v) {
			return new Options(axis, minIou, minAreaRatio, margin, v, maskInput, follow, first,
				last, maxAreaRatio, minInside, minContrast);
		}

		public Options withMaskInput(final boolean v) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, v, follow, first,
				last, maxAreaRatio, minInside, minContrast);
		}

		/**
		 * Bounds a run to slices {@code first..last} (inclusive, 0-based along the axis): seeds
		 * outside are ignored, walks end at the range's ends, and the result's labels are zero
		 * outside it, so a caller that writes back only slices {@code first..last} of the
		 * object changes nothing beyond.
		 *
		 * <p>A correction in the interactive tool ("re-segment slice {@code c} from new
		 * prompts, then re-propagate both ways up to the next prompted slice, changing nothing
		 * beyond") is one call: with {@code p} the nearest prompted slice of the object below
		 * {@code c} (or none) and {@code q} the nearest above (or none),
		 * <pre>{@code
		 * Result r = propagator.propagate(volume, norm,
		 *     List.of(new Target(label, List.of(new Seed(c, newPrompt)))),
		 *     options.withSliceRange(p + 1, q - 1),   // 0 and nz - 1 where there is no p or q
		 *     listener, cancelled);
		 * }</pre>
		 * then, for every slice {@code z} in {@code p + 1..q - 1}, the object's voxels on
		 * {@code z} are replaced by {@code r.labels()[z] == label}. Slice {@code c} is
		 * segmented from {@code newPrompt} alone and the walks from it end at {@code p + 1} and
		 * {@code q - 1} (or earlier, where a stop rule fires), so the prompted slices {@code p}
		 * and {@code q} and everything beyond them keep their labels.</p>
		 *
		 * <p>Passing all of the object's seeds with the whole range instead re-segments every
		 * seeded slice from its own prompts and fills each gap between neighbouring seeds from
		 * both ends, each seed covering the half nearer to it; no walk passes a seed.</p>
		 */
		public Options withSliceRange(final int from, final int to) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, maskInput, follow,
				from, to, maxAreaRatio, minInside, minContrast);
		}

		public Options withMaxAreaRatio(final double v) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, maskInput, follow,
				first, last, v, minInside, minContrast);
		}

		public Options withMinInside(final double v) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, maskInput, follow,
				first, last, maxAreaRatio, v, minContrast);
		}

		public Options withMinContrast(final double v) {
			return new Options(axis, minIou, minAreaRatio, margin, maxSlices, maskInput, follow,
				first, last, maxAreaRatio, minInside, v);
		}

		/** The range's first slice in a stack of {@code nz} slices. */
		int lo(final int nz) {
			return Math.min(first, nz - 1);
		}

		/** The range's last slice (inclusive) in a stack of {@code nz} slices. */
		int hi(final int nz) {
			return Math.min(last, nz - 1);
		}
	}

	/**
	 * What prompts the next slice besides the mask input: the previous mask's bounding box
	 * grown by the margin, a click at its centre, or both.
	 */
	public enum Follow {
		BOX, POINT, BOX_AND_POINT;

		/** The word {@link #parse} reads: box, point or box+point. */
		public String word() {
			return name().toLowerCase(java.util.Locale.ROOT).replace("_and_", "+");
		}

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

	/** The seeds as one target per object (its prompt's label), in label order. */
	public static List<Target> byObject(final List<Seed> seeds) {
		final java.util.Map<Integer, List<Seed>> m = new java.util.TreeMap<>();
		for (final Seed s : seeds) {
			m.computeIfAbsent(s.prompt().label(), k -> new java.util.ArrayList<>()).add(s);
		}
		final List<Target> out = new java.util.ArrayList<>();
		m.forEach((label, s) -> out.add(new Target(label, s)));
		return out;
	}

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

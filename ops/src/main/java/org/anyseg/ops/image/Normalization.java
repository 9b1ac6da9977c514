package org.anyseg.ops.image;

import java.util.Arrays;
import java.util.Locale;

import org.anyseg.ops.AnySegException;

/**
 * How pixel values become the 0..255 RGB intensities that every model family starts from.
 * <ul>
 * <li>{@code AUTO}: 8-bit gray and RGB values as they are; 16- and 32-bit min-max.</li>
 * <li>{@code MINMAX}: {@code (v - min) / (max - min) * 255} per channel (0 when max == min).</li>
 * <li>{@code PERCENTILE}: as min-max between the {@code lo} and {@code hi} percentiles
 * (numpy's default linear interpolation), values clipped to that range.</li>
 * <li>{@code WINDOW}: a fixed window {@code [level - width/2, level + width/2]}, clipped,
 * e.g. a CT soft-tissue window (level 40, width 400).</li>
 * </ul>
 * Gray planes are replicated to three channels. Non-finite pixels (NaN, +-Inf) are ignored
 * when the minimum, maximum and percentiles are found; afterwards NaN and -Inf become 0 and
 * +Inf 255, so one bad pixel never turns the image black.
 */
public record Normalization(Mode mode, double a, double b) {

	public enum Mode {
		AUTO, MINMAX, PERCENTILE, WINDOW
	}

	public static final Normalization AUTO = new Normalization(Mode.AUTO, 0, 0);
	public static final Normalization MINMAX = new Normalization(Mode.MINMAX, 0, 0);

	public static Normalization percentile(final double lo, final double hi) {
		if (!(lo >= 0 && hi <= 100 && lo < hi)) {
			throw new AnySegException("Percentiles must satisfy 0 <= low < high <= 100, got " +
				lo + " and " + hi + ".");
		}
		return new Normalization(Mode.PERCENTILE, lo, hi);
	}

	public static Normalization window(final double level, final double width) {
		if (!(width > 0) || !Double.isFinite(width) || !Double.isFinite(level)) {
			throw new AnySegException("A window needs a finite level and a positive finite width, " +
				"got level " + level + " and width " + width + ".");
		}
		return new Normalization(Mode.WINDOW, level, width);
	}

	/**
	 * Parses {@code auto}, {@code minmax}, {@code percentile} (0.5, 99.5),
	 * {@code percentile:LO,HI}, {@code window:LEVEL,WIDTH}, and the medical presets
	 * {@code ct-soft} (window 40/400), {@code ct-lung} (-600/1500), {@code ct-bone}
	 * (300/1500), {@code ct-brain} (40/80) and {@code mr} (percentile 0.5/99.5).
	 */
	public static Normalization parse(final String text) {
		final String t = text.trim().toLowerCase(Locale.ROOT);
		final String[] parts = t.split(":", 2);
		try {
			switch (parts[0]) {
				case "auto":
					return AUTO;
				case "minmax":
					return MINMAX;
				case "percentile":
					if (parts.length == 1) return percentile(0.5, 99.5);
					final double[] p = numbers(parts[1]);
					return percentile(p[0], p[1]);
				case "ct-soft":
					return window(40, 400);
				case "ct-lung":
					return window(-600, 1500);
				case "ct-bone":
					return window(300, 1500);
				case "ct-brain":
					return window(40, 80);
				case "mr":
					return percentile(0.5, 99.5);
				case "window":
					if (parts.length == 2) {
						final double[] w = numbers(parts[1]);
						return window(w[0], w[1]);
					}
					break;
				default:
					break;
			}
		}
		catch (final NumberFormatException | ArrayIndexOutOfBoundsException e) {
			// fall through to the message below
		}
		throw new AnySegException("Unknown normalization '" + text + "': use auto, minmax, " +
			"percentile, percentile:LO,HI, window:LEVEL,WIDTH (e.g. window:40,400) or a medical " +
			"preset: ct-soft (40/400), ct-lung (-600/1500), ct-bone (300/1500), ct-brain (40/80), " +
			"mr (0.5-99.5 percentile clip).");
	}

	private static double[] numbers(final String s) {
		final String[] f = s.split(",");
		if (f.length != 2) throw new NumberFormatException(s);
		return new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[1]) };
	}

	/**
	 * Maps a plane to three channels of 0..255 floats; the plane is not modified. The result
	 * may share arrays with the plane (8-bit values used as they are): treat it as read-only.
	 */
	public float[][] toRgb255(final Plane plane) {
		final float[][] out = new float[3][];
		for (int c = 0; c < plane.channelCount(); c++) {
			out[c] = channelTo255(plane.channel(c), plane.kind());
		}
		if (plane.channelCount() == 1) {
			out[1] = out[0];
			out[2] = out[0];
		}
		return out;
	}

	private float[] channelTo255(final float[] v, final Plane.Kind kind) {
		switch (mode) {
			case AUTO:
				if (kind == Plane.Kind.GRAY8 || kind == Plane.Kind.RGB) return v;
				return stretch(v, min(v), max(v));
			case MINMAX:
				return stretch(v, min(v), max(v));
			case PERCENTILE: {
				final float[] sorted = finite(v);
				if (sorted.length == 0) return new float[v.length];
				Arrays.sort(sorted);
				return stretch(v, percentileOfSorted(sorted, a), percentileOfSorted(sorted, b));
			}
			case WINDOW:
				return stretch(v, a - b / 2, a + b / 2);
			default:
				throw new IllegalStateException(mode.toString());
		}
	}

	/** numpy.percentile's default ("linear") definition on sorted values. */
	public static double percentileOfSorted(final float[] sorted, final double p) {
		final double pos = p / 100.0 * (sorted.length - 1);
		final int i = (int) Math.floor(pos);
		if (i >= sorted.length - 1) return sorted[sorted.length - 1];
		final double f = pos - i;
		return sorted[i] + f * (sorted[i + 1] - (double) sorted[i]);
	}

	private static float[] stretch(final float[] v, final double lo, final double hi) {
		final float[] out = new float[v.length];
		if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) return out;
		final float l = (float) lo, h = (float) hi, s = (float) (255.0 / (hi - lo));
		for (int i = 0; i < v.length; i++) {
			final float x = v[i];
			// NaN fails every comparison and maps to 0
			out[i] = x >= h ? 255f : x > l ? (x - l) * s : 0f;
		}
		return out;
	}

	/** The smallest finite value (NaN and infinities are ignored). */
	private static double min(final float[] v) {
		float m = Float.POSITIVE_INFINITY;
		for (final float x : v) if (Float.isFinite(x) && x < m) m = x;
		return m;
	}

	/** The largest finite value (NaN and infinities are ignored). */
	private static double max(final float[] v) {
		float m = Float.NEGATIVE_INFINITY;
		for (final float x : v) if (Float.isFinite(x) && x > m) m = x;
		return m;
	}

	/** The finite values of {@code v}, in a new array. */
	public static float[] finite(final float[] v) {
		final float[] out = new float[v.length];
		int n = 0;
		for (final float x : v) if (Float.isFinite(x)) out[n++] = x;
		return n == v.length ? out : Arrays.copyOf(out, n);
	}

	@Override
	public String toString() {
		switch (mode) {
			case PERCENTILE:
				return "percentile:" + a + "," + b;
			case WINDOW:
				return "window:" + a + "," + b;
			default:
				return mode.name().toLowerCase(Locale.ROOT);
		}
	}
}

package org.anyseg.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Per-object geometry of an instance label image: each label's pixels, bounding box
 * (inclusive indices) and centroid, plus the prompts and baselines the evaluation uses.
 */
public final class InstanceMasks {

	/** One labelled object. */
	public static final class Instance {

		public final int label;
		public final List<Integer> pixels = new ArrayList<>();
		public int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
		double sx, sy;

		Instance(final int label) {
			this.label = label;
		}

		public double cx() {
			return sx / pixels.size();
		}

		public double cy() {
			return sy / pixels.size();
		}
	}

	public final int width, height;
	public final int[] labels;
	public final List<Instance> instances;

	public InstanceMasks(final int width, final int height, final int[] labels) {
		this.width = width;
		this.height = height;
		this.labels = labels;
		final TreeMap<Integer, Instance> map = new TreeMap<>();
		for (int i = 0; i < labels.length; i++) {
			if (labels[i] == 0) continue;
			final Instance in = map.computeIfAbsent(labels[i], Instance::new);
			final int x = i % width, y = i / width;
			in.pixels.add(i);
			in.x0 = Math.min(in.x0, x);
			in.y0 = Math.min(in.y0, y);
			in.x1 = Math.max(in.x1, x);
			in.y1 = Math.max(in.y1, y);
			in.sx += x;
			in.sy += y;
		}
		instances = new ArrayList<>(map.values());
	}

	/** The centroid pixel, or the object's pixel nearest to it when the centroid is outside. */
	public int[] centroidPoint(final Instance in) {
		final int x = (int) Math.round(in.cx()), y = (int) Math.round(in.cy());
		if (x >= 0 && y >= 0 && x < width && y < height && labels[y * width + x] == in.label) {
			return new int[] { x, y };
		}
		int best = -1;
		double bd = Double.MAX_VALUE;
		for (final int p : in.pixels) {
			final double d = Math.hypot(p % width - in.cx(), p / width - in.cy());
			if (d < bd) {
				bd = d;
				best = p;
			}
		}
		return new int[] { best % width, best / width };
	}

	/** Dice of the filled bounding box against the object. */
	public static double boxDice(final Instance in) {
		final double box = (in.x1 - in.x0 + 1.0) * (in.y1 - in.y0 + 1.0);
		return 2.0 * in.pixels.size() / (in.pixels.size() + box);
	}

	/** Dice of the ellipse inscribed in the bounding box against the object. */
	public double ellipseDice(final Instance in) {
		final double cx = (in.x0 + in.x1) / 2.0, cy = (in.y0 + in.y1) / 2.0;
		final double a = (in.x1 - in.x0 + 1) / 2.0, b = (in.y1 - in.y0 + 1) / 2.0;
		int inter = 0, area = 0;
		for (int y = in.y0; y <= in.y1; y++) {
			for (int x = in.x0; x <= in.x1; x++) {
				final double dx = (x - cx) / a, dy = (y - cy) / b;
				if (dx * dx + dy * dy <= 1) {
					area++;
					if (labels[y * width + x] == in.label) inter++;
				}
			}
		}
		return 2.0 * inter / (area + in.pixels.size());
	}

	/** Dice of {@code predicted == label} against this object. */
	public double dice(final Instance in, final int[] predicted, final int label) {
		int inter = 0, area = 0;
		for (int i = 0; i < predicted.length; i++) {
			if (predicted[i] == label) {
				area++;
				if (labels[i] == in.label) inter++;
			}
		}
		return 2.0 * inter / (area + in.pixels.size());
	}
}

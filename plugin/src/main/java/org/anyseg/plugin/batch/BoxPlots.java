package org.anyseg.plugin.batch;

import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.eval.Metrics;
import org.anyseg.ops.io.ij.ImageFiles;

import ij.gui.Plot;
import ij.io.FileSaver;

/**
 * Box plots with ImageJ's {@link Plot}: per method a box from the first to the third
 * quartile, the median, whiskers to the last values within 1.5 IQR, and every value as a
 * dot.
 */
final class BoxPlots {

	private BoxPlots() {}

	static Plot plot(final String metric, final Map<String, double[]> values) {
		final Plot p = new Plot(metric, "", metric);
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final double[] v : values.values()) {
			for (final double x : v) {
				lo = Math.min(lo, x);
				hi = Math.max(hi, x);
			}
		}
		if (!(hi >= lo)) {
			lo = 0;
			hi = 1;
		}
		final double pad = Math.max(1e-6, 0.08 * (hi - lo));
		p.setLimits(0.4, values.size() + 0.6, lo - 2.5 * pad, hi + pad);
		p.setFormatFlags(Plot.Y_NUMBERS | Plot.Y_TICKS | Plot.Y_GRID);
		int i = 1;
		for (final Map.Entry<String, double[]> e : values.entrySet()) {
			final double[] a = e.getValue().clone();
			Arrays.sort(a);
			p.setColor(Color.black);
			p.addText(e.getKey() + " (n=" + a.length + ")", i - 0.3, lo - 1.6 * pad);
			if (a.length > 0) {
				final double q1 = Metrics.percentile(a, 25), q3 = Metrics.percentile(a,
					75), med = Metrics.percentile(a, 50), iqr = q3 - q1;
				double wlo = q1, whi = q3;
				for (final double x : a) {
					if (x >= q1 - 1.5 * iqr) wlo = Math.min(wlo, x);
					if (x <= q3 + 1.5 * iqr) whi = Math.max(whi, x);
				}
				p.setLineWidth(1);
				p.drawLine(i - 0.25, q1, i + 0.25, q1);
				p.drawLine(i - 0.25, q3, i + 0.25, q3);
				p.drawLine(i - 0.25, q1, i - 0.25, q3);
				p.drawLine(i + 0.25, q1, i + 0.25, q3);
				p.drawLine(i, q3, i, whi);
				p.drawLine(i, q1, i, wlo);
				p.drawLine(i - 0.1, whi, i + 0.1, whi);
				p.drawLine(i - 0.1, wlo, i + 0.1, wlo);
				p.setLineWidth(3);
				p.setColor(new Color(200, 60, 0));
				p.drawLine(i - 0.25, med, i + 0.25, med);
				final double[] xs = new double[a.length];
				for (int k = 0; k < a.length; k++) xs[k] = i - 0.15 + 0.3 * ((k * 0.618) % 1);
				p.setLineWidth(1);
				p.setColor(new Color(30, 90, 200));
				p.addPoints(xs, a, Plot.CIRCLE);
			}
			i++;
		}
		return p;
	}

	static void write(final Path out, final String metric, final Map<String, double[]> values) {
		final ij.ImagePlus img = plot(metric, values).getImagePlus();
		AtomicFiles.writeAtomically(out, tmp -> {
			if (!new FileSaver(img).saveAsPng(tmp.toString())) {
				throw new java.io.IOException("cannot write " + tmp);
			}
		});
	}
}

package org.anyseg.plugin.cli;

import java.io.PrintWriter;

import org.anyseg.ops.download.ModelInstaller;

/**
 * A one-line console progress bar for downloads, redrawn in place with {@code \r} at most
 * ten times a second: {@code encoder.onnx [=========>          ]  45%  12.3 / 27.0 MB}.
 */
final class ConsoleProgress implements ModelInstaller.Listener {

	private static final int WIDTH = 30;
	private final PrintWriter err;
	private String file = "";
	private long lastDraw;
	private boolean drawn;

	ConsoleProgress(final PrintWriter err) {
		this.err = err;
	}

	@Override
	public void file(final String name, final int index, final int count) {
		finish();
		file = name + " (" + (index + 1) + "/" + count + ")";
	}

	@Override
	public void progress(final long done, final long total) {
		final long now = System.nanoTime();
		if (drawn && now - lastDraw < 100_000_000L && done != total) return;
		lastDraw = now;
		drawn = true;
		err.print("\r" + line(file, done, total));
		err.flush();
	}

	/** Ends the current bar's line. */
	void finish() {
		if (drawn) err.println();
		drawn = false;
	}

	static String line(final String file, final long done, final long total) {
		if (total <= 0) return String.format("%s %8.1f MB", file, done / 1e6);
		final double f = Math.min(1, (double) done / total);
		final int full = (int) Math.round(f * WIDTH);
		final StringBuilder bar = new StringBuilder("[");
		for (int i = 0; i < WIDTH; i++) bar.append(i < full ? '=' : i == full ? '>' : ' ');
		return String.format("%s %s] %3d%% %7.1f / %.1f MB", file, bar, (int) (f * 100), done /
			1e6, total / 1e6);
	}
}

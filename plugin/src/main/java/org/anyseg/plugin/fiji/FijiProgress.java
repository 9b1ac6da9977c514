package org.anyseg.plugin.fiji;

import org.anyseg.ops.download.ModelInstaller;

import ij.IJ;

/** Download progress on Fiji's progress bar and status line. */
final class FijiProgress implements ModelInstaller.Listener {

	private String file = "";

	@Override
	public void file(final String name, final int index, final int count) {
		file = name + " (" + (index + 1) + "/" + count + ")";
	}

	@Override
	public void progress(final long done, final long total) {
		if (total > 0) IJ.showProgress((double) done / total);
		IJ.showStatus(String.format("AnySeg: downloading %s, %.1f%s MB", file, done / 1e6,
			total > 0 ? String.format(" of %.1f", total / 1e6) : ""));
	}
}

package org.anyseg.plugin.fiji;

import org.scijava.Context;
import org.scijava.service.Service;

import ij.IJ;

/**
 * The SciJava context for ImageJ 1.x code (macro functions, the toolbar tool): Fiji's own
 * when running inside Fiji, otherwise one made on first use (plain ImageJ, headless macros).
 */
public final class FijiContext {

	private static Context own;

	private FijiContext() {}

	public static synchronized Context context() {
		final Object fiji = IJ.runPlugIn("org.scijava.Context", "");
		if (fiji instanceof Context c) return c;
		if (own == null) own = new Context(AnySegService.class);
		return own;
	}

	public static <S extends Service> S service(final Class<S> type) {
		final S s = context().getService(type);
		if (s == null) throw new IllegalStateException("SciJava service missing: " + type);
		return s;
	}
}

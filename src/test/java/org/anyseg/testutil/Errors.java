package org.anyseg.testutil;

import org.anyseg.ops.AnySegException;

/** Finds the user-facing message inside wrapped exceptions (SciJava wraps command errors). */
public final class Errors {

	private Errors() {}

	public static String userMessage(final Throwable t) {
		for (Throwable c = t; c != null; c = c.getCause()) {
			if (c instanceof AnySegException) return c.getMessage();
		}
		return String.valueOf(t);
	}
}

package org.anyseg.plugin.fiji;

import java.awt.GraphicsEnvironment;

import org.anyseg.ops.AnySegException;

import ij.IJ;

/**
 * Reports a user error the Fiji way: a dialog ({@code IJ.error}) in the ImageJ GUI, the
 * exception with its message otherwise (headless runs, scripts and tests then fail with it).
 */
public final class UserErrors {

	private UserErrors() {}

	/** Runs {@code body}; returns false (after telling the user) when it failed on bad input. */
	public static boolean run(final Runnable body) {
		try {
			body.run();
			return true;
		}
		catch (final AnySegException e) {
			if (GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) throw e;
			IJ.error("AnySeg", e.getMessage());
			return false;
		}
	}

	/** Tells the user about a failure that happened off the calling thread. */
	public static void show(final String message) {
		if (!GraphicsEnvironment.isHeadless() && IJ.getInstance() != null) IJ.error("AnySeg",
			message);
		else IJ.log("AnySeg: " + message);
	}
}

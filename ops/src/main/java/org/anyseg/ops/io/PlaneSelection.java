package org.anyseg.ops.io;

import org.anyseg.ops.AnySegException;

/**
 * Which plane of a hyperstack to segment, 1-based as in ImageJ. {@code channel} 0 means
 * "all channels composed to RGB as displayed" (the default for multi-channel images).
 */
public record PlaneSelection(int channel, int slice, int frame) {

	public static final PlaneSelection FIRST = new PlaneSelection(0, 1, 1);

	public PlaneSelection {
		if (channel < 0 || slice < 1 || frame < 1) {
			throw new AnySegException("Channel, slice and frame are 1-based (channel 0 = " +
				"composite RGB); got channel " + channel + ", slice " + slice + ", frame " + frame +
				".");
		}
	}


}

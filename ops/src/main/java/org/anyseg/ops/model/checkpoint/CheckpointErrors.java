package org.anyseg.ops.model.checkpoint;

import org.anyseg.ops.AnySegException;

/** The messages of a refused checkpoint: one place, so that every refusal says what to do. */
final class CheckpointErrors {

	static final String CUT_SHORT =
		"the file is cut short or not a PyTorch checkpoint; download it again";

	private CheckpointErrors() {}

	/** The file holds more than weights: {@code what} says what its pickle asked for. */
	static AnySegException notPlain(final String what) {
		return new AnySegException("it is not a plain state dict: its pickle " + what +
			". AnySeg reads weights without running anything from a checkpoint, so it stopped " +
			"there and nothing from the file was run. Save the weights alone with " +
			"torch.save(model.state_dict(), path) (a micro-sam training checkpoint: " +
			"micro_sam.util.export_custom_sam_model)");
	}

	/** The pickle is malformed at byte {@code at}. */
	static AnySegException damaged(final String what, final long at) {
		return new AnySegException("its pickle (data.pkl) is damaged: " + what + " at byte " + at +
			"; download it again");
	}

	/** A record of the archive is inconsistent. */
	static AnySegException corrupt(final String what) {
		return new AnySegException("the archive is damaged: " + what + "; download it again");
	}

	static AnySegException cutShort() {
		return new AnySegException(CUT_SHORT);
	}

	/** {@code s} for a message: printable ASCII, at most 120 characters. */
	static String printable(final String s) {
		final StringBuilder b = new StringBuilder();
		for (int i = 0; i < s.length() && b.length() < 120; i++) {
			final char c = s.charAt(i);
			b.append(c >= 0x20 && c < 0x7f ? c : '?');
		}
		return s.length() > 120 ? b + "..." : b.toString();
	}
}

package org.anyseg.ops.model;

/**
 * Maps image pixel coordinates to the coordinate frame a decoder expects its prompts in.
 * Each family says which frame it uses; {@link ModelFrame} is Segment Anything's
 * long-side frame, {@link #stretched} the frame of models that resize to a square.
 */
public interface PromptFrame {

	double mapX(double x);

	double mapY(double y);

	/** The frame of a model that resizes the image to {@code side x side} (aspect not kept). */
	static PromptFrame stretched(final int width, final int height, final int side) {
		return new PromptFrame() {

			@Override
			public double mapX(final double x) {
				return x * side / width;
			}

			@Override
			public double mapY(final double y) {
				return y * side / height;
			}
		};
	}

	/** The frame of a model that scales both axes by the same factor. */
	static PromptFrame scaled(final double factor) {
		return new PromptFrame() {

			@Override
			public double mapX(final double x) {
				return x * factor;
			}

			@Override
			public double mapY(final double y) {
				return y * factor;
			}
		};
	}

	/** Original pixel coordinates (models that resize inside the graph). */
	PromptFrame PIXELS = new PromptFrame() {

		@Override
		public double mapX(final double x) {
			return x;
		}

		@Override
		public double mapY(final double y) {
			return y;
		}
	};
}

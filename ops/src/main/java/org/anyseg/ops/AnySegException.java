package org.anyseg.ops;

/**
 * An error a user can act on: the message says what was wrong and what to do.
 * Thrown for bad input (model files, images, prompts); never for programming errors.
 */
public class AnySegException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public AnySegException(final String message) {
		super(message);
	}

	public AnySegException(final String message, final Throwable cause) {
		super(message, cause);
	}
}

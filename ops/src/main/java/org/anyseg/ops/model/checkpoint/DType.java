package org.anyseg.ops.model.checkpoint;

/**
 * The element types of the tensors a {@link TorchCheckpoint} returns. Every one is read as
 * float32 by {@link TorchCheckpoint#floats(String)}: float16 and bfloat16 exactly (each of
 * their values is a float32 value).
 */
public enum DType {

	/** IEEE 754 binary32 (torch.float32). */
	FLOAT32(4),
	/** IEEE 754 binary16 (torch.float16, "half"). */
	FLOAT16(2),
	/** The upper 16 bits of a binary32 (torch.bfloat16). */
	BFLOAT16(2);

	private final int bytes;

	DType(final int bytes) {
		this.bytes = bytes;
	}

	/** Bytes per element in the file. */
	public int bytes() {
		return bytes;
	}
}

package org.anyseg.ops.model.checkpoint;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The element types torch can write, by the two names a pickle uses for them: the legacy
 * storage class ({@code torch.FloatStorage}, which torch >= 2 still writes into persistent
 * ids) and the dtype ({@code torch.float32}, an argument of {@code _rebuild_tensor_v3}). Only
 * the three with a {@link DType} are read; tensors of the others are skipped.
 */
enum ElementType {

	FLOAT32("float32", "FloatStorage", 4, DType.FLOAT32),
	FLOAT16("float16", "HalfStorage", 2, DType.FLOAT16),
	BFLOAT16("bfloat16", "BFloat16Storage", 2, DType.BFLOAT16),
	FLOAT64("float64", "DoubleStorage", 8, null),
	INT64("int64", "LongStorage", 8, null),
	INT32("int32", "IntStorage", 4, null),
	INT16("int16", "ShortStorage", 2, null),
	INT8("int8", "CharStorage", 1, null),
	UINT8("uint8", "ByteStorage", 1, null),
	BOOL("bool", "BoolStorage", 1, null),
	COMPLEX64("complex64", "ComplexFloatStorage", 8, null),
	COMPLEX128("complex128", "ComplexDoubleStorage", 16, null),
	UINT16("uint16", null, 2, null),
	UINT32("uint32", null, 4, null),
	UINT64("uint64", null, 8, null),
	FLOAT8_E4M3FN("float8_e4m3fn", null, 1, null),
	FLOAT8_E5M2("float8_e5m2", null, 1, null),
	FLOAT8_E4M3FNUZ("float8_e4m3fnuz", null, 1, null),
	FLOAT8_E5M2FNUZ("float8_e5m2fnuz", null, 1, null);

	private static final Map<String, ElementType> BY_STORAGE = Arrays.stream(values()).filter(
		t -> t.storageClass != null).collect(Collectors.toUnmodifiableMap(t -> t.storageClass,
			Function.identity()));
	private static final Map<String, ElementType> BY_DTYPE = Arrays.stream(values()).collect(
		Collectors.toUnmodifiableMap(t -> t.dtypeName, Function.identity()));

	private final String dtypeName;
	private final String storageClass;
	private final int bytes;
	private final DType dtype;

	ElementType(final String dtypeName, final String storageClass, final int bytes,
		final DType dtype)
	{
		this.dtypeName = dtypeName;
		this.storageClass = storageClass;
		this.bytes = bytes;
		this.dtype = dtype;
	}

	/** torch's name: {@code float32}, {@code int64}, ... */
	String dtypeName() {
		return dtypeName;
	}

	int bytes() {
		return bytes;
	}

	/** The type {@link TorchCheckpoint} reads this as, or null: tensors of it are skipped. */
	DType dtype() {
		return dtype;
	}

	/** The type of a legacy storage class of module {@code torch}, or null. */
	static ElementType ofStorageClass(final String name) {
		return BY_STORAGE.get(name);
	}

	/** The type of a dtype of module {@code torch} ({@code float32}), or null. */
	static ElementType ofDtype(final String name) {
		return BY_DTYPE.get(name);
	}
}

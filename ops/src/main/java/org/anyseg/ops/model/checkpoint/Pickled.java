package org.anyseg.ops.model.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The values {@link StateDictUnpickler} builds besides plain Java ones ({@code null},
 * {@link Boolean}, {@link Long} or {@link java.math.BigInteger}, {@link Double},
 * {@link String}, {@code byte[]}, {@link java.util.ArrayList} for a list,
 * {@link java.util.LinkedHashMap} for a dict or OrderedDict, {@link java.util.LinkedHashSet}
 * for a set). None of them can do anything: they only describe.
 */
final class Pickled {

	private Pickled() {}

	/** A Python tuple (immutable; may hold null). */
	record Tuple(List<Object> items) {

		Tuple {
			items = Collections.unmodifiableList(new ArrayList<>(items));
		}

		static Tuple of(final Object... items) {
			final List<Object> l = new ArrayList<>(items.length);
			Collections.addAll(l, items);
			return new Tuple(l);
		}
	}

	/** What an allowed global is; see {@link TorchGlobals}. */
	enum Kind {
		ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_TENSOR_V3, REBUILD_PARAMETER,
		REBUILD_FROM_TYPE_V2, TENSOR_CLASS, SIZE, DEVICE, CODECS_ENCODE, BYTES, SET,
		STORAGE_CLASS, DTYPE
	}

	/**
	 * A global the pickle named and {@link TorchGlobals} allows: a name, never a Python object.
	 * {@code element} is set for storage classes and dtypes.
	 */
	record Global(String qualifiedName, Kind kind, ElementType element) {}

	/**
	 * A persistent id {@code ('storage', storage class, key, location, numel)}: {@code numel}
	 * elements of {@code element} in the zip entry {@code data/<key>}, checked to fit it.
	 */
	record StorageRef(String key, ElementType element, long numel) {

		long bytes() {
			return numel * element.bytes();
		}
	}

	/**
	 * The arguments of a tensor rebuild (offset, shape and stride in elements of
	 * {@code element}), typed but not yet checked against the storage: {@link StateDicts}
	 * checks the tensors it keeps.
	 */
	record TensorRef(StorageRef storage, ElementType element, long offset, long[] shape,
		long[] stride) {}
}

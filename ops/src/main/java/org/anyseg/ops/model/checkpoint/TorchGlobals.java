package org.anyseg.ops.model.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.checkpoint.Pickled.Global;
import org.anyseg.ops.model.checkpoint.Pickled.Kind;
import org.anyseg.ops.model.checkpoint.Pickled.StorageRef;
import org.anyseg.ops.model.checkpoint.Pickled.TensorRef;
import org.anyseg.ops.model.checkpoint.Pickled.Tuple;

/**
 * The only globals a checkpoint's pickle may name, and what calling each means here. These
 * are the names {@code torch.save} writes for a state dict (PyTorch 1.6 to 2.x): the
 * OrderedDict, the tensor and parameter rebuilds, storage classes and dtypes (as data), and
 * the few reducers of plain Python data ({@code _codecs.encode} for bytes in protocol 2,
 * {@code set}, {@code torch.Size}, {@code torch.device}). "Calling" one builds an inert
 * description ({@link Pickled}); nothing is looked up by name in Java and nothing is
 * registered anywhere: the table is immutable and private to this package. Every other name
 * is refused where it appears, before anything that follows it is read.
 */
final class TorchGlobals {

	private static final Map<String, Kind> FIXED = fixed();

	private TorchGlobals() {}

	private static Map<String, Kind> fixed() {
		final Map<String, Kind> m = new LinkedHashMap<>();
		m.put("collections.OrderedDict", Kind.ORDERED_DICT);
		m.put("torch._utils._rebuild_tensor_v2", Kind.REBUILD_TENSOR_V2);
		m.put("torch._utils._rebuild_tensor_v3", Kind.REBUILD_TENSOR_V3);
		m.put("torch._utils._rebuild_parameter", Kind.REBUILD_PARAMETER);
		m.put("torch._utils._rebuild_parameter_with_state", Kind.REBUILD_PARAMETER);
		m.put("torch._tensor._rebuild_from_type_v2", Kind.REBUILD_FROM_TYPE_V2);
		m.put("torch.Tensor", Kind.TENSOR_CLASS);
		m.put("torch._tensor.Tensor", Kind.TENSOR_CLASS);
		m.put("torch.nn.parameter.Parameter", Kind.TENSOR_CLASS);
		m.put("torch.Size", Kind.SIZE);
		m.put("torch.device", Kind.DEVICE);
		m.put("_codecs.encode", Kind.CODECS_ENCODE);
		for (final String b : new String[] { "builtins", "__builtin__" }) {
			m.put(b + ".bytes", Kind.BYTES);
			m.put(b + ".bytearray", Kind.BYTES);
			m.put(b + ".set", Kind.SET);
			m.put(b + ".frozenset", Kind.SET);
		}
		return Map.copyOf(m);
	}

	/** The global {@code module.name}, or a refusal naming it. */
	static Global resolve(final String module, final String name) {
		final String q = module + "." + name;
		final Kind k = FIXED.get(q);
		if (k != null) return new Global(q, k, null);
		if (q.equals("torch.UntypedStorage") || q.equals("torch.storage.UntypedStorage")) {
			return new Global(q, Kind.STORAGE_CLASS, ElementType.UINT8);
		}
		if (module.equals("torch")) {
			final ElementType storage = ElementType.ofStorageClass(name);
			if (storage != null) return new Global(q, Kind.STORAGE_CLASS, storage);
			final ElementType dtype = ElementType.ofDtype(name);
			if (dtype != null) return new Global(q, Kind.DTYPE, dtype);
		}
		throw CheckpointErrors.notPlain("refers to " + CheckpointErrors.printable(q) +
			", which is not part of a state dict");
	}

	/** What {@code g(*args)} gives (REDUCE and NEWOBJ). */
	static Object call(final Global g, final Tuple args) {
		final List<Object> a = args.items();
		switch (g.kind()) {
			case ORDERED_DICT:
				if (!a.isEmpty()) throw bad(g, "arguments");
				return new LinkedHashMap<Object, Object>();
			case REBUILD_TENSOR_V2:
				return tensor(g, a, false);
			case REBUILD_TENSOR_V3:
				return tensor(g, a, true);
			case REBUILD_PARAMETER:
				if (a.size() < 3 || a.size() > 4 || !(a.get(0) instanceof TensorRef)) {
					throw bad(g, "arguments");
				}
				return a.get(0);
			case REBUILD_FROM_TYPE_V2:
				return fromType(g, a);
			case SIZE:
				if (a.isEmpty()) return Tuple.of();
				if (a.size() != 1 || !(a.get(0) instanceof Tuple t)) throw bad(g, "arguments");
				return t;
			case DEVICE:
				if (a.isEmpty() || a.size() > 2 || !(a.get(0) instanceof String s)) {
					throw bad(g, "arguments");
				}
				return a.size() == 2 ? s + ":" + a.get(1) : s;
			case CODECS_ENCODE:
				return latin1(g, a);
			case BYTES:
				if (a.isEmpty()) return new byte[0];
				if (a.size() != 1 || !(a.get(0) instanceof byte[] b)) throw bad(g, "arguments");
				return b.clone();
			case SET:
				if (a.isEmpty()) return new LinkedHashSet<>();
				if (a.size() != 1 || !(a.get(0) instanceof Collection<?> c)) {
					throw bad(g, "arguments");
				}
				final Set<Object> set = new LinkedHashSet<>();
				for (final Object o : c) set.add(StateDictUnpickler.hashable(o));
				return set;
			default:
				throw CheckpointErrors.notPlain("calls " + g.qualifiedName() +
					", which torch.load never calls");
		}
	}

	/** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, meta])}
	 * or {@code _v3(..., hooks, dtype[, meta])}. */
	private static TensorRef tensor(final Global g, final List<Object> a, final boolean v3) {
		final int n = v3 ? 7 : 6;
		if (a.size() != n && a.size() != n + 1) throw bad(g, a.size() + " arguments");
		if (!(a.get(0) instanceof StorageRef storage)) throw bad(g, "no storage");
		if (!(a.get(1) instanceof Long offset)) throw bad(g, "a storage offset that is no int");
		final long[] shape = ints(g, a.get(2));
		final long[] stride = ints(g, a.get(3));
		if (!(a.get(4) instanceof Boolean) || !(a.get(5) instanceof Map)) {
			throw bad(g, "arguments");
		}
		ElementType element = storage.element();
		if (v3) {
			if (!(a.get(6) instanceof Global d) || d.kind() != Kind.DTYPE) throw bad(g, "no dtype");
			element = d.element();
		}
		if (a.size() == n + 1 && a.get(n) != null && !(a.get(n) instanceof Map)) {
			throw bad(g, "metadata that is no dict");
		}
		return new TensorRef(storage, element, offset, shape, stride);
	}

	/** {@code _rebuild_from_type_v2(func, type, args, state)}: a tensor with Python state. */
	private static Object fromType(final Global g, final List<Object> a) {
		if (a.size() != 4 || !(a.get(0) instanceof Global f) || !(a.get(1) instanceof Global t) ||
			t.kind() != Kind.TENSOR_CLASS || !(a.get(2) instanceof Tuple args))
		{
			throw bad(g, "arguments");
		}
		if (f.kind() != Kind.REBUILD_TENSOR_V2 && f.kind() != Kind.REBUILD_TENSOR_V3 && f
			.kind() != Kind.REBUILD_PARAMETER)
		{
			throw bad(g, "a function that is no tensor rebuild");
		}
		return call(f, args);
	}

	private static long[] ints(final Global g, final Object o) {
		if (!(o instanceof Tuple t)) throw bad(g, "a size or stride that is no tuple");
		final List<Object> items = t.items();
		final long[] v = new long[items.size()];
		for (int i = 0; i < v.length; i++) {
			if (!(items.get(i) instanceof Long l)) throw bad(g, "a size or stride that is no int");
			v[i] = l;
		}
		return v;
	}

	/** {@code _codecs.encode(text, 'latin1')}: how protocol 2 writes Python bytes. */
	private static byte[] latin1(final Global g, final List<Object> a) {
		if (a.size() != 2 || !(a.get(0) instanceof String s) || !(a.get(1) instanceof String enc) ||
			!(enc.equals("latin1") || enc.equals("latin-1")))
		{
			throw bad(g, "arguments");
		}
		for (int i = 0; i < s.length(); i++) {
			if (s.charAt(i) > 0xff) throw bad(g, "a character beyond latin-1");
		}
		return s.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static AnySegException bad(final Global g, final String what) {
		return new AnySegException("its pickle calls " + g.qualifiedName() + " with " + what +
			", which torch.save never writes; the file is damaged or not a plain state dict");
	}
}

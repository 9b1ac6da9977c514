package org.anyseg.ops.model.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.checkpoint.Pickled.TensorRef;

/**
 * Finds the state dict in what a checkpoint's pickle holds and checks its tensors.
 * <ul>
 * <li>A dict with tensors among its values is the state dict (Meta's SAM and SAM-HQ
 * checkpoints, {@code torch.save(model.state_dict())}).</li>
 * <li>Otherwise it is unwrapped, up to {@value #MAX_LEVELS} levels: the first of
 * {@link #WRAPPERS} present ({@code model_state}: micro-sam and torch_em, which also keep a
 * {@code decoder_state} beside it; {@code model}: SAM 2; {@code state_dict}: Lightning), or
 * else the only value that is a dict of tensors. Everything beside it (optimizer and
 * scheduler state, epoch numbers, configuration, another state dict) is skipped and listed.</li>
 * <li>A prefix that every key has is removed, repeatedly: {@code module.}
 * (DataParallel), {@code _orig_mod.} (torch.compile), {@code sam.} (micro-sam's
 * {@code TrainableSAM}), so the names are Meta's SAM keys.</li>
 * <li>Tensors of types other than float32, float16 and bfloat16 (a BatchNorm's int64
 * {@code num_batches_tracked}, float64) and values that are no tensors are skipped and
 * listed: inference does not need them, and a model that does will miss a named key.</li>
 * </ul>
 * Each tensor kept is checked: non-negative shape, stride and offset, a number of values
 * without overflow, and every element it reaches inside its storage.
 */
final class StateDicts {

	static final List<String> WRAPPERS = List.of("model_state", "state_dict", "model",
		"model_state_dict", "module", "net", "network", "params", "weights");
	static final List<String> PREFIXES = List.of("module.", "_orig_mod.", "sam.");
	private static final int MAX_LEVELS = 4;
	private static final int MAX_RANK = 64;

	/**
	 * The state dict read.
	 *
	 * @param tensors the float tensors by name, in file order
	 * @param skipped what was left out, by name, with the reason
	 * @param description one line for people ({@link TorchCheckpoint#describe()})
	 */
	record StateDict(Map<String, TensorEntry> tensors, Map<String, String> skipped,
		String description) {}

	private StateDicts() {}

	static StateDict select(final Object root) {
		final Map<String, String> skipped = new LinkedHashMap<>();
		final List<String> path = new ArrayList<>();
		Object current = root;
		for (int level = 0;; level++) {
			if (!(current instanceof Map<?, ?> m)) {
				throw new AnySegException("it holds " + StateDictUnpickler.typeName(current) + (path
					.isEmpty() ? "" : " under " + quoted(path)) + ", not a state dict of tensors");
			}
			if (tensorCount(m) > 0) break;
			if (level == MAX_LEVELS) throw new AnySegException("it holds no tensors within " +
				MAX_LEVELS + " levels of dicts");
			final String key = wrapperKey(m);
			for (final Map.Entry<?, ?> e : m.entrySet()) {
				if (!key.equals(e.getKey())) {
					skipped.put(keyName(e.getKey()), besideReason(e.getValue()));
				}
			}
			path.add(key);
			current = m.get(key);
		}
		return read((Map<?, ?>) current, path, skipped);
	}

	private static StateDict read(final Map<?, ?> dict, final List<String> path,
		final Map<String, String> skipped)
	{
		final List<String> names = new ArrayList<>();
		for (final Object k : dict.keySet()) if (k instanceof String s) names.add(s);
		final List<String> removed = stripPrefixes(names);
		final Map<String, TensorEntry> tensors = new LinkedHashMap<>();
		final Set<String> types = new LinkedHashSet<>();
		final Map<String, String> inside = new LinkedHashMap<>();
		int i = 0;
		for (final Map.Entry<?, ?> e : dict.entrySet()) {
			if (!(e.getKey() instanceof String)) {
				inside.put(keyName(e.getKey()), "a key that is no string");
				continue;
			}
			final String name = names.get(i++);
			if (!(e.getValue() instanceof TensorRef t)) {
				inside.put(name, "not a tensor: " + StateDictUnpickler.typeName(e.getValue()));
			}
			else if (t.element().dtype() == null) {
				inside.put(name, t.element().dtypeName() + " tensor");
			}
			else {
				tensors.put(name, checked(name, t));
				types.add(t.element().dtypeName());
			}
		}
		final StringBuilder d = new StringBuilder("1 state dict of " + tensors.size() +
			" tensors (" + String.join(", ", types) + ")");
		if (!path.isEmpty()) d.append(", unwrapped from ").append(quoted(path));
		if (!removed.isEmpty()) d.append(removed.size() == 1 ? ", prefix " : ", prefixes ")
			.append(quotedList(removed)).append(" removed");
		if (!inside.isEmpty()) d.append("; skipped ").append(entries(inside.size())).append(
			" of it (").append(summary(inside)).append(")");
		if (!skipped.isEmpty()) d.append("; skipped ").append(entries(skipped.size())).append(
			" beside it (").append(summary(skipped)).append(")");
		final Map<String, String> all = new LinkedHashMap<>(skipped);
		all.putAll(inside);
		return new StateDict(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(
			all), d.toString());
	}

	/** Removes prefixes every name has (in place); returns those removed. */
	private static List<String> stripPrefixes(final List<String> names) {
		final List<String> removed = new ArrayList<>();
		boolean again = !names.isEmpty();
		while (again) {
			again = false;
			for (final String p : PREFIXES) {
				if (names.stream().allMatch(n -> n.startsWith(p) && n.length() > p.length())) {
					names.replaceAll(n -> n.substring(p.length()));
					removed.add(p);
					again = true;
				}
			}
		}
		return removed;
	}

	/** The key to unwrap: the first usual one, or the only dict of tensors. */
	private static String wrapperKey(final Map<?, ?> m) {
		for (final String w : WRAPPERS) if (m.get(w) instanceof Map) return w;
		final List<String> candidates = new ArrayList<>();
		for (final Map.Entry<?, ?> e : m.entrySet()) {
			if (e.getKey() instanceof String s && e.getValue() instanceof Map<?, ?> v &&
				tensorCount(v) > 0) candidates.add(s);
		}
		if (candidates.size() == 1) return candidates.get(0);
		if (candidates.isEmpty()) {
			throw new AnySegException("it holds no tensors (a dict of " + m.size() + " entries " +
				"without a state dict under " + quotedList(WRAPPERS.subList(0, 3)) + ")");
		}
		throw new AnySegException("it holds several state dicts (" + quotedList(candidates) +
			") and none under a usual name (" + quotedList(WRAPPERS.subList(0, 3)) + ")");
	}

	private static int tensorCount(final Map<?, ?> m) {
		int n = 0;
		for (final Object v : m.values()) if (v instanceof TensorRef) n++;
		return n;
	}

	private static String besideReason(final Object v) {
		if (v instanceof Map<?, ?> m && tensorCount(m) > 0) {
			return "another state dict (" + tensorCount(m) + " tensors)";
		}
		return StateDictUnpickler.typeName(v);
	}

	/**
	 * The entry of tensor {@code name}, once every element it reaches lies in its storage:
	 * {@code (offset + sum_k (shape[k]-1) * stride[k] + 1) * bytes <= storage bytes}.
	 */
	static TensorEntry checked(final String name, final TensorRef t) {
		final long[] shape = t.shape();
		final long[] stride = t.stride();
		final String what = "tensor '" + CheckpointErrors.printable(name) + "' (offset " + t
			.offset() + ", shape " + Arrays.toString(shape) + ", stride " + Arrays.toString(
				stride) + ")";
		if (shape.length != stride.length || shape.length > MAX_RANK) {
			throw CheckpointErrors.corrupt(what + " has a shape and stride that do not match");
		}
		try {
			long last = t.offset();
			long numel = 1;
			if (last < 0) throw CheckpointErrors.corrupt(what + " has a negative offset");
			for (int k = 0; k < shape.length; k++) {
				if (shape[k] < 0 || stride[k] < 0) {
					throw CheckpointErrors.corrupt(what + " has a negative size or stride");
				}
				numel = Math.multiplyExact(numel, shape[k]);
				if (shape[k] > 0) last = Math.addExact(last, Math.multiplyExact(shape[k] - 1,
					stride[k]));
			}
			final long size = t.element().bytes();
			final long available = t.storage().bytes() / size;
			if (numel > 0 ? last >= available : t.offset() > available) {
				throw CheckpointErrors.corrupt(what + " reaches element " + last + " of storage '" +
					CheckpointErrors.printable(t.storage().key()) + "', beyond its storage of " +
					available + " " + t.element().dtypeName() + " values");
			}
		}
		catch (final ArithmeticException e) {
			throw CheckpointErrors.corrupt(what + " has more values than a long can count");
		}
		return new TensorEntry(name, t.element().dtype(), shape, stride, t.storage().key(), t
			.offset());
	}

	private static String keyName(final Object k) {
		return k instanceof String s ? CheckpointErrors.printable(s) : k instanceof Long l ?
			String.valueOf(l) : StateDictUnpickler.typeName(k);
	}

	private static String summary(final Map<String, String> m) {
		final List<String> parts = new ArrayList<>();
		for (final Map.Entry<String, String> e : m.entrySet()) {
			if (parts.size() == 6) {
				parts.add("...");
				break;
			}
			parts.add("'" + e.getKey() + "': " + e.getValue());
		}
		return String.join(", ", parts);
	}

	private static String entries(final int n) {
		return n + (n == 1 ? " entry" : " entries");
	}

	private static String quoted(final List<String> path) {
		return "'" + String.join("' / '", path.stream().map(CheckpointErrors::printable).toList()) +
			"'";
	}

	private static String quotedList(final List<String> l) {
		return "'" + String.join("', '", l.stream().map(CheckpointErrors::printable).toList()) +
			"'";
	}
}

package org.anyseg.ops.model.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.checkpoint.Pickled.Global;
import org.anyseg.ops.model.checkpoint.Pickled.StorageRef;
import org.anyseg.ops.model.checkpoint.Pickled.Tuple;

/**
 * A pickle reader for state dicts that runs nothing: the opcodes of {@link Opcode} marked
 * supported (protocols 2 to 5), globals limited to {@link TorchGlobals}, persistent ids
 * resolved by a {@link StorageResolver}. Everything it builds is plain data or an inert
 * {@link Pickled} record.
 * <p>
 * Hand-written rather than Pyrolite ({@code net.razorvine:pickle}): Pyrolite resolves globals
 * through a static, JVM-wide constructor registry ({@code Unpickler.registerConstructor}),
 * turns unknown globals into {@code ClassDict}s instead of refusing them, and its global
 * lookup ({@code load_global_sub}) is package-private, so a subclass keeps the guarantees only
 * by replacing its dispatch of every opcode that matters (GLOBAL, STACK_GLOBAL, INST, OBJ,
 * REDUCE, NEWOBJ, BUILD, BINPERSID). It would also allocate every length-prefixed string
 * before reading it (a 12-byte pickle can ask for 2 GB) and merges SETITEMS through a
 * {@code HashMap}, losing a state dict's order. What remains is the code below.
 * <p>
 * Resource bounds: every declared length is checked against the bytes left before anything
 * is allocated; the stack, marks and memo grow at most one entry per opcode byte; no value is
 * hashed deeper than {@link #MAX_KEY_DEPTH}, so self-referencing structures cannot recurse.
 */
final class StateDictUnpickler {

	/** Resolves a persistent id (a storage of the archive). */
	@FunctionalInterface
	interface StorageResolver {

		StorageRef storage(Object pid);
	}

	/** Python ints longer than this many bytes (4096 bits) are refused. */
	private static final int MAX_INT_BYTES = 512;
	/** Dict keys are tuples at most this deep, of at most this many values in all. */
	private static final int MAX_KEY_DEPTH = 16;
	private static final int MAX_KEY_ITEMS = 256;
	private static final int MAX_LINE = 1024;

	private final ByteBuffer in;
	private final StorageResolver storages;
	private List<Object> stack = new ArrayList<>();
	private final Deque<List<Object>> marks = new ArrayDeque<>();
	private final Map<Long, Object> memo = new HashMap<>();
	private int opcodeAt;

	private StateDictUnpickler(final ByteBuffer pickle, final StorageResolver storages) {
		this.in = pickle.slice().order(ByteOrder.LITTLE_ENDIAN);
		this.storages = storages;
	}

	/** The object the pickle {@code pickle} describes (from its position to its STOP). */
	static Object load(final ByteBuffer pickle, final StorageResolver storages) {
		return new StateDictUnpickler(pickle, storages).run();
	}

	private Object run() {
		if (in.remaining() < 2 || (in.get(0) & 0xff) != 0x80) {
			throw CheckpointErrors.damaged("no protocol header (torch.save writes protocol 2 or " +
				"later)", 0);
		}
		while (true) {
			opcodeAt = in.position();
			if (!in.hasRemaining()) throw damaged("the pickle ends before its STOP opcode");
			final int b = in.get() & 0xff;
			final Opcode op = Opcode.of(b);
			if (op == null) throw damaged(String.format("unknown opcode 0x%02x", b));
			if (!op.supported()) {
				throw CheckpointErrors.notPlain("uses the opcode " + op.label() +
					", which torch.save does not write for a state dict");
			}
			if (op == Opcode.STOP) return pop();
			step(op);
		}
	}

	private void step(final Opcode op) {
		switch (op) {
			case PROTO -> {
				final int p = u8();
				if (p < 2 || p > 5) throw damaged("pickle protocol " + p + " (2 to 5 are read)");
			}
			case FRAME -> length(8); // frames only group opcodes; the length is checked
			case MARK -> {
				marks.push(stack);
				stack = new ArrayList<>();
			}
			case POP -> {
				if (stack.isEmpty()) popMark();
				else pop();
			}
			case POP_MARK -> popMark();
			case DUP -> push(peek());
			case NONE -> push(null);
			case NEWTRUE -> push(Boolean.TRUE);
			case NEWFALSE -> push(Boolean.FALSE);
			case BININT -> push((long) s32());
			case BININT1 -> push((long) u8());
			case BININT2 -> push((long) (u8() | u8() << 8));
			case LONG1 -> push(integer(u8()));
			case LONG4 -> push(integer(length(4)));
			case BINFLOAT -> {
				need(8);
				push(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
			}
			case BINUNICODE -> push(utf8(length(4)));
			case SHORT_BINUNICODE -> push(utf8(u8()));
			case BINUNICODE8 -> push(utf8(length(8)));
			case BINBYTES -> push(bytes(length(4)));
			case SHORT_BINBYTES -> push(bytes(u8()));
			case BINBYTES8, BYTEARRAY8 -> push(bytes(length(8)));
			case EMPTY_TUPLE -> push(Tuple.of());
			case TUPLE -> push(new Tuple(popMark()));
			case TUPLE1 -> push(tupleOf(1));
			case TUPLE2 -> push(tupleOf(2));
			case TUPLE3 -> push(tupleOf(3));
			case EMPTY_LIST -> push(new ArrayList<>());
			case LIST -> push(new ArrayList<>(popMark()));
			case APPEND -> {
				final Object v = pop();
				list().add(v);
			}
			case APPENDS -> {
				final List<Object> items = popMark();
				list().addAll(items);
			}
			case EMPTY_DICT -> push(new LinkedHashMap<>());
			case DICT -> {
				final Map<Object, Object> d = new LinkedHashMap<>();
				putAll(d, popMark());
				push(d);
			}
			case SETITEM -> {
				final Object v = pop();
				final Object k = pop();
				dict().put(hashable(k), v);
			}
			case SETITEMS -> {
				final List<Object> items = popMark();
				putAll(dict(), items);
			}
			case EMPTY_SET -> push(new LinkedHashSet<>());
			case ADDITEMS -> {
				final List<Object> items = popMark();
				final Set<Object> set = set();
				for (final Object o : items) set.add(hashable(o));
			}
			case FROZENSET -> {
				final Set<Object> set = new LinkedHashSet<>();
				for (final Object o : popMark()) set.add(hashable(o));
				push(set);
			}
			case BINGET -> push(memoGet(u8()));
			case LONG_BINGET -> push(memoGet(s32() & 0xffffffffL));
			case BINPUT -> memo.put((long) u8(), peek());
			case LONG_BINPUT -> memo.put(s32() & 0xffffffffL, peek());
			case MEMOIZE -> memo.put((long) memo.size(), peek());
			case GLOBAL -> {
				final String module = line();
				push(TorchGlobals.resolve(module, line()));
			}
			case STACK_GLOBAL -> {
				final Object name = pop();
				final Object module = pop();
				if (!(module instanceof String m) || !(name instanceof String n)) {
					throw damaged("STACK_GLOBAL without two strings");
				}
				push(TorchGlobals.resolve(m, n));
			}
			case REDUCE, NEWOBJ -> {
				final Object args = pop();
				final Object f = pop();
				if (!(f instanceof Global g) || !(args instanceof Tuple t)) {
					throw damaged(op.name() + " of something that is no global");
				}
				push(TorchGlobals.call(g, t));
			}
			case BUILD -> build();
			case BINPERSID -> push(storages.storage(pop()));
			default -> throw damaged("opcode " + op.label());
		}
	}

	/**
	 * BUILD sets an object's attributes; a state dict has one: its OrderedDict's
	 * {@code _metadata} (module versions), which is ignored. Any other target is refused.
	 */
	private void build() {
		final Object state = pop();
		final Object target = peek();
		if (!(target instanceof Map) || !(state == null || state instanceof Map)) {
			throw CheckpointErrors.notPlain("sets attributes (BUILD) of " + typeName(target) +
				", which a state dict does not do");
		}
	}

	/**
	 * {@code o} if Python could use it as a dict key or set element (str, int, float, bool,
	 * None, bytes, an allowed global, or a tuple of those, at most {@link #MAX_KEY_DEPTH} deep
	 * and {@link #MAX_KEY_ITEMS} values in all); else the pickle is damaged. Checked so that
	 * hashing a key can neither recurse through a cycle nor take long. Bytes become a
	 * latin-1 string (no state dict has bytes keys).
	 */
	static Object hashable(final Object o) {
		if (o instanceof byte[] b) return new String(b, StandardCharsets.ISO_8859_1);
		if (keyItems(o, 0, 0) > MAX_KEY_ITEMS) {
			throw new AnySegException("its pickle uses a tuple of more than " + MAX_KEY_ITEMS +
				" values as a dict key; the file is damaged");
		}
		return o;
	}

	/** {@code count} plus the values of key {@code o}; stops counting past the limit. */
	private static int keyItems(final Object o, final int depth, final int count) {
		if (o == null || o instanceof String || o instanceof Long || o instanceof BigInteger ||
			o instanceof Double || o instanceof Boolean || o instanceof Global)
		{
			return count + 1;
		}
		if (o instanceof Tuple t && depth < MAX_KEY_DEPTH) {
			int c = count + 1;
			for (final Object i : t.items()) {
				if (c > MAX_KEY_ITEMS) return c;
				c = keyItems(i, depth + 1, c);
			}
			return c;
		}
		throw new AnySegException("its pickle uses " + typeName(o) + " as a dict key or set " +
			"element, which Python cannot do; the file is damaged");
	}

	/** What {@code o} is, in Python's words, for messages. */
	static String typeName(final Object o) {
		if (o == null) return "None";
		if (o instanceof Tuple) return "a tuple";
		if (o instanceof List) return "a list";
		if (o instanceof Map) return "a dict";
		if (o instanceof Collection) return "a set";
		if (o instanceof Global g) return g.qualifiedName();
		if (o instanceof Pickled.TensorRef) return "a tensor";
		if (o instanceof StorageRef) return "a storage";
		if (o instanceof Long || o instanceof BigInteger) return "an int";
		if (o instanceof Double) return "a float";
		if (o instanceof Boolean) return "a bool";
		if (o instanceof String) return "a str";
		if (o instanceof byte[]) return "bytes";
		return "a " + o.getClass().getSimpleName();
	}

	// ------------------------------------------------------------------ stack

	private void push(final Object o) {
		stack.add(o);
	}

	private Object pop() {
		if (stack.isEmpty()) throw damaged("the stack is empty");
		return stack.remove(stack.size() - 1);
	}

	private Object peek() {
		if (stack.isEmpty()) throw damaged("the stack is empty");
		return stack.get(stack.size() - 1);
	}

	private List<Object> popMark() {
		if (marks.isEmpty()) throw damaged("no MARK to pop");
		final List<Object> items = stack;
		stack = marks.pop();
		return items;
	}

	private Tuple tupleOf(final int n) {
		if (stack.size() < n) throw damaged("the stack is empty");
		final List<Object> top = stack.subList(stack.size() - n, stack.size());
		final Tuple t = new Tuple(top);
		top.clear();
		return t;
	}

	@SuppressWarnings("unchecked")
	private List<Object> list() {
		final Object o = peek();
		if (!(o instanceof ArrayList)) throw damaged("APPEND to " + typeName(o));
		return (List<Object>) o;
	}

	@SuppressWarnings("unchecked")
	private Map<Object, Object> dict() {
		final Object o = peek();
		if (!(o instanceof Map)) throw damaged("SETITEM on " + typeName(o));
		return (Map<Object, Object>) o;
	}

	@SuppressWarnings("unchecked")
	private Set<Object> set() {
		final Object o = peek();
		if (!(o instanceof Set)) throw damaged("ADDITEMS to " + typeName(o));
		return (Set<Object>) o;
	}

	private void putAll(final Map<Object, Object> d, final List<Object> items) {
		if (items.size() % 2 != 0) throw damaged("a dict with an odd number of items");
		for (int i = 0; i < items.size(); i += 2) d.put(hashable(items.get(i)), items.get(i + 1));
	}

	private Object memoGet(final long index) {
		if (!memo.containsKey(index)) throw damaged("memo entry " + index + " is not set");
		return memo.get(index);
	}

	// ------------------------------------------------------------------ reading

	private int u8() {
		need(1);
		return in.get() & 0xff;
	}

	private int s32() {
		need(4);
		return in.getInt();
	}

	/** A length of {@code n} bytes (4: unsigned 32-bit; 8: 64-bit) that the pickle can hold. */
	private int length(final int n) {
		need(n);
		final long len = n == 4 ? in.getInt() & 0xffffffffL : in.getLong();
		if (len < 0 || len > in.remaining()) {
			throw damaged("a length of " + Long.toUnsignedString(len) + " bytes where " + in
				.remaining() + " are left");
		}
		return (int) len;
	}

	private void need(final int n) {
		if (in.remaining() < n) throw damaged("the pickle ends inside an opcode");
	}

	private byte[] bytes(final int n) {
		need(n);
		final byte[] b = new byte[n];
		in.get(b);
		return b;
	}

	private String utf8(final int n) {
		return new String(bytes(n), StandardCharsets.UTF_8);
	}

	/** LONG1/LONG4: a little-endian two's-complement integer of {@code n} bytes. */
	private Object integer(final int n) {
		if (n > MAX_INT_BYTES) throw damaged("an integer of " + n + " bytes");
		final byte[] le = bytes(n);
		if (n == 0) return 0L;
		final byte[] be = new byte[n];
		for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
		final BigInteger v = new BigInteger(be);
		return v.bitLength() < 64 ? (Object) v.longValue() : v;
	}

	/** A GLOBAL operand: bytes up to a newline. */
	private String line() {
		final int start = in.position();
		for (int i = start; i < in.limit() && i - start <= MAX_LINE; i++) {
			if (in.get(i) == '\n') {
				final byte[] b = new byte[i - start];
				in.get(b);
				in.get();
				return new String(b, StandardCharsets.UTF_8);
			}
		}
		throw damaged("a GLOBAL name without its newline");
	}

	private AnySegException damaged(final String what) {
		return CheckpointErrors.damaged(what, opcodeAt);
	}
}

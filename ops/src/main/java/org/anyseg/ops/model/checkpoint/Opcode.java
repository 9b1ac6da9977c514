package org.anyseg.ops.model.checkpoint;

/**
 * The pickle opcodes (protocols 0 to 5, Python's {@code pickletools}), by name for messages.
 * {@code supported} marks those {@link StateDictUnpickler} runs: the protocol 2 to 5 opcodes
 * of plain data, the memo, globals (checked), REDUCE/NEWOBJ/BUILD of allowed globals and
 * BINPERSID. The rest (text opcodes of protocols 0 and 1, INST, OBJ, PERSID, extensions,
 * out-of-band buffers, NEWOBJ_EX) are refused by name.
 */
enum Opcode {

	MARK('(', true), STOP('.', true), POP('0', true), POP_MARK('1', true), DUP('2', true),
	FLOAT('F', false), INT('I', false), BININT('J', true), BININT1('K', true), LONG('L', false),
	BININT2('M', true), NONE('N', true), PERSID('P', false), BINPERSID('Q', true),
	REDUCE('R', true), STRING('S', false), BINSTRING('T', false), SHORT_BINSTRING('U', false),
	UNICODE('V', false), BINUNICODE('X', true), APPEND('a', true), BUILD('b', true),
	GLOBAL('c', true), DICT('d', true), EMPTY_DICT('}', true), APPENDS('e', true),
	GET('g', false), BINGET('h', true), INST('i', false), LONG_BINGET('j', true),
	LIST('l', true), EMPTY_LIST(']', true), OBJ('o', false), PUT('p', false),
	BINPUT('q', true), LONG_BINPUT('r', true), SETITEM('s', true), TUPLE('t', true),
	EMPTY_TUPLE(')', true), SETITEMS('u', true), BINFLOAT('G', true), PROTO(0x80, true),
	NEWOBJ(0x81, true), EXT1(0x82, false), EXT2(0x83, false), EXT4(0x84, false),
	TUPLE1(0x85, true), TUPLE2(0x86, true), TUPLE3(0x87, true), NEWTRUE(0x88, true),
	NEWFALSE(0x89, true), LONG1(0x8a, true), LONG4(0x8b, true), BINBYTES('B', true),
	SHORT_BINBYTES('C', true), SHORT_BINUNICODE(0x8c, true), BINUNICODE8(0x8d, true),
	BINBYTES8(0x8e, true), EMPTY_SET(0x8f, true), ADDITEMS(0x90, true), FROZENSET(0x91, true),
	NEWOBJ_EX(0x92, false), STACK_GLOBAL(0x93, true), MEMOIZE(0x94, true), FRAME(0x95, true),
	BYTEARRAY8(0x96, true), NEXT_BUFFER(0x97, false), READONLY_BUFFER(0x98, false);

	private static final Opcode[] BY_CODE = new Opcode[256];

	static {
		for (final Opcode o : values()) BY_CODE[o.code] = o;
	}

	private final int code;
	private final boolean supported;

	Opcode(final int code, final boolean supported) {
		this.code = code;
		this.supported = supported;
	}

	boolean supported() {
		return supported;
	}

	/** The opcode of byte {@code b} (0..255), or null when pickle has none. */
	static Opcode of(final int b) {
		return BY_CODE[b];
	}

	/** {@code INST ('i')}, {@code EXT1 (0x82)}. */
	String label() {
		return name() + (code >= 0x20 && code < 0x7f ? " ('" + (char) code + "')" : String.format(
			" (0x%02x)", code));
	}
}

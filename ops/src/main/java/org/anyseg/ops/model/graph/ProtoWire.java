package org.anyseg.ops.model.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.AnySegException;

/**
 * The protocol-buffer wire format, read without copying: a message is a list of
 * {@link Field}s whose length-delimited values are slices of the source buffer. Enough to
 * walk an ONNX {@code ModelProto} (field numbers from onnx.proto) and to write it back with a
 * few fields changed; large initializers are never copied onto the Java heap.
 */
final class ProtoWire {

	static final int VARINT = 0;
	static final int FIXED64 = 1;
	static final int LEN = 2;
	static final int FIXED32 = 5;

	private ProtoWire() {}

	/**
	 * One field of a message: {@code number}, wire type, and its value (a varint or fixed
	 * value in {@code bits}, a length-delimited value in {@code bytes}).
	 */
	record Field(int number, int type, long bits, ByteBuffer bytes) {

		String string() {
			return utf8(bytes);
		}

		/** The whole field as encoded (tag and value). */
		int encodedSize() {
			return tagSize(number) + switch (type) {
				case VARINT -> varintSize(bits);
				case FIXED64 -> 8;
				case FIXED32 -> 4;
				default -> varintSize(bytes.remaining()) + bytes.remaining();
			};
		}
	}

	/** The fields of a message, in order. */
	static List<Field> parse(final ByteBuffer message) {
		final ByteBuffer b = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		final List<Field> fields = new ArrayList<>();
		while (b.hasRemaining()) {
			final long tag = varint(b);
			final int number = (int) (tag >>> 3);
			final int type = (int) (tag & 7);
			if (number < 1) throw malformed("field number " + number);
			switch (type) {
				case VARINT -> fields.add(new Field(number, type, varint(b), null));
				case FIXED64 -> {
					need(b, 8);
					fields.add(new Field(number, type, b.getLong(), null));
				}
				case FIXED32 -> {
					need(b, 4);
					fields.add(new Field(number, type, b.getInt() & 0xffffffffL, null));
				}
				case LEN -> {
					final long n = varint(b);
					if (n < 0 || n > b.remaining()) {
						throw malformed("a field of " + n + " bytes in " + b.remaining() + " left");
					}
					final ByteBuffer v = b.slice(b.position(), (int) n);
					b.position(b.position() + (int) n);
					fields.add(new Field(number, type, 0, v));
				}
				default -> throw malformed("wire type " + type);
			}
		}
		return fields;
	}

	/** Packed or repeated varints of field {@code number} (e.g. a tensor's dims). */
	static List<Long> varints(final List<Field> fields, final int number) {
		final List<Long> out = new ArrayList<>();
		for (final Field f : fields) {
			if (f.number() != number) continue;
			if (f.type() == VARINT) out.add(f.bits());
			else if (f.type() == LEN) {
				final ByteBuffer b = f.bytes().duplicate();
				while (b.hasRemaining()) out.add(varint(b));
			}
		}
		return out;
	}

	static String utf8(final ByteBuffer b) {
		final byte[] a = new byte[b.remaining()];
		b.duplicate().get(a);
		return new String(a, StandardCharsets.UTF_8);
	}

	private static long varint(final ByteBuffer b) {
		long v = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			need(b, 1);
			final byte x = b.get();
			v |= (long) (x & 0x7f) << shift;
			if ((x & 0x80) == 0) return v;
		}
		throw malformed("a varint longer than 10 bytes");
	}

	private static void need(final ByteBuffer b, final int n) {
		if (b.remaining() < n) throw malformed("a value cut short");
	}

	private static AnySegException malformed(final String what) {
		return new AnySegException("The ONNX file is not a valid protocol buffer (" + what +
			"): it is corrupt or truncated. Download or export it again.");
	}

	static int varintSize(long v) {
		int n = 1;
		while ((v & ~0x7fL) != 0) {
			v >>>= 7;
			n++;
		}
		return n;
	}

	static int tagSize(final int number) {
		return varintSize((long) number << 3);
	}

	/** Builds a message from fields; values are copied only when {@link #write} runs. */
	static final class Writer {

		private final List<Object> parts = new ArrayList<>();
		private long size;

		Writer field(final Field f) {
			return switch (f.type()) {
				case LEN -> bytes(f.number(), f.bytes());
				case VARINT -> varintField(f.number(), f.bits());
				default -> raw(f);
			};
		}

		Writer varintField(final int number, final long v) {
			tag(number, VARINT);
			return varintRaw(v);
		}

		Writer string(final int number, final String s) {
			return bytes(number, ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
		}

		Writer bytes(final int number, final ByteBuffer v) {
			tag(number, LEN);
			varintRaw(v.remaining());
			parts.add(v.duplicate());
			size += v.remaining();
			return this;
		}

		/** A nested message given as a writer. */
		Writer message(final int number, final Writer m) {
			tag(number, LEN);
			varintRaw(m.size);
			parts.add(m);
			size += m.size;
			return this;
		}

		private Writer raw(final Field f) {
			tag(f.number(), f.type());
			final ByteBuffer b = ByteBuffer.allocate(f.type() == FIXED64 ? 8 : 4).order(
				ByteOrder.LITTLE_ENDIAN);
			if (f.type() == FIXED64) b.putLong(f.bits());
			else b.putInt((int) f.bits());
			b.flip();
			parts.add(b);
			size += b.remaining();
			return this;
		}

		private void tag(final int number, final int type) {
			varintRaw(((long) number << 3) | type);
		}

		private Writer varintRaw(long v) {
			final byte[] a = new byte[varintSize(v)];
			for (int i = 0; i < a.length; i++) {
				a[i] = (byte) ((v & 0x7f) | (i < a.length - 1 ? 0x80 : 0));
				v >>>= 7;
			}
			parts.add(ByteBuffer.wrap(a));
			size += a.length;
			return this;
		}

		long size() {
			return size;
		}

		/** Writes the message into {@code out}. */
		void write(final ByteBuffer out) {
			for (final Object p : parts) {
				if (p instanceof Writer w) w.write(out);
				else out.put(((ByteBuffer) p).duplicate());
			}
		}

		/** The message in a new direct buffer (off the Java heap), ready to read. */
		ByteBuffer toDirectBuffer() {
			if (size > Integer.MAX_VALUE) {
				throw new AnySegException("The rewritten ONNX graph would exceed 2 GB.");
			}
			final ByteBuffer out = ByteBuffer.allocateDirect((int) size);
			write(out);
			out.flip();
			return out;
		}
	}
}

package org.anyseg.ops.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive (ZIP64 included), read straight from a
 * {@link FileChannel} so that each entry's data offset is known and a stored entry can be
 * memory-mapped ({@link java.util.zip.ZipFile} does not say where an entry's data lies).
 * Every offset and size is checked against the file before it is used: an archive that ends
 * early is refused with {@link CheckpointErrors#CUT_SHORT}.
 */
final class ZipIndex {

	static final int STORED = 0;
	static final int DEFLATED = 8;

	private static final int EOCD = 0x06054b50;
	private static final int ZIP64_LOCATOR = 0x07064b50;
	private static final int ZIP64_EOCD = 0x06064b50;
	private static final int CENTRAL = 0x02014b50;
	private static final int LOCAL = 0x04034b50;
	private static final long MAX_DIRECTORY = 1L << 28;

	/**
	 * One entry: {@code method} {@link #STORED} or {@link #DEFLATED}; its data is
	 * {@code compressedSize} bytes at {@code dataOffset} of the file and holds {@code size}
	 * bytes when inflated.
	 */
	record Entry(String name, int method, long compressedSize, long size, int crc,
		long dataOffset) {}

	private final Map<String, Entry> entries;

	private ZipIndex(final Map<String, Entry> entries) {
		this.entries = entries;
	}

	/** The entries, in directory order. */
	Map<String, Entry> entries() {
		return entries;
	}

	/** The directory of {@code ch}, a file that starts with a zip local header. */
	static ZipIndex read(final FileChannel ch) throws IOException {
		final long size = ch.size();
		final long eocd = findEnd(ch, size);
		final ByteBuffer e = bytes(ch, eocd, 22);
		if (e.getShort(4) != 0 || e.getShort(6) != 0) {
			throw CheckpointErrors.corrupt("a multi-part zip archive");
		}
		long count = e.getShort(10) & 0xffff;
		long dirSize = e.getInt(12) & 0xffffffffL;
		long dirOffset = e.getInt(16) & 0xffffffffL;
		long dirEnd = eocd;
		if (count == 0xffff || dirSize == 0xffffffffL || dirOffset == 0xffffffffL) {
			if (eocd < 20) throw CheckpointErrors.cutShort();
			final ByteBuffer loc = bytes(ch, eocd - 20, 20);
			if (loc.getInt(0) != ZIP64_LOCATOR) throw CheckpointErrors.corrupt("no ZIP64 locator");
			final long at = loc.getLong(8);
			if (at < 0 || at > eocd - 20 - 56) throw CheckpointErrors.cutShort();
			final ByteBuffer z = bytes(ch, at, 56);
			if (z.getInt(0) != ZIP64_EOCD) throw CheckpointErrors.corrupt("no ZIP64 directory end");
			count = z.getLong(32);
			dirSize = z.getLong(40);
			dirOffset = z.getLong(48);
			dirEnd = at;
		}
		if (dirOffset < 0 || dirSize < 0 || dirSize > dirEnd - dirOffset) {
			throw CheckpointErrors.cutShort();
		}
		if (dirSize > MAX_DIRECTORY || count < 0 || count > dirSize / 46) {
			throw CheckpointErrors.corrupt("a zip directory of " + count + " entries in " +
				dirSize + " bytes");
		}
		return new ZipIndex(directory(ch, bytes(ch, dirOffset, (int) dirSize), (int) count,
			size));
	}

	/** The end-of-directory record: the last one whose comment reaches the end of the file. */
	private static long findEnd(final FileChannel ch, final long size) throws IOException {
		final int tail = (int) Math.min(size, 22 + 0xffff);
		final ByteBuffer b = bytes(ch, size - tail, tail);
		for (int i = tail - 22; i >= 0; i--) {
			if (b.getInt(i) == EOCD && i + 22 + (b.getShort(i + 20) & 0xffff) == tail) {
				return size - tail + i;
			}
		}
		throw CheckpointErrors.cutShort();
	}

	private static Map<String, Entry> directory(final FileChannel ch, final ByteBuffer d,
		final int count, final long fileSize) throws IOException
	{
		final Map<String, Entry> out = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			final int p = d.position();
			if (d.remaining() < 46 || d.getInt(p) != CENTRAL) {
				throw CheckpointErrors.corrupt("zip directory entry " + i + " is malformed");
			}
			final int flags = d.getShort(p + 8) & 0xffff;
			final int method = d.getShort(p + 10) & 0xffff;
			final int crc = d.getInt(p + 16);
			long csize = d.getInt(p + 20) & 0xffffffffL;
			long usize = d.getInt(p + 24) & 0xffffffffL;
			final int nameLen = d.getShort(p + 28) & 0xffff;
			final int extraLen = d.getShort(p + 30) & 0xffff;
			final int commentLen = d.getShort(p + 32) & 0xffff;
			long local = d.getInt(p + 42) & 0xffffffffL;
			if (d.remaining() < 46 + nameLen + extraLen + commentLen) {
				throw CheckpointErrors.corrupt("zip directory entry " + i + " is malformed");
			}
			final byte[] nameBytes = new byte[nameLen];
			d.position(p + 46);
			d.get(nameBytes);
			final String name = new String(nameBytes, (flags & 0x800) != 0 ?
				StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
			// ZIP64 extra field: the 64-bit values of the fields set to 0xffffffff, in order
			final ByteBuffer extra = d.slice(p + 46 + nameLen, extraLen).order(
				ByteOrder.LITTLE_ENDIAN);
			final long[] wide = zip64(extra, usize == 0xffffffffL, csize == 0xffffffffL,
				local == 0xffffffffL);
			if (usize == 0xffffffffL) usize = wide[0];
			if (csize == 0xffffffffL) csize = wide[1];
			if (local == 0xffffffffL) local = wide[2];
			d.position(p + 46 + nameLen + extraLen + commentLen);
			if ((flags & 1) != 0) throw CheckpointErrors.corrupt("entry " + name + " is encrypted");
			if (method != STORED && method != DEFLATED) {
				throw CheckpointErrors.corrupt("entry " + CheckpointErrors.printable(name) +
					" is compressed with zip method " + method + " (stored and deflated are read)");
			}
			if (method == STORED && csize != usize) {
				throw CheckpointErrors.corrupt("stored entry " + name + " has two sizes");
			}
			final long data = dataOffset(ch, local, nameBytes, fileSize);
			if (csize < 0 || usize < 0 || csize > fileSize - data) {
				throw CheckpointErrors.cutShort();
			}
			if (out.put(name, new Entry(name, method, csize, usize, crc, data)) != null) {
				throw CheckpointErrors.corrupt("entry " + CheckpointErrors.printable(name) +
					" appears twice");
			}
		}
		return Collections.unmodifiableMap(out);
	}

	/** The values of a ZIP64 extra field for the flagged fields (usize, csize, offset). */
	private static long[] zip64(final ByteBuffer extra, final boolean... flagged) {
		final long[] v = new long[3];
		while (extra.remaining() >= 4) {
			final int id = extra.getShort() & 0xffff;
			final int len = extra.getShort() & 0xffff;
			if (len > extra.remaining()) break;
			if (id == 1) {
				final ByteBuffer f = extra.slice(extra.position(), len).order(
					ByteOrder.LITTLE_ENDIAN);
				for (int i = 0; i < 3; i++) {
					if (!flagged[i]) continue;
					if (f.remaining() < 8) throw CheckpointErrors.corrupt("a short ZIP64 field");
					v[i] = f.getLong();
				}
				return v;
			}
			extra.position(extra.position() + len);
		}
		for (final boolean f : flagged) {
			if (f) throw CheckpointErrors.corrupt("a ZIP64 size without its ZIP64 field");
		}
		return v;
	}

	/** Where the data of the entry whose local header is at {@code local} starts. */
	private static long dataOffset(final FileChannel ch, final long local, final byte[] name,
		final long fileSize) throws IOException
	{
		if (local < 0 || local > fileSize - 30 - name.length) throw CheckpointErrors.cutShort();
		final ByteBuffer h = bytes(ch, local, 30 + name.length);
		if (h.getInt(0) != LOCAL) throw CheckpointErrors.corrupt("a local header is missing");
		final int nameLen = h.getShort(26) & 0xffff;
		final int extraLen = h.getShort(28) & 0xffff;
		final byte[] n = new byte[name.length];
		h.get(30, n);
		if (nameLen != name.length || !Arrays.equals(n, name)) {
			throw CheckpointErrors.corrupt("a local header does not match the directory");
		}
		return local + 30 + nameLen + extraLen;
	}

	/** {@code n} bytes at {@code at} (little-endian), or a refusal if the file ends first. */
	static ByteBuffer bytes(final FileChannel ch, final long at, final int n) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
		while (b.hasRemaining()) {
			if (ch.read(b, at + b.position()) < 0) throw CheckpointErrors.cutShort();
		}
		return b.flip();
	}
}

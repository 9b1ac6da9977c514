package org.anyseg.ops.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.checkpoint.Pickled.Global;
import org.anyseg.ops.model.checkpoint.Pickled.Kind;
import org.anyseg.ops.model.checkpoint.Pickled.StorageRef;
import org.anyseg.ops.model.checkpoint.Pickled.Tuple;

/**
 * The records of a {@code torch.save} archive (PyTorch >= 1.6): {@code <root>/data.pkl},
 * {@code <root>/byteorder} (absent before PyTorch 2.1: little-endian), {@code <root>/data/<key>}
 * (one storage each), where {@code <root>} is the folder of the first entry ({@code archive}
 * in PyTorch 2, the file's name before 2.0). Storages are read where they lie: a stored entry
 * is memory-mapped, a deflated one inflated once into a direct buffer. Each storage's CRC-32
 * is checked the first time one of its tensors is read (unless the archive records none).
 */
final class TorchArchive implements AutoCloseable {

	/** Deflate cannot expand data more than about 1032 times. */
	private static final long MAX_INFLATE_RATIO = 1032;
	/** A state dict's pickle is kilobytes (SAM ViT-H: about 50 KB); more is refused. */
	private static final int MAX_PICKLE = 64 << 20;
	private static final byte[] LEGACY_MAGIC = { (byte) 0x80, 2, (byte) 0x8a, 10, 0x6c,
		(byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19 };

	private final FileChannel ch;
	/** Every mapping handed out, unmapped on {@link #close()}. */
	private final java.util.List<java.nio.MappedByteBuffer> mappings = new java.util.ArrayList<>();
	private final Map<String, ZipIndex.Entry> entries;
	private final String root;
	private final ByteOrder order;
	private final Set<String> verified = new HashSet<>();
	private final Map<String, ByteBuffer> inflated = new HashMap<>();

	private TorchArchive(final FileChannel ch, final ZipIndex zip) throws IOException {
		this.ch = ch;
		this.entries = zip.entries();
		if (entries.isEmpty()) throw new AnySegException("it is an empty zip archive");
		final String first = entries.keySet().iterator().next();
		final int slash = first.indexOf('/');
		root = slash < 0 ? "" : first.substring(0, slash + 1);
		if (!entries.containsKey(root + "data.pkl")) {
			if (entries.containsKey(root + "constants.pkl")) {
				throw new AnySegException("it is a TorchScript archive (torch.jit.save), not a " +
					"state dict; save the weights with torch.save(model.state_dict(), path)");
			}
			throw new AnySegException("it is a zip archive without " + root + "data.pkl, not a " +
				"PyTorch checkpoint");
		}
		order = byteOrder();
	}

	/** The archive of {@code ch}, or a refusal that says what the file is instead. */
	static TorchArchive open(final FileChannel ch) throws IOException {
		final long size = ch.size();
		if (size == 0) throw new AnySegException("the file is empty");
		final ByteBuffer head = ZipIndex.bytes(ch, 0, (int) Math.min(size, 512));
		if (head.remaining() >= 4 && head.getInt(0) == 0x04034b50) {
			return new TorchArchive(ch, ZipIndex.read(ch));
		}
		throw notZip(head);
	}

	private static AnySegException notZip(final ByteBuffer head) {
		final String resave = "; load it in Python and save it again with torch.save " +
			"(PyTorch >= 1.6 zip format)";
		if (startsWith(head, LEGACY_MAGIC)) {
			return new AnySegException("it is in PyTorch's legacy format (PyTorch < 1.6, or " +
				"_use_new_zipfile_serialization=False), which AnySeg does not read" + resave);
		}
		if ((head.get(0) & 0xff) == 0x80) {
			return new AnySegException("it is a Python pickle, not a zip archive (PyTorch's " +
				"legacy format, or pickle.dump), which AnySeg does not read" + resave);
		}
		if (head.remaining() >= 262 && new String(head.array(), 257, 5, StandardCharsets.US_ASCII)
			.equals("ustar"))
		{
			return new AnySegException("it is a tar file (a very old PyTorch format), which " +
				"AnySeg does not read" + resave);
		}
		if (head.remaining() >= 4 && head.getInt(0) == 0x06054b50) {
			return new AnySegException("it is an empty zip archive");
		}
		return new AnySegException("it is not a PyTorch checkpoint: no zip archive (PyTorch >= " +
			"1.6 saves .pth and .pt files as zip archives)");
	}

	private static boolean startsWith(final ByteBuffer b, final byte[] prefix) {
		if (b.remaining() < prefix.length) return false;
		for (int i = 0; i < prefix.length; i++) if (b.get(i) != prefix[i]) return false;
		return true;
	}

	private ByteOrder byteOrder() throws IOException {
		final ZipIndex.Entry e = entries.get(root + "byteorder");
		if (e == null) return ByteOrder.LITTLE_ENDIAN;
		final String s = new String(small(e, 16).array(), StandardCharsets.US_ASCII).trim();
		if (s.equals("little")) return ByteOrder.LITTLE_ENDIAN;
		if (s.equals("big")) return ByteOrder.BIG_ENDIAN;
		throw CheckpointErrors.corrupt("byte order '" + CheckpointErrors.printable(s) + "'");
	}

	/** The bytes of data.pkl (CRC checked). */
	ByteBuffer pickle() throws IOException {
		return small(entries.get(root + "data.pkl"), MAX_PICKLE);
	}

	/** The byte order of the storages. */
	ByteOrder order() {
		return order;
	}

	/** Whether storage {@code key} is stored (so can be mapped without a copy). */
	boolean mappable(final String key) {
		return entryOf(key).method() == ZipIndex.STORED;
	}

	/**
	 * Resolves torch's persistent ids {@code ('storage', storage class, key, location, numel)},
	 * checking that the entry exists and holds {@code numel} elements.
	 */
	StorageRef storage(final Object pid) {
		if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items()
			.get(0)))
		{
			throw new AnySegException("its pickle has a persistent id that is no storage; the " +
				"file is damaged or not a plain state dict");
		}
		final List<Object> p = t.items();
		if (!(p.get(1) instanceof Global g) || g.kind() != Kind.STORAGE_CLASS ||
			!(p.get(2) instanceof String key) || !(p.get(4) instanceof Long numel) || numel < 0)
		{
			throw new AnySegException("its pickle has a malformed storage id; the file is damaged");
		}
		final ZipIndex.Entry e = entries.get(root + "data/" + key);
		if (e == null || key.isEmpty() || key.contains("/")) {
			throw CheckpointErrors.corrupt("storage '" + CheckpointErrors.printable(key) +
				"' is missing from the archive");
		}
		final int size = g.element().bytes();
		if (numel > e.size() / size) {
			throw CheckpointErrors.corrupt("storage '" + CheckpointErrors.printable(key) +
				"' declares " + numel + " " + g.element().dtypeName() + " values (" + (numel <=
					Long.MAX_VALUE / size ? numel * size + " bytes" : "more than 2^63 bytes") +
				") but its entry holds " + e.size() + " bytes");
		}
		return new StorageRef(key, g.element(), numel);
	}

	/**
	 * {@code length} bytes of storage {@code key} from byte {@code start} (checked to lie in
	 * the entry by the caller): a read-only mapping of the file for a stored entry, a slice
	 * of the inflated entry otherwise.
	 */
	ByteBuffer region(final String key, final long start, final long length) throws IOException {
		final ZipIndex.Entry e = entryOf(key);
		if (length > Integer.MAX_VALUE) {
			throw new AnySegException("a tensor spans " + length + " bytes of its storage, more " +
				"than one buffer can hold (2 GiB)");
		}
		if (e.method() == ZipIndex.DEFLATED) {
			return inflated(e).slice((int) start, (int) length).asReadOnlyBuffer().order(order);
		}
		verify(e);
		final java.nio.MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, e.dataOffset() +
			start, length);
		synchronized (this) {
			mappings.add(m);
		}
		return m.order(order);
	}

	/**
	 * Where {@code length} bytes from {@code start} of a storage lie in the file, when they
	 * lie there as they are (a stored entry, CRC-32 checked); -1 for a deflated entry.
	 */
	long fileOffset(final String key, final long start, final long length) throws IOException {
		final ZipIndex.Entry e = entryOf(key);
		if (e.method() == ZipIndex.DEFLATED || start + length > e.size()) return -1;
		verify(e);
		return e.dataOffset() + start;
	}

	private ZipIndex.Entry entryOf(final String key) {
		return entries.get(root + "data/" + key);
	}

	/** The CRC-32 of a stored entry, checked once, read through mappings of at most 1 GiB. */
	private synchronized void verify(final ZipIndex.Entry e) throws IOException {
		if (e.crc() == 0 || verified.contains(e.name())) return;
		final CRC32 crc = new CRC32();
		for (long at = 0; at < e.size(); at += 1 << 30) {
			final java.nio.MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, e
				.dataOffset() + at, Math.min(1 << 30, e.size() - at));
			crc.update(m);
			Unmapper.unmap(m);
		}
		checkCrc(e, crc);
		verified.add(e.name());
	}

	private synchronized ByteBuffer inflated(final ZipIndex.Entry e) throws IOException {
		ByteBuffer b = inflated.get(e.name());
		if (b == null) {
			b = inflate(e, Integer.MAX_VALUE - 8, true);
			inflated.put(e.name(), b);
		}
		return b;
	}

	/** A small record (data.pkl, byteorder) on the heap, CRC checked. */
	private ByteBuffer small(final ZipIndex.Entry e, final int max) throws IOException {
		return inflate(e, max, false);
	}

	/**
	 * The whole content of {@code e} (at most {@code max} bytes, declared size checked before
	 * anything is allocated), inflated if it is deflated, CRC checked.
	 */
	private ByteBuffer inflate(final ZipIndex.Entry e, final int max, final boolean direct)
		throws IOException
	{
		if (e.size() > max || e.method() == ZipIndex.DEFLATED && e.size() > e.compressedSize() *
			MAX_INFLATE_RATIO + 64)
		{
			throw CheckpointErrors.corrupt("entry " + CheckpointErrors.printable(e.name()) +
				" declares " + e.size() + " bytes");
		}
		final int n = (int) e.size();
		final ByteBuffer out;
		try {
			out = (direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n)).order(
				ByteOrder.LITTLE_ENDIAN);
		}
		catch (final OutOfMemoryError x) {
			throw new AnySegException("there is not enough memory to inflate its entry " +
				CheckpointErrors.printable(e.name()) + " (" + n + " bytes); save the checkpoint " +
				"again with torch.save, which does not compress", x);
		}
		if (e.method() == ZipIndex.STORED) {
			while (out.hasRemaining()) {
				if (ch.read(out, e.dataOffset() + out.position()) < 0) {
					throw CheckpointErrors.cutShort();
				}
			}
		}
		else {
			inflateInto(e, out);
		}
		out.flip();
		final CRC32 crc = new CRC32();
		crc.update(out.duplicate());
		checkCrc(e, crc);
		return out;
	}

	private void inflateInto(final ZipIndex.Entry e, final ByteBuffer out) throws IOException {
		final Inflater inf = new Inflater(true);
		try {
			long at = 0;
			final ByteBuffer in = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, e
				.compressedSize())));
			final ByteBuffer spill = ByteBuffer.allocate(1);
			while (!inf.finished()) {
				if (inf.needsInput()) {
					if (at >= e.compressedSize()) {
						throw CheckpointErrors.corrupt("entry " + e.name() + " inflates to less " +
							"than its declared size");
					}
					in.clear().limit((int) Math.min(in.capacity(), e.compressedSize() - at));
					while (in.hasRemaining()) {
						if (ch.read(in, e.dataOffset() + at + in.position()) < 0) {
							throw CheckpointErrors.cutShort();
						}
					}
					at += in.flip().remaining();
					inf.setInput(in);
				}
				// once out is full, one more byte would be too many (but the stream may still
				// have to consume its end marker)
				final ByteBuffer target = out.hasRemaining() ? out : spill.clear();
				final int got = inf.inflate(target);
				final boolean stuck = got == 0 && !inf.finished() && !inf.needsInput();
				if (target == spill && got > 0 || stuck) {
					throw CheckpointErrors.corrupt("entry " + e.name() + " is not valid deflate " +
						"data or inflates to more than its declared size");
				}
			}
			if (out.hasRemaining()) {
				throw CheckpointErrors.corrupt("entry " + e.name() + " inflates to less than its " +
					"declared size");
			}
		}
		catch (final DataFormatException x) {
			throw CheckpointErrors.corrupt("entry " + e.name() + " is not valid deflate data");
		}
		finally {
			inf.end();
		}
	}

	/** A recorded CRC of 0 means none was recorded (PyTorch >= 2.6 can skip computing it). */
	private static void checkCrc(final ZipIndex.Entry e, final CRC32 crc) {
		if (e.crc() != 0 && (int) crc.getValue() != e.crc()) {
			throw CheckpointErrors.corrupt("entry " + CheckpointErrors.printable(e.name()) +
				" fails its CRC-32 check");
		}
	}

	@Override
	public synchronized void close() throws IOException {
		inflated.clear();
		// the pages are released now, not at some later garbage collection: a caller that
		// copied the weights (ONNX Runtime does) must not hold the file's pages a second time
		mappings.forEach(Unmapper::unmap);
		mappings.clear();
		ch.close();
	}
}

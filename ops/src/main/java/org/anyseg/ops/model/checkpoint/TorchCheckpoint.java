package org.anyseg.ops.model.checkpoint;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.AnySegException;

/**
 * The weights of a PyTorch checkpoint ({@code .pth}/{@code .pt} written by {@code torch.save},
 * PyTorch >= 1.6: a zip archive of a pickle, {@code data.pkl}, and one raw entry per storage),
 * read without running anything from the file.
 * <p>
 * The pickle is read by a restricted unpickler ({@link StateDictUnpickler}): plain data, the
 * OrderedDict and tensor rebuilds of a state dict and nothing else. A file whose pickle names
 * any other global ({@code os.system}, {@code builtins.eval}, numpy objects, a trainer's own
 * classes) or uses an opcode a state dict does not need is refused, at that point, with a
 * message that names it; nothing is constructed or called for it. Legacy (pre-1.6) files and
 * TorchScript archives are refused with what to do instead.
 * <p>
 * The state dict is found and renamed as {@link StateDicts} describes (micro-sam's
 * {@code model_state} with {@code sam.} keys, SAM 2's {@code model}, DataParallel's
 * {@code module.}); what is left out is listed by {@link #skipped()} and {@link #describe()}.
 * Every size the file declares is checked before anything is allocated or mapped: storages
 * fit their entries, tensors fit their storages, shapes do not overflow, deflated entries
 * cannot inflate beyond their declared size, and each storage's CRC-32 is checked when it is
 * first read.
 * <p>
 * Thread-safe. {@link #close()} closes the file and unmaps the buffers it returned at once
 * (through {@code Unsafe.invokeCleaner}; waiting for the collector would keep a gigabyte of
 * file pages resident after ONNX Runtime copied the weights): read them only while the
 * checkpoint is open.
 */
public final class TorchCheckpoint implements AutoCloseable {

	private final Path file;
	private final TorchArchive archive;
	private final StateDicts.StateDict state;
	private volatile boolean closed;

	private TorchCheckpoint(final Path file, final TorchArchive archive,
		final StateDicts.StateDict state)
	{
		this.file = file;
		this.archive = archive;
		this.state = state;
	}

	/**
	 * Opens {@code file} and reads its state dict's description (no tensor values yet).
	 *
	 * @throws AnySegException with a message saying what is wrong with the file and what to
	 *           do: not a checkpoint, legacy format, cut short, damaged, or not a plain state
	 *           dict (naming the global or opcode that was refused)
	 */
	public static TorchCheckpoint open(final Path file) {
		FileChannel ch = null;
		try {
			ch = FileChannel.open(file, StandardOpenOption.READ);
			final TorchArchive archive = TorchArchive.open(ch);
			final Object root = StateDictUnpickler.load(archive.pickle(), archive::storage);
			return new TorchCheckpoint(file, archive, StateDicts.select(root));
		}
		catch (final AnySegException e) {
			closeQuietly(ch);
			throw new AnySegException(refusal(file, e.getMessage()), e);
		}
		catch (final NoSuchFileException e) {
			throw new AnySegException("The PyTorch checkpoint " + file + " does not exist", e);
		}
		catch (final IOException e) {
			closeQuietly(ch);
			throw new AnySegException(refusal(file, "it cannot be read (" + e.getMessage() + ")"),
				e);
		}
	}

	private static String refusal(final Path file, final String why) {
		return "Cannot read the PyTorch checkpoint " + file + ": " + why;
	}

	private static void closeQuietly(final FileChannel ch) {
		if (ch == null) return;
		try {
			ch.close();
		}
		catch (final IOException e) {
			// already failing with a better message
		}
	}

	/**
	 * The tensors of the state dict, by name (wrapper prefixes removed), in file order:
	 * float32, float16 and bfloat16 only (see {@link #skipped()}).
	 */
	public Map<String, TensorEntry> tensors() {
		return state.tensors();
	}

	/**
	 * What was left out, by name, with the reason: entries beside the state dict (optimizer
	 * state, epoch, another state dict) and entries of it that are no float tensors
	 * ({@code num_batches_tracked: int64 tensor}).
	 */
	public Map<String, String> skipped() {
		return state.skipped();
	}

	/**
	 * The values of tensor {@code name} in C order: a direct float32 buffer of exactly
	 * {@code numel} values, little-endian (the native order of every platform Fiji runs on),
	 * position 0. For a contiguous float32 tensor in a stored entry it is a read-only view of
	 * the memory-mapped file; otherwise a new buffer (float16 and bfloat16 converted exactly,
	 * strides gathered, big-endian archives swapped).
	 *
	 * @throws AnySegException if there is no such tensor, or its storage fails its CRC-32 check
	 * @throws IllegalStateException after {@link #close()}
	 */
	public FloatBuffer floats(final String name) {
		final TensorEntry t = state.tensors().get(name);
		if (t == null) {
			throw new AnySegException("The PyTorch checkpoint " + file + " has no tensor '" + name +
				"' (" + state.tensors().size() + " tensors, e.g. " + examples() + ")");
		}
		if (closed) throw new IllegalStateException("the checkpoint " + file + " is closed");
		try {
			return FloatReader.read(t, archive);
		}
		catch (final AnySegException e) {
			throw new AnySegException(refusal(file, e.getMessage()), e);
		}
		catch (final IOException e) {
			throw new AnySegException(refusal(file, "it cannot be read (" + e.getMessage() + ")"),
				e);
		}
	}

	/**
	 * The byte offset in the file of a tensor whose values lie there exactly as a float32
	 * little-endian row-major array (contiguous float32 in a stored entry of a little-endian
	 * archive): a reader such as ONNX Runtime can load it from the file itself. -1 otherwise
	 * (read it with {@link #floats}).
	 */
	public long fileOffset(final String name) {
		final TensorEntry t = state.tensors().get(name);
		if (t == null || closed || t.dtype() != DType.FLOAT32 || !t.contiguous() || archive
			.order() != java.nio.ByteOrder.LITTLE_ENDIAN) return -1;
		try {
			return archive.fileOffset(t.storageKey(), t.storageOffset() * 4, t.numel() * 4);
		}
		catch (final AnySegException e) {
			throw new AnySegException(refusal(file, e.getMessage()), e);
		}
		catch (final IOException e) {
			throw new AnySegException(refusal(file, "it cannot be read (" + e.getMessage() + ")"),
				e);
		}
	}

	/** The checkpoint file. */
	public Path file() {
		return file;
	}

	private String examples() {
		final List<String> names = state.tensors().keySet().stream().limit(3).toList();
		return names.isEmpty() ? "none" : String.join(", ", names);
	}

	/**
	 * One line for people, e.g. {@code 1 state dict of 243 tensors (float32), unwrapped from
	 * 'model_state', prefix 'sam.' removed; skipped 9 entries beside it (...)}.
	 */
	public String describe() {
		return state.description();
	}

	/**
	 * Closes the file and unmaps every buffer {@link #floats} returned: they must not be read
	 * afterwards (copy what you keep, as ONNX Runtime does with a session's weights).
	 */
	@Override
	public void close() {
		closed = true;
		try {
			archive.close();
		}
		catch (final IOException e) {
			// nothing was written; closing a read-only channel cannot lose data
		}
	}
}

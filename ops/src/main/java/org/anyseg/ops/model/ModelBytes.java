package org.anyseg.ops.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.graph.ConstantIfInliner;

/** Reading a model file's bytes: its SHA-256, and its graph for an in-memory rewrite. */
final class ModelBytes {

	private ModelBytes() {}

	/**
	 * The file's graph ({@code bundled}: its bytes, already read; else mapped from disk) with
	 * constant-condition {@code If} nodes replaced by their branch, or
	 * {@code null} when it has none (or cannot be read as a protocol buffer here: then ONNX
	 * Runtime reads the file as it is and reports what is wrong with it).
	 */
	static ConstantIfInliner.Result inlineConstantIfs(final ModelFile file,
		final byte[] bundled)
	{
		try {
			final ByteBuffer model;
			if (bundled != null) model = ByteBuffer.wrap(bundled);
			else {
				try (FileChannel ch = FileChannel.open(file.path())) {
					// a single protocol buffer is at most 2 GB; larger files keep their weights outside
					if (ch.size() >= Integer.MAX_VALUE) return null;
					model = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
				}
			}
			return ConstantIfInliner.rewrite(model);
		}
		catch (final IOException | RuntimeException e) {
			return null;
		}
	}

	/** Lower-case hex SHA-256 of a file. */
	static String sha256(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return sha256(in);
		}
	}

	static String sha256(final ModelFile file) {
		try {
			if (file.path() != null) return sha256(file.path());
			return sha256(new java.io.ByteArrayInputStream(file.bytes()));
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read model file " + file.name() + ": " + e
				.getMessage(), e);
		}
	}

	private static String sha256(final InputStream in) throws IOException {
		try {
			final MessageDigest md = MessageDigest.getInstance("SHA-256");
			final byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;) md.update(buf, 0, n);
			return HexFormat.of().formatHex(md.digest());
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}

package org.anyseg.ops.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import org.anyseg.ops.image.Plane;
import org.anyseg.ops.model.ModelFile;

/**
 * The identities an {@link EmbeddingStore} keys its entries by: a model's, an entry's (model
 * and exact encoder input) and a plane's (recorded in the entry's attributes).
 */
public final class EmbeddingKeys {

	private EmbeddingKeys() {}

	/**
	 * The identity of a model for keys: the SHA-256 of its one file, or of the lines
	 * {@code "NAME SHA256"} of its files sorted by name.
	 */
	public static String modelSha256(final List<ModelFile> files) {
		if (files.size() == 1) return files.get(0).sha256();
		final List<String> lines = new ArrayList<>();
		for (final ModelFile f : files) lines.add(f.fileName() + " " + f.sha256() + "\n");
		lines.sort(Comparator.naturalOrder());
		final MessageDigest md = sha256();
		for (final String l : lines) md.update(l.getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().formatHex(md.digest());
	}

	/**
	 * An entry's key: SHA-256 of {@code "anyseg-embedding 1\n" + modelSha + "\n" + W + "x" +
	 * H + "\n"} followed by each channel of the encoder input as little-endian float32.
	 */
	public static String key(final String modelSha, final int width, final int height,
		final float[][] rgb255)
	{
		final MessageDigest md = sha256();
		md.update(("anyseg-embedding 1\n" + modelSha + "\n" + width + "x" + height + "\n")
			.getBytes(StandardCharsets.UTF_8));
		floats(md, rgb255);
		return HexFormat.of().formatHex(md.digest());
	}

	/** SHA-256 of a plane's kind, size and raw values (the entry attribute plane_sha256). */
	public static String planeSha256(final Plane p) {
		final MessageDigest md = sha256();
		md.update((p.kind() + " " + p.width() + "x" + p.height() + "\n").getBytes(
			StandardCharsets.UTF_8));
		final float[][] ch = new float[p.channelCount()][];
		for (int c = 0; c < ch.length; c++) ch[c] = p.channel(c);
		floats(md, ch);
		return HexFormat.of().formatHex(md.digest());
	}

	private static void floats(final MessageDigest md, final float[][] channels) {
		final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
		for (final float[] c : channels) {
			for (final float v : c) {
				if (!b.hasRemaining()) {
					md.update(b.array(), 0, b.position());
					b.clear();
				}
				b.putFloat(v);
			}
		}
		md.update(b.array(), 0, b.position());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
		}
	}
}

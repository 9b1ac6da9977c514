package org.anyseg.testutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a 1-D little-endian float32 {@code .npy} file (the fixtures' format). */
public final class Npy {

	private Npy() {}

	public static float[] readFloats(final Path file) throws IOException {
		final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		if (b.get() != (byte) 0x93 || b.get() != 'N') throw new IOException("not npy: " + file);
		b.position(6);
		final int major = b.get();
		b.get();
		final int hlen = major == 1 ? b.getShort() & 0xffff : b.getInt();
		final byte[] h = new byte[hlen];
		b.get(h);
		final String header = new String(h, StandardCharsets.ISO_8859_1);
		if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
			throw new IOException("expected C-order <f4 in " + file + ": " + header);
		}
		final float[] out = new float[b.remaining() / 4];
		b.asFloatBuffer().get(out);
		return out;
	}
}

package org.anyseg.ops.model.sam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.anyseg.ops.model.checkpoint.TensorEntry;
import org.anyseg.ops.model.checkpoint.TorchCheckpoint;

/** State-dict shapes of the fixture checkpoint, for tests of recognition and checks. */
public final class SamShapes {

	private SamShapes() {}

	/** The tiny fixture's keys and shapes, in file order. */
	public static Map<String, long[]> tiny() {
		try (TorchCheckpoint c = TorchCheckpoint.open(SamCheckpointFixture.DIR.resolve(
			"tiny_sam.pth")))
		{
			final Map<String, long[]> m = new LinkedHashMap<>();
			for (final TensorEntry e : c.tensors().values()) m.put(e.name(), e.shape());
			return m;
		}
		catch (final RuntimeException e) {
			throw new UncheckedIOException(new IOException(e));
		}
	}
}

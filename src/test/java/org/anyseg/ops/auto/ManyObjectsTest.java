package org.anyseg.ops.auto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.engine.EmbeddingCache;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.eval.GtPrompts;
import org.anyseg.ops.eval.LabelVolume;
import org.anyseg.ops.image.Normalization;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ij.GroundTruth;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.nifti.NiftiVolume;
import org.anyseg.testutil.ThresholdModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;

/**
 * More than 65535 objects: segment-everything with the deterministic click-to-component
 * model on a 1056 x 1056 grid of 2 x 2 squares (69696 of them) labels every one, the label
 * image is written as a 32-bit float TIFF that evaluation and the ground-truth prompts read
 * back exactly.
 */
@org.junit.jupiter.api.Tag("slow")
class ManyObjectsTest {

	static final int PITCH = 4, N = 264, S = PITCH * N; // 69696 objects

	static Plane squares() {
		final float[] f = new float[S * S];
		java.util.Arrays.fill(f, 20);
		for (int j = 0; j < N; j++) {
			for (int i = 0; i < N; i++) {
				for (int dy = 1; dy <= 2; dy++) {
					for (int dx = 1; dx <= 2; dx++) f[(j * PITCH + dy) * S + i * PITCH + dx] = 220;
				}
			}
		}
		return new Plane(S, S, Plane.Kind.GRAY8, f);
	}

	@Test
	void moreThan65535ObjectsAreAllLabelledAndReadBack(@TempDir final Path dir) {
		final List<AutoSegmenter.Found> found;
		// 64 x 64 tiles on a 48 pixel step: borders fall between squares; clicks at 4k + 2
		try (Segmenter seg = new Segmenter(new ThresholdModel(), "threshold",
			new EmbeddingCache(4)))
		{
			found = new AutoSegmenter(seg).run(squares(), Normalization.AUTO, new AutoParams(16, 0.5,
				0.9, 1, 0.7, 1, 0.25, 64, 16), null, null);
		}
		assertEquals(N * N, found.size(), "every square once, duplicates across tiles dropped");
		final int[] labels = AutoSegmenter.labelImage(found, S, S);
		int max = 0;
		for (final int l : labels) max = Math.max(max, l);
		assertEquals(N * N, max);
		assertThrows(AnySegException.class, () -> AutoSegmenter.labels(found, S, S),
			"16 bits refuse loudly rather than stop at 65535");

		final Path tif = dir.resolve("labels.tif");
		ImageFiles.writeLabels(tif, labels, S, S, null);
		final ImagePlus back = IJ.openImage(tif.toString());
		assertEquals(32, back.getBitDepth(), "32-bit float TIFF");
		final LabelVolume read = GroundTruth.read(tif, null);
		assertArrayEquals(labels, read.labels());

		// prompts from ground truth: one per object, the last one's label above 65535
		final List<GtPrompts.SlicePrompt> ps = GtPrompts.make(read, GtPrompts.Kind.parse("point"),
			0, 1);
		assertEquals(N * N, ps.size());
		assertEquals(N * N, ps.get(ps.size() - 1).prompt().label());
		final var pt = ps.get(ps.size() - 1).prompt().points().get(0);
		assertEquals(N * N, labels[(int) pt.y() * S + (int) pt.x()], "the click is on its object");
	}

	@Test
	void niftiSwitchesToInt32(@TempDir final Path dir) throws Exception {
		final Path src = dir.resolve("img.nii");
		final int nx = 300, ny = 250;
		// any 2-slice volume gives the geometry
		final org.anyseg.ops.io.nifti.NiftiHeader like = header(src, nx, ny, 2);
		final int[][] slices = new int[2][nx * ny];
		for (int i = 0; i < nx * ny; i++) {
			slices[0][i] = i + 1; // 75000 labels
			slices[1][i] = i % 7;
		}
		final Path out = dir.resolve("labels.nii.gz");
		org.anyseg.ops.io.nifti.NiftiWriter.writeLabels(out, like, slices);
		final NiftiVolume v = NiftiVolume.read(out);
		assertEquals(8, v.header().datatype(), "int32");
		final LabelVolume read = GroundTruth.read(out, null);
		for (int i = 0; i < nx * ny; i++) {
			assertEquals(slices[0][i], read.labels()[i]);
			assertEquals(slices[1][i], read.labels()[nx * ny + i]);
		}
	}

	/** A minimal little-endian NIfTI-1 float32 volume of zeros, written to read its header. */
	static org.anyseg.ops.io.nifti.NiftiHeader header(final Path file, final int nx,
		final int ny, final int nz) throws java.io.IOException
	{
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(352 + 4 * nx * ny * nz).order(
			java.nio.ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, 348);
		final short[] dim = { 3, (short) nx, (short) ny, (short) nz, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++) b.putShort(40 + 2 * i, dim[i]);
		b.putShort(70, (short) 16);
		b.putShort(72, (short) 32);
		for (int i = 0; i < 8; i++) b.putFloat(76 + 4 * i, 1f);
		b.putFloat(108, 352f);
		b.putFloat(112, 1f);
		b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
		java.nio.file.Files.write(file, b.array());
		return org.anyseg.ops.io.nifti.NiftiHeader.read(file);
	}
}

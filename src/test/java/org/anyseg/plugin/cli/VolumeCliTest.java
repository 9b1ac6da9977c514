package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.io.nifti.NiftiHeader;
import org.anyseg.ops.io.nifti.NiftiVolume;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment} on volumes as a user runs it: a NIfTI CT with a box on one slice and
 * --propagate gives a NIfTI label volume with the input's geometry; a prompt table with a z
 * column; TIFF stacks; and the bad inputs of the 3D issue (2D image, slice outside, 4D
 * without a volume choice, truncated file) each get a clear error and no output.
 */
class VolumeCliTest {

	@TempDir
	Path tmp;
	final StringWriter out = new StringWriter();
	final StringWriter err = new StringWriter();

	private int cli(final String... args) {
		return AnySegCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
	}

	@Test
	@Tag("realdata")
	void niftiBoxPropagatesToALabelVolumeWithTheInputsGeometry() {
		final Path ct = Fixtures.sharedData().resolve("totalseg_small_3d/example_ct_sm.nii.gz");
		final Path labels = tmp.resolve("labels.nii.gz");
		assertEquals(0, cli("segment", "--image", ct.toString(), "--box", "60,40,80,62",
			"--slice", "15", "--propagate", "--window", "ct-soft", "--min-iou", "0", "--out", labels
				.toString()), err.toString());
		final NiftiHeader in = NiftiHeader.read(ct), o = NiftiHeader.read(labels);
		assertArrayEquals(in.dims(), o.dims());
		assertArrayEquals(in.srow()[0], o.srow()[0]);
		assertEquals(in.sformCode(), o.sformCode());
		final NiftiVolume v = NiftiVolume.read(labels);
		int slices = 0;
		for (int z = 0; z < v.nz(); z++) {
			for (final float f : v.slice(z)) {
				if (f == 1) {
					slices++;
					break;
				}
			}
		}
		assertTrue(slices > 1, "propagated beyond the prompted slice: " + out);
		assertTrue(out.toString().contains("object 1 from slice 15 going up"), out.toString());
	}

	@Test
	void promptTableWithZAndATiffStack() throws IOException {
		final ij.ImageStack st = new ij.ImageStack(256, 192);
		for (int z = 0; z < 6; z++) {
			final ij.process.ByteProcessor bp = new ij.process.ByteProcessor(256, 192);
			bp.setValue(30);
			bp.fill();
			bp.setValue(220);
			bp.fillOval(20, 15, 16, 14);
			st.addSlice(bp);
		}
		final Path stack = tmp.resolve("stack.tif");
		ij.IJ.saveAsTiff(new ij.ImagePlus("stack", st), stack.toString());
		final Path csv = tmp.resolve("p.csv");
		Files.writeString(csv, "object,type,x0,y0,x1,y1,label,z\n3,box,18,13,38,31,,2\n" +
			"3,box,18,13,38,31,,5\n");
		final Path labels = tmp.resolve("labels.tif");
		assertEquals(0, cli("segment", "--image", stack.toString(), "--prompts", csv.toString(),
			"--out", labels.toString()), err.toString());
		final ij.ImagePlus imp = ij.IJ.openImage(labels.toString());
		assertEquals(6, imp.getStackSize());
		imp.setSlice(2);
		assertEquals(3, imp.getProcessor().getStatistics().max, "ImageJ slice 2 is prompted");
		imp.setSlice(1);
		assertEquals(0, imp.getProcessor().getStatistics().max, "not propagated without " +
			"--propagate");
	}

	@Test
	void aTwoDimensionalImageCannotPropagate() {
		final Path labels = tmp.resolve("l.tif");
		assertEquals(2, cli("segment", "--image", Fixtures.samOnnx().resolve("gray8.tif")
			.toString(), "--box", "10,10,40,40", "--propagate", "--out", labels.toString()));
		assertTrue(err.toString().contains("is 2D"), err.toString());
		assertFalse(Files.exists(labels));
	}

	@Test
	void sliceOutsideAndFourDAndTruncatedAreRefused() throws IOException {
		final Path fourD = Fixtures.root().getParent().resolve("nifti/nifti1_4d_be.nii.gz");
		final Path labels = tmp.resolve("l.nii.gz");
		assertEquals(2, cli("segment", "--image", fourD.toString(), "--box", "1,1,4,4", "--slice",
			"1", "--out", labels.toString()));
		assertTrue(err.toString().contains("4D NIfTI with 3 volumes"), err.toString());
		assertEquals(2, cli("segment", "--image", fourD.toString(), "--box", "1,1,4,4", "--slice",
			"9", "--frame", "2", "--out", labels.toString()));
		assertTrue(err.toString().contains("--slice 9 is outside the volume"), err.toString());
		final byte[] all = Files.readAllBytes(fourD);
		final Path cut = tmp.resolve("cut.nii.gz");
		Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
		assertEquals(2, cli("segment", "--image", cut.toString(), "--box", "1,1,4,4", "--slice",
			"1", "--frame", "1", "--out", labels.toString()));
		assertTrue(err.toString().toLowerCase().contains("truncated"), err.toString());
		assertFalse(Files.exists(labels));
	}
}

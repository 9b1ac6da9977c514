package org.anyseg.ops.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.volume.Propagation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the 3D object table counts voxels, calibrated volume, centroid and box in x, y,
 * z, slices covered and prompted, the mean predicted IoU of the slices and the prompts.
 */
class VolumeObjectTableTest {

	@TempDir
	Path tmp;

	@Test
	void measuresEachObjectOfAVolume() throws Exception {
		final int nx = 10, ny = 8;
		final short[][] l = new short[5][nx * ny];
		// object 1: a 2x3 block on slices 1..3 at x 2..3, y 4..6; object 70000 cannot be
		// in a 16-bit volume, but 65535 can (unsigned)
		for (int z = 1; z <= 3; z++) {
			for (int y = 4; y <= 6; y++) for (int x = 2; x <= 3; x++) l[z][y * nx + x] = 1;
		}
		l[4][0] = (short) 65535;
		final Propagation.Result r = new Propagation.Result(l, List.of(
			new Propagation.SliceResult(1, 2, true, 0.9f, 6), new Propagation.SliceResult(1, 1,
				false, 0.7f, 6), new Propagation.SliceResult(1, 3, false, 0.8f, 6)), List.of(), false);
		final VolumeObjectTable t = VolumeObjectTable.measure(l, nx, new double[] { 0.5, 0.5, 2 },
			"micron", r, List.of(new Propagation.Target(1, List.of(new Propagation.Seed(2,
				ObjectPrompt.ofBox(1, new BoxPrompt(2, 4, 4, 7)))))));
		assertEquals(2, t.rows().size());
		final VolumeObjectTable.Row a = t.rows().get(0);
		assertEquals(1, a.label());
		assertEquals(18, a.voxels());
		assertEquals(18 * 0.5, a.volume(), 1e-9);
		assertEquals(2.5, a.cx(), 1e-9);
		assertEquals(5, a.cy(), 1e-9);
		assertEquals(2, a.cz(), 1e-9);
		assertEquals(List.of(2, 4, 1, 2, 3, 3), List.of(a.bx(), a.by(), a.bz(), a.bw(), a.bh(), a
			.bd()));
		assertEquals(3, a.slices());
		assertEquals(1, a.prompted());
		assertEquals(0.8, a.meanIou(), 1e-6);
		assertEquals("z2: box(2,4,4,7)", a.prompt());
		final VolumeObjectTable.Row b = t.rows().get(1);
		assertEquals(65535, b.label());
		assertTrue(Double.isNaN(b.meanIou()));
		final Path csv = tmp.resolve("o.csv");
		t.writeCsv(csv);
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(String.join(",", VolumeObjectTable.COLUMNS).replace("volume,",
			"volume_um3,"), lines.get(0));
		assertEquals("1,18,9,2.5,5,2,2,4,1,2,3,3,3,1,0.8,\"z2: box(2,4,4,7)\"", lines.get(1));
		assertEquals(3, lines.size());
	}
}

package org.anyseg.plugin.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.anyseg.ops.io.PromptCsv;
import org.anyseg.ops.prompt.BoxPrompt;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.anyseg.ops.prompt.PointPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ShortProcessor;

/**
 * The prompt record is the table {@code segment --prompts} reads (same parser, z counted as
 * the CLI counts it), keeps one prompt per object and slice (a correction replaces it),
 * renumbers, and survives a recovery round trip with its label stack.
 */
class PromptRecordTest {

	@TempDir
	Path tmp;

	private static PromptRecord sample() {
		final PromptRecord r = new PromptRecord();
		r.put(3, 1, ObjectPrompt.ofBox(9, new BoxPrompt(10.5, 20, 40, 60)));
		r.put(3, 5, new ObjectPrompt(3, List.of(new PointPrompt(12, 13, true), new PointPrompt(1,
			2, false)), new BoxPrompt(0, 0, 30, 30), null));
		r.put(7, 2, ObjectPrompt.ofPoints(7, List.of(new PointPrompt(5, 6, true))));
		r.setPropagated(true);
		return r;
	}

	@Test
	void writtenTableIsReadBackByTheCliParser() throws Exception {
		final Path csv = tmp.resolve("p.csv");
		sample().write(csv, PromptRecord.notes("model", "demo", "sha256", "abc"), 1);
		final String text = Files.readString(csv);
		assertTrue(text.startsWith("object,type,x0,y0,x1,y1,label,z\n# model: demo\n"), text);
		final List<PromptCsv.SlicePrompt> rows = PromptCsv.readSlices(csv);
		assertEquals(3, rows.size());
		assertEquals(2, rows.get(0).z(), "written 1-based for a TIFF stack");
		assertEquals(10.5, rows.get(0).prompt().box().x0(), 0);
		assertEquals(2, rows.get(1).prompt().points().size());
		assertFalse(rows.get(1).prompt().points().get(1).positive());
		final PromptRecord back = PromptRecord.read(csv, 1);
		assertEquals(sample().targets().toString(), back.targets().toString());
		assertTrue(back.propagated());
	}

	@Test
	void aCorrectionOnAPromptedSliceReplacesItsPrompt() {
		final PromptRecord r = sample();
		r.put(3, 5, ObjectPrompt.ofBox(3, new BoxPrompt(1, 1, 5, 5)));
		assertEquals(List.of(1, 5), r.slices(3));
		assertEquals(5, r.targets().get(0).seeds().get(1).prompt().box().x1(), 0);
		assertEquals(8, r.nextLabel());
	}

	@Test
	void renumberingKeepsOrder() {
		final Map<Integer, Integer> map = new HashMap<>();
		final PromptRecord r = sample().renumbered(map);
		assertEquals(List.of(1, 2), r.labels());
		assertEquals(Map.of(3, 1, 7, 2), map);
		assertEquals(List.of(1, 5), r.slices(1));
	}

	@Test
	void recoveryRoundTrip() {
		System.setProperty(Recovery.ROOT_PROPERTY, tmp.resolve("rec").toString());
		try {
			final ImageStack st = new ImageStack(16, 8);
			for (int z = 0; z < 3; z++) st.addSlice(new ShortProcessor(16, 8));
			final ImagePlus imp = new ImagePlus("cells.tif", st);
			final Recovery rec = new Recovery(imp);
			assertFalse(rec.available());
			final ImageStack ls = new ImageStack(16, 8);
			for (int z = 0; z < 3; z++) {
				final ShortProcessor sp = new ShortProcessor(16, 8);
				sp.set(z, z + 1, 300 + z);
				ls.addSlice(sp);
			}
			rec.save(new ImagePlus("cells-labels", ls), sample(), PromptRecord.notes(), 1);
			assertTrue(rec.folder().startsWith(tmp.resolve("rec")));
			final Recovery again = new Recovery(new ImagePlus("cells.tif", st));
			assertTrue(again.available(), "the same image finds its folder");
			final ImagePlus l = again.labels();
			assertEquals(3, l.getStackSize());
			for (int z = 0; z < 3; z++) assertArrayEquals((short[]) ls.getPixels(z + 1), (short[]) l
				.getStack().getPixels(z + 1));
			assertEquals(sample().targets().toString(), again.record(1).targets().toString());
			again.discard();
			assertFalse(new Recovery(imp).available());
		}
		finally {
			System.clearProperty(Recovery.ROOT_PROPERTY);
		}
	}
}

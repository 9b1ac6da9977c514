package org.anyseg.ops.io;

import org.anyseg.ops.io.ij.ImagePlanes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Plane;
import org.junit.jupiter.api.Test;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;

/** Every ImageJ image kind becomes the right engine plane. */
class ImagePlanesTest {

	@Test
	void grayKindsKeepTheirValues() {
		final Plane p8 = ImagePlanes.of(new ByteProcessor(2, 1, new byte[] { 5, (byte) 250 }),
			false);
		assertEquals(Plane.Kind.GRAY8, p8.kind());
		assertArrayEquals(new float[] { 5, 250 }, p8.channel(0));
		final Plane p16 = ImagePlanes.of(new ShortProcessor(2, 1, new short[] { 7, (short) 60000 },
			null), false);
		assertEquals(Plane.Kind.GRAY16, p16.kind());
		assertArrayEquals(new float[] { 7, 60000 }, p16.channel(0));
		final float[] f = { -1000.5f, 3.25f };
		final Plane p32 = ImagePlanes.of(new FloatProcessor(2, 1, f), false);
		assertEquals(Plane.Kind.GRAY32, p32.kind());
		assertArrayEquals(f, p32.channel(0));
	}

	@Test
	void rgbIsSplitIntoChannels() {
		final Plane p = ImagePlanes.of(new ColorProcessor(1, 1, new int[] { 0x102030 }), false);
		assertEquals(Plane.Kind.RGB, p.kind());
		assertEquals(0x10, p.channel(0)[0]);
		assertEquals(0x20, p.channel(1)[0]);
		assertEquals(0x30, p.channel(2)[0]);
	}

	private static ImagePlus twoChannelStack() {
		final ImageStack st = new ImageStack(2, 1);
		// c1z1, c2z1, c1z2, c2z2
		st.addSlice(new ShortProcessor(2, 1, new short[] { 0, 100 }, null));
		st.addSlice(new ShortProcessor(2, 1, new short[] { 100, 0 }, null));
		st.addSlice(new ShortProcessor(2, 1, new short[] { 1, 2 }, null));
		st.addSlice(new ShortProcessor(2, 1, new short[] { 3, 4 }, null));
		final ImagePlus imp = new ImagePlus("hs", st);
		imp.setDimensions(2, 2, 1);
		return imp;
	}

	@Test
	void channelAndSliceAreChosen() {
		final Plane p = ImagePlanes.plane(twoChannelStack(), new PlaneSelection(2, 2, 1));
		assertArrayEquals(new float[] { 3, 4 }, p.channel(0));
	}

	@Test
	void compositeIsRenderedAsDisplayed() {
		final CompositeImage ci = new CompositeImage(twoChannelStack(), IJ.COMPOSITE);
		ci.setChannelLut(LUT.createLutFromColor(java.awt.Color.RED), 1);
		ci.setChannelLut(LUT.createLutFromColor(java.awt.Color.GREEN), 2);
		for (int c = 1; c <= 2; c++) {
			ci.getChannelLut(c).min = 0;
			ci.getChannelLut(c).max = 100;
		}
		final Plane p = ImagePlanes.plane(ci, PlaneSelection.FIRST);
		assertEquals(Plane.Kind.RGB, p.kind());
		assertArrayEquals(new float[] { 0, 255 }, p.channel(0), 3f, "red from channel 1 (ImageJ maps 0..100 to 0..253)");
		assertArrayEquals(new float[] { 255, 0 }, p.channel(1), 3f, "green from channel 2");
		assertArrayEquals(new float[] { 0, 0 }, p.channel(2), 1f);
	}

	@Test
	void missingPlaneIsAClearError() {
		final AnySegException e = assertThrows(AnySegException.class, () -> ImagePlanes.plane(
			twoChannelStack(), new PlaneSelection(1, 3, 1)));
		assertTrue(e.getMessage().contains("2 slice(s)"), e.getMessage());
	}
}

package org.anyseg.ops.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Plane;
import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;

class ImgLib2PlanesTest {

	@Test
	void rowMajorValuesAndKinds() {
		final Plane p = ImgLib2Planes.of(ArrayImgs.unsignedShorts(new short[] { 1, 2, 3, 4, 5,
			(short) 60000 }, 3, 2));
		assertEquals(3, p.width());
		assertEquals(2, p.height());
		assertEquals(Plane.Kind.GRAY16, p.kind());
		assertArrayEquals(new float[] { 1, 2, 3, 4, 5, 60000 }, p.channel(0));
		assertEquals(Plane.Kind.GRAY8, ImgLib2Planes.of(ArrayImgs.unsignedBytes(2, 2)).kind());
		assertEquals(Plane.Kind.GRAY32, ImgLib2Planes.of(ArrayImgs.doubles(2, 2)).kind());
	}

	@Test
	void refusesStacks() {
		assertThrows(AnySegException.class, () -> ImgLib2Planes.of(ArrayImgs.floats(2, 2, 2)));
	}
}

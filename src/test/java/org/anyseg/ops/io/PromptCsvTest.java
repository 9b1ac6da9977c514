package org.anyseg.ops.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.prompt.ObjectPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptCsvTest {

	@TempDir
	Path tmp;

	private Path csv(final String text) throws Exception {
		final Path p = tmp.resolve("p.csv");
		Files.writeString(p, text);
		return p;
	}

	@Test
	void groupsRowsByObject() throws Exception {
		final List<ObjectPrompt> o = PromptCsv.read(csv("object,type,x0,y0,x1,y1,label\n" +
			"5,box,1,2,30,40,\n" + "5,point,10,12,,,1\n" + "2,point,3,4,,,1\n" + "2,point,8,9,,,0\n"));
		assertEquals(2, o.size());
		assertEquals(2, o.get(0).label());
		assertNull(o.get(0).box());
		assertEquals(2, o.get(0).points().size());
		assertTrue(!o.get(0).points().get(1).positive());
		assertEquals(5, o.get(1).label());
		assertEquals(30, o.get(1).box().x1());
		assertEquals(1, o.get(1).points().size());
	}

	@Test
	void columnsAreFoundByName() throws Exception {
		final List<ObjectPrompt> o = PromptCsv.read(csv("type,image,object,x0,y0\npoint,a.tif,1," +
			"3,4\n"));
		assertEquals(3, o.get(0).points().get(0).x());
	}

	@Test
	void errorsNameTheLine() throws Exception {
		final AnySegException e = assertThrows(AnySegException.class, () -> PromptCsv.read(csv(
			"object,type,x0,y0,x1,y1,label\n1,box,1,2,30,40,\n1,circle,1,1,,,\n")));
		assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("circle"), e
			.getMessage());
		final AnySegException two = assertThrows(AnySegException.class, () -> PromptCsv.read(csv(
			"object,type,x0,y0,x1,y1,label\n1,box,1,2,30,40,\n1,box,1,2,3,4,\n")));
		assertTrue(two.getMessage().contains("second box"), two.getMessage());
		final AnySegException hdr = assertThrows(AnySegException.class, () -> PromptCsv.read(csv(
			"a,b\n1,2\n")));
		assertTrue(hdr.getMessage().contains("header lacks column 'object'"), hdr.getMessage());
	}
}

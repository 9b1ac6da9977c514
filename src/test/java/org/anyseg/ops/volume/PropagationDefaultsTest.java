package org.anyseg.ops.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's {@code propagation} block in {@code anyseg-model.json}: read, checked against
 * {@code Limits}, and applied by {@link Propagation.Options#defaults(ModelConfig)}.
 */
class PropagationDefaultsTest {

	@TempDir
	Path tmp;

	ModelConfig write(final String block) throws Exception {
		Files.writeString(tmp.resolve(ModelConfig.FILE), "{ \"propagation\": " + block + " }");
		return ModelConfig.read(tmp);
	}

	@Test
	void theModelsValuesAreTheDefaults() throws Exception {
		final Propagation.Options o = Propagation.Options.defaults(write(
			"{ \"min_iou\": 0.25, \"min_area_ratio\": 0.4, \"margin\": 0.3, \"follow\": \"box+point\" }"));
		assertEquals(0.25, o.minIou(), 1e-12);
		assertEquals(0.4, o.minAreaRatio(), 1e-12);
		assertEquals(0.3, o.margin(), 1e-12);
		assertEquals(Propagation.Follow.BOX_AND_POINT, o.follow());
		assertEquals(Propagation.Options.defaults(), Propagation.Options.defaults(ModelConfig.NONE));
	}

	@Test
	void badValuesAreRefusedWithTheirRange() throws Exception {
		final AnySegException a = assertThrows(AnySegException.class, () -> write(
			"{ \"min_area_ratio\": 2 }"));
		assertTrue(a.getMessage().contains("min_area_ratio"), a.getMessage());
		assertThrows(AnySegException.class, () -> write("{ \"max_slices\": 3 }"));
		assertThrows(AnySegException.class, () -> write("{ \"speed\": 3 }"));
		assertThrows(AnySegException.class, () -> write("{ \"follow\": \"mask\" }"));
	}

	@Test
	void theDemoShipsItsOwnValues() {
		final ModelConfig c = ModelConfig.of(ModelCatalog.demoFiles());
		assertTrue(c.propagation().numbers().containsKey("min_iou"), c.toString());
		assertEquals(c.propagation().numbers().get("min_iou"), Propagation.Options.defaults(c)
			.minIou(), 1e-12);
	}
}

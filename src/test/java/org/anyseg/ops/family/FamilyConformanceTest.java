package org.anyseg.ops.family;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;
import org.anyseg.testutil.Conformance;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.google.gson.JsonObject;

/**
 * Runs every fixture case of families B to E (made by {@code tools/fixtures/make_family_*.py}
 * with an independent Python implementation of each family's pre- and post-processing)
 * through the Java pipeline with the one harness {@link Conformance}: the model folder is
 * loaded as a user's would be (detection, or {@code anyseg-model.json}) and must be detected
 * as the variant's family, and each stage is compared; invalid prompts must be refused with
 * the expected message. Mask scores may be made from probabilities, so they are compared as
 * saturating logits.
 */
class FamilyConformanceTest {

	static final List<String> FAMILIES = List.of("sam2_split", "sam2_ort", "efficient_sams",
		"medical_sams");

	@Test
	void everyFamilyHasFixtures() {
		for (final String f : FAMILIES) {
			assertTrue(Files.isRegularFile(Fixtures.root().resolve(f).resolve("cases.json")), f);
		}
	}

	@TestFactory
	Stream<DynamicNode> everyCase() throws IOException {
		final List<DynamicNode> nodes = new ArrayList<>();
		for (final String f : FAMILIES) {
			final Path dir = Fixtures.root().resolve(f);
			if (!Files.isRegularFile(dir.resolve("cases.json"))) continue;
			final JsonObject all = Conformance.json(dir.resolve("cases.json"), JsonObject.class);
			final JsonObject variants = all.getAsJsonObject("variants");
			nodes.add(DynamicContainer.dynamicContainer(f, Conformance.tests(dir, all
				.getAsJsonArray("cases"), c -> {
					final JsonObject v = variants.getAsJsonObject(c.get("variant").getAsString());
					final PromptableModel m = ModelLoader.load(ModelLoader.filesIn(dir.resolve(v.get(
						"dir").getAsString())), RuntimeOptions.defaults());
					return new Conformance.Subject(m, EncoderDecoderStages.of(m), v.get("family_id")
						.getAsString(), true);
				})));
		}
		return nodes.stream();
	}
}

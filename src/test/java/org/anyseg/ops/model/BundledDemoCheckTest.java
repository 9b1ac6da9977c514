package org.anyseg.ops.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

/**
 * The bundled demo model is checked when AnySeg is built, not when a user starts it: its
 * anyseg-model.json carries the verdicts of this build's demo files and ONNX Runtime, and
 * loading it runs no check.
 */
class BundledDemoCheckTest {

	private final List<String> notices = new ArrayList<>();

	@AfterEach
	void restore() {
		ModelLoader.notices(null);
		GraphVerdicts.mode(GraphVerdicts.Mode.OFF);
	}

	@Test
	void theBundledVerdictsAreThisBuildsAndLoadingRunsNoCheck() {
		final List<ModelFile> files = ModelCatalog.demoFiles();
		final List<GraphCheck.Verdict> now = GraphCheck.check(files, ModelConfig.of(files),
			RuntimeOptions.defaults(), notices::add);
		final Map<String, JsonObject> recorded = GraphVerdicts.read(files);
		final String json = new GsonBuilder().setPrettyPrinting().create().toJson(GraphVerdicts
			.toJson(now, RuntimeOptions.defaults()));
		for (final GraphCheck.Verdict v : now) {
			final JsonObject r = recorded.get(v.sha256());
			assertNotNull(r, v.file() + " (SHA-256 " + v.sha256() + ") has no verdict in the " +
				"bundled anyseg-model.json: set its \"" + GraphVerdicts.KEY + "\" to " + json);
			assertEquals(v.setting().id(), r.get("setting").getAsString(), json);
			assertEquals(GraphCheck.runtime(), r.get("onnxruntime").getAsString(), json);
		}
		GraphVerdicts.mode(GraphVerdicts.Mode.RECORD);
		notices.clear();
		ModelLoader.notices(notices::add);
		ModelLoader.load(files, RuntimeOptions.defaults()).close();
		assertEquals(List.of(), notices, "loading the demo ran the check");
	}
}

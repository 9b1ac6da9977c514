package org.anyseg.ops.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelZoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A catalogue is validated as a whole before use: model and file names are single path
 * components, and malformed entries give an error naming the entry, never a
 * NullPointerException; an installer given a bad entry writes nothing anywhere.
 */
class CatalogueNamesTest {

	@TempDir
	Path tmp;

	static final String SHA = "ab".repeat(32);

	private static String file(final String name) {
		return "{\"name\":" + name + ",\"url\":\"https://example.org/f\",\"size\":10," +
			"\"sha256\":\"" + SHA + "\"}";
	}

	private static String entry(final String name, final String fileName) {
		return "{\"name\":" + name + ",\"family\":\"sam\",\"licence\":\"X\",\"files\":[" + file(
			fileName) + "]}";
	}

	private ModelZoo read(final String json) throws IOException {
		final Path p = tmp.resolve("cat.json");
		Files.writeString(p, json);
		return ModelZoo.read(p);
	}

	private AnySegException refused(final String json) {
		final AnySegException e = assertThrows(AnySegException.class, () -> read(json), json);
		assertTrue(e.getMessage().startsWith("Model catalogue "), e.getMessage());
		assertTrue(e.getMessage().contains("fix the catalogue"), e.getMessage());
		return e;
	}

	static final List<String> BAD_NAMES = List.of("../evil", "..", ".", "a/b", "/abs",
		"/tmp/evil", "a\\\\b", "..\\\\evil", "C:evil", "x/../../y", "", " ", ".hidden", "a..b",
		"sub/", "na\\u0000me", "\\u00e9\\u202e", "a b", "a:b");

	@Test
	void modelNamesMustBeOnePathComponent() {
		for (final String n : BAD_NAMES) {
			final AnySegException e = refused("{\"models\":[" + entry("\"" + n + "\"",
				"\"encoder.onnx\"") + "]}");
			assertTrue(e.getMessage().contains("entry #1"), e.getMessage());
			assertTrue(e.getMessage().contains("model name"), e.getMessage());
		}
	}

	@Test
	void fileNamesMustBeOnePathComponent() {
		for (final String n : BAD_NAMES) {
			final AnySegException e = refused("{\"models\":[" + entry("\"ok\"", "\"enc.onnx\"") + "," +
				entry("\"good-model\"", "\"" + n + "\"") + "]}");
			assertTrue(e.getMessage().contains("entry #2 'good-model'"), e.getMessage());
			assertTrue(e.getMessage().contains("file #1"), e.getMessage());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "null", "{}", "{\"models\":null}", "{\"models\":[null]}",
		"{\"models\":[{}]}", "{\"models\":[{\"name\":\"m\"}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\"}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":null}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[null]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"prompts\":[null],\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\",\"size\":-1}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\",\"sha256\":\"abc\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\",\"sha256\":\"\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\",\"sha256\":\"zz\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\",\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\",\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x y.org/e\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\"},{\"name\":\"e.onnx\",\"url\":\"https://x.org/f\"}]}]}",
		"{\"models\":[{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\"}]},{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":\"https://x.org/e\"}]}]}" })
	void malformedCataloguesFailClearlyNotWithANullPointer(final String json) {
		final AnySegException e = refused(json);
		assertFalse(e.getCause() instanceof NullPointerException, e.toString());
		if (json.contains("\"name\":\"m\"")) {
			assertTrue(e.getMessage().contains("'m'"), "names the entry: " + e.getMessage());
		}
	}

	@Test
	void goodCataloguesStillRead() throws IOException {
		final ModelZoo z = read("{\"models\":[" + entry("\"sam-vit_b.2+q\"", "\"encoder.onnx\"") +
			",{\"name\":\"m\",\"family\":\"sam\",\"files\":[{\"name\":\"e.onnx\",\"url\":" +
			"\"https://x.org/e\",\"size\":null,\"sha256\":null}]}]}");
		assertEquals(2, z.entries().size());
		assertEquals(-1, z.get("m").size());
		assertNotNull(ModelZoo.bundled().get("mobilesam"));
		for (final ModelZoo.Entry e : ModelZoo.bundled().entries()) ModelZoo.validate(e, "bundled");
	}

	/** An entry made in code (not read from a file) is checked again by the installer. */
	@Test
	void theInstallerWritesNothingForABadEntry() throws IOException {
		final Path models = tmp.resolve("deep/models");
		final ModelCatalog catalog = new ModelCatalog(models);
		final ModelInstaller installer = new ModelInstaller(new Downloader(500, 500,
			LoopbackOnlyHttpTest.FAKE));
		final ModelZoo.File good = new ModelZoo.File("e.onnx", "https://x.org/e", 1L, null, null);
		for (final String n : List.of("../evil", "..", "/tmp/evil-anyseg", "a/b", "", ".x")) {
			final ModelZoo.Entry bad = new ModelZoo.Entry(n, "T", "sam", List.of(), "X", false, "",
				"", List.of(good));
			final AnySegException e = assertThrows(AnySegException.class, () -> installer.install(
				bad, catalog, null, () -> false), n);
			assertTrue(e.getMessage().contains("model name"), e.getMessage());
			for (final String f : List.of("e.onnx", "../e.onnx", "/etc/e.onnx", "a\\\\e.onnx")) {
				final ModelZoo.Entry badFile = new ModelZoo.Entry("ok", "T", "sam", List.of(), "X",
					false, "", "", List.of(new ModelZoo.File(f, "https://x.org/e", 1L, null, null)));
				if (f.equals("e.onnx")) continue;
				assertThrows(AnySegException.class, () -> installer.install(badFile, catalog, null,
					() -> false), f);
			}
		}
		try (Stream<Path> s = Files.walk(tmp)) {
			assertEquals(List.of(tmp), s.toList(), "nothing was written anywhere");
		}
	}
}

package org.anyseg.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.ops.model.ModelFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/** Where test fixtures and the shared real data live. */
public final class Fixtures {

	private Fixtures() {}

	/** The folder of all conformance fixtures. */
	public static Path root() {
		return Paths.get("src/test/resources/fixtures").toAbsolutePath();
	}

	public static Path samOnnx() {
		return root().resolve("sam_onnx");
	}

	public static List<ModelFile> samOnnxModel(final String encoder, final String decoder) {
		return List.of(ModelFile.of(samOnnx().resolve(encoder)), ModelFile.of(samOnnx().resolve(
			decoder)));
	}

	/**
	 * A model folder {@code folder} (created) holding the bundled demo's ONNX files and
	 * {@code json} as its anyseg-model.json (tests that need the demo with other defaults).
	 */
	public static Path demoModelWith(final Path folder, final String json) throws IOException {
		Files.createDirectories(folder);
		for (final String f : new String[] { "encoder.onnx", "decoder.onnx" }) {
			try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(
				"org/anyseg/models/demo/" + f))
			{
				Files.copy(in, folder.resolve(f));
			}
		}
		Files.writeString(folder.resolve("anyseg-model.json"), json);
		return folder;
	}

	/**
	 * {@code ../shared/data}, or the test is skipped with a message saying why. Tests that
	 * read it carry the tag {@code realdata}.
	 */
	public static Path sharedData() {
		final Path p = sharedDataPath();
		Assumptions.assumeTrue(Files.isDirectory(p), "Skipped: real data folder " + p +
			" is absent (it lies beside the checkout in CI; a fresh clone does not have it).");
		return p;
	}

	/**
	 * The dynamic tests that {@code tests} makes from {@code ../shared/data}, for a
	 * {@code @TestFactory}; when the folder is absent, one test named {@code name} that is
	 * skipped with the message of {@link #sharedData()}. (An assumption that fails in the
	 * factory itself drops the factory from the report without a trace.)
	 */
	public static Stream<DynamicTest> sharedDataTests(final String name,
		final SharedDataTests tests) throws Exception
	{
		if (!Files.isDirectory(sharedDataPath())) {
			return Stream.of(DynamicTest.dynamicTest(name, Fixtures::sharedData));
		}
		return tests.make(sharedData());
	}

	/** Makes dynamic tests from the real data folder. */
	@FunctionalInterface
	public interface SharedDataTests {

		Stream<DynamicTest> make(Path sharedData) throws Exception;
	}

	private static Path sharedDataPath() {
		return Paths.get("..", "shared", "data").toAbsolutePath().normalize();
	}
}

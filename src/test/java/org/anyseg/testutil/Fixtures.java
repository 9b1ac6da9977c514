package org.anyseg.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.anyseg.ops.model.ModelFile;
import org.junit.jupiter.api.Assumptions;

/** Where test fixtures and the shared real data live. */
public final class Fixtures {

	private Fixtures() {}

	/** The folder of all conformance fixtures. */
	public static Path root() {
		return Paths.get("src/test/resources/fixtures").toAbsolutePath();
	}

	public static Path familyA() {
		return root().resolve("family_a");
	}

	public static List<ModelFile> familyAModel(final String encoder, final String decoder) {
		return List.of(ModelFile.of(familyA().resolve(encoder)), ModelFile.of(familyA().resolve(
			decoder)));
	}

	/** {@code ../shared/data}, or the test is skipped with a message saying why. */
	public static Path sharedData() {
		final Path p = Paths.get("..", "shared", "data").toAbsolutePath().normalize();
		Assumptions.assumeTrue(Files.isDirectory(p), "Skipped: real data folder " + p +
			" is absent (it lies beside the checkout in CI; a fresh clone does not have it).");
		return p;
	}
}

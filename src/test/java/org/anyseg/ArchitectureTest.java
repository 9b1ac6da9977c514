package org.anyseg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The engine (ops/) must stay free of UI and of the Fiji adapters (plugin/). */
class ArchitectureTest {

	private static final Pattern FORBIDDEN = Pattern.compile(
		"^\\s*import\\s+(static\\s+)?(ij\\.gui|java\\.awt|javax\\.swing|org\\.anyseg\\.plugin)" +
			"[.;]", Pattern.MULTILINE);
	private static final Pattern QUALIFIED = Pattern.compile(
		"\\b(ij\\.gui|java\\.awt|javax\\.swing|org\\.anyseg\\.plugin)\\.[A-Za-z]");

	@Test
	void opsDependsOnNoUiAndNoPlugin() throws IOException {
		final Path ops = Paths.get("ops/src/main/java");
		assertTrue(Files.isDirectory(ops));
		final List<Path> sources;
		try (Stream<Path> s = Files.walk(ops)) {
			sources = s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
		}
		assertTrue(sources.size() > 10, "found the engine sources");
		final List<String> offenders = sources.stream().filter(p -> {
			try {
				final String code = Files.readString(p);
				return FORBIDDEN.matcher(code).find() || QUALIFIED.matcher(code).find();
			}
			catch (final IOException e) {
				throw new IllegalStateException(e);
			}
		}).map(Path::toString).collect(Collectors.toList());
		assertEquals(List.of(), offenders);
		for (final Path p : sources) {
			assertTrue(p.toString().replace('\\', '/').contains("org/anyseg/ops/"), p +
				" is outside org.anyseg.ops");
		}
	}

	@Test
	void detectorCatchesAViolation() {
		assertTrue(FORBIDDEN.matcher("package x;\nimport java.awt.Color;\n").find());
		assertTrue(QUALIFIED.matcher("new javax.swing.JFrame()").find());
	}
}

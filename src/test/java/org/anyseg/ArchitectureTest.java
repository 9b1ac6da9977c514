package org.anyseg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The engine (ops/) must stay free of UI and of the Fiji adapters (plugin/); ImageJ 1 lives
 * at its edge only ({@link #IJ_ALLOWED}); no two packages depend on each other, directly or
 * through others.
 */
class ArchitectureTest {

	/** Engine packages allowed to use ImageJ 1 ({@code ij.*}): the image readers. */
	static final List<String> IJ_ALLOWED = List.of("org.anyseg.ops.io.ij");
	private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);",
		Pattern.MULTILINE);
	private static final Pattern ANYSEG_REF = Pattern.compile(
		"\\b(org\\.anyseg\\.[a-z][a-z0-9.]*?)\\.[A-Z]");
	private static final Pattern IJ_REF = Pattern.compile("(?<![\\w.])ij\\.[A-Za-z]");

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

	/** Package to the packages its sources name (imports and qualified names). */
	static Map<String, Set<String>> packageGraph(final List<Path> roots) throws IOException {
		final Map<String, Set<String>> deps = new TreeMap<>();
		for (final Path root : roots) {
			try (Stream<Path> s = Files.walk(root)) {
				for (final Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
					final String code = Files.readString(p);
					final Matcher pm = PACKAGE.matcher(code);
					if (!pm.find()) continue;
					final Set<String> out = deps.computeIfAbsent(pm.group(1), k -> new TreeSet<>());
					final Matcher m = ANYSEG_REF.matcher(code);
					while (m.find()) if (!m.group(1).equals(pm.group(1))) out.add(m.group(1));
				}
			}
		}
		return deps;
	}

	/** The package cycles of a graph (strongly connected groups of two or more), each sorted. */
	static List<List<String>> cycles(final Map<String, Set<String>> deps) {
		final List<List<String>> out = new ArrayList<>();
		final Set<String> nodes = new TreeSet<>(deps.keySet());
		deps.values().forEach(nodes::addAll);
		for (final String a : nodes) {
			final Set<String> group = new TreeSet<>();
			for (final String b : nodes) if (reaches(deps, a, b) && reaches(deps, b, a)) group.add(b);
			if (group.size() > 1 && group.iterator().next().equals(a)) out.add(new ArrayList<>(group));
		}
		return out;
	}

	private static boolean reaches(final Map<String, Set<String>> deps, final String from,
		final String to)
	{
		final Deque<String> todo = new ArrayDeque<>(List.of(from));
		final Set<String> seen = new HashSet<>();
		while (!todo.isEmpty()) {
			final String x = todo.pop();
			for (final String y : deps.getOrDefault(x, Set.of())) {
				if (y.equals(to)) return true;
				if (seen.add(y)) todo.push(y);
			}
		}
		return false;
	}

	@Test
	void noPackageCycles() throws IOException {
		final Map<String, Set<String>> g = packageGraph(List.of(Paths.get("ops/src/main/java"),
			Paths.get("plugin/src/main/java")));
		assertTrue(g.size() > 15, "found the packages: " + g.keySet());
		final List<List<String>> c = cycles(g);
		assertEquals(List.of(), c, "package cycles (each group depends on itself through the " +
			"others): " + c);
	}

	@Test
	void imageJ1OnlyAtTheEnginesEdge() throws IOException {
		final List<String> offenders = new ArrayList<>();
		try (Stream<Path> s = Files.walk(Paths.get("ops/src/main/java"))) {
			for (final Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
				final String code = Files.readString(p);
				final Matcher pm = PACKAGE.matcher(code);
				if (pm.find() && !IJ_ALLOWED.contains(pm.group(1)) && IJ_REF.matcher(code).find()) {
					offenders.add(p.toString());
				}
			}
		}
		assertEquals(List.of(), offenders, "engine classes using ImageJ 1 outside " + IJ_ALLOWED);
	}

	@Test
	void cycleAndImageJDetectorsCatchViolations() {
		final Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of(
			"a"), "d", Set.of("a"));
		assertEquals(List.of(List.of("a", "b", "c")), cycles(g));
		assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of("c"))));
		assertTrue(IJ_REF.matcher("import ij.ImagePlus;").find());
		assertTrue(IJ_REF.matcher("final ij.process.ImageProcessor p;").find());
		assertTrue(!IJ_REF.matcher("import org.anyseg.ops.io.ij.ImageFiles;").find());
	}
}

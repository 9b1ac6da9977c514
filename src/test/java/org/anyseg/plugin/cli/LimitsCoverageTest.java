package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.anyseg.ops.Limits;
import org.anyseg.plugin.fiji.AnySegService;
import org.junit.jupiter.api.Test;
import org.scijava.ItemIO;
import org.scijava.plugin.Parameter;

import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Issue 15: no number can skip the table. Every numeric {@code @Option} field of the CLI's
 * classes and every numeric {@code @Parameter} input of the Fiji commands has a
 * {@link Limits} entry (by option name, by field name); the Fiji fields' labels are the
 * table's and their dialog bounds ({@code min}, {@code max}) are its range.
 */
public class LimitsCoverageTest {

	private static final Set<Class<?>> NUMBERS = Set.of(int.class, long.class, double.class,
		float.class, short.class, byte.class);

	static boolean numeric(final Class<?> c) {
		return NUMBERS.contains(c) || Number.class.isAssignableFrom(c);
	}

	static boolean numeric(final OptionSpec o) {
		return numeric(o.type());
	}

	/** The compiled classes of the package that holds {@code anchor}. */
	public static List<Class<?>> classesBeside(final Class<?> anchor) throws Exception {
		final Path dir = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation()
			.toURI()).resolve(anchor.getPackageName().replace('.', '/'));
		final List<Class<?>> out = new ArrayList<>();
		try (Stream<Path> s = Files.list(dir)) {
			for (final Path p : s.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
				final String name = p.getFileName().toString();
				out.add(Class.forName(anchor.getPackageName() + "." + name.substring(0, name.length() -
					6), false, anchor.getClassLoader()));
			}
		}
		return out;
	}

	@Test
	void everyNumericCliOptionHasATableEntry() throws Exception {
		final List<String> missing = new ArrayList<>();
		int found = 0;
		for (final Class<?> c : classesBeside(AnySegCli.class)) {
			for (final Field f : c.getDeclaredFields()) {
				final Option o = f.getAnnotation(Option.class);
				if (o == null || !numeric(f.getType())) continue;
				found++;
				final String longest = Stream.of(o.names()).max((a, b) -> a.length() - b.length())
					.orElseThrow();
				if (Limits.forOption(longest).isEmpty()) missing.add(c.getSimpleName() + "." + f
					.getName() + " " + longest);
			}
		}
		assertEquals(List.of(), missing, "numeric options without a Limits entry");
		// the same through picocli's model (mixins included), as OptionLimits checks them
		for (final List<OptionSpec> opts : CliLimitsTest.numericOptions().values()) {
			for (final OptionSpec o : opts) {
				assertTrue(Limits.forOption(o.longestName()).isPresent(), o.longestName());
			}
		}
		assertTrue(found >= 20, "numeric options found: " + found);
	}

	@Test
	void everyNumericFijiParameterHasATableEntryWithItsLabelAndBounds() throws Exception {
		final List<String> wrong = new ArrayList<>();
		int found = 0;
		for (final Class<?> c : classesBeside(AnySegService.class)) {
			for (final Field f : c.getDeclaredFields()) {
				final Parameter p = f.getAnnotation(Parameter.class);
				if (p == null || p.type() == ItemIO.OUTPUT || !numeric(f.getType())) continue;
				found++;
				final String where = c.getSimpleName() + "." + f.getName();
				final Limits l = Limits.forKey(f.getName()).orElse(null);
				if (l == null) {
					wrong.add(where + ": no Limits entry");
					continue;
				}
				if (!p.label().equals(l.label)) wrong.add(where + ": label '" + p.label() +
					"', table '" + l.label + "'");
				if (!p.min().equals(bound(l.lo)) || !p.max().equals(bound(l.hi))) {
					wrong.add(where + ": dialog bounds " + p.min() + ".." + p.max() + ", table " + bound(
						l.lo) + ".." + bound(l.hi));
				}
			}
		}
		assertEquals(List.of(), wrong);
		assertTrue(found >= 13, "numeric parameters found: " + found);
	}

	private static String bound(final double d) {
		return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
	}
}

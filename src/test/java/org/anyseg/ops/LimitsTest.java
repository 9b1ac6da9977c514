package org.anyseg.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the one table of numbers ({@link Limits}). Every entry is tried with the same
 * variants: well below and just below its range, just above and well above, NaN, both
 * infinities, a fraction where whole numbers are needed; all refused with a message naming
 * the key, the CLI option and the range; the bounds and a middle value pass. The entry
 * points reuse these variants ({@code CliLimitsTest}, {@code FijiLimitsTest},
 * {@code MacroLimitsTest}, the JSON test below).
 */
public class LimitsTest {

	@TempDir
	Path tmp;

	/** The refused variants of an entry, by name. */
	public static Map<String, Double> bad(final Limits l) {
		final Map<String, Double> m = new LinkedHashMap<>();
		m.put("well below", l.lo - 1 < l.lo ? l.lo - 1 : Math.nextDown(l.lo) * 2);
		m.put("just below", Math.nextDown(l.lo));
		m.put("just above", Math.nextUp(l.hi));
		m.put("well above", l.hi + 1 > l.hi ? l.hi + 1 : Math.nextUp(l.hi) * 2);
		m.put("NaN", Double.NaN);
		m.put("+Infinity", Double.POSITIVE_INFINITY);
		m.put("-Infinity", Double.NEGATIVE_INFINITY);
		if (l.whole) m.put("fraction", inRange(l) + 0.5);
		return m;
	}

	/** A value inside the range, whole where it must be. */
	public static double inRange(final Limits l) {
		final double mid = l.lo / 2 + l.hi / 2;
		return l.whole ? Math.floor(mid) : mid;
	}

	/** The message names the key, the CLI option (when there is one) and the range. */
	public static void assertNamesRange(final Limits l, final String message) {
		assertTrue(message.contains(l.key) && message.contains(l.range()) && (l.cli == null ||
			message.contains(l.cli)), l + ": " + message);
	}

	@Test
	void everyEntryRefusesEveryBadVariantAndTakesItsRange() {
		int tried = 0;
		for (final Limits l : Limits.values()) {
			for (final Map.Entry<String, Double> b : bad(l).entrySet()) {
				final AnySegException e = assertThrows(AnySegException.class, () -> l.check(b
					.getValue()), l + " " + b.getKey());
				assertNamesRange(l, e.getMessage());
				assertTrue(e.getMessage().startsWith(l.group.title + ": "), e.getMessage());
				assertFalse(l.allows(b.getValue()));
				tried++;
			}
			for (final double ok : new double[] { l.lo, l.hi, inRange(l) }) {
				assertEquals(ok, l.check(ok), l + " " + ok);
			}
			tried += 3;
		}
		assertTrue(tried >= Limits.values().length * 10, "variants tried: " + tried);
	}

	@Test
	void theTableIsConsistent() {
		final Set<String> keys = new HashSet<>(), options = new HashSet<>();
		for (final Limits l : Limits.values()) {
			assertTrue(l.lo < l.hi && Double.isFinite(l.lo) && Double.isFinite(l.hi), l.toString());
			assertTrue(l.key.matches("[a-z][a-z0-9_]*"), l.key);
			assertTrue(keys.add(l.key), "one entry per key: " + l.key);
			if (l.cli != null) {
				assertTrue(options.add(l.cli), "one entry per option: " + l.cli);
				assertEquals("--" + l.key.replace('_', '-'), l.cli, "CLI options are the keys");
			}
			assertFalse(l.meaning.isBlank());
			if (l.whole) assertEquals(Math.rint(l.lo), l.lo, l.toString());
		}
		assertEquals(RuntimeOptions.MAX_THREADS, (int) Limits.THREADS.hi);
		// segment everything: every key anyseg-model.json takes has its entry
		for (final String k : ModelConfig.SEGMENT_EVERYTHING_KEYS) {
			assertTrue(ModelConfig.SEGMENT_EVERYTHING_RANGES.containsKey(k), k);
		}
		assertEquals(List.of(1.0, 1024.0, 1.0), ModelConfig.SEGMENT_EVERYTHING_RANGES.get(
			"points_per_side"));
		assertEquals("a whole number from -9223372036854775808 to 9223372036854775807",
			Limits.SEED.range());
	}

	/** anyseg-model.json: every number it may hold, each bad variant JSON can spell. */
	@Test
	void theModelsJsonIsCheckedAgainstTheTable() throws Exception {
		final List<Limits> json = new ArrayList<>();
		for (final String k : ModelConfig.SEGMENT_EVERYTHING_KEYS) json.add(Limits.forKey(k)
			.orElseThrow());
		json.add(Limits.INPUT_SIZE);
		int tried = 0;
		for (final Limits l : json) {
			for (final Map.Entry<String, Double> b : bad(l).entrySet()) {
				final String v = Double.isNaN(b.getValue()) ? "NaN" : Double.isInfinite(b.getValue())
					? (b.getValue() > 0 ? "Infinity" : "-Infinity") : String.valueOf(b.getValue());
				final Path dir = Files.createDirectories(tmp.resolve(l.key + tried));
				Files.writeString(dir.resolve(ModelConfig.FILE), l == Limits.INPUT_SIZE ?
					"{\"input_size\": " + v + "}" : "{\"segment_everything\": {\"" + l.key + "\": " + v +
						"}}");
				final AnySegException e = assertThrows(AnySegException.class, () -> ModelConfig.read(
					dir), l + " " + b.getKey());
				assertNamesRange(l, e.getMessage());
				assertTrue(e.getMessage().contains(ModelConfig.FILE), e.getMessage());
				tried++;
			}
			final Path dir = Files.createDirectories(tmp.resolve(l.key + "-ok"));
			final double ok = l == Limits.TILE_OVERLAP ? 0 : inRange(l);
			Files.writeString(dir.resolve(ModelConfig.FILE), l == Limits.INPUT_SIZE ?
				"{\"input_size\": " + ok + "}" : "{\"segment_everything\": {\"" + l.key + "\": " + ok +
					"}}");
			final ModelConfig c = ModelConfig.read(dir);
			assertEquals(ok, l == Limits.INPUT_SIZE ? c.inputSize() : c.segmentEverything().get(
				l.key), 1e-12, l.toString());
		}
		assertTrue(tried >= 70, "variants tried: " + tried);
	}
}

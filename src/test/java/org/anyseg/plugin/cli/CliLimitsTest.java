package org.anyseg.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.anyseg.ops.Limits;
import org.anyseg.ops.LimitsTest;
import org.anyseg.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Issue 15: every numeric option of every command, with every variant of
 * {@link LimitsTest#bad} (below, above, NaN, infinities, a fraction for a whole number), on
 * real inputs: exit code 2, a message naming the option and its range, and nothing written.
 * An in-range value gets past the check (the run then stops at a missing input file).
 */
class CliLimitsTest {

	@TempDir
	Path tmp;

	private record Run(int rc, String err) {}

	private Run cli(final List<String> args) {
		final StringWriter err = new StringWriter();
		final int rc = AnySegCli.run(args.toArray(String[]::new), new PrintWriter(
			new StringWriter(), true), new PrintWriter(err, true));
		return new Run(rc, err.toString());
	}

	/** A value as a user types it: whole numbers in full, never in E notation. */
	static String text(final double v) {
		if (Double.isNaN(v)) return "NaN";
		if (Double.isInfinite(v)) return v > 0 ? "Infinity" : "-Infinity";
		return v == Math.rint(v) ? new BigDecimal(v).toPlainString() : String.valueOf(v);
	}

	/** Every command with numeric options and its options. */
	static Map<String, List<OptionSpec>> numericOptions() {
		final Map<String, List<OptionSpec>> m = new java.util.TreeMap<>();
		final Stream.Builder<CommandLine> all = Stream.builder();
		collect(new CommandLine(new AnySegCli()), all);
		all.build().forEach(c -> {
			final List<OptionSpec> num = c.getCommandSpec().options().stream().filter(
				LimitsCoverageTest::numeric).toList();
			if (!num.isEmpty()) m.put(c.getCommandSpec().qualifiedName(" "), num);
		});
		return m;
	}

	private static void collect(final CommandLine c, final Stream.Builder<CommandLine> out) {
		out.add(c);
		for (final CommandLine s : c.getSubcommands().values()) collect(s, out);
	}

	@Test
	void everyNumericOptionRefusesEveryBadVariantBeforeReadingAnything() throws Exception {
		final Path image = Files.copy(Fixtures.samOnnx().resolve("gray8.tif"), tmp.resolve(
			"in.tif"));
		final Path images = Files.createDirectories(tmp.resolve("images"));
		Files.copy(image, images.resolve("a.tif"));
		final Path gt = Files.createDirectories(tmp.resolve("gt"));
		final ShortProcessor labels = new ShortProcessor(32, 32);
		labels.setRoi(4, 4, 10, 10);
		labels.setValue(1);
		labels.fill();
		new FileSaver(new ImagePlus("a", labels)).saveAsTiff(gt.resolve("a.tif").toString());
		final Path out = tmp.resolve("out"), outFile = tmp.resolve("out.tif");
		final Path missing = tmp.resolve("missing.tif");
		final Map<String, List<String>> real = Map.of( //
			"anyseg segment", List.of("segment", "--image", image.toString(), "--box",
				"60,50,130,115", "--out", outFile.toString()), //
			"anyseg auto", List.of("auto", "--image", image.toString(), "--out", outFile
				.toString()), //
			"anyseg batch", List.of("batch", "--input", images.toString(), "--prompts-from",
				"gt:" + gt + ":box", "--out", out.toString()), //
			"anyseg evaluate", List.of("evaluate", "--gt", gt.toString(), "--pred", "a=" + gt,
				"--out", out.toString()), //
			"anyseg embed", List.of("embed", "--input", image.toString(), "--out", out.toString()));
		final Map<String, List<String>> stopsAtAFile = Map.of( //
			"anyseg segment", List.of("segment", "--image", missing.toString(), "--box", "1,1,5,5",
				"--out", out.toString()), //
			"anyseg auto", List.of("auto", "--image", missing.toString(), "--out", out.toString()), //
			"anyseg batch", List.of("batch", "--input", images.toString(), "--prompts-from",
				"rois", "--out", out.toString(), "--model", tmp.resolve("no-model").toString()), //
			"anyseg evaluate", List.of("evaluate", "--gt", tmp.resolve("no-gt").toString(),
				"--pred", "a=" + gt, "--out", out.toString()), //
			"anyseg embed", List.of("embed", "--input", missing.toString(), "--out", out
				.toString()));
		final Map<String, List<OptionSpec>> options = numericOptions();
		assertEquals(real.keySet(), options.keySet(), "commands with numeric options");
		int runs = 0;
		for (final Map.Entry<String, List<OptionSpec>> c : options.entrySet()) {
			for (final OptionSpec o : c.getValue()) {
				final Limits l = Limits.forOption(o.longestName()).orElseThrow();
				for (final Map.Entry<String, Double> b : LimitsTest.bad(l).entrySet()) {
					final List<String> args = new ArrayList<>(real.get(c.getKey()));
					args.add(o.longestName() + "=" + text(b.getValue()));
					final Run r = cli(args);
					final String what = String.join(" ", args) + ": " + r.err();
					assertEquals(2, r.rc(), what);
					assertTrue(r.err().contains(o.longestName()) && r.err().contains(l.range()), what);
					assertFalse(r.err().contains("unexpected"), what);
					assertFalse(Files.exists(out) || Files.exists(outFile), "nothing written: " + what);
					runs++;
				}
				final List<String> args = new ArrayList<>(stopsAtAFile.get(c.getKey()));
				args.add(o.longestName() + "=" + text(l == Limits.TILE_SIZE ? 1024 : LimitsTest
					.inRange(l)));
				final Run r = cli(args);
				assertEquals(2, r.rc(), String.join(" ", args) + ": " + r.err());
				assertFalse(r.err().contains(l.range()), "in range: " + r.err());
				runs++;
			}
		}
		assertTrue(runs > 150, "runs: " + runs);
	}
}

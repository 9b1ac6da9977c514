package org.anyseg.plugin.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.anyseg.ops.Limits;
import org.anyseg.ops.LimitsTest;
import org.anyseg.plugin.cli.LimitsCoverageTest;
import org.anyseg.testutil.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleService;
import org.scijava.plugin.Parameter;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;

/**
 * Issue 15: every numeric field of every Fiji command, run headless with each bad variant
 * of {@link LimitsTest#bad} its type can hold (below and above the range; NaN and the
 * infinities for decimals), is refused before the command works, with a message naming the
 * field and its range; nothing is produced (no labels, no report folder, settings kept).
 */
class FijiLimitsTest {

	@TempDir
	static Path tmp;
	static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.service(org.scijava.prefs.PrefService.class).clear(AnySegService.class);
		context.dispose();
	}

	/** The inputs a command needs besides its numbers. */
	private static Map<String, Object> inputs(final Class<?> c) throws Exception {
		final Map<String, Object> m = new HashMap<>();
		final ImageStack st = new ImageStack(64, 64);
		for (int z = 0; z < 3; z++) st.addSlice(new ByteProcessor(64, 64));
		final ImagePlus image = new ImagePlus("stack", st);
		image.setRoi(10, 10, 20, 20);
		if (c == EvaluateSegmentationsCommand.class) {
			final File gt = Files.createDirectories(tmp.resolve("gt")).toFile();
			m.put("ground_truth", gt);
			m.put("folder1", gt);
			m.put("report", tmp.resolve("report").toFile());
		}
		else if (c != SettingsCommand.class) m.put("image", image);
		return m;
	}

	@Test
	void everyNumericFieldRefusesItsBadVariants() throws Exception {
		final AnySegService anyseg = context.service(AnySegService.class);
		final int cacheBefore = anyseg.cacheMb();
		final ModuleService modules = context.service(ModuleService.class);
		final CommandService commands = context.service(CommandService.class);
		int runs = 0;
		for (final Class<?> c : LimitsCoverageTest.classesBeside(AnySegService.class)) {
			if (!Command.class.isAssignableFrom(c)) continue;
			for (final Field f : c.getDeclaredFields()) {
				final Parameter p = f.getAnnotation(Parameter.class);
				if (p == null || p.type() == ItemIO.OUTPUT || !(f.getType() == int.class || f
					.getType() == double.class)) continue;
				final Limits l = Limits.forKey(f.getName()).orElseThrow();
				for (final Map.Entry<String, Double> b : LimitsTest.bad(l).entrySet()) {
					final double v = b.getValue();
					final Object value;
					if (f.getType() == double.class) value = v;
					else if (v == Math.rint(v) && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
						value = (int) v;
					}
					else continue; // an int field cannot hold it: the dialog cannot give it
					final Map<String, Object> in = inputs(c);
					// the other numbers in range (SciJava would restore the last run's, persisted)
					for (final Field g : c.getDeclaredFields()) {
						final Limits o = Limits.forKey(g.getName()).orElse(null);
						if (o == null || g.getAnnotation(Parameter.class) == null) continue;
						final double ok = LimitsTest.inRange(o);
						in.put(g.getName(), g.getType() == int.class ? (Object) (int) ok : (Object) ok);
					}
					in.put(f.getName(), value);
					final String what = c.getSimpleName() + " " + f.getName() + " = " + value;
					final ExecutionException e = assertThrows(ExecutionException.class, () -> modules
						.run(commands.getCommand(c.getName()), true, in).get(), what);
					LimitsTest.assertNamesRange(l, Errors.userMessage(e));
					runs++;
				}
			}
		}
		assertFalse(Files.exists(tmp.resolve("report")), "no report written");
		assertEquals(cacheBefore, anyseg.cacheMb(), "settings kept");
		assertTrue(runs >= 50, "runs: " + runs);
	}
}

package org.anyseg.plugin.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;
import org.anyseg.ops.LimitsTest;
import org.anyseg.plugin.cli.AnySegCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.macro.ExtensionDescriptor;
import ij.macro.MacroExtension;

/**
 * Issue 15: the macro functions' numbers go through the same table. Every function with a
 * number argument says which entry checks it; each bad variant of {@link LimitsTest#bad} is
 * refused with the range; and a headless macro stops with exit code 2.
 */
class MacroLimitsTest {

	@TempDir
	Path tmp;

	@Test
	void everyNumberArgumentIsAssignedAndChecked() {
		int runs = 0;
		for (final ExtensionDescriptor d : new AnySegMacroFunctions().getExtensionFunctions()) {
			final int[] t = d.argTypes == null ? new int[0] : d.argTypes;
			final boolean numbers = Arrays.stream(t).anyMatch(x -> !ExtensionDescriptor
				.isOutputArg(x) && ExtensionDescriptor.getRawType(x) == MacroExtension.ARG_NUMBER);
			if (!numbers) continue;
			final Limits[] l = AnySegMacroFunctions.NUMBERS.get(d.name);
			assertTrue(l != null && l.length == t.length, d.name + " has its arguments' entries");
			for (int i = 0; i < t.length; i++) {
				if (l[i] == null) continue;
				assertEquals(MacroExtension.ARG_NUMBER, t[i], d.name + " argument " + i);
				for (final Map.Entry<String, Double> b : LimitsTest.bad(l[i]).entrySet()) {
					final Object[] args = args(t);
					args[i] = b.getValue();
					final AnySegException e = assertThrows(AnySegException.class,
						() -> AnySegMacroFunctions.checkArguments(d.name, args), d.name + " " + b);
					LimitsTest.assertNamesRange(l[i], e.getMessage());
					runs++;
				}
				final Object[] ok = args(t);
				ok[i] = LimitsTest.inRange(l[i]);
				AnySegMacroFunctions.checkArguments(d.name, ok);
				runs++;
			}
		}
		assertTrue(runs >= 30, "runs: " + runs);
	}

	private static Object[] args(final int[] types) {
		final Object[] a = new Object[types.length];
		for (int i = 0; i < a.length; i++) {
			a[i] = types[i] == MacroExtension.ARG_NUMBER ? (Object) Double.valueOf(1) : "x";
		}
		return a;
	}

	@Test
	@Tag("slow")
	void aHeadlessMacroStopsWithTheRange() throws Exception {
		final Path after = tmp.resolve("after.txt");
		final String[][] calls = { { "Ext.anysegSegmentEverything(5000);", "points_per_side" }, {
			"Ext.anysegPropagate(1000);", "min_iou" }, { "Ext.anysegEvaluate('" + tmp + "', 'a=" +
				tmp + "', '" + tmp.resolve("report") + "', -1);", "tolerance" }, {
					"newImage('x', '8-bit', 64, 64, 1);\nExt.anysegAddPoint(5, 5, 2);", "point_label" } };
		for (final String[] c : calls) {
			final Path m = tmp.resolve("m.ijm");
			Files.writeString(m, "run('AnySeg Macro Functions');\n" + c[0] + "\nFile.saveString('x'," +
				" '" + after + "');\n");
			final StringWriter err = new StringWriter();
			final java.io.PrintStream so = System.out, se = System.err;
			final java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
			final java.io.PrintStream ps = new java.io.PrintStream(console, true);
			System.setOut(ps);
			System.setErr(ps);
			final int rc;
			try {
				rc = AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(
					new StringWriter(), true), new PrintWriter(err, true));
			}
			finally {
				System.setOut(so);
				System.setErr(se);
			}
			final String all = err + console.toString();
			assertEquals(2, rc, c[0] + ": " + all);
			assertTrue(all.contains(c[1]) && all.contains(" to "), c[0] + ": " + all);
			assertFalse(Files.exists(after), "the macro stopped at " + c[0]);
			assertFalse(Files.exists(tmp.resolve("report")), "no report");
		}
	}
}

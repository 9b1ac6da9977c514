package org.anyseg.plugin.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anyseg.plugin.cli.AnySegCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a failing Ext.anyseg call stops the macro with its message and the headless
 * runner exits 2 (it exited 0 and the macro went on); the runner's end-of-macro check is not
 * fooled by how a macro ends.
 */
@Tag("slow")
class MacroFailureTest {

	@TempDir
	Path tmp;

	private int run(final String code, final StringWriter out, final StringWriter err)
		throws IOException
	{
		final Path m = tmp.resolve("m" + System.nanoTime() + ".ijm");
		Files.writeString(m, code);
		// ImageJ prints macro errors on the process's own streams: capture them too
		final java.io.PrintStream so = System.out, se = System.err;
		final java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
		final java.io.PrintStream ps = new java.io.PrintStream(console, true);
		System.setOut(ps);
		System.setErr(ps);
		try {
			return AnySegCli.run(new String[] { "macro", m.toString() }, new PrintWriter(out, true),
				new PrintWriter(err, true));
		}
		finally {
			System.setOut(so);
			System.setErr(se);
			out.write(console.toString());
		}
	}

	@Test
	void aFailingCallStopsTheMacroAndTheRunnerExits2() throws IOException {
		final String after = tmp.resolve("after.txt").toString();
		final String[][] calls = { { "Ext.anysegSetNormalization('nonsense');",
			"Unknown normalization" }, { "Ext.anysegSetModel('/no/such/folder');", "Unknown model" },
			{ "Ext.anysegSegment();", "No image is open" }, { "newImage('x', '8-bit', 64, 64, 1);\n" +
				"Ext.anysegSegment();", "No prompts" } };
		for (final String[] c : calls) {
			final StringWriter out = new StringWriter(), err = new StringWriter();
			final int rc = run("run('AnySeg Macro Functions');\n" + c[0] + "\nFile.saveString('x', '" +
				after + "');\n", out, err);
			assertEquals(2, rc, c[0] + ": " + out + err);
			assertTrue((out.toString() + err).contains(c[1]), c[0] + ": " + out + err);
			assertFalse(Files.exists(Path.of(after)), c[0] + ": the macro went on after the failure");
		}
	}

	@Test
	void theEndOfMacroCheckIsNotFooledByHowAMacroEnds() throws IOException {
		final String[] complete = { "print('a');\n// a comment without newline",
			"print('a'); // same line", "print('a');\r\n// windows line ends\r\n",
			"print('a');\n/* a block comment */", "function f() {\n  return 1;\n}\nprint(f());" };
		for (final String code : complete) {
			final StringWriter err = new StringWriter();
			assertEquals(0, run(code, new StringWriter(), err), code + ": " + err);
		}
		final String[] stopped = { "print('a');\nexit();", "print('a');\n/* never closed",
			"print('a');\nexit('bye');\n// trailing comment", "undefinedFunction();" };
		for (final String code : stopped) {
			final StringWriter err = new StringWriter();
			assertEquals(2, run(code, new StringWriter(), err), code);
			assertTrue(err.toString().contains("stopped before its end"), code + ": " + err);
		}
	}
}

package org.anyseg.plugin.cli;

import java.io.PrintWriter;

import org.anyseg.ops.AnySegException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/**
 * Command-line entry point: {@code java -jar anyseg.jar segment|models ...}. Exit code 0 on
 * success, 2 for bad input (with a one-line error), 1 for unexpected failures.
 */
@Command(name = "anyseg", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
	versionProvider = Version.class,
	description = "Promptable segmentation with Segment Anything models on ONNX Runtime.",
	subcommands = { SegmentCommand.class, AutoCommand.class, BatchCommand.class,
		EmbedCommand.class, EvaluateCommand.class, ModelsCommand.class, MacroCommand.class,
		HelpCommand.class })
public final class AnySegCli implements Runnable {

	@CommandLine.Spec
	CommandLine.Model.CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(spec.commandLine(),
			"Missing command: one of segment, auto, batch, embed, evaluate, models, macro " +
				"(anyseg help COMMAND explains each).");
	}

	public static void main(final String[] args) {
		System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err,
			true)));
	}

	/** Exit code 2 with advice instead of a stack trace when the heap ran out. */
	static int outOfMemory(final PrintWriter err) {
		err.println("anyseg: error: out of memory (maximum heap " + (Runtime.getRuntime()
			.maxMemory() >> 20) + " MB). " + org.anyseg.ops.MemoryBudget.advice(-1));
		return 2;
	}

	/** Runs the CLI in-process (used by tests) and returns the exit code. */
	public static int run(final String[] args, final PrintWriter out, final PrintWriter err) {
		final CommandLine cl = new CommandLine(new AnySegCli());
		cl.setOut(out);
		cl.setErr(err);
		cl.setExecutionExceptionHandler((ex, line, parse) -> {
			if (ex.getCause() instanceof OutOfMemoryError) return outOfMemory(err);
			if (ex instanceof AnySegException) {
				err.println("anyseg: error: " + ex.getMessage());
				return 2;
			}
			err.println("anyseg: unexpected failure: " + ex);
			ex.printStackTrace(err);
			return 1;
		});
		cl.setParameterExceptionHandler((ex, a) -> {
			// a sentence of AnySeg's own (a number out of range) already says what to use
			final String m = ex.getMessage() + OptionLimits.hint(ex);
			err.println("anyseg: error: " + m + (m.endsWith(".") ? "" : " (see --help)"));
			return 2;
		});
		// every number checked against the one table before a command reads anything
		cl.setExecutionStrategy(parse -> {
			OptionLimits.check(parse);
			return new CommandLine.RunLast().execute(parse);
		});
		// what a model's graph check finds goes to the user's error stream, once
		org.anyseg.ops.model.ModelLoader.notices(m -> err.println("anyseg: " + m));
		try {
			return cl.execute(args);
		}
		catch (final OutOfMemoryError e) {
			return outOfMemory(err);
		}
		finally {
			org.anyseg.ops.model.ModelLoader.notices(null);
		}
	}
}

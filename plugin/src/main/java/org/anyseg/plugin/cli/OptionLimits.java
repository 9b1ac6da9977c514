package org.anyseg.plugin.cli;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every numeric option of the command line checked against {@link Limits} once picocli has
 * parsed it and before the command runs, so a bad number fails before any file is read
 * (whatever the command; a new option is covered by its table entry, which
 * {@code LimitsTest} requires).
 */
final class OptionLimits {

	private OptionLimits() {}

	/**
	 * Checks the numeric options of the command that will run (and of the commands above it).
	 *
	 * @throws CommandLine.ParameterException naming the option and its range
	 */
	static void check(final ParseResult top) {
		for (ParseResult pr = top; pr != null; pr = pr.subcommand()) {
			for (final OptionSpec o : pr.commandSpec().options()) {
				if (!(o.getValue() instanceof Number n)) continue;
				final Limits l = Limits.forOption(o.longestName()).orElse(null);
				if (l == null) continue; // none such: LimitsTest fails
				try {
					l.check(n.doubleValue());
				}
				catch (final AnySegException e) {
					throw new CommandLine.ParameterException(pr.commandSpec().commandLine(), e
						.getMessage());
				}
			}
		}
	}

	/**
	 * The range of the option picocli could not convert (a fraction for a whole number, a
	 * number too large for its type), to add to picocli's message; empty for other errors.
	 */
	static String hint(final CommandLine.ParameterException e) {
		final ArgSpec a = e.getArgSpec();
		if (!(a instanceof OptionSpec o)) return "";
		return Limits.forOption(o.longestName()).map(l -> "; " + o.longestName() + " takes " + l
			.range()).orElse("");
	}
}

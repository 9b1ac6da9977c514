package org.anyseg.plugin.cli;

import java.io.PrintWriter;

import org.anyseg.ops.model.ModelCatalog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code models list}: the bundled and installed models, with their detected family. */
@Command(name = "models", description = "Lists the available models.", subcommands = {
	ModelsCommand.ListCommand.class })
final class ModelsCommand {

	@Command(name = "list", description = "Print every model, its family and where it lies.")
	static final class ListCommand implements Runnable {

		@Spec
		CommandSpec spec;

		@Override
		public void run() {
			final PrintWriter out = spec.commandLine().getOut();
			final ModelCatalog catalog = ModelCatalog.standard();
			out.println("Model folder: " + catalog.modelFolder());
			out.printf("%-24s %-28s %s%n", "NAME", "FAMILY", "FILES");
			for (final String name : catalog.names()) {
				out.printf("%-24s %-28s %s%n", name, catalog.family(name), catalog.resolve(name));
			}
		}
	}
}

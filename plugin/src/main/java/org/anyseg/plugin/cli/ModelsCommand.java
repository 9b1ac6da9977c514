package org.anyseg.plugin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.download.Downloader;
import org.anyseg.ops.download.ModelInstaller;
import org.anyseg.ops.model.GraphCheck;
import org.anyseg.ops.model.GraphVerdicts;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelFile;
import org.anyseg.ops.model.ModelZoo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code models list | fetch NAME | import DIR | verify [NAME]}. */
@Command(name = "models", description = "Lists, downloads, imports and verifies models.",
	subcommands = { ModelsCommand.ListCommand.class, ModelsCommand.FetchCommand.class,
		ModelsCommand.ImportCommand.class, ModelsCommand.VerifyCommand.class })
final class ModelsCommand {

	/** A catalogue file replacing the bundled one (mirrors, tests). */
	static final class CatalogueOption {

		@Option(names = "--catalogue", paramLabel = "FILE",
			description = "Use this model catalogue (JSON, same format) instead of the bundled " +
				"one, e.g. a mirror's.")
		Path file;

		ModelZoo zoo() {
			return file == null ? ModelZoo.bundled() : ModelZoo.read(file);
		}
	}

	@Command(name = "list", description = "Print the installed models (name, family, files) " +
		"and the catalogue's models that can be fetched.")
	static final class ListCommand implements Runnable {

		@Spec
		CommandSpec spec;

		@picocli.CommandLine.Mixin
		CatalogueOption catalogue = new CatalogueOption();

		@Override
		public void run() {
			final PrintWriter out = spec.commandLine().getOut();
			final ModelCatalog catalog = ModelCatalog.standard();
			out.println("Model folder: " + catalog.modelFolder());
			out.printf("%-24s %-20s %s%n", "INSTALLED", "FAMILY", "FILES");
			final List<String> installed = catalog.names();
			for (final String name : installed) {
				out.printf("%-24s %-20s %s%n", name, catalog.status(name), catalog.resolve(name));
			}
			out.println();
			out.println("Available from the catalogue (install with: models fetch NAME):");
			out.printf("%-24s %-18s %9s  %-34s %s%n", "AVAILABLE", "FAMILY", "SIZE", "LICENCE",
				"PROMPTS");
			for (final ModelZoo.Entry e : catalogue.zoo().entries()) {
				if (installed.contains(e.name())) continue;
				out.printf("%-24s %-18s %9s  %-34s %s%n", e.name(), e.family(), e.size() < 0 ? "?"
					: String.format("%.0f MB", e.size() / 1e6), e.licence() + (e.commercialUse() ? ""
						: " (non-commercial)"), String.join("+", e.prompts()));
			}
		}
	}

	@Command(name = "fetch", description = "Download a catalogue model into the model folder, " +
		"verify it and install it (resumes an interrupted download).")
	static final class FetchCommand implements Runnable {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "NAME", description = "Catalogue name (see 'models list').")
		String name;

		@picocli.CommandLine.Mixin
		CatalogueOption catalogue = new CatalogueOption();

		@Override
		public void run() {
			final PrintWriter out = spec.commandLine().getOut();
			final ModelZoo.Entry e = catalogue.zoo().get(name);
			final ModelCatalog catalog = ModelCatalog.standard();
			if (!e.commercialUse()) {
				out.println("Note: " + e.name() + " is licensed " + e.licence() + " and may not be " +
					"used commercially. See " + e.source());
			}
			final ConsoleProgress bar = new ConsoleProgress(spec.commandLine().getErr());
			final String family;
			try {
				family = new ModelInstaller(Downloader.standard()).install(e, catalog, bar, null);
			}
			finally {
				bar.finish();
			}
			out.println("Installed " + e.name() + " (family " + family + ") in " + catalog
				.modelFolder().resolve(e.name()));
		}
	}

	@Command(name = "import", description = "Install a folder of .onnx files or a PyTorch " +
		"checkpoint (.pth/.pt of the plain SAM architecture: Meta's, MedSAM's, micro-sam's, " +
		"a fine-tune) you already have: checked first, then copied into the model folder.")
	static final class ImportCommand implements Runnable {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "DIR|FILE.pth", description = "Folder holding the model's " +
			".onnx files (and optionally anyseg-model.json), or a PyTorch checkpoint.")
		Path dir;

		@Option(names = "--name", description = "Name to install it under (default: the " +
			"folder's name, or the checkpoint's file name without its extension).")
		String name;

		@Override
		public void run() {
			final ModelCatalog catalog = ModelCatalog.standard();
			final String file = dir.toAbsolutePath().normalize().getFileName().toString();
			final String n = name != null ? name : java.nio.file.Files.isRegularFile(dir) ? file
				.replaceFirst("\\.[^.]*$", "") : file;
			final String family = catalog.importModel(dir, n);
			spec.commandLine().getOut().println("Imported " + n + " (family " + family + ") into " +
				catalog.modelFolder().resolve(n));
		}
	}

	@Command(name = "verify", description = "Check installed models: the files load, match a " +
		"supported interface, and have the catalogue's size and SHA-256 where known. With " +
		"--deep, also check that this ONNX Runtime's optimised graphs compute what the " +
		"unoptimised ones do, choose the fastest exact setting and record it (run it after " +
		"upgrading ONNX Runtime). Exit 2 if any fails.")
	static final class VerifyCommand implements Runnable {

		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "NAME", arity = "0..1", description = "One model (default: " +
			"all installed).")
		String name;

		@picocli.CommandLine.Mixin
		CatalogueOption catalogue = new CatalogueOption();

		@Option(names = "--deep", description = "Also run each graph optimised and " +
			"unoptimised on a probe and record the fastest exact setting (takes a few encoder " +
			"runs per model).")
		boolean deep;

		@Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda[:N]",
			description = "Device whose optimised graphs --deep checks (default: cpu).")
		String device = "cpu";

		@Override
		public void run() {
			final PrintWriter out = spec.commandLine().getOut();
			final ModelCatalog catalog = ModelCatalog.standard();
			final ModelZoo zoo = catalogue.zoo();
			final List<String> failed = new ArrayList<>();
			for (final String n : name != null ? List.of(name) : catalog.names()) {
				final String problem = problem(catalog, zoo, n);
				out.printf("%-24s %s%n", n, problem == null ? "OK (family " + catalog.status(n).family() + ")"
					: "FAILED: " + problem);
				if (problem != null) failed.add(n);
				else if (deep) {
					for (final GraphCheck.Verdict v : GraphVerdicts.recheck(catalog.resolve(n),
						org.anyseg.ops.model.RuntimeOptions.defaults().withDevice(device), m -> {}))
					{
						out.printf("%-24s   %s%n", "", v.describe());
					}
				}
			}
			if (!failed.isEmpty()) {
				throw new AnySegException("Verification failed for " + String.join(", ", failed) +
					". Delete and fetch (or import) those models again.");
			}
		}

		static String problem(final ModelCatalog catalog, final ModelZoo zoo, final String n) {
			final List<ModelFile> files;
			try {
				files = catalog.resolve(n);
			}
			catch (final AnySegException e) {
				return e.getMessage();
			}
			final org.anyseg.ops.model.ModelStatus status = catalog.status(n, false);
			if (!status.usable()) return status.toString();
			final String imported = ModelCatalog.checkImportedSha256(files);
			if (imported != null) return imported;
			final ModelZoo.Entry e = zoo.find(n).orElse(null);
			if (e == null) return null;
			for (final ModelZoo.File f : e.files()) {
				final Path p = catalog.modelFolder().resolve(n).resolve(f.name());
				try {
					if (f.size() != null && java.nio.file.Files.size(p) != f.size()) {
						return f.name() + " has " + java.nio.file.Files.size(p) + " bytes, the catalogue " +
							"says " + f.size();
					}
					if (f.sha256() != null && !Downloader.sha256(p).equalsIgnoreCase(f.sha256())) {
						return f.name() + " has the wrong SHA-256";
					}
					final String xxh = org.anyseg.ops.download.ModelInstaller.xxh128Problem(f, p);
					if (xxh != null) return xxh;
				}
				catch (final java.io.IOException ex) {
					return "cannot read " + p + ": " + ex.getMessage();
				}
			}
			return null;
		}
	}
}

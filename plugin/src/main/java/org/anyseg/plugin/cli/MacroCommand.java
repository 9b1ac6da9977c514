package org.anyseg.plugin.cli;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.List;
import java.util.concurrent.Callable;

import org.anyseg.ops.AnySegException;

import net.imagej.patcher.LegacyEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code macro FILE.ijm [ARGS]}: runs an ImageJ macro headless with AnySeg's macro functions
 * available, as Fiji's {@code --headless -macro} does (ImageJ 1.x patched by ij1-patcher).
 */
@Command(name = "macro", description = {
	"Run an ImageJ macro headless, with AnySeg available (run(\"AnySeg Macro Functions\")).",
	"ARGS are joined with spaces and passed to the macro as getArgument()." })
final class MacroCommand implements Callable<Integer> {

	@Parameters(index = "0", paramLabel = "FILE.ijm", description = "The macro file.")
	Path file;

	@Parameters(index = "1..*", paramLabel = "ARGS", description = "Macro argument.")
	List<String> args = List.of();

	@Option(names = "--gui", description = "Run with a display (windows, ROI Manager) " +
		"instead of headless.")
	boolean gui;

	@Override
	public Integer call() throws Exception {
		final String code;
		try {
			code = Files.readString(file);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read macro " + file + ": " + e.getMessage());
		}
		// ImageJ reports macro errors and exit() only on the console: a marker written by a
		// line appended to the macro tells whether it ran to its end
		final Path marker = Files.createTempFile("anyseg-macro", ".done");
		Files.delete(marker);
		final String path = marker.toAbsolutePath().toString().replace("\\", "/").replace("\"",
			"");
		try {
			// ImageJ 1.x must be patched before any of its classes loads: give it a fresh loader
			try (URLClassLoader fresh = new URLClassLoader(classPath(), ClassLoader
				.getPlatformClassLoader()))
			{
				final LegacyEnvironment ij = new LegacyEnvironment(fresh, !gui);
				ij.suppressIJ1ScriptDiscovery();
				ij.addPluginClasspath(ownLocation()); // its plugins.config installs the functions
				ij.runMacro(code + "\nFile.saveString(\"done\", \"" + path + "\");\n", String.join(
					" ", args));
			}
			if (!Files.exists(marker)) {
				throw new AnySegException("The macro " + file.getFileName() + " stopped before its " +
					"end (a macro error or exit(); see its message above).");
			}
		}
		finally {
			Files.deleteIfExists(marker);
		}
		return 0;
	}

	/** The jar (or classes folder) AnySeg was loaded from. */
	static File ownLocation() throws IOException {
		try {
			return new File(MacroCommand.class.getProtectionDomain().getCodeSource().getLocation()
				.toURI());
		}
		catch (final java.net.URISyntaxException e) {
			throw new IOException(e);
		}
	}

	/** This program's class path, with the Class-Path entries of jar manifests expanded. */
	static URL[] classPath() throws IOException {
		final Set<Path> entries = new LinkedHashSet<>();
		for (final String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (e.isEmpty()) continue;
			final Path p = Paths.get(e).toAbsolutePath();
			entries.add(p);
			if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
				try (JarFile jar = new JarFile(p.toFile())) {
					final Manifest mf = jar.getManifest();
					final String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
					if (cp != null) {
						for (final String c : cp.trim().split("\\s+")) {
							entries.add(p.getParent().resolve(c).normalize());
						}
					}
				}
			}
		}
		final URL[] urls = new URL[entries.size()];
		int i = 0;
		for (final Path p : entries) urls[i++] = p.toUri().toURL();
		return urls;
	}
}

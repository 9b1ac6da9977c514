package org.anyseg.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.anyseg.testutil.Discs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ij.io.FileSaver;

/**
 * Installs the update site into a Fiji-like folder as the Updater would and runs an
 * installed example macro there: ImageJ 1.x patched by ij1-patcher, headless, in a class
 * loader over that folder's jars only, so a jar missing from the site fails the run.
 */
@Tag("slow")
class InstallationTest {

	/** What Fiji's core puts in {@code jars/} that AnySeg runs on (taken from the class path). */
	private static final Set<String> CORE = Set.of("ij", "ij1-patcher", "javassist",
		"classgraph", "scijava-common", "parsington", "imglib2", "gson");
	private static final String MACRO = UpdateSiteBuilder.MACRO_DIR + UpdateSiteBuilder.MACRO_PREFIX +
		"batch_and_evaluate.ijm";

	@TempDir
	static Path tmp;
	static Path site;
	static List<SiteEntry> entries;
	static Path in, gt;

	@BeforeAll
	static void buildSiteAndImages() throws IOException {
		site = tmp.resolve("site");
		entries = SiteFixture.build(site, tmp.resolve("work"));
		in = Files.createDirectories(tmp.resolve("in"));
		gt = Files.createDirectories(tmp.resolve("gt"));
		for (final int dx : new int[] { 0, 60 }) {
			new FileSaver(Discs.image(dx)).saveAsTiff(in.resolve("img" + dx + ".tif").toString());
			new FileSaver(Discs.truth(dx)).saveAsPng(gt.resolve("img" + dx + ".png").toString());
		}
	}

	@Test
	void installedMacroSegmentsAndEvaluates() throws Exception {
		final Path fiji = fiji("fiji", null);
		final Path out = tmp.resolve("out");
		assertTrue(runInstalledMacro(fiji, "input=" + in + " gt=" + gt + " out=" + out),
			"the installed macro ran to its end");
		assertTrue(Files.exists(out.resolve("labels/img60.tif")));
		final String dice = Files.readAllLines(out.resolve("report/summary.csv")).stream().filter(
			l -> l.startsWith("anyseg,1,dice,")).findFirst().orElseThrow();
		assertTrue(Double.parseDouble(dice.split(",")[5]) > 0.8, "mean Dice of label 1: " + dice);
	}

	@ParameterizedTest
	@ValueSource(strings = { "jars/anyseg.jar", "jars/onnxruntime.jar" })
	void aJarMissingFromTheSiteFailsTheInstallation(final String missing) throws Exception {
		final Path fiji = fiji("without-" + Path.of(missing).getFileName(), missing);
		final Path out = tmp.resolve("out-" + Path.of(missing).getFileName());
		assertFalse(runInstalledMacro(fiji, "input=" + in + " gt=" + gt + " out=" + out),
			"ran without " + missing);
		assertFalse(Files.exists(out.resolve("report/summary.csv")));
	}

	/**
	 * A Fiji-like folder: Fiji's core jars in {@code jars/}, empty {@code plugins/} and
	 * {@code macros/}, then every file of the site copied to its installed name (the
	 * {@code -TIMESTAMP} suffix removed) after its checksum is checked, except {@code skip}.
	 */
	private static Path fiji(final String name, final String skip) throws IOException {
		final Path fiji = tmp.resolve(name);
		Files.createDirectories(fiji.resolve("plugins"));
		Files.createDirectories(fiji.resolve("macros"));
		final Path jars = Files.createDirectories(fiji.resolve("jars"));
		for (final Path jar : SiteFixture.classPathJars()) {
			if (CORE.stream().anyMatch(a -> SiteFixture.isArtifact(jar, a))) Files.copy(jar, jars
				.resolve(jar.getFileName()));
		}
		for (final SiteEntry e : DbXml.read(site.resolve("db.xml.gz"))) {
			if (FijiCore.unversioned(e.filename()).equals(skip)) continue;
			final Path dst = fiji.resolve(e.filename());
			Files.createDirectories(dst.getParent());
			Files.copy(site.resolve(e.serverPath()), dst);
			assertEquals(e.checksum(), UpdaterChecksum.of(e.filename(), dst), "downloaded " + e
				.filename());
		}
		return fiji;
	}

	/**
	 * Starts ImageJ from the folder's jars as Fiji's launcher does (jars/ and plugins/ on the
	 * class path; ImageJ 1.x patched by ij1-patcher; the plugins.config of each jar read, as
	 * ImageJ Legacy does) and runs the installed macro. Returns whether it ran to its end.
	 */
	private static boolean runInstalledMacro(final Path fiji, final String arg) throws Exception {
		final List<URL> urls = new ArrayList<>();
		final List<File> withConfig = new ArrayList<>();
		for (final String dir : new String[] { "jars", "plugins" }) {
			try (Stream<Path> s = Files.walk(fiji.resolve(dir))) {
				for (final Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
					urls.add(jar.toUri().toURL());
					try (JarFile jf = new JarFile(jar.toFile())) {
						if (jf.getEntry("plugins.config") != null) withConfig.add(jar.toFile());
					}
				}
			}
		}
		final Path marker = tmp.resolve("done-" + fiji.getFileName());
		final String code = Files.readString(fiji.resolve(MACRO)) + "\nFile.saveString(\"done\", \"" +
			marker.toString().replace('\\', '/') + "\");\n";
		final ClassLoader saved = Thread.currentThread().getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader
			.getPlatformClassLoader()))
		{
			Thread.currentThread().setContextClassLoader(loader);
			final Class<?> envClass = loader.loadClass("net.imagej.patcher.LegacyEnvironment");
			final Object env = envClass.getConstructor(ClassLoader.class, boolean.class).newInstance(
				loader, true);
			envClass.getMethod("disableIJ1PluginDirs").invoke(env);
			envClass.getMethod("suppressIJ1ScriptDiscovery").invoke(env);
			envClass.getMethod("addPluginClasspath", File[].class).invoke(env, (Object) withConfig
				.toArray(File[]::new));
			envClass.getMethod("runMacro", String.class, String.class).invoke(env, code, arg);
		}
		catch (final InvocationTargetException e) {
			System.err.println("ImageJ failed: " + e.getCause());
			return false;
		}
		finally {
			Thread.currentThread().setContextClassLoader(saved);
		}
		return Files.exists(marker);
	}
}

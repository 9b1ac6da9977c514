package org.anyseg.updatesite;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Builds the update site for tests from what the Maven build left in {@code target/}: the
 * packaged jar when it is at least as new as {@code target/classes}, else a jar made here
 * from {@code target/classes}; {@code target/lib/} when {@code mvn package} made it, else
 * the runtime jars of this test's class path.
 */
final class SiteFixture {

	/** Runtime jars that come with AnySeg's direct dependencies. */
	private static final Set<String> TRANSITIVE = Set.of("parsington", "classgraph",
		"javassist");

	static final Path PROJECT = Paths.get("").toAbsolutePath();

	private SiteFixture() {}

	/** Builds the site into {@code site}, using {@code work} for a jar or lib folder if needed. */
	static List<SiteEntry> build(final Path site, final Path work) throws IOException {
		final long ts = UpdaterChecksum.timestamp(System.currentTimeMillis());
		final Path lib = libDir(work);
		final UpdateSiteBuilder b = new UpdateSiteBuilder(PROJECT, lib, ts);
		return b.build(site, pluginJar(b, work));
	}

	private static Path pluginJar(final UpdateSiteBuilder b, final Path work) throws IOException {
		final Path classes = PROJECT.resolve("target/classes");
		Path packaged = null;
		try {
			packaged = b.pluginJar();
		}
		catch (final IOException e) {
			// none packaged: made below
		}
		final long newest = newest(classes);
		if (packaged != null && Files.getLastModifiedTime(packaged).toMillis() >= newest) {
			return packaged;
		}
		Assumptions.assumeTrue(Files.isDirectory(classes.resolve("org/anyseg")),
			"Skipped: neither target/anyseg-*.jar nor target/classes exists (run mvn test-compile)");
		final Path jar = Files.createDirectories(work.resolve("made")).resolve("anyseg-" + b
			.version() + ".jar");
		final Manifest mf = new Manifest();
		mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.anyseg.plugin.cli.AnySegCli");
		try (OutputStream os = Files.newOutputStream(jar);
				JarOutputStream jos = new JarOutputStream(os, mf);
				Stream<Path> s = Files.walk(classes))
		{
			for (final Path p : s.filter(Files::isRegularFile).sorted().toList()) {
				jos.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar,
					'/')));
				Files.copy(p, jos);
				jos.closeEntry();
			}
		}
		return jar;
	}

	private static long newest(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return Long.MAX_VALUE;
		long t = 0;
		try (Stream<Path> s = Files.walk(dir)) {
			for (final Path p : s.filter(Files::isRegularFile).toList()) t = Math.max(t, Files
				.getLastModifiedTime(p).toMillis());
		}
		return t;
	}

	private static Path libDir(final Path work) throws IOException {
		final UpdateSiteBuilder probe = new UpdateSiteBuilder(PROJECT, null, 0);
		final Set<String> runtime = new HashSet<>(probe.directDependencies());
		runtime.addAll(TRANSITIVE);
		final Path target = PROJECT.resolve("target/lib");
		if (Files.isDirectory(target) && hasAll(target, runtime)) return target;
		final Path lib = Files.createDirectories(work.resolve("lib"));
		for (final Path jar : classPathJars()) {
			if (runtime.stream().anyMatch(a -> isArtifact(jar, a))) Files.copy(jar, lib.resolve(jar
				.getFileName()));
		}
		return lib;
	}

	private static boolean hasAll(final Path dir, final Set<String> artifacts)
		throws IOException
	{
		try (Stream<Path> s = Files.list(dir)) {
			final List<Path> jars = s.toList();
			return artifacts.stream().allMatch(a -> jars.stream().anyMatch(j -> isArtifact(j, a)));
		}
	}

	/** The jars of this JVM's class path. */
	static List<Path> classPathJars() {
		return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).filter(
			e -> e.endsWith(".jar")).map(Paths::get).filter(Files::isRegularFile).toList();
	}

	/** Whether {@code jar} is {@code ARTIFACT-VERSION.jar}. */
	static boolean isArtifact(final Path jar, final String artifactId) {
		final String n = jar.getFileName().toString();
		return n.startsWith(artifactId + "-") && n.length() > artifactId.length() + 1 && Character
			.isDigit(n.charAt(artifactId.length() + 1));
	}
}

package org.anyseg.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the update site and reads its {@code db.xml.gz} back as the Updater would: every
 * record matches its file (checksum, size, timestamp), every file is described, the
 * dependencies resolve, and nothing of Fiji's own core is shadowed.
 */
class UpdateSiteTest {

	/**
	 * Updater checksums of Maven Central artifacts, computed with the Updater's own
	 * {@code UpdaterUtil.getDigest} (imagej-updater at ea5f12e) when this test was written:
	 * see update-site/FORMAT.md.
	 */
	private static final Map<String, String> KNOWN = Map.of( //
		"gson-2.10.1.jar", "94c77b668a7fe7d6444ff10e4dbd085221cb926f", //
		"picocli-4.7.7.jar", "cb9eb915a59db9a11b20df0a61667dc65d9e07ca", //
		"ij-1.54p.jar", "85970f95d8616127ab834e4d95c9a758f2420848", //
		"onnxruntime-1.24.2.jar", "1305069b529e669ee58f89cdbaa98a8251af6368", //
		"scijava-common-2.100.1.jar", "b3511aad299389d31ce7674dd8132642c63dbfe9");

	@TempDir
	static Path tmp;
	static Path site;
	static List<SiteEntry> built;

	@BeforeAll
	static void buildSite() throws IOException {
		site = tmp.resolve("site");
		built = SiteFixture.build(site, tmp.resolve("work"));
	}

	@Test
	void everyRecordMatchesItsFile() throws Exception {
		final List<SiteEntry> db = DbXml.read(site.resolve("db.xml.gz"));
		assertEquals(built, db, "db.xml.gz reads back as written");
		for (final SiteEntry e : db) {
			final Path f = site.resolve(e.serverPath());
			assertTrue(Files.isRegularFile(f), "on the site: " + e.serverPath());
			assertEquals(Files.size(f), e.filesize(), "size of " + e.filename());
			assertEquals(UpdaterChecksum.of(e.filename(), f), e.checksum(), "checksum of " + e
				.filename());
			assertEquals(e.timestamp(), UpdaterChecksum.timestamp(f), "timestamp of " + e.filename());
			assertTrue(String.valueOf(e.timestamp()).matches("20\\d{12}"), "yyyyMMddHHmmss");
			assertNotNull(e.description(), "description of " + e.filename());
			assertFalse(e.description().isBlank(), "description of " + e.filename());
		}
	}

	@Test
	void everyFileOnTheSiteIsDescribed() throws Exception {
		final Set<String> described = DbXml.read(site.resolve("db.xml.gz")).stream().map(
			SiteEntry::serverPath).collect(Collectors.toCollection(TreeSet::new));
		final Set<String> onDisk = new TreeSet<>();
		try (Stream<Path> s = Files.walk(site)) {
			s.filter(Files::isRegularFile).map(p -> site.relativize(p).toString().replace('\\', '/'))
				.filter(n -> !n.equals("db.xml.gz")).forEach(onDisk::add);
		}
		assertEquals(described, onDisk);
	}

	@Test
	void carriesThePluginItsRuntimeJarsAndTheMacros() throws Exception {
		final Set<String> names = built.stream().map(e -> FijiCore.unversioned(e.filename()))
			.collect(Collectors.toSet());
		assertTrue(names.containsAll(Set.of("jars/anyseg.jar", "jars/onnxruntime.jar",
			"jars/picocli.jar")), names.toString());
		try (Stream<Path> s = Files.list(SiteFixture.PROJECT.resolve("macros"))) {
			for (final Path m : s.filter(p -> p.toString().endsWith(".ijm")).toList()) {
				assertTrue(names.contains(UpdateSiteBuilder.MACRO_DIR + UpdateSiteBuilder.MACRO_PREFIX +
					m.getFileName()), "macro " + m.getFileName());
			}
		}
		final SiteEntry plugin = built.get(0);
		final Set<String> deps = plugin.dependencies().stream().map(SiteEntry.Dependency::filename)
			.collect(Collectors.toSet());
		assertTrue(deps.containsAll(Set.of("jars/onnxruntime.jar", "jars/picocli.jar",
			"jars/ij.jar", "jars/scijava-common.jar")), deps.toString());
	}

	@Test
	void dependenciesResolveOnTheSiteOrInFijiCore() {
		final Set<String> onSite = new HashSet<>();
		for (final SiteEntry e : built) onSite.add(FijiCore.unversioned(e.filename()));
		for (final SiteEntry e : built) {
			for (final SiteEntry.Dependency d : e.dependencies()) {
				assertEquals(d.filename(), FijiCore.unversioned(d.filename()), "unversioned");
				assertTrue(onSite.contains(d.filename()) || FijiCore.JARS.contains(d.filename()), e
					.filename() + " needs " + d.filename());
			}
		}
	}

	@Test
	void shadowsNothingOfFijiCore() {
		for (final SiteEntry e : built) {
			assertFalse(FijiCore.ships(e.filename()), e.filename() + " is Fiji's own");
			assertFalse(e.filename().startsWith("jars/") && e.filename().indexOf('/', 5) >= 0,
				"no platform sub-folders: " + e.filename());
		}
	}

	@Test
	void checksumMatchesTheUpdatersOwnForKnownJars() throws Exception {
		int checked = 0;
		for (final Path jar : SiteFixture.classPathJars()) {
			final String known = KNOWN.get(jar.getFileName().toString());
			if (known == null) continue;
			assertEquals(known, UpdaterChecksum.of("jars/" + jar.getFileName(), jar), jar.toString());
			checked++;
		}
		assertTrue(checked >= 3, "known jars on the class path: " + checked);
	}

	@Test
	void checksumIgnoresWhatTheUpdaterIgnores(@TempDir final Path dir) throws Exception {
		final Path a = jar(dir.resolve("a.jar"), "Built-By: alice\nMain-Class: x.Y\n",
			"#Sat Nov 28 10:00:00 CET 2026\nversion=1\n");
		final Path b = jar(dir.resolve("b.jar"), "Built-By: bob\n",
			"#Sun Nov 29 11:00:00 CET 2026\nversion=1\n");
		final Path c = jar(dir.resolve("c.jar"), "Built-By: bob\n", "version=2\n");
		assertEquals(UpdaterChecksum.of("jars/a.jar", a), UpdaterChecksum.of("jars/b.jar", b),
			"manifest and .properties comments do not count");
		assertFalse(UpdaterChecksum.of("jars/b.jar", b).equals(UpdaterChecksum.of("jars/c.jar", c)),
			".properties values do");
		final Path m = Files.writeString(dir.resolve("m.ijm"), "print(1);\n");
		assertFalse(UpdaterChecksum.of("macros/m.ijm", m).equals(UpdaterChecksum.of(
			"plugins/Macros/m.ijm", m)), "a non-jar's checksum includes its path");
		assertEquals("k=v\n\n", ascii(UpdaterChecksum.skipHashedLines(bytes("k=v\n#c\n"))));
		assertEquals("\n#c\n\ne", ascii(UpdaterChecksum.skipHashedLines(bytes("\n#c\n#d\ne"))),
			"right after an empty line the Updater does not skip a comment");
	}

	@Test
	void dryRunListsEveryFileWithItsTarget() throws Exception {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		UpdateSiteBuilder.dryRun(site, built, "AnySeg", new PrintStream(bytes, true,
			StandardCharsets.UTF_8));
		final String out = bytes.toString(StandardCharsets.UTF_8);
		for (final SiteEntry e : built) {
			assertTrue(out.contains("https://sites.imagej.net/AnySeg/" + e.serverPath()), e
				.serverPath());
			assertTrue(out.contains(e.checksum()), e.checksum());
		}
		assertTrue(out.contains("https://sites.imagej.net/AnySeg/db.xml.gz"));
	}

	private static Path jar(final Path p, final String manifestExtra, final String props)
		throws IOException
	{
		try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(
			os))
		{
			z.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
			z.write(bytes("Manifest-Version: 1.0\n" + manifestExtra));
			z.putNextEntry(new ZipEntry("META-INF/maven/x/y/pom.properties"));
			z.write(bytes(props));
			z.putNextEntry(new ZipEntry("x/Y.class"));
			z.write(new byte[] { (byte) 0xca, (byte) 0xfe });
			z.closeEntry();
		}
		return p;
	}

	private static byte[] bytes(final String s) {
		return s.getBytes(StandardCharsets.US_ASCII);
	}

	private static String ascii(final byte[] b) {
		return new String(b, StandardCharsets.US_ASCII);
	}
}

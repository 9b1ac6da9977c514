package org.anyseg.updatesite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds AnySeg's Fiji update site from the Maven build: the plugin jar, the runtime jars
 * Fiji does not ship ({@link FijiCore}), the example macros as {@code plugins/Macros/}
 * entries, and {@code db.xml.gz}. Every file is stored as the Updater's upload stores it,
 * {@code NAME-TIMESTAMP}, with one timestamp for the whole site (also the files'
 * last-modified time).
 * <p>
 * {@code java UpdateSiteBuilder [--project DIR] [--timestamp yyyyMMddHHmmss]
 * [--dry-run SITE_NAME] OUT_DIR}: {@code --dry-run} also prints what an upload to
 * {@code https://sites.imagej.net/SITE_NAME/} would send; nothing goes over the network.
 */
public final class UpdateSiteBuilder {

	/** Where the example macros go: Fiji lists {@code plugins/Macros/*.ijm} in Plugins > Macros. */
	static final String MACRO_DIR = "plugins/Macros/";
	/** Prefix of the installed macro names, so their menu entries read "AnySeg ...". */
	static final String MACRO_PREFIX = "AnySeg_";

	private static final Map<String, String> DESCRIPTIONS = Map.of( //
		"onnxruntime", "ONNX Runtime %s (Microsoft, MIT licence) with its native libraries for " +
			"Linux, macOS and Windows: AnySeg runs its models with it.", //
		"picocli", "picocli %s (Apache 2.0): parses the options of AnySeg's command line " +
			"(java -jar anyseg.jar segment|batch|evaluate|models|macro).");

	private final Path project;
	private final Path libDir;
	private final long timestamp;

	/**
	 * @param project the repository root (with {@code pom.xml} and {@code macros/})
	 * @param libDir the runtime jars ({@code target/lib/} after {@code mvn package})
	 * @param timestamp the site's {@code yyyyMMddHHmmss}
	 */
	public UpdateSiteBuilder(final Path project, final Path libDir, final long timestamp) {
		this.project = project;
		this.libDir = libDir;
		this.timestamp = timestamp;
	}

	/** The packaged plugin jar, {@code target/anyseg-VERSION.jar}. */
	public Path pluginJar() throws IOException {
		try (Stream<Path> s = Files.list(project.resolve("target"))) {
			return s.filter(p -> p.getFileName().toString().matches("anyseg-[^-]+(-SNAPSHOT)?\\.jar"))
				.findFirst().orElseThrow(() -> new IOException("No target/anyseg-VERSION.jar in " +
					project + ": run mvn -B -q package -DskipTests first."));
		}
	}

	/**
	 * Writes the site into {@code out} and returns its records, as in {@code db.xml.gz}.
	 * {@code out} must be absent, empty, or an earlier site (with a {@code db.xml.gz}), whose
	 * {@code jars/} and {@code plugins/} are then replaced.
	 */
	public List<SiteEntry> build(final Path out, final Path plugin) throws IOException {
		if (Files.isDirectory(out) && !Files.exists(out.resolve("db.xml.gz"))) {
			try (Stream<Path> s = Files.list(out)) {
				if (s.findAny().isPresent()) throw new IOException(out + " is neither empty nor an " +
					"update site (no db.xml.gz): choose an empty folder.");
			}
		}
		for (final String old : new String[] { "jars", "plugins" }) deleteTree(out.resolve(old));
		Files.createDirectories(out);
		Files.deleteIfExists(out.resolve("db.xml.gz"));

		// local name (as Fiji installs it) -> source file
		final Map<String, Path> libs = new LinkedHashMap<>();
		final List<Path> libJars;
		try (Stream<Path> s = Files.list(libDir)) {
			libJars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
		}
		for (final Path lib : libJars) {
			final String name = "jars/" + lib.getFileName();
			if (!FijiCore.ships(name)) libs.put(name, lib);
		}

		final List<SiteEntry> entries = new ArrayList<>();
		final String pluginName = "jars/" + plugin.getFileName();
		final List<SiteEntry.Dependency> pluginDeps = new ArrayList<>();
		for (final String artifact : directDependencies()) {
			final Path lib = libJars.stream().filter(p -> isArtifact(p, artifact)).findFirst()
				.orElseThrow(() -> new IOException("Runtime dependency " + artifact +
					" is not in " + libDir));
			final String name = "jars/" + lib.getFileName();
			pluginDeps.add(new SiteEntry.Dependency(FijiCore.unversioned(name), libs.containsKey(
				name) ? timestamp : UpdaterChecksum.timestamp(lib)));
		}
		entries.add(put(out, pluginName, plugin, description(), pluginDeps));
		for (final Map.Entry<String, Path> lib : libs.entrySet()) {
			entries.add(put(out, lib.getKey(), lib.getValue(), libDescription(lib.getValue()), List
				.of()));
		}
		final List<Path> macros;
		try (Stream<Path> s = Files.list(project.resolve("macros"))) {
			macros = s.filter(p -> p.toString().endsWith(".ijm")).sorted().toList();
		}
		final SiteEntry.Dependency needsPlugin = new SiteEntry.Dependency(FijiCore.unversioned(
			pluginName), timestamp);
		for (final Path m : macros) {
			entries.add(put(out, MACRO_DIR + MACRO_PREFIX + m.getFileName(), m, macroDescription(m),
				List.of(needsPlugin)));
		}
		DbXml.write(entries, out.resolve("db.xml.gz"));
		return entries;
	}

	/** Copies {@code src} to {@code out/NAME-TIMESTAMP} and describes it. */
	private SiteEntry put(final Path out, final String name, final Path src,
		final String description, final List<SiteEntry.Dependency> deps) throws IOException
	{
		final SiteEntry e = new SiteEntry(name, UpdaterChecksum.of(name, src), timestamp, Files
			.size(src), description, deps);
		final Path dst = out.resolve(e.serverPath());
		Files.createDirectories(dst.getParent());
		Files.copy(src, dst);
		Files.setLastModifiedTime(dst, FileTime.fromMillis(UpdaterChecksum.millis(timestamp)));
		return e;
	}

	private static boolean isArtifact(final Path jar, final String artifactId) {
		final String n = jar.getFileName().toString();
		return n.startsWith(artifactId + "-") && Character.isDigit(n.charAt(artifactId.length() +
			1));
	}

	/** artifactIds of the pom's own dependencies that reach the runtime class path. */
	List<String> directDependencies() throws IOException {
		final Element deps = child(pom(), "dependencies");
		final List<String> out = new ArrayList<>();
		for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (!(n instanceof Element d) || !d.getTagName().equals("dependency")) continue;
			final Element scope = child(d, "scope");
			final String sc = scope == null ? "compile" : scope.getTextContent().trim();
			if (sc.equals("compile") || sc.equals("runtime")) out.add(child(d, "artifactId")
				.getTextContent().trim());
		}
		return out;
	}

	private String description() throws IOException {
		return child(pom(), "description").getTextContent().trim() +
			" Commands in Plugins > AnySeg, macro functions (run(\"AnySeg Macro Functions\")), " +
			"a bundled demo model that works offline.";
	}

	private static String libDescription(final Path jar) {
		final String n = jar.getFileName().toString().replaceFirst("\\.jar$", "");
		final int dash = n.indexOf('-');
		final String artifact = n.substring(0, dash), version = n.substring(dash + 1);
		final String d = DESCRIPTIONS.get(artifact);
		return d != null ? String.format(d, version) : artifact + " " + version +
			", a runtime dependency of AnySeg.";
	}

	/** The first sentence of the macro's leading comment. */
	static String macroDescription(final Path macro) throws IOException {
		final StringBuilder sb = new StringBuilder();
		for (final String line : Files.readAllLines(macro)) {
			final String t = line.trim();
			if (!t.startsWith("//") || t.replaceFirst("^//+", "").isBlank()) break;
			sb.append(t.replaceFirst("^//+\\s*", "")).append(' ');
		}
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(\\s|$)").matcher(sb);
		final String first = (m.find() ? sb.substring(0, m.start() + 1) : sb.toString()).trim();
		return first.isEmpty() ? "AnySeg example macro." : first;
	}

	/** The project's version, from {@code pom.xml}. */
	String version() throws IOException {
		return child(pom(), "version").getTextContent().trim();
	}

	private Element pom() throws IOException {
		try {
			return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(project.resolve(
				"pom.xml").toFile()).getDocumentElement();
		}
		catch (final Exception e) {
			throw new IOException("Cannot read pom.xml: " + e.getMessage(), e);
		}
	}

	private static Element child(final Element parent, final String tag) {
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n instanceof Element e && e.getTagName().equals(tag)) return e;
		}
		return null;
	}

	static void deleteTree(final Path p) throws IOException {
		if (!Files.exists(p)) return;
		try (Stream<Path> s = Files.walk(p)) {
			for (final Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
		}
	}

	/** Prints what an upload of the site in {@code dir} would send. */
	static void dryRun(final Path dir, final List<SiteEntry> entries, final String site,
		final PrintStream out) throws IOException
	{
		final String url = "https://sites.imagej.net/" + site + "/";
		out.println("Dry run: would upload to " + url + " (nothing is sent)");
		out.printf("%-62s %10s  %-40s  %s%n", "file (as installed in Fiji)", "bytes", "checksum",
			"target on the server");
		long total = 0;
		for (final SiteEntry e : entries) {
			out.printf("%-62s %10d  %-40s  %s%n", e.filename(), e.filesize(), e.checksum(), url + e
				.serverPath());
			total += e.filesize();
		}
		final long db = Files.size(dir.resolve("db.xml.gz"));
		out.printf("%-62s %10d  %-40s  %s%n", "db.xml.gz (written last, via db.xml.gz.lock)", db,
			"-", url + "db.xml.gz");
		out.println(entries.size() + " files + db.xml.gz, " + (total + db) + " bytes");
	}

	public static void main(final String[] args) throws IOException {
		Path project = Paths.get("").toAbsolutePath(), out = null;
		Long ts = null;
		String site = null;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--project" -> project = Paths.get(args[++i]).toAbsolutePath();
				case "--timestamp" -> ts = Long.parseLong(args[++i]);
				case "--dry-run" -> site = args[++i];
				default -> {
					if (args[i].startsWith("-") || out != null) usage("Unknown argument " + args[i]);
					out = Paths.get(args[i]).toAbsolutePath();
				}
			}
		}
		if (out == null) usage("Give the output folder.");
		if (ts != null && !String.valueOf(ts).matches("\\d{14}")) usage(
			"--timestamp is yyyyMMddHHmmss");
		final long timestamp = ts != null ? ts : UpdaterChecksum.timestamp(System
			.currentTimeMillis());
		final UpdateSiteBuilder b = new UpdateSiteBuilder(project, project.resolve("target/lib"),
			timestamp);
		final List<SiteEntry> entries;
		try {
			entries = b.build(out, b.pluginJar());
		}
		catch (final IOException e) {
			System.err.println("Error: " + e.getMessage());
			System.exit(2);
			return;
		}
		System.out.println("AnySeg update site (" + entries.size() + " files, timestamp " +
			timestamp + ") written to " + out);
		if (site != null) dryRun(out, entries, site, System.out);
	}

	private static void usage(final String why) {
		System.err.println(why + "\nUsage: UpdateSiteBuilder [--project DIR] " +
			"[--timestamp yyyyMMddHHmmss] [--dry-run SITE_NAME] OUT_DIR");
		System.exit(2);
	}
}

package org.anyseg.ops.download;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelConfig;
import org.anyseg.ops.model.ModelLoader;
import org.anyseg.ops.model.ModelZoo;
import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.model.RuntimeOptions;

/**
 * Installs a catalogue model: downloads its files into a hidden staging folder of the model
 * folder (kept between attempts, so downloads resume), checks sizes, SHA-256 and xxh128 where
 * the catalogue knows them, checks that the files load and have a supported ONNX interface,
 * and only then renames the staging folder to the model's name. A model folder therefore
 * either is complete and verified or does not exist.
 */
public final class ModelInstaller {

	/** Progress of an installation, file by file. */
	public interface Listener {

		/** Called before each file: {@code index} of {@code count}, 0-based. */
		void file(String name, int index, int count);

		void progress(long done, long total);
	}

	private final Downloader downloader;

	public ModelInstaller(final Downloader downloader) {
		this.downloader = downloader;
	}

	/** The staging folder of an installation in progress. */
	public static Path staging(final ModelCatalog catalog, final String name) {
		return catalog.modelFolder().resolve("." + name + ".downloading");
	}

	/**
	 * Downloads, verifies and installs a model.
	 *
	 * @return the family its files were found to have
	 * @throws AnySegException on any failure, with what to do; nothing is installed then
	 */
	public String install(final ModelZoo.Entry entry, final ModelCatalog catalog,
		final Listener listener, final BooleanSupplier cancelled)
	{
		ModelZoo.validate(entry, "entry");
		final Path folder = catalog.modelFolder();
		if (Files.isSymbolicLink(folder)) {
			throw new AnySegException("Refusing to install into the model folder " + folder +
				": it is a symbolic link. Set the model folder to the real folder it points to " +
				"(ANYSEG_MODELS or Plugins > AnySeg > Settings).");
		}
		final Path target = folder.resolve(entry.name());
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
			throw new AnySegException("Model '" + entry.name() + "' is already installed in " +
				target + ". Delete it first to download it again.");
		}
		final Path staging = staging(catalog, entry.name());
		try {
			if (Files.isSymbolicLink(staging)) {
				throw new AnySegException("Refusing to install '" + entry.name() + "': its " +
					"staging folder " + staging + " is a symbolic link. Delete it and try again.");
			}
			Files.createDirectories(staging);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot create " + staging + ": " + e.getMessage() +
				". Choose a writable model folder in Plugins > AnySeg > Settings.", e);
		}
		for (int i = 0; i < entry.files().size(); i++) {
			final ModelZoo.File f = entry.files().get(i);
			final Path dest = staging.resolve(f.name());
			if (!staging.equals(dest.getParent())) {
				throw new AnySegException("Refusing to install '" + entry.name() + "': its file " +
					"name '" + f.name() + "' leads outside " + staging + ". Report the catalogue entry.");
			}
			if (Files.isSymbolicLink(dest)) {
				throw new AnySegException("Refusing to install '" + entry.name() + "': " + dest +
					" is a symbolic link. Delete the folder " + staging + " and try again.");
			}
			if (listener != null) listener.file(f.name(), i, entry.files().size());
			if (!Files.isRegularFile(dest, LinkOption.NOFOLLOW_LINKS)) {
				downloader.download(uri(f.url()), dest, f.sha256(), f.xxh128(), listener == null
					? null : listener::progress, cancelled);
			}
			checkSize(f, dest);
		}
		final String family = verifyInterface(entry, staging);
		try {
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot move the verified model into " + target + ": " + e
				.getMessage(), e);
		}
		return family;
	}

	/**
	 * Whether an installed file has the catalogue's xxh128 ({@code models verify}): null when
	 * it has, when the catalogue gives none, or when the file is too large to hash and the
	 * catalogue gives a SHA-256 (the caller checks that instead); else what differs.
	 */
	public static String xxh128Problem(final ModelZoo.File f, final Path file) {
		if (f.xxh128() == null) return null;
		try {
			if (f.sha256() != null && Files.size(file) > Xxh128.MAX_FILE) return null;
			final String got = Xxh128.of(file);
			return got.equals(f.xxh128()) ? null : f.name() + " has the wrong xxh128 (expected " +
				f.xxh128() + ", got " + got + ")";
		}
		catch (final IOException e) {
			return "cannot read " + file + ": " + e.getMessage();
		}
		catch (final AnySegException e) {
			return e.getMessage();
		}
	}

	private static void checkSize(final ModelZoo.File f, final Path dest) {
		try {
			final long size = Files.size(dest);
			if (f.size() != null && size != f.size()) {
				Files.delete(dest);
				throw new AnySegException("Downloaded " + f.name() + " has " + size + " bytes but " +
					"the catalogue says " + f.size() + ": the file changed upstream or was cut. It " +
					"was deleted; try again, or report the catalogue entry.");
			}
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot check " + dest + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Loads the staged files as the catalogue's family (written into {@code anyseg-model.json}:
	 * some families, MedSAM's, cannot be told from the files), else by detection. A model that
	 * loads neither way is deleted.
	 */
	private static String verifyInterface(final ModelZoo.Entry entry, final Path staging) {
		final RuntimeOptions opts = RuntimeOptions.defaults().withThreads(1);
		AnySegException asCatalogued;
		try (PromptableModel m = ModelLoader.detect(ModelLoader.filesIn(staging), new ModelConfig(
			entry.family(), entry.title()), opts))
		{
			writeConfig(staging, entry, entry.family());
			return m.family();
		}
		catch (final AnySegException e) {
			asCatalogued = e;
		}
		try (PromptableModel m = ModelLoader.detect(ModelLoader.filesIn(staging), ModelConfig.NONE,
			opts))
		{
			writeConfig(staging, entry, null);
			return m.family();
		}
		catch (final AnySegException e) {
			ModelCatalog.deleteTree(staging);
			throw new AnySegException("The downloaded files of '" + entry.name() + "' are not a " +
				"usable model (neither loadable as the catalogue's family " + entry.family() +
				" nor detected), so nothing was installed: " + e.getMessage(), asCatalogued);
		}
	}

	private static void writeConfig(final Path dir, final ModelZoo.Entry entry,
		final String family)
	{
		final com.google.gson.JsonObject o = new com.google.gson.JsonObject();
		if (family != null) o.addProperty("family", family);
		o.addProperty("name", entry.title() != null ? entry.title() : entry.name());
		o.addProperty("description", "Installed from the AnySeg catalogue entry " + entry.name() +
			" (" + entry.source() + "); licence " + entry.licence() + ".");
		try {
			Files.writeString(dir.resolve(ModelConfig.FILE), new com.google.gson.GsonBuilder()
				.setPrettyPrinting().create().toJson(o), StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
				LinkOption.NOFOLLOW_LINKS);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot write " + dir.resolve(ModelConfig.FILE) + ": " + e
				.getMessage(), e);
		}
	}

	private static URI uri(final String url) {
		try {
			return new URI(url);
		}
		catch (final URISyntaxException e) {
			throw new AnySegException("The catalogue address " + url + " is not a valid URL.", e);
		}
	}
}

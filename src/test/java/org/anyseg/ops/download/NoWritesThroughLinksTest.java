package org.anyseg.ops.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelZoo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * Symbolic links in the model folder never make AnySeg write through them: not the family
 * cache of {@code models list} ({@link ModelCatalog#status}), not an installation, not a
 * download's partial file.
 */
class NoWritesThroughLinksTest {

	static final String CACHE = ".anyseg-family";

	@TempDir
	Path tmp;
	Path elsewhere;

	@BeforeEach
	void setUp() throws IOException {
		elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
		try {
			Files.createSymbolicLink(tmp.resolve("probe"), elsewhere);
		}
		catch (final UnsupportedOperationException | IOException e) {
			assumeTrue(false, "symbolic links cannot be made here: " + e);
		}
	}

	/** A folder that looks like a model (files that are no usable model: still cached). */
	private Path modelDir(final Path dir) throws IOException {
		Files.createDirectories(dir);
		Files.write(dir.resolve("encoder.onnx"), new byte[] { 1, 2, 3 });
		Files.write(dir.resolve("decoder.onnx"), new byte[] { 4, 5, 6 });
		return dir;
	}

	@Test
	void theCacheIsWrittenInARealModelFolder() throws IOException {
		final Path models = tmp.resolve("models");
		modelDir(models.resolve("m"));
		final ModelCatalog c = new ModelCatalog(models);
		assertFalse(c.status("m").usable());
		assertTrue(Files.isRegularFile(models.resolve("m").resolve(CACHE)), "control: cached");
	}

	@Test
	void aModelsFolderThatIsALinkGetsNoCache() throws IOException {
		final Path real = modelDir(elsewhere.resolve("m")).getParent();
		final Path models = Files.createSymbolicLink(tmp.resolve("models"), real);
		final ModelCatalog c = new ModelCatalog(models);
		assertEquals(List.of("demo", "m"), c.names());
		assertFalse(c.status("m").usable());
		assertFalse(c.status("m", false).usable());
		assertFalse(Files.exists(real.resolve("m").resolve(CACHE)), "no write through the link");
	}

	@Test
	void aModelFolderThatIsALinkGetsNoCache() throws IOException {
		final Path target = modelDir(elsewhere.resolve("outside"));
		final Path models = Files.createDirectories(tmp.resolve("models"));
		Files.createSymbolicLink(models.resolve("m"), target);
		Files.createSymbolicLink(models.resolve("rel"), Path.of("../elsewhere/outside"));
		final ModelCatalog c = new ModelCatalog(models);
		assertEquals(List.of("demo", "m", "rel"), c.names());
		for (final String n : List.of("m", "rel")) {
			assertFalse(c.status(n).usable());
			assertFalse(Files.exists(target.resolve(CACHE)), n + ": no write through the link");
		}
	}

	@Test
	void aCacheFileThatIsALinkIsNeitherReadNorWritten() throws IOException {
		final Path models = tmp.resolve("models");
		modelDir(models.resolve("m"));
		final Path victim = elsewhere.resolve("victim.txt");
		Files.writeString(victim, "precious");
		Files.createSymbolicLink(models.resolve("m").resolve(CACHE), victim);
		final Path dangling = elsewhere.resolve("created-by-anyseg");
		modelDir(models.resolve("d"));
		Files.createSymbolicLink(models.resolve("d").resolve(CACHE), dangling);
		final ModelCatalog c = new ModelCatalog(models);
		assertFalse(c.status("m").usable());
		assertFalse(c.status("d").usable());
		assertEquals("precious", Files.readString(victim));
		assertFalse(Files.exists(dangling));
	}

	@Test
	void installRefusesLinkedFolders() throws IOException {
		final ModelInstaller installer = new ModelInstaller(new Downloader(500, 500,
			LoopbackOnlyHttpTest.FAKE));
		final ModelZoo.Entry entry = new ModelZoo.Entry("m", "T", "sam", List.of(), "X", false, "",
			"", List.of(new ModelZoo.File("e.onnx", "http://127.0.0.1:1/e.onnx", 1L, null,
			null)));

		// the model folder itself is a link
		final Path linked = Files.createSymbolicLink(tmp.resolve("models-link"), elsewhere);
		final AnySegException e1 = assertThrows(AnySegException.class, () -> installer.install(
			entry, new ModelCatalog(linked), null, () -> false));
		assertTrue(e1.getMessage().contains("symbolic link"), e1.getMessage());

		// the staging folder was planted as a link
		final Path models = Files.createDirectories(tmp.resolve("models"));
		final ModelCatalog catalog = new ModelCatalog(models);
		Files.createSymbolicLink(ModelInstaller.staging(catalog, "m"), elsewhere);
		final AnySegException e2 = assertThrows(AnySegException.class, () -> installer.install(
			entry, catalog, null, () -> false));
		assertTrue(e2.getMessage().contains("symbolic link"), e2.getMessage());

		// the model's own name is a dangling link: not "installed", and not replaced either
		Files.delete(ModelInstaller.staging(catalog, "m"));
		Files.createSymbolicLink(models.resolve("m"), elsewhere.resolve("nothing"));
		final AnySegException e3 = assertThrows(AnySegException.class, () -> installer.install(
			entry, catalog, null, () -> false));
		assertTrue(e3.getMessage().contains("already installed"), e3.getMessage());

		// a file in the staging folder was planted as a link
		Files.delete(models.resolve("m"));
		Files.createDirectories(ModelInstaller.staging(catalog, "m"));
		final Path victim = Files.writeString(elsewhere.resolve("victim"), "x");
		Files.createSymbolicLink(ModelInstaller.staging(catalog, "m").resolve("e.onnx"), victim);
		final AnySegException e4 = assertThrows(AnySegException.class, () -> installer.install(
			entry, catalog, null, () -> false));
		assertTrue(e4.getMessage().contains("symbolic link"), e4.getMessage());
		assertEquals("x", Files.readString(victim));
		try (Stream<Path> s = Files.list(elsewhere)) {
			assertEquals(List.of(victim), s.toList(), "nothing written through any link");
		}
	}

	@Test
	void importRefusesALinkedModelsFolder() throws IOException {
		final Path source = modelDir(tmp.resolve("source"));
		final Path linked = Files.createSymbolicLink(tmp.resolve("models-link"), elsewhere);
		final AnySegException e = assertThrows(AnySegException.class, () -> new ModelCatalog(
			linked).importFolder(source, "m"));
		assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
		try (Stream<Path> s = Files.list(elsewhere)) {
			assertEquals(List.of(), s.toList(), "nothing written through the link");
		}
	}

	@Test
	void aPartialFileThatIsALinkIsNotAppendedTo() throws IOException {
		final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		final byte[] data = new byte[1000];
		server.createContext("/f.onnx", ex -> {
			ex.sendResponseHeaders(200, data.length);
			try (OutputStream o = ex.getResponseBody()) {
				o.write(data);
			}
		});
		server.start();
		try {
			final URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() +
				"/f.onnx");
			final Path target = tmp.resolve("dl/f.onnx");
			Files.createDirectories(target.getParent());
			final Path victim = Files.writeString(elsewhere.resolve("victim"), "precious");
			Files.createSymbolicLink(Downloader.partFile(target), victim);
			final Downloader dl = new Downloader(2000, 2000, LoopbackOnlyHttpTest.FAKE);
			final AnySegException e = assertThrows(AnySegException.class, () -> dl.download(uri,
				target, null, null, null));
			assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
			assertEquals("precious", Files.readString(victim));
			final Path dangling = elsewhere.resolve("new");
			Files.delete(Downloader.partFile(target));
			Files.createSymbolicLink(Downloader.partFile(target), dangling);
			assertThrows(AnySegException.class, () -> dl.download(uri, target, null, null, null));
			assertFalse(Files.exists(dangling));
			Files.delete(Downloader.partFile(target));
			dl.download(uri, target, null, null, null);
			assertArrayEquals(data, Files.readAllBytes(target), "control: a plain download works");
		}
		finally {
			server.stop(0);
		}
	}
}

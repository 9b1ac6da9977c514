package org.anyseg.ops.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.anyseg.ops.AnySegException;

/**
 * One ONNX file of a model, on disk or bundled as a class-path resource.
 */
public final class ModelFile {

	private final String name;
	private final Path path;
	private final String resource;

	private ModelFile(final String name, final Path path, final String resource) {
		this.name = name;
		this.path = path;
		this.resource = resource;
	}

	public static ModelFile of(final Path path) {
		return new ModelFile(path.toString(), path, null);
	}

	public static ModelFile ofResource(final String resource) {
		return new ModelFile("classpath:" + resource, null, resource);
	}

	/** A stable identity: absolute path or class-path resource name. */
	public String id() {
		return path != null ? path.toAbsolutePath().normalize().toString() : name;
	}

	public String name() {
		return name;
	}

	/** The file's bytes; for files on disk prefer {@link #path()}. */
	byte[] bytes() {
		if (path != null) {
			try {
				return Files.readAllBytes(path);
			}
			catch (final NoSuchFileException e) {
				throw new AnySegException("Model file not found: " + path +
					". Check the model folder or import the model again.", e);
			}
			catch (final IOException e) {
				throw new AnySegException("Cannot read model file " + path + ": " + e.getMessage(),
					e);
			}
		}
		try (InputStream in = ModelFile.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new AnySegException("Bundled model file " + resource +
					" is missing from the AnySeg jar; reinstall AnySeg.");
			}
			return in.readAllBytes();
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read bundled model file " + resource, e);
		}
	}

	/** The SHA-256 last computed, with the size and modification time it was computed for. */
	private volatile String[] digest;

	/**
	 * Lower-case hex SHA-256 of the file's bytes; computed once while the file keeps its size
	 * and modification time (a model of gigabytes is hashed once per load, not per question).
	 */
	public String sha256() {
		final String stamp = path == null ? "" : size() + ":" + lastModified();
		final String[] d = digest;
		if (d != null && d[0].equals(stamp)) return d[1];
		final String sha = ModelBytes.sha256(this);
		digest = new String[] { stamp, sha };
		return sha;
	}

	/** The file's name within its folder (class-path folder for a bundled file). */
	public String fileName() {
		return path != null ? path.getFileName().toString() : resource.substring(resource
			.lastIndexOf('/') + 1);
	}

	/** Last-modified time in ms, 0 for a bundled file or one that cannot be read. */
	public long lastModified() {
		if (path == null) return 0;
		try {
			return Files.getLastModifiedTime(path).toMillis();
		}
		catch (final IOException e) {
			return 0;
		}
	}

	/** Size in bytes. */
	public long size() {
		if (path != null) {
			try {
				return Files.size(path);
			}
			catch (final IOException e) {
				throw new AnySegException("Cannot read model file " + path + ": " + e.getMessage(), e);
			}
		}
		return bytes().length;
	}

	/** The path on disk, or {@code null} for a bundled resource. */
	public Path path() {
		return path;
	}

	/** The class-path resource name of a bundled file, or {@code null} for one on disk. */
	public String resource() {
		return resource;
	}

	@Override
	public String toString() {
		return name;
	}
}

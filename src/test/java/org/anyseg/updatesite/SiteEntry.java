package org.anyseg.updatesite;

import java.util.List;

/**
 * One {@code <plugin>} record of an update site's {@code db.xml.gz}: the file's name as
 * installed in Fiji ({@code jars/onnxruntime-1.24.2.jar}) and its current version. On the
 * server the file lies at {@link #serverPath()}.
 *
 * @param filename the path relative to the Fiji folder
 * @param checksum the Updater's checksum ({@link UpdaterChecksum})
 * @param timestamp {@code yyyyMMddHHmmss} of this version (the upload's time)
 * @param filesize bytes
 * @param description shown in the Updater
 * @param dependencies files this one needs, by unversioned name ({@code jars/picocli.jar})
 */
public record SiteEntry(String filename, String checksum, long timestamp, long filesize,
	String description, List<Dependency> dependencies)
{

	/** A {@code <dependency>}: an unversioned file name and that file's timestamp. */
	public record Dependency(String filename, long timestamp) {}

	/** Where the Updater downloads this version from, relative to the site's URL. */
	public String serverPath() {
		return filename + "-" + timestamp;
	}
}

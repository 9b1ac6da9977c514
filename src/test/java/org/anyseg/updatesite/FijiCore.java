package org.anyseg.updatesite;

import java.util.Set;

import org.scijava.util.FileUtils;

/**
 * The runtime dependencies of AnySeg that Fiji itself ships in {@code jars/} (from the
 * ImageJ and Fiji update sites), so the AnySeg update site must not carry them: a second
 * copy would shadow Fiji's own version. Fiji's pom ({@code sc.fiji:fiji}, on pom-scijava 45)
 * depends on {@code ij}, {@code ij1-patcher} (with its {@code javassist} and
 * {@code classgraph}), {@code imagej-legacy}, {@code scijava-common} (with
 * {@code parsington}), and through ImageJ2 on {@code imglib2} and {@code gson}.
 * ONNX Runtime and picocli are not part of Fiji.
 */
public final class FijiCore {

	/** Unversioned file names, as the Updater compares them ({@code jars/ij.jar}). */
	public static final Set<String> JARS = Set.of("jars/ij.jar", "jars/ij1-patcher.jar",
		"jars/javassist.jar", "jars/classgraph.jar", "jars/scijava-common.jar",
		"jars/parsington.jar", "jars/imglib2.jar", "jars/gson.jar", "jars/imagej-legacy.jar",
		"jars/imagej-common.jar", "jars/imagej-ops.jar", "jars/scifio.jar",
		"jars/imglib2-algorithm.jar", "jars/imglib2-roi.jar", "jars/imglib2-realtransform.jar",
		"jars/imglib2-cache.jar", "jars/commons-math3.jar", "jars/guava.jar",
		"jars/slf4j-api.jar");

	private FijiCore() {}

	/**
	 * The Updater's unversioned name of a file name ({@code jars/ij-1.54p.jar} gives
	 * {@code jars/ij.jar}), with the same function the Updater calls.
	 */
	public static String unversioned(final String filename) {
		return FileUtils.stripFilenameVersion(filename);
	}

	/** Whether Fiji ships this jar (any version of it). */
	public static boolean ships(final String filename) {
		return JARS.contains(unversioned(filename));
	}
}

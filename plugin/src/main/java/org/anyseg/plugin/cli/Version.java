package org.anyseg.plugin.cli;

import picocli.CommandLine.IVersionProvider;

/** The jar's version from its manifest. */
final class Version implements IVersionProvider {

	@Override
	public String[] getVersion() {
		final String v = Version.class.getPackage().getImplementationVersion();
		return new String[] { "AnySeg " + (v != null ? v : "(development build)") };
	}
}

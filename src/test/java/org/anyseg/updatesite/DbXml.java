package org.anyseg.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Writes and reads an update site's {@code db.xml.gz} in the ImageJ Updater's format
 * (imagej-updater {@code XMLFileWriter}/{@code XMLFileReader}): gzip'd UTF-8 XML, the DTD
 * inline, root {@code pluginRecords}, one {@code plugin} per file with a {@code version}
 * (checksum, timestamp, filesize; description, dependencies). A site's copy has no
 * {@code update-site} elements (those are only in a Fiji's local copy).
 */
public final class DbXml {

	/** The Updater's DTD, as its writer embeds it. */
	static final String DTD = "<!DOCTYPE pluginRecords [\n" +
		"<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n" +
		"<!ELEMENT update-site EMPTY>\n" + "<!ELEMENT disabled-update-site EMPTY>\n" +
		"<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n" +
		"<!ELEMENT version (description?, dependency*, link*, author*)>\n" +
		"<!ELEMENT previous-version EMPTY>\n" + "<!ELEMENT description (#PCDATA)>\n" +
		"<!ELEMENT dependency EMPTY>\n" + "<!ELEMENT link (#PCDATA)>\n" +
		"<!ELEMENT author (#PCDATA)>\n" + "<!ELEMENT platform (#PCDATA)>\n" +
		"<!ELEMENT category (#PCDATA)>\n" + attlist("update-site") + attlist(
			"disabled-update-site") + "<!ATTLIST plugin update-site CDATA #IMPLIED>\n" +
		"<!ATTLIST plugin filename CDATA #REQUIRED>\n" +
		"<!ATTLIST plugin executable CDATA #IMPLIED>\n" +
		"<!ATTLIST dependency filename CDATA #REQUIRED>\n" +
		"<!ATTLIST dependency timestamp CDATA #IMPLIED>\n" +
		"<!ATTLIST dependency overrides CDATA #IMPLIED>\n" +
		"<!ATTLIST version timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST version checksum CDATA #REQUIRED>\n" +
		"<!ATTLIST version filesize CDATA #REQUIRED>\n" +
		"<!ATTLIST previous-version filename CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n";

	private DbXml() {}

	private static String attlist(final String e) {
		final StringBuilder sb = new StringBuilder();
		sb.append("<!ATTLIST ").append(e).append(" name CDATA #REQUIRED>\n");
		sb.append("<!ATTLIST ").append(e).append(" url CDATA #REQUIRED>\n");
		for (final String a : new String[] { "keep-url", "official", "ssh-host",
			"upload-directory", "description", "maintainer" })
		{
			sb.append("<!ATTLIST ").append(e).append(' ').append(a).append(" CDATA #IMPLIED>\n");
		}
		sb.append("<!ATTLIST ").append(e).append(" timestamp CDATA #REQUIRED>\n");
		return sb.toString();
	}

	/** Writes {@code entries} as a gzip'd {@code db.xml.gz}, in the given order. */
	public static void write(final List<SiteEntry> entries, final Path dbXmlGz)
		throws IOException
	{
		try (OutputStream os = Files.newOutputStream(dbXmlGz);
				Writer w = new OutputStreamWriter(new GZIPOutputStream(os), StandardCharsets.UTF_8))
		{
			w.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>");
			w.write(DTD);
			w.write("<pluginRecords>\n");
			for (final SiteEntry e : entries) {
				w.write("    <plugin filename=\"" + esc(e.filename()) + "\">\n");
				w.write("        <version checksum=\"" + e.checksum() + "\" timestamp=\"" + e
					.timestamp() + "\" filesize=\"" + e.filesize() + "\">\n");
				if (e.description() != null) {
					w.write("            <description>" + esc(e.description()) + "</description>\n");
				}
				for (final SiteEntry.Dependency d : e.dependencies()) {
					w.write("            <dependency filename=\"" + esc(d.filename()) +
						"\" timestamp=\"" + d.timestamp() + "\"/>\n");
				}
				w.write("        </version>\n");
				w.write("    </plugin>\n");
			}
			w.write("</pluginRecords>\n");
		}
	}

	private static String esc(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"",
			"&quot;");
	}

	/**
	 * Reads a {@code db.xml.gz} as the Updater does (namespace-aware), validating it against
	 * its inline DTD as the Updater's writer does before an upload; any validation error
	 * fails the read.
	 */
	public static List<SiteEntry> read(final Path dbXmlGz) throws IOException {
		final Document doc;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(dbXmlGz))) {
			final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
			f.setNamespaceAware(true);
			f.setValidating(true);
			final DocumentBuilder b = f.newDocumentBuilder();
			b.setErrorHandler(new Strict());
			doc = b.parse(in);
		}
		catch (final ParserConfigurationException | SAXException e) {
			throw new IOException("Invalid " + dbXmlGz + ": " + e.getMessage(), e);
		}
		final List<SiteEntry> out = new ArrayList<>();
		final NodeList plugins = doc.getElementsByTagName("plugin");
		for (int i = 0; i < plugins.getLength(); i++) {
			final Element p = (Element) plugins.item(i);
			final Element v = (Element) p.getElementsByTagName("version").item(0);
			if (v == null) continue; // a removed file: only previous versions
			final NodeList desc = v.getElementsByTagName("description");
			final List<SiteEntry.Dependency> deps = new ArrayList<>();
			final NodeList dl = v.getElementsByTagName("dependency");
			for (int k = 0; k < dl.getLength(); k++) {
				final Element d = (Element) dl.item(k);
				final String ts = d.getAttribute("timestamp");
				deps.add(new SiteEntry.Dependency(d.getAttribute("filename"), ts.isEmpty() ? 0 : Long
					.parseLong(ts)));
			}
			out.add(new SiteEntry(p.getAttribute("filename"), v.getAttribute("checksum"), Long
				.parseLong(v.getAttribute("timestamp")), Long.parseLong(v.getAttribute("filesize")),
				desc.getLength() == 0 ? null : desc.item(0).getTextContent(), deps));
		}
		return out;
	}

	private static final class Strict implements ErrorHandler {

		@Override
		public void warning(final SAXParseException e) {}

		@Override
		public void error(final SAXParseException e) throws SAXException {
			throw e;
		}

		@Override
		public void fatalError(final SAXParseException e) throws SAXException {
			throw e;
		}
	}
}

#!/usr/bin/env bash
# Builds AnySeg's Fiji update site into DIR: jars/ (AnySeg and the runtime jars Fiji does
# not ship), plugins/Macros/ (the example macros), db.xml.gz; every file named NAME-TIMESTAMP
# as the ImageJ Updater stores it. See update-site/README.md and FORMAT.md.
# Usage: update-site/build.sh DIR [--timestamp yyyyMMddHHmmss] [--dry-run SITE_NAME]
set -euo pipefail
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
	echo "Usage: $0 DIR [--timestamp yyyyMMddHHmmss] [--dry-run SITE_NAME]" >&2
	exit 2
fi
case "$1" in /*) out=$1 ;; *) out=$PWD/$1 ;; esac
shift
cd "$(dirname "$0")/.."
jar=$(ls target/anyseg-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-tests\.jar$' || true)
if [ -z "$jar" ] || [ ! -d target/lib ]; then
	echo "Building AnySeg (mvn -B -q package -DskipTests)..."
	mvn -B -q package -DskipTests
fi
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/site.cp >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/site.cp)" \
	org.anyseg.updatesite.UpdateSiteBuilder "$@" "$out"

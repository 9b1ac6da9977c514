#!/usr/bin/env bash
# Prints what an upload of AnySeg's update site to https://sites.imagej.net/SITE_NAME/ would
# send (file, size, Updater checksum, target path on the server), after building the site
# into DIR (default: a new temporary folder). Nothing goes over the network: the real upload
# is done by the ImageJ Updater (update-site/README.md).
# Usage: update-site/upload.sh --dry-run SITE_NAME [DIR]
set -euo pipefail
if [ "${1:-}" != "--dry-run" ] || [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "Usage: $0 --dry-run SITE_NAME [DIR]" >&2
	echo "Only a dry run is offered: upload with the ImageJ Updater (see update-site/README.md)." >&2
	exit 2
fi
site=$2
dir=${3:-$(mktemp -d)/anyseg-site}
exec "$(dirname "$0")/build.sh" "$dir" --dry-run "$site"

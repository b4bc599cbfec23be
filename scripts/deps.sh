#!/bin/sh
# Installs the Debian packages isms needs to build, run and test, when any is missing.
# Usage: scripts/deps.sh [build|test|bench]   (build is always included)
# Runs apt-get only when a package is absent, so a second call costs a dpkg query.
set -eu

BUILD="meson ninja-build pkg-config gcc libc6-dev
 libmicrohttpd-dev libsqlite3-dev libsodium-dev libjansson-dev liboath-dev
 libpwquality-dev cracklib-runtime libqrencode-dev libunistring-dev john-data
 libxlsxwriter-dev libzip-dev libexpat1-dev libcsv-dev libical-dev
 libcurl4-openssl-dev libzstd-dev zstd"
TEST="chromium fonts-wqy-microhei libcriterion-dev python3 python3-pytest python3-pytest-xdist python3-requests python3-yaml python3-cryptography python3-openpyxl sqlite3 clang-format cppcheck openssl"
BENCH="wrk nginx-light chromium fonts-wqy-microhei"

want="$BUILD"
for set in "$@"; do
	case "$set" in
	build) ;;
	test) want="$want $TEST" ;;
	bench) want="$want $BENCH" ;;
	*) echo "deps.sh: unknown set '$set' (build, test, bench)" >&2; exit 2 ;;
	esac
done

missing=""
# The web interface is built with Node.js and npm (any recent Node.js: nodesource's or Debian's).
if ! command -v npm >/dev/null 2>&1; then
	command -v node >/dev/null 2>&1 || missing="nodejs"
	missing="$missing npm"
fi
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "isms: installing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent on a fresh machine; refresh them once if a package is unknown.
if ! $SUDO apt-get install -y --no-install-recommends $missing; then
	$SUDO apt-get update
	$SUDO apt-get install -y --no-install-recommends $missing
fi

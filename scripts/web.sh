#!/bin/sh
# Builds the web interface (web/) into web/dist, which meson embeds in the isms binary.
# Installs the npm packages of web/package-lock.json when they are missing or stale, and
# skips the build when no source changed since the last one (web/dist/.built).
set -eu
cd "$(dirname "$0")/../web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "isms: installing the web interface's npm packages (web/package-lock.json)" >&2
	# The versions of the lock file, as `npm ci` would; `npm ci` itself refuses a lock file
	# made on one platform because it lacks the other platforms' optional builds.
	npm install --no-audit --no-fund --no-save --loglevel=error
fi
if [ -f dist/.built ] &&
	[ -z "$(find src public index.html package.json package-lock.json vite.config.ts tsconfig.json scripts -newer dist/.built -print -quit)" ]; then
	exit 0
fi
echo "isms: building the web interface (web/dist)" >&2
npm run --silent build

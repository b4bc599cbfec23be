# isms: the README's two commands.
#   make run   install what is missing, build (web interface included), start a server on
#              ./data (127.0.0.1:8080)
#   make test  install, build with sanitizers, run every check and test; "N passed, N failed"
DATA   ?= data
LISTEN ?= 127.0.0.1:8080

.PHONY: all build run test bench deps format clean

all: build

deps:
	@scripts/deps.sh build

build: deps
	@scripts/web.sh
	@[ -f build/build.ninja ] || meson setup build --buildtype=release -Dtests=disabled >/dev/null
	@grep -q 'web/dist' build/build.ninja || meson setup --reconfigure build >/dev/null
	@ninja -C build

run: build
	@scripts/run.sh "$(DATA)" "$(LISTEN)"

test:
	@scripts/deps.sh build test
	@scripts/test.sh

bench: build
	@scripts/deps.sh bench
	@/usr/bin/python3 bench/run.py
	@/usr/bin/python3 bench/backup.py
	@node bench/web.mjs

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'fuzz/*.c' 'tools/*.c' 'bench/*.c')

clean:
	rm -rf build build-asan web/dist

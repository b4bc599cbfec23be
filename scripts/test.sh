#!/bin/bash
# make test: builds the release binary (warnings as errors, hardening flags) and a
# sanitized one (ASan + UBSan), runs the static checks, the Criterion unit tests and the
# pytest API suite against the sanitized server, and prints "N passed, N failed" last.
set -u
cd "$(dirname "$0")/.."
top=$PWD
art=$top/test-artifacts
rm -rf "$art"
mkdir -p "$art"
passed=0
failed=0
failures=()

note() { printf '\n== %s\n' "$*"; }
ok() { passed=$((passed + $1)); }
bad() { failed=$((failed + $1)); failures+=("$2"); }

# A check counts once: pass or fail.
check() {
	local name=$1
	shift
	if "$@" >"$art/$name.log" 2>&1; then
		ok 1
		echo "ok   $name"
	else
		bad 1 "$name"
		echo "FAIL $name (log: test-artifacts/$name.log)"
		tail -n 30 "$art/$name.log"
	fi
}

export ASAN_OPTIONS=detect_stack_use_after_return=1:strict_string_checks=1:detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0

note "build"
# The web interface first: both binaries embed web/dist (a build dir configured before it
# existed is reconfigured to pick it up).
check web_build scripts/web.sh
build_release() {
	[ -f build/build.ninja ] || meson setup build --buildtype=release -Dtests=disabled
	grep -q 'web/dist' build/build.ninja || meson setup --reconfigure build
	ninja -C build
}
build_asan() {
	[ -f build-asan/build.ninja ] ||
		meson setup build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
			-Dtests=enabled
	grep -q 'web/dist' build-asan/build.ninja || meson setup --reconfigure build-asan
	ninja -C build-asan
}
check build_release build_release
check build_asan build_asan
if [ ! -x build-asan/isms ]; then
	echo
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi

note "static checks"
sources=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tools/*.c' 'fuzz/*.c' 'bench/*.c' 2>/dev/null)
check clang_format clang-format --dry-run -Werror $sources
check cppcheck cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	--inline-suppr -Isrc --suppress=missingIncludeSystem --library=scripts/jansson.cfg src
banned() {
	! grep -nE '\b(strcpy|strcat|strncpy|sprintf|vsprintf|gets|atoi|atol|atof|strtok|rand|system|popen|alloca)\(' \
		$(git ls-files 'src/*.c' 'src/*.h' | grep -v 'src/core/banned.h')
}
check ASVS_E3_D5_banned_functions banned
sql_gate() {
	# SQL text only in src/store and src/<domain>/<domain>_store.c, and never formatted.
	! grep -nE '"(SELECT|INSERT|UPDATE|DELETE) ' $(git ls-files 'src/*.c' |
		grep -vE '^src/store/|_store\.c$') &&
		! grep -nE '(printf|buf_addf)\([^;]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE)\b' -r src
}
check ASVS_D2_sql_only_in_store_files sql_gate
# The store seam (DESIGN "Storage"): no engine type or call outside src/store.
store_seam() {
	! grep -rnE 'sqlite3|SQLITE_' src --include='*.[ch]' | grep -v '^src/store/'
}
check store_seam_hides_the_engine store_seam
# Includes follow the layers; module -> module only along scripts/layers.txt; no cycles.
check layers_and_module_edges python3 scripts/check_layers.py
# make run works where only `scripts/deps.sh build` ran: the release build needs no test package
check deps_build_list_complete /usr/bin/python3 scripts/check_deps.py build
# The web's API types are what docs/openapi.yaml generates (web/src/api/schema.d.ts)
web_api_types() {
	(cd web && npm run --silent check:api)
}
check web_api_types_match_openapi web_api_types

note "unit tests (Criterion, ASan + UBSan)"
for t in build-asan/tests/unit/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	ISMS_TEST_SRCDIR=$top "$t" --jobs 2 >"$art/unit-$name.log" 2>&1
	rc=$?
	line=$(grep -a 'Synthesis:' "$art/unit-$name.log" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	p=${p:-0}
	f=$((${f:-0} + ${c:-0}))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	ok "$p"
	if [ "$f" -gt 0 ]; then
		bad "$f" "$name"
		echo "FAIL $name: $line"
		grep -aE '\[FAIL\]|\[----\].*(fail|crash)|ERROR: |runtime error' "$art/unit-$name.log" | head -20
	else
		echo "ok   $name: $p tests"
	fi
done

note "fuzz corpus replay (ASan + UBSan)"
for t in fuzz/corpus/*; do
	name=$(basename "$t")
	check "fuzz_$name" build-asan/fuzz/"fuzz_$name" "$t"
done

note "API tests (pytest against a live, sanitized isms serve)"
export ISMS_BIN=$top/build-asan/isms
# Two workers, one test file each at a time (its module's server stays in one worker): the
# suite waits mostly on argon2id and on moved clocks, so two run in the time of one.
/usr/bin/python3 -m pytest tests/api -q -p no:cacheprovider -n 2 --dist loadfile \
	--junitxml="$art/api.xml" -o junit_family=xunit1 >"$art/api.log" 2>&1
rc=$?
tail -n 40 "$art/api.log"
if [ -f "$art/api.xml" ]; then
	read -r t f e s < <(/usr/bin/python3 - "$art/api.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
suites = [r] if r.tag == 'testsuite' else list(r)
g = lambda k: sum(int(x.get(k, 0)) for x in suites)
print(g('tests'), g('failures'), g('errors'), g('skipped'))
PY
)
	ok $((t - f - e - s))
	[ $((f + e)) -gt 0 ] && bad $((f + e)) "api"
	[ "$s" -gt 0 ] && bad "$s" "api (skipped tests count as failures)"
elif [ "$rc" -ne 0 ]; then
	bad 1 "api (pytest did not run)"
fi

note "browser tests (Playwright and Chromium against a live, sanitized isms serve)"
# node:test runs each file against its own demo organization; screenshots go to
# test-artifacts/screenshots. A test counts once: pass or fail.
(cd web && ISMS_BIN=$top/build-asan/isms ISMS_ARTIFACTS=$art node --test --test-concurrency=1 \
	--test-reporter=tap e2e/) >"$art/e2e.log" 2>&1
rc=$?
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$art/e2e.log" | tail -n 1)
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$art/e2e.log" | tail -n 1)
c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$art/e2e.log" | tail -n 1)
s=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$art/e2e.log" | tail -n 1)
p=${p:-0}
f=$((${f:-0} + ${c:-0} + ${s:-0}))
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
ok "$p"
if [ "$f" -gt 0 ]; then
	bad "$f" "e2e"
	echo "FAIL e2e: $p passed, $f failed (log: test-artifacts/e2e.log)"
	grep -E '^\s*not ok|error:|Error' "$art/e2e.log" | head -30
else
	echo "ok   e2e: $p tests"
fi

echo
if [ "${#failures[@]}" -gt 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

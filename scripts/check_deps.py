#!/usr/bin/python3
"""check_deps.py: every library the release build links comes from a Debian package that
`scripts/deps.sh build` installs (make run works where only that ran), and the test-only
packages are not needed by it.

    scripts/check_deps.py BUILD_DIR

BUILD_DIR is a configured release build (tests disabled). Its dependencies (meson introspect)
and the libraries meson.build finds with cc.find_library() are traced to the package that owns
their pkg-config file or shared library (dpkg -S). Exit 1 names each package the build needs
that the build list lacks.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def deps_list(name):
    text = open(os.path.join(ROOT, "scripts", "deps.sh"), encoding="utf-8").read()
    m = re.search(r'^%s="([^"]*)"' % name, text, re.MULTILINE | re.DOTALL)
    if not m:
        sys.exit("check_deps: no %s list in scripts/deps.sh" % name)
    return set(m.group(1).split())


def owner(path):
    r = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return r.stdout.split(":")[0].strip()


def pc_file(name):
    r = subprocess.run(["pkg-config", "--variable=pcfiledir", name], capture_output=True,
                       text=True)
    if r.returncode != 0:
        return None
    path = os.path.join(r.stdout.strip(), name + ".pc")
    return os.path.realpath(path) if os.path.exists(path) else None


def library(name):
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib",
              "/lib/x86_64-linux-gnu"):
        for f in ("lib%s.so" % name, "lib%s.a" % name):
            p = os.path.join(d, f)
            if os.path.exists(p):
                return os.path.realpath(p) if f.endswith(".a") else p
    return None


def main():
    build_dir = sys.argv[1] if len(sys.argv) > 1 else "build"
    if not os.path.exists(os.path.join(build_dir, "isms")):
        sys.exit("check_deps: build '%s' first" % build_dir)
    want = deps_list("BUILD")
    test_only = deps_list("TEST") - want
    r = subprocess.run(["meson", "introspect", build_dir, "--dependencies"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("check_deps: cannot introspect '%s': %s" % (build_dir, r.stderr.strip()))
    # What the binary loads: a dependency meson merely looked up (a test-only one) is not
    # linked into it.
    ldd = subprocess.run(["ldd", os.path.join(build_dir, "isms")], capture_output=True,
                         text=True).stdout
    loaded = {os.path.realpath(m) for m in re.findall(r"=> (\S+) \(", ldd)}
    needed = {}
    for d in json.loads(r.stdout):
        name = d["name"]
        if name in ("threads",):
            continue
        libs = [os.path.realpath(a) for a in d.get("link_args", []) if a.endswith(".so")]
        if libs and not any(lib in loaded for lib in libs):
            continue
        path = pc_file(name)
        needed[name] = (path, owner(path) if path else None)
    build_file = open(os.path.join(ROOT, "meson.build"), encoding="utf-8").read()
    for name in re.findall(r"cc\.find_library\('([\w+-]+)'\)", build_file):
        if name in ("m",):
            continue
        path = library(name)
        needed["lib" + name] = (path, owner(path) if path else None)
    bad = []
    for name, (path, pkg) in sorted(needed.items()):
        if not pkg:
            bad.append("%s: no Debian package owns %s" % (name, path or "its files"))
        elif pkg in test_only:
            bad.append("%s comes from %s, a test package: the release build must not need "
                       "it" % (name, pkg))
        elif pkg not in want:
            bad.append("%s comes from %s, which scripts/deps.sh build does not install" %
                       (name, pkg))
    for b in bad:
        print(b)
    if bad:
        return 1
    print("the release build needs %d libraries, all from the build list of scripts/deps.sh" %
          len(needed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

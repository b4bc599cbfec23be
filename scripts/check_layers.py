#!/usr/bin/python3
"""check_layers.py: the include graph of src/ follows the layers of DESIGN.md.

    scripts/check_layers.py [LAYERS_FILE]     (default scripts/layers.txt)

A file may include the headers of its own folder and of the layers below its own. Between two
modules (the middle layer) only the edges listed in the layers file are allowed, and the
listed edges must not form a cycle. Nobody includes another folder's *_int.h. An include of
a higher layer is an error unless the layers file lists it as an exception, with its reason.
Listed edges and exceptions that the code no longer has are errors too, so the file stays
true. Exit 1 with one line per problem.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([a-z_0-9]+\.h)"', re.M)


def parse(path):
    layers, edges, exceptions = [], set(), {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            word, _, rest = line.partition(" ")
            if word == "layer":
                name, _, folders = rest.partition(":")
                layers.append((name.strip(), folders.split()))
            elif word in ("edge", "exception"):
                m = re.match(r"([a-z_]+)\s*->\s*([a-z_ ]+?)\s*(?::\s*(.*))?$", rest)
                if not m:
                    sys.exit("%s:%d: cannot read %r" % (path, n, line))
                src, dsts, why = m.group(1), m.group(2).split(), m.group(3)
                for d in dsts:
                    if word == "edge":
                        edges.add((src, d))
                    else:
                        if not why:
                            sys.exit("%s:%d: an exception needs its reason after ':'" % (path, n))
                        exceptions[(src, d)] = why
            else:
                sys.exit("%s:%d: unknown line %r" % (path, n, line))
    return layers, edges, exceptions


def cycle(edges):
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    state = {}

    def visit(n, path):
        state[n] = 1
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return path + [n, m]
            if not state.get(m):
                found = visit(m, path + [n])
                if found:
                    return found
        state[n] = 2
        return None
    for n in sorted(graph):
        if not state.get(n):
            found = visit(n, [])
            if found:
                return found[found.index(found[-1]):]
    return None


def main():
    layers, edges, exceptions = parse(sys.argv[1] if len(sys.argv) > 1
                                      else os.path.join(ROOT, "scripts", "layers.txt"))
    rank, middle = {}, None
    for i, (name, folders) in enumerate(layers):
        for f in folders:
            rank[f] = i
        if name == "modules":
            middle = i
    problems, seen_edges, seen_exc, observed = [], set(), set(), set()

    def unit(f):
        return f if rank.get(f) == middle else layers[rank[f]][0]

    src = os.path.join(ROOT, "src")
    for dirpath, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, ROOT)
            folder = os.path.relpath(dirpath, src)
            if folder == ".":
                folder = name  # src/main.c
            if folder not in rank:
                problems.append("%s: folder %s is in no layer of scripts/layers.txt" % (rel, folder))
                continue
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                to, header = m.groups()
                line = text.count("\n", 0, m.start()) + 1
                where = "%s:%d: includes %s/%s" % (rel, line, to, header)
                if to == folder:
                    continue
                # Cycles are looked for between modules and between layers; the folders of
                # one outer layer (http and cli: the two front ends) count as one.
                if unit(folder) != unit(to):
                    observed.add((unit(folder), unit(to)))
                if to not in rank:
                    problems.append("%s, a folder in no layer" % where)
                    continue
                if header.endswith("_int.h"):
                    problems.append("%s: another module's internals (use its public header)" % where)
                    continue
                if (folder, to) in exceptions:
                    seen_exc.add((folder, to))
                    continue
                if rank[to] > rank[folder]:
                    problems.append("%s: a higher layer (%s above %s)" % (
                        where, layers[rank[to]][0], layers[rank[folder]][0]))
                elif rank[to] == rank[folder] == middle:
                    seen_edges.add((folder, to))
                    if (folder, to) not in edges:
                        problems.append("%s: the edge %s -> %s is not in scripts/layers.txt" % (
                            where, folder, to))
    for e in sorted(edges - seen_edges):
        problems.append("scripts/layers.txt: edge %s -> %s is listed but no file has it" % e)
    for e in sorted(set(exceptions) - seen_exc):
        problems.append("scripts/layers.txt: exception %s -> %s is listed but no file has it" % e)
    c = cycle(observed)
    if c:
        problems.append("the includes form a cycle of folders: %s" % " -> ".join(c))
    for p in problems:
        print(p)
    if problems:
        print("%d layer problem(s)" % len(problems))
        return 1
    print("layers OK: %d module edges, %d exception(s)" % (len(seen_edges), len(seen_exc)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

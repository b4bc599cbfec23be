"""
docs/openapi.yaml is kept true (DESIGN "HTTP API": "checked by a test against the router
table"): its (method, path) pairs are exactly those of `isms routes`; its public routes,
roles and CSRF header match the modules' route tables (src/http/routes_*.c) and the roles of
policy/roles.json; every error code it documents exists in the source and every code there is
documented; every $ref resolves.
"""
import math
import os
import re
import subprocess

import pytest
import yaml

from apihelp import error_codes_in_source
from conftest import ISMS, ROOT

DOC = os.path.join(ROOT, "docs", "openapi.yaml")
ROUTES_DIR = os.path.join(ROOT, "src", "http")
ROLES = os.path.join(ROOT, "policy", "roles.json")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
UNSAFE = ("put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def doc():
    with open(DOC, encoding="utf-8") as f:
        return yaml.safe_load(f)


def operations(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield method, path, op


def resolve(doc, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
        seen += 1
        assert seen < 20, ref
    return node


def role_holders():
    """{permission: set of roles holding it}; a permission of "everyone" maps to the empty
    set (any account), as the documentation's x-roles says it."""
    import json
    with open(ROLES, encoding="utf-8") as f:
        roles = json.load(f)["roles"]
    held = {}
    for r in roles:
        for p in r["permissions"]:
            name = p if isinstance(p, str) else p["name"]
            held.setdefault(name, set()).add(r["id"])
    return {p: (set() if "everyone" in rs else rs) for p, rs in held.items()}


def router_table():
    """The route tables of the modules (src/http/routes_*.c):
    {(METHOD, pattern): (flags, roles)}, roles being those that hold the route's permission."""
    held = role_holders()
    table = {}
    for name in sorted(os.listdir(ROUTES_DIR)):
        if not (name.startswith("routes_") and name.endswith(".c")):
            continue
        with open(os.path.join(ROUTES_DIR, name), encoding="utf-8") as f:
            src = f.read()
        for m in re.finditer(
                r'\{\s*"([A-Z]+)",\s*"(/[^"]*)",\s*(\w+),\s*([^,{}]+?),\s*("[a-z_.]+"|NULL)\s*\}',
                src):
            method, pattern, _, flags, perm = m.groups()
            roles = set() if perm == "NULL" else held[perm.strip('"')]
            table[(method, pattern)] = (flags.strip(), roles)
    return table


def test_openapi_is_3_0(doc):
    assert str(doc["openapi"]).startswith("3.0")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["paths"]


def test_openapi_routes_equal_isms_routes(doc):
    out = subprocess.run([ISMS, "routes"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    served = {tuple(line.split()) for line in out.splitlines() if line.strip()}
    assert served and all(len(r) == 2 for r in served), out
    documented = {(m.upper(), p) for m, p, _ in operations(doc)}
    assert documented - served == set(), "documented but not served"
    assert served - documented == set(), "served but not documented"


def test_openapi_router_table_parsed(doc):
    # The source parser below must see the same routes as the binary.
    out = subprocess.run([ISMS, "routes"], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    served = {tuple(line.split()) for line in out.splitlines() if line.strip()}
    assert set(router_table()) == served


def test_openapi_public_routes_and_roles_match_router(doc):
    table = router_table()
    for method, path, op in operations(doc):
        flags, roles = table[(method.upper(), path)]
        public = "ROUTE_PUBLIC" in flags
        security = op.get("security", doc["security"])
        if public:
            assert security == [], (method, path)
        else:
            schemes = {k for s in security for k in s}
            assert schemes == {"sessionCookie", "bearerToken"}, (method, path, security)
            assert "401" in op["responses"], (method, path)
            assert "403" in op["responses"], (method, path)
        assert set(op.get("x-roles", [])) == roles, (method, path)


def test_openapi_unsafe_operations_take_the_csrf_header(doc):
    for method, path, op in operations(doc):
        if method not in UNSAFE or op.get("security") == []:
            continue
        params = [resolve(doc, p) for p in op.get("parameters", [])]
        assert any(p["in"] == "header" and p["name"] == "X-CSRF-Token" for p in params), \
            (method, path)
        forbidden = resolve(doc, op["responses"]["403"])
        assert "csrf" in forbidden["x-error-codes"], (method, path)


def test_openapi_path_parameters_declared(doc):
    for method, path, op in operations(doc):
        want = set(re.findall(r"\{(\w+)\}", path))
        params = [resolve(doc, p) for p in op.get("parameters", [])]
        got = {p["name"] for p in params if p["in"] == "path"}
        assert got == want, (method, path)
        for p in params:
            if p["in"] == "path":
                assert p["required"] is True and p["schema"]["type"] == "integer"


def test_openapi_pagination_parameters_on_lists(doc):
    for method, path, op in operations(doc):
        ok = resolve(doc, op["responses"].get("200", {}))
        schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
        paged = any(resolve(doc, s) is resolve(doc, {"$ref": "#/components/schemas/Page"})
                    for s in schema.get("allOf", []))
        names = {resolve(doc, p)["name"] for p in op.get("parameters", [])}
        assert paged == ({"limit", "after"} <= names), (method, path)


def is_download(resp):
    types = set(resp.get("content", {}))
    return bool(types) and "application/json" not in types and "Content-Disposition" in \
        resp.get("headers", {})


def is_upload(body):
    types = set(body.get("content", {}))
    return bool(types) and "application/json" not in types and all(
        c.get("schema", {}).get("format") == "binary" for c in body["content"].values())


def test_openapi_every_operation_answers_json(doc):
    for method, path, op in operations(doc):
        assert op.get("operationId") and op.get("summary"), (method, path)
        ok = [s for s in op["responses"] if s.startswith("2")]
        assert ok, (method, path)
        for status, resp in op["responses"].items():
            resp = resolve(doc, resp)
            if status.startswith("2") and is_download(resp):
                continue  # a file download (export, attachment): its own types
            assert "application/json" in resp.get("content", {}), (method, path, status)
            if status >= "400":
                schema = resp["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
                assert resp.get("x-error-codes"), (method, path, status)
        body = op.get("requestBody")
        if body and is_upload(body):
            # A file upload (ROUTE_UPLOAD): the raw file, recognized from its content.
            assert "400" in op["responses"] and "413" in op["responses"], (method, path)
        elif body:
            assert "application/json" in body["content"], (method, path)
            assert "400" in op["responses"], (method, path)
            assert "413" in op["responses"] and "415" in op["responses"], (method, path)


def all_error_codes(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "x-error-codes":
                out.update(v)
            else:
                all_error_codes(v, out)
    elif isinstance(node, list):
        for v in node:
            all_error_codes(v, out)
    return out


def test_openapi_error_codes_exist(doc):
    known = error_codes_in_source()
    assert len(known) > 20
    documented = all_error_codes(doc, set())
    assert documented - known == set(), "documented codes the server does not have"
    assert known - documented == set(), "server codes nobody documented"
    enum = set(doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
               ["code"]["enum"])
    assert enum == known
    # and the codes used by the operations' own responses are among them
    for method, path, op in operations(doc):
        for status, resp in op["responses"].items():
            for code in resolve(doc, resp).get("x-error-codes", []):
                assert code in known, (method, path, status, code)


def test_openapi_refs_resolve(doc):
    def walk(node, where):
        if isinstance(node, dict):
            if "$ref" in node:
                assert resolve(doc, node) is not None, where
            for k, v in node.items():
                walk(v, where + "/" + str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (where, i))
    walk(doc, "#")
    assert set(doc["components"]["securitySchemes"]) == {"sessionCookie", "bearerToken"}
    cookie = doc["components"]["securitySchemes"]["sessionCookie"]
    assert cookie["in"] == "cookie" and cookie["name"] == "isms_session"


def product(expr):
    """The value of a C constant such as "86400" or "7 * 86400"."""
    return math.prod(int(x) for x in expr.split("*"))


def test_openapi_policy_schema_matches_settings(doc):
    """The Policy schema lists exactly the settings of src/settings/settings.c, with their
    ranges."""
    with open(os.path.join(ROOT, "src", "settings", "settings.c"), encoding="utf-8") as f:
        src = f.read()
    table = src[src.index("keys[] = {"):]
    table = table[:table.index("};")]
    keys = {}
    for name, kind, lo, hi in re.findall(r'\{\s*"([a-z_]+)",\s*K_([A-Z]+),\s*([^,]+),\s*([^,}]+?)\s*(?:,[^}]*)?\}',
                                         table):
        keys[name] = (kind, product(lo), product(hi))
    assert len(keys) > 10
    props = doc["components"]["schemas"]["Policy"]["properties"]
    assert set(props) == set(keys)
    types = {"INT": "integer", "BOOL": "boolean", "PROFILE": "string", "ROLES": "array",
             "TEXT": "string"}
    for name, (kind, lo, hi) in keys.items():
        assert props[name]["type"] == types[kind], name
        if kind == "INT":
            assert (props[name]["minimum"], props[name]["maximum"]) == (lo, hi), name
        if kind == "TEXT":
            assert props[name]["maxLength"] == hi, name

"""
Bad input gets a clear error and changes nothing (SPEC OPS-4; SECURITY.md D1, D5, D8, F7;
DESIGN "HTTP API"): malformed and hostile JSON, wrong types, oversize bodies, unknown
routes and methods, parameter pollution and bad cursors each give the documented status and
error code, in the error format {"error":{"code","message","request_id",...}} (Chinese by
default, English on request), with the security headers, and never a trace of SQL or a
stack. Cursor pagination walks every row exactly once.
"""
import contextlib
import json
import re
import socket
import subprocess
import urllib.parse

import pytest

from apihelp import (CJK, LEAKS, audit, check_security_headers, departments, expect_error,
                     new_employee, new_user, users)
from conftest import ISMS

H = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def sa(server):
    for name in ("secadmin", "auditadmin", "sysadmin"):
        server.cached_admin(name)
    return server.cached_admin("sysadmin")


@pytest.fixture
def unchanged(server, sa):
    """Asserts, after the test, that no account and no department changed."""
    sa = server.cached_admin("sysadmin")
    before = users(sa), departments(sa)
    yield
    sa = server.cached_admin("sysadmin")
    assert (users(sa), departments(sa)) == before


def post_raw(c, path, data, headers=H):
    return c.post(path, data=data, headers=dict(headers))


# --- malformed JSON (D1, D8) ------------------------------------------------------------------

BAD_JSON = {
    "truncated": b'{"username":"ab",',
    "unquoted_key": b'{username:"ab","display_name":"x"}',
    "single_quotes": b"{'username':'ab','display_name':'x'}",
    "trailing_comma": b'{"username":"ab","display_name":"x",}',
    "two_documents": b'{"username":"ab","display_name":"x"}{"a":1}',
    "array": b'[{"username":"ab","display_name":"x"}]',
    "empty_array": b"[]",
    "null": b"null",
    "string": b'"ab"',
    "number": b"42",
    "duplicate_keys": b'{"username":"ab","username":"cd","display_name":"x"}',
    "duplicate_keys_nested_case": b'{"username":"ab","display_name":"x","display_name":"y"}',
    "nul_escape_value": b'{"username":"a\\u0000b","display_name":"x"}',
    "nul_escape_key": b'{"user\\u0000name":"ab","display_name":"x"}',
    "raw_nul_byte": b'{"username":"a\x00b","display_name":"x"}',
    "invalid_utf8_ff": b'{"username":"ab","display_name":"\xff\xfe"}',
    "overlong_utf8": b'{"username":"ab","display_name":"\xc0\xaf"}',
    "utf8_surrogate": b'{"username":"ab","display_name":"\xed\xa0\x80"}',
    "truncated_utf8": b'{"username":"ab","display_name":"\xe4\xb8"}',
    "lone_surrogate_escape": b'{"username":"ab","display_name":"\\ud800"}',
    "bad_escape": b'{"username":"ab","display_name":"\\x41"}',
    "control_char_in_string": b'{"username":"ab","display_name":"a\x01b"}',
    "nan": b'{"username":"ab","display_name":"x","department_id":NaN}',
    "huge_integer": b'{"username":"ab","display_name":"x","department_id":1' + b"0" * 40 + b"}",
    "deep_nesting": b'{"username":"ab","display_name":"x","z":' + b"[" * 100000 +
                    b"]" * 100000 + b"}",
    "whitespace_only": b"   \n\t ",
}


@pytest.mark.parametrize("name", sorted(BAD_JSON))
def test_ASVS_D1_malformed_json_refused(sa, unchanged, name):
    e = expect_error(post_raw(sa, "/api/v1/users", BAD_JSON[name]), 400, "invalid_json")
    assert "field" not in e


def test_ASVS_D1_json_array_detail_says_object(sa, unchanged):
    e = expect_error(post_raw(sa, "/api/v1/departments", '[{"name":"数组"}]'.encode()), 400,
                     "invalid_json")
    # The detail is for people: it should say what is wrong, not "line -1: ".
    assert "object" in e.get("detail", ""), e


@pytest.mark.parametrize("who,path", [("sysadmin", "/api/v1/users"),
                                      ("sysadmin", "/api/v1/departments"),
                                      ("secadmin", "/api/v1/users/1/roles"),
                                      ("secadmin", "/api/v1/security/policy"),
                                      (None, "/api/v1/session")])
def test_ASVS_D1_empty_body_refused(server, unchanged, who, path):
    c = server.cached_admin(who) if who else server.client()
    method = "PATCH" if path.endswith("policy") else "POST"
    before = c.get("/api/v1/security/policy").json() if who == "secadmin" else None
    expect_error(c.request(method, path, data=b"", headers=dict(H)), 400, "invalid_json")
    expect_error(c.request(method, path), 400, "invalid_json")
    if who == "secadmin":
        assert c.get("/api/v1/security/policy").json() == before


def test_ASVS_D1_anonymous_malformed_login_refused(server, unchanged):
    c = server.client()
    expect_error(post_raw(c, "/api/v1/session", b'{"username":'), 400, "invalid_json")
    expect_error(post_raw(c, "/api/v1/session", b'["sysadmin","x"]'), 400, "invalid_json")
    expect_error(c.post("/api/v1/session", json={"username": "sysadmin", "password": "x",
                                                  "remember": True}), 400, "unknown_field")
    expect_error(c.post("/api/v1/session", json={"username": 1, "password": "x"}), 400,
                 "invalid", "username")
    expect_error(c.post("/api/v1/session", json={"username": "sysadmin", "password": ""}), 400,
                 "invalid", "password")
    expect_error(c.post("/api/v1/session",
                        json={"username": "sysadmin", "password": "p" * 100000}),
                 400, "invalid", "password")
    assert "isms_session" not in c.cookies


@pytest.mark.parametrize("ctype,data", [
    ("text/plain", b'{"username":"plain","display_name":"x"}'),
    ("application/x-www-form-urlencoded", b"username=formpost&display_name=x"),
    ("multipart/form-data; boundary=b", b'--b\r\nContent-Disposition: form-data; name="username"'
                                        b'\r\n\r\nmultipart\r\n--b--\r\n'),
])
def test_ASVS_D1_non_json_body_refused(sa, unchanged, ctype, data):
    expect_error(post_raw(sa, "/api/v1/users", data, {"Content-Type": ctype}), 415,
                 "unsupported_media_type")


# --- wrong types, empty and huge values (D1) --------------------------------------------------

@pytest.mark.parametrize("path,body,field", [
    ("/api/v1/users", {"username": 12345, "display_name": "x"}, "username"),
    ("/api/v1/users", {"username": True, "display_name": "x"}, "username"),
    ("/api/v1/users", {"username": {"a": 1}, "display_name": "x"}, "username"),
    ("/api/v1/users", {"username": None, "display_name": "x"}, "username"),
    ("/api/v1/users", {"username": "typed", "display_name": 3.5}, "display_name"),
    ("/api/v1/users", {"username": "typed", "display_name": ["x"]}, "display_name"),
    ("/api/v1/users", {"username": "typed", "display_name": "x", "email": False}, "email"),
    ("/api/v1/users", {"username": "typed", "display_name": "x", "department_id": 1.5},
     "department_id"),
    ("/api/v1/users", {"username": "typed", "display_name": "x", "department_id": "1"},
     "department_id"),
    ("/api/v1/users", {"username": "typed", "display_name": "x", "department_id": True},
     "department_id"),
    ("/api/v1/departments", {"name": 1}, "name"),
    ("/api/v1/departments", {"name": None}, "name"),
    ("/api/v1/departments", {"name": "类型", "parent_id": "1"}, "parent_id"),
    ("/api/v1/departments", {"name": "类型", "head_user_id": [1]}, "head_user_id"),
])
def test_ASVS_D1_wrong_types_refused(sa, unchanged, path, body, field):
    expect_error(sa.post(path, json=body), 400, "invalid", field)


@pytest.mark.parametrize("path,body,field", [
    ("/api/v1/users", {"username": "", "display_name": "x"}, "username"),
    ("/api/v1/users", {"username": "emptyname", "display_name": ""}, "display_name"),
    ("/api/v1/users", {"username": "emptymail", "display_name": "x", "email": ""}, "email"),
    ("/api/v1/departments", {"name": ""}, "name"),
    ("/api/v1/users", {"username": "   ", "display_name": "x"}, "username"),
    ("/api/v1/departments", {"name": " "}, "name"),
])
def test_ASVS_D1_empty_strings_refused(sa, unchanged, path, body, field):
    expect_error(sa.post(path, json=body), 400, "invalid", field)


@pytest.mark.parametrize("path,body,field", [
    ("/api/v1/users", {"username": "u" * 500000, "display_name": "x"}, "username"),
    ("/api/v1/users", {"username": "hugename", "display_name": "名" * 300000}, "display_name"),
    ("/api/v1/users", {"username": "hugemail", "display_name": "x",
                       "email": "a" * 900000 + "@example.cn"}, "email"),
    ("/api/v1/departments", {"name": "部" * 300000}, "name"),
])
def test_ASVS_D1_huge_strings_refused(sa, unchanged, path, body, field):
    data = json.dumps(body, ensure_ascii=False).encode()
    assert len(data) < 1 << 20
    expect_error(post_raw(sa, path, data), 400, "invalid", field)


# --- the 1 MiB body limit (D1, D5) ------------------------------------------------------------

def raw_http(base, request, body=b""):
    """Sends bytes on one connection and reads the answer until the server closes it; the
    server may refuse a large body before reading it, so send errors are tolerated."""
    u = urllib.parse.urlparse(base)
    s = socket.create_connection((u.hostname, u.port), timeout=30)
    data = b""
    try:
        s.sendall(request)
        try:
            for i in range(0, len(body), 65536):
                s.sendall(body[i:i + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass
        with contextlib.suppress(ConnectionResetError):
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    head, _, rest = data.partition(b"\r\n\r\n")
                    cl = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
                          if l.lower().startswith(b"content-length:")]
                    if cl and len(rest) >= cl[0]:
                        break
    finally:
        s.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip()
               for l in lines[1:] if ":" in l}
    return status, headers, rest


def big_user_body(size):
    head, tail = b'{"username":"bigbody","display_name":"', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def auth_headers(c):
    cookie = "; ".join("%s=%s" % (k, v) for k, v in c.cookies.items())
    return "Cookie: %s\r\nX-CSRF-Token: %s\r\n" % (cookie, c.csrf)


def chunked(body):
    """The body as a generator: requests sends it with Transfer-Encoding: chunked, and the
    server reads all of it before answering (no race with an early close)."""
    for i in range(0, len(body), 65536):
        yield body[i:i + 65536]


def test_ASVS_D1_body_over_1MiB_with_content_length(server, sa, unchanged):
    # A declared length over the limit is refused as soon as the headers are read: the
    # body is never sent here, so the answer cannot race with the server closing.
    for size in (2 << 20, (1 << 20) + 1):
        req = ("POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: %d\r\n%sConnection: close\r\n\r\n" % (size, auth_headers(sa)))
        status, headers, rest = raw_http(server.base, req.encode())
        assert status == 413, (status, rest[:300])
        e = json.loads(rest)["error"]
        assert e["code"] == "too_large" and CJK.search(e["message"]), e
        assert headers.get("x-request-id") == e["request_id"]
        assert "frame-ancestors 'none'" in headers.get("content-security-policy", "")
        assert headers.get("x-content-type-options") == "nosniff"
        assert "no-store" in headers.get("cache-control", "")
    assert server.client().get("/api/v1/health").status_code == 200


def test_ASVS_D1_body_over_1MiB_chunked(server, sa, unchanged):
    r = sa.post("/api/v1/users", data=chunked(big_user_body(2 << 20)), headers=dict(H))
    assert r.request.headers.get("Transfer-Encoding") == "chunked"
    expect_error(r, 413, "too_large")
    assert server.client().get("/api/v1/health").status_code == 200


def test_ASVS_D1_body_limit_is_exactly_1MiB(sa, unchanged):
    # 1 MiB is read (and refused for its content); one byte more is too large.
    exact = big_user_body(1 << 20)
    expect_error(post_raw(sa, "/api/v1/users", exact), 400, "invalid", "display_name")
    expect_error(sa.post("/api/v1/users", data=chunked(exact), headers=dict(H)), 400, "invalid",
                 "display_name")
    expect_error(sa.post("/api/v1/users", data=chunked(big_user_body((1 << 20) + 1)),
                         headers=dict(H)), 413, "too_large")


def test_ASVS_D1_absurd_content_length(server, sa, unchanged):
    for cl in ("99999999999999999999999", "-1", "abc"):
        req = ("POST /api/v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: %s\r\n%sConnection: close\r\n\r\n" % (cl, auth_headers(sa)))
        status, _, _ = raw_http(server.base, req.encode())
        assert status in (400, 413), (cl, status)
    assert server.client().get("/api/v1/health").status_code == 200


# --- routes and methods -----------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/api/v1/nope", "/api/v1/users/abc", "/api/v1/users/0", "/api/v1/users/-1",
    "/api/v1/users/1/nope", "/api/v1/users/", "/api/v2/users", "/api/v1",
    "/api/v1/users/99999999999999999999999", "/api/v1/users/1.5", "/api/v1/users/0x10",
    "/api/v1/" + "a" * 600,
    "/api/v1/audit/1/proof/extra", "/API/V1/USERS", "/Api/v1/nope",
])
def test_unknown_route_not_found(server, sa, unchanged, path):
    expect_error(sa.get(path), 404, "not_found")
    expect_error(sa.post(path, json={"username": "via404", "display_name": "x"}), 404,
                 "not_found")
    # Also without a session: routing comes first, and says nothing more.
    expect_error(server.client().get(path), 404, "not_found")


@pytest.mark.parametrize("method,path", [
    ("DELETE", "/api/v1/users"), ("PUT", "/api/v1/users/1"), ("DELETE", "/api/v1/users/1"),
    ("POST", "/api/v1/health"), ("PATCH", "/api/v1/session"), ("GET", "/api/v1/me/password"),
    ("PUT", "/api/v1/departments/1"), ("POST", "/api/v1/audit"), ("GET", "/api/v1/users/1/roles"),
    ("DELETE", "/api/v1/security/policy"),
])
def test_wrong_method_not_allowed(server, sa, unchanged, method, path):
    expect_error(sa.request(method, path, json={"username": "via405", "display_name": "x"}),
                 405, "method_not_allowed")
    expect_error(server.client().request(method, path), 405, "method_not_allowed")


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/api/v1/users", {"GET", "POST"}),
    ("PUT", "/api/v1/users/7", {"GET", "PATCH"}),
    ("PATCH", "/api/v1/session", {"POST", "DELETE"}),
    ("GET", "/api/v1/users/7/roles", {"POST"}),
    ("POST", "/api/v1/audit/3/proof", {"GET"}),
])
def test_wrong_method_names_allowed_methods(sa, method, path, allowed):
    # RFC 9110 15.5.6: a 405 answer MUST carry an Allow header listing the methods.
    r = sa.request(method, path)
    expect_error(r, 405, "method_not_allowed")
    allow = {m.strip() for m in r.headers.get("Allow", "").split(",") if m.strip()}
    assert allow == allowed, r.headers
    # and only a 405 has one
    assert "Allow" not in sa.get("/api/v1/users").headers


def test_ASVS_C2_every_route_fails_closed_without_credentials(server):
    """Every non-public route refuses a caller without a session, with a forged session
    cookie and with a forged API token: 401, never data, never 500."""
    out = subprocess.run([ISMS, "routes"], capture_output=True, text=True, check=True).stdout
    routes = [line.split() for line in out.splitlines() if line.strip()]
    assert len(routes) > 20
    public = {("GET", "/api/v1/health"), ("POST", "/api/v1/session")}
    for method, pattern in routes:
        path = re.sub(r"\{\w+\}", "1", pattern)
        for headers in ({}, {"Cookie": "isms_session=" + "A" * 43},
                        {"Authorization": "Bearer isms_" + "B" * 40}):
            c = server.client()
            r = c.request(method, path, headers=dict(headers), json={})
            if (method, pattern) in public:
                assert r.status_code < 500, (method, path, r.text)
                continue
            expect_error(r, 401, "unauthenticated")


# --- parameter pollution and cursors (D8) -----------------------------------------------------

@pytest.mark.parametrize("query", [
    "limit=2&limit=3", "after=1&after=2", "q=a&q=b", "limit=2&LIMIT=2&limit=2",
])
def test_ASVS_D8_duplicate_query_parameters_refused(sa, query):
    expect_error(sa.get("/api/v1/users?" + query), 400, "invalid")


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=-1", "limit"), ("limit=abc", "limit"), ("limit=501", "limit"),
    ("limit=1.5", "limit"), ("limit=", "limit"), ("limit=99999999999999999999", "limit"),
    ("limit=%202", "limit"), ("after=0", "after"), ("after=-5", "after"),
    ("after=abc", "after"), ("after=1e3", "after"), ("after=", "after"),
    ("department_id=abc", "department_id"), ("q=%ff%fe", "q"), ("q=" + "x" * 65, "q"),
])
def test_ASVS_D1_bad_list_parameters_refused(sa, query, field):
    expect_error(sa.get("/api/v1/users?" + query), 400, "invalid", field)
    if field in ("limit", "after"):
        expect_error(sa.get("/api/v1/departments?" + query), 400, "invalid", field)


def test_cursor_pagination_walks_every_user_once(server, sa):
    for i in range(5):
        new_user(sa, "page.%d" % i)
    every = users(sa)
    assert len(every) >= 8
    seen, after, pages = [], None, 0
    while True:
        params = {"limit": 2}
        if after:
            params["after"] = after
        r = sa.get("/api/v1/users", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert 1 <= len(body["items"]) <= 2
        seen += [u["id"] for u in body["items"]]
        pages += 1
        after = body["next"]
        if after is None:
            break
        assert isinstance(after, str) and len(body["items"]) == 2
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert seen == [u["id"] for u in every]
    assert pages == (len(every) + 1) // 2


def test_cursor_pagination_walks_every_department_once(sa):
    for i in range(5):
        r = sa.post("/api/v1/departments", json={"name": "分页部门%d" % i})
        assert r.status_code == 201, r.text
    every = departments(sa)
    seen, after = [], None
    while True:
        r = sa.get("/api/v1/departments", params=dict({"limit": 2}, **({"after": after}
                                                                     if after else {})))
        assert r.status_code == 200, r.text
        seen += [d["id"] for d in r.json()["items"]]
        after = r.json()["next"]
        if after is None:
            break
    assert seen == [d["id"] for d in every] and len(seen) == len(set(seen)) >= 5


# --- the error format, its language and the security headers ----------------------------------

def test_error_message_follows_accept_language(sa):
    zh = expect_error(sa.get("/api/v1/nope"), 404, "not_found")
    for lang in ("en", "en-US,en;q=0.9", "EN-gb"):
        en = expect_error(sa.get("/api/v1/nope", headers={"Accept-Language": lang}), 404,
                          "not_found", en=True)
        assert en["message"] != zh["message"]
    for lang in ("zh-CN,zh;q=0.9,en;q=0.8", "fr-FR", "*", ""):
        expect_error(sa.get("/api/v1/nope", headers={"Accept-Language": lang}), 404,
                     "not_found")
    e = expect_error(sa.post("/api/v1/users", json={"username": "x", "display_name": "y"},
                             headers={"Accept-Language": "en"}), 400, "invalid", "username",
                     en=True)
    assert e["detail"]


def test_ASVS_F7_request_ids_are_unique(sa):
    ids = {expect_error(sa.get("/api/v1/nope"), 404, "not_found")["request_id"]
           for _ in range(20)}
    assert len(ids) == 20


def test_ASVS_I5_security_headers_on_every_kind_of_answer(server, sa):
    anon = server.client()
    emp = new_employee(server, sa, "headers.check")
    answers = [
        anon.get("/api/v1/health"),                                   # 200, public
        sa.get("/api/v1/users"),                                      # 200, admin
        sa.post("/api/v1/departments", json={"name": "头部检查"}),    # 201
        sa.post("/api/v1/users", json={}),                            # 400
        anon.get("/api/v1/me"),                                       # 401
        emp.get("/api/v1/users"),                                     # 403
        sa.get("/api/v1/nope"),                                       # 404
        sa.delete("/api/v1/users"),                                   # 405
        sa.post("/api/v1/users", data=chunked(big_user_body(3 << 20)), headers=dict(H)),  # 413
        sa.post("/api/v1/departments", json={"name": "头部检查"}),    # 409
    ]
    assert [r.status_code for r in answers] == [200, 200, 201, 400, 401, 403, 404, 405, 413,
                                                409]
    for r in answers:
        check_security_headers(r)
        assert r.headers["Content-Type"].startswith("application/json")
        assert not LEAKS.search(r.text), r.text[:300]


# --- F3: validation trips of logged-in callers are recorded -----------------------------------

@pytest.mark.parametrize("data,ctype,code,field", [
    (b'{"username":"ab","display_name":7}', "application/json", "invalid", "display_name"),
    (b'{"username":"ab","display_name":"x","role":"x"}', "application/json", "unknown_field",
     None),
    (b'{"username":"ab",', "application/json", "invalid_json", None),
    (b'{"username":"ab","username":"cd"}', "application/json", "invalid_json", None),
    (b'{"username":"ab","display_name":"x"}', "text/plain", "unsupported_media_type", None),
])
def test_ASVS_F3_refused_input_of_logged_in_caller_is_audited(server, sa, data, ctype, code,
                                                               field):
    au = server.cached_admin("auditadmin")
    before = len(audit(au, action="request.invalid", actor="sysadmin"))
    r = post_raw(sa, "/api/v1/users", data, {"Content-Type": ctype})
    assert r.json()["error"]["code"] == code, r.text
    new = audit(au, action="request.invalid", actor="sysadmin")
    assert len(new) == before + 1, new[:2]
    e = new[0]
    assert e["outcome"] == "denied" and e["source"] == "127.0.0.1"
    want = {"method": "POST", "path": "/api/v1/users", "code": code}
    if field:
        want["field"] = field
    assert e["detail"] == want
    assert data.decode(errors="replace") not in json.dumps(e, ensure_ascii=False)

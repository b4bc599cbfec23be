"""
Shared assertions and small helpers of the API tests of test_admin.py, test_input.py,
test_audit.py and test_durability.py (STYLE §13: each error case asserts the status, the
error code, and that nothing changed).
"""
import os
import re
import subprocess

from conftest import ISMS, strong

ANY = object()

REQUEST_ID = re.compile(r"^[0-9a-f]{16}$")
CJK = re.compile(r"[\u4e00-\u9fff]")
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
# What an error answer must never show (ASVS F7): SQL, SQLite's words, stack traces,
# sanitizer reports, source locations, pointers.
LEAKS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA)\b|(?i:sqlite|constraint failed|"
                   r"AddressSanitizer|runtime error|backtrace|Traceback|#\d+ 0x|\b\w+\.c:\d+|"
                   r"0x[0-9a-f]{8,})")
ERROR_CODES_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "src", "http", "error.c")


def check_security_headers(r):
    h = r.headers
    csp = h.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, csp
    assert "default-src" in csp, csp
    assert h.get("X-Content-Type-Options") == "nosniff", h
    assert "no-store" in h.get("Cache-Control", ""), h
    # No product or library version for an attacker to look up.
    server = h.get("Server", "")
    assert not re.search(r"\d|microhttpd|isms", server, re.IGNORECASE), server


def expect_error(r, status, code, field=ANY, en=False):
    """Asserts an error answer of the DESIGN format; returns the error object."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"error"}, body
    e = body["error"]
    assert e.get("code") == code, e
    assert set(e) <= {"code", "message", "request_id", "field", "detail", "unlock_at", "report",
                      "reason"}, e
    assert e.get("reason") in (None, "required", "too_long", "too_short", "wrong_type",
                               "not_in_list", "out_of_range", "bad_format", "unknown_field"), e
    assert REQUEST_ID.match(e.get("request_id", "")), e
    assert r.headers.get("X-Request-Id") == e["request_id"], r.headers
    if field is not ANY:
        assert e.get("field") == field, e
    msg = e.get("message", "")
    assert msg, e
    if en:
        assert msg.isascii() and not CJK.search(msg), msg
    else:
        assert CJK.search(msg), msg
    assert not LEAKS.search(r.text), r.text[:500]
    check_security_headers(r)
    return e


def all_pages(client, path, limit=500, **params):
    """Walks a cursor-paginated list; returns every item (checks each page's shape)."""
    items, after, pages = [], None, 0
    while True:
        q = dict(params, limit=limit)
        if after:
            q["after"] = after
        r = client.get(path, params=q)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"items", "next"}, body.keys()
        assert len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        assert pages < 10000
        after = body["next"]
        if after is None:
            return items
        assert isinstance(after, str) and after, body
        assert len(body["items"]) == limit, "a page before the last is full"


def users(client):
    return all_pages(client, "/api/v1/users")


def departments(client):
    return all_pages(client, "/api/v1/departments")


def audit(client, **filters):
    return all_pages(client, "/api/v1/audit", **filters)


def audit_max_seq(au):
    r = au.get("/api/v1/audit", params={"limit": 1})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    return items[0]["seq"] if items else 0


def audit_since(au, seq, **filters):
    """Entries with seq > seq, oldest first."""
    return sorted((e for e in audit(au, **filters) if e["seq"] > seq), key=lambda e: e["seq"])


def new_user(sa, username, **fields):
    """Creates an account as the system administrator; returns (id, one-time password)."""
    body = dict({"username": username, "display_name": username}, **fields)
    r = sa.post("/api/v1/users", json=body)
    assert r.status_code == 201, r.text
    return r.json()["user"]["id"], r.json()["initial_password"]


def new_employee(server, sa, username, password=None):
    """An ordinary account, logged in with its one-time password changed."""
    uid, initial = new_user(sa, username)
    password = password or strong()
    c = server.client()
    c.login(username, initial)
    r = c.post("/api/v1/me/password", json={"old_password": initial, "new_password": password})
    assert r.status_code == 200, r.text
    c.uid, c.username, c.password, c.initial = uid, username, password, initial
    return c


def error_codes_in_source():
    """The error codes the server knows: src/http/error.c's message table and each module's
    own (struct error_text tables in src/http/routes_*.c)."""
    with open(ERROR_CODES_FILE, encoding="utf-8") as f:
        codes = set(re.findall(r'^\s*\{\s*"([a-z_]+)",', f.read(), re.MULTILINE))
    d = os.path.dirname(ERROR_CODES_FILE)
    for name in os.listdir(d):
        if name.startswith("routes_") and name.endswith(".c"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                src = f.read()
            for block in re.findall(r'struct error_text \w+\[\] = \{(.*?)\n\};', src, re.S):
                codes |= set(re.findall(r'^\s*\{\s*"([a-z_]+)",', block, re.MULTILINE))
    return codes


def isms(*args, timeout=120, **kw):
    return subprocess.run([ISMS, *args], capture_output=True, text=True, timeout=timeout, **kw)

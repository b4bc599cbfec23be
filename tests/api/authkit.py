"""
Helpers shared by the identity, session and two-factor API tests (test_identity.py,
test_sessions.py, test_totp.py). They build on conftest.py's Server and Client and add:
exact error assertions (STYLE.md §13), cached administrator clients, audit look-ups,
step-aligned TOTP codes, random strong passwords and a collector of planted secrets that
the last test of each module greps for in the audit trail, the server log and the data
folder (ASVS F4, SPEC ID-8).
"""
import os
import secrets
import string

import requests

from conftest import totp

# --- errors ------------------------------------------------------------------------------


def err(r, status, code, field=None):
    """Asserts an error response: its status, its code (and field when given) and the
    documented body shape; returns the error object."""
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error"}, body
    e = body["error"]
    assert e["code"] == code, e
    assert e.get("message"), e
    assert e.get("request_id"), e
    if field is not None:
        assert e.get("field") == field, e
    return e


# --- passwords ---------------------------------------------------------------------------

_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "#$%&*+=?@^_~!")


def new_password(length=16):
    """A random password with all four classes, different from any other one made here,
    so the similarity checks against the previous password never refuse it."""
    alphabet = "".join(_CLASSES)
    while True:
        chars = [secrets.choice(c) for c in _CLASSES]
        chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        pw = "".join(chars)
        # no neighbours that are equal or one apart ("aa", "12", "dc"): maxrepeat and
        # maxsequence refuse runs of them, and cracklib calls a password with more than a
        # few such pairs "too simplistic/systematic", which made tests flaky
        # and never the system's name, which every password is checked against (a 128-long
        # random one holds "isms" once in about 16 000 tries)
        if not any(abs(ord(pw[i + 1]) - ord(pw[i])) <= 1 for i in range(len(pw) - 1)) \
                and "isms" not in pw.lower():
            return pw


# --- secrets planted during a module -----------------------------------------------------


class Secrets:
    """Every secret a module saw (passwords, session ids, CSRF tokens, TOTP seeds, recovery
    codes, API tokens). Only values long enough not to match by chance are kept."""

    def __init__(self):
        self.values = set()

    def add(self, *values):
        for v in values:
            if isinstance(v, str) and len(v) >= 10:
                self.values.add(v)

    def login(self, client, response):
        """Records the session cookie and CSRF token of a successful login."""
        if response.status_code == 200:
            self.add(response.json()["csrf"])
            for c in client.cookies:
                self.add(c.value)

    def found_in(self, data):
        """The secrets that occur in data (str or bytes)."""
        if isinstance(data, bytes):
            return [v for v in self.values if v.encode() in data]
        return [v for v in self.values if v in data]


def data_folder_bytes(server):
    """The bytes of every file of the data folder (database, WAL, keys, backups)."""
    out = []
    for root, _dirs, files in os.walk(server.data):
        for name in files:
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as f:
                    out.append((path, f.read()))
            except OSError:
                pass
    return out


# --- administrators ----------------------------------------------------------------------


def admin(server, name):
    """A logged-in administrator client, reused while its session lives (every login of an
    administrator needs a fresh TOTP step, which costs a clock move)."""
    cache = server.__dict__.setdefault("_authkit_admins", {})
    c = cache.get(name)
    if c is not None:
        r = c.get("/api/v1/me")
        if r.status_code == 200 and not r.json()["must_change_password"] \
                and not r.json()["totp_enrollment_required"]:
            return c
    c = server.admin(name)
    cache[name] = c
    return c


def forget_admin(server, name):
    server.__dict__.setdefault("_authkit_admins", {}).pop(name, None)


def audit(server, **params):
    """Audit entries matching params (action, actor, object, outcome), oldest first."""
    c = admin(server, "auditadmin")
    items, after = [], None
    while True:
        q = dict(params, limit=500)
        if after:
            q["after"] = after
        r = c.get("/api/v1/audit", params=q)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        after = page["next"]
        if not after:
            return sorted(items, key=lambda e: e["seq"])


def set_policy(server, **changes):
    """Changes the security policy as the security administrator; returns the old values
    of the changed keys, for restoring them."""
    c = admin(server, "secadmin")
    before = c.get("/api/v1/security/policy").json()
    r = c.patch("/api/v1/security/policy", json=changes)
    assert r.status_code == 200, r.text
    return {k: before[k] for k in changes}


def notifications(client):
    r = client.get("/api/v1/me/notifications", params={"limit": 500})
    assert r.status_code == 200, r.text
    return r.json()["items"]


# --- logins ------------------------------------------------------------------------------


def login(server, username, password, otp=None, expect=200, secrets_=None):
    """A new client logged in as username (asserts the status); returns (client, response)."""
    c = server.client()
    r = c.login(username, password, otp=otp, expect=expect)
    if r.status_code == 200 and secrets_ is not None:
        secrets_.login(c, r)
    return c, r


def attempt(server, username, password, otp=None):
    """One login attempt; returns the response."""
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return requests.post(server.base + "/api/v1/session", json=body, timeout=30,
                         verify=False)


def bare(server, method, path, cookie=None, bearer=None, **kw):
    """A request without the Client's cookie jar or automatic CSRF header."""
    headers = kw.pop("headers", {})
    if cookie is not None:
        headers["Cookie"] = "isms_session=" + cookie
    if bearer is not None:
        headers["Authorization"] = "Bearer " + bearer
    return requests.request(method, server.base + path, headers=headers, timeout=30, **kw)


def session_cookie(client):
    return client.cookies.get("isms_session")


# --- TOTP --------------------------------------------------------------------------------


def step_of(server):
    return int(server.now() // 30)


def next_step(server, steps=1):
    """Moves the server clock to about 6 s into the step `steps` after the current one, so
    that a few requests fit in one step."""
    into = server.now() % 30
    server.advance(int(30 - into) + 30 * (steps - 1) + 5)


def mid_step(server):
    """Makes sure there are at least 10 s left in the current step."""
    into = server.now() % 30
    if into < 2 or into > 20:
        next_step(server)


def code_at(secret, server, steps=0):
    """The code of the step `steps` away from the server's current one."""
    return totp(secret, server.now() + 30 * steps)


# --- ordinary accounts -------------------------------------------------------------------


class Account:
    def __init__(self, server, uid, username, password, client=None, initial=None):
        self.server = server
        self.uid = uid
        self.username = username
        self.password = password
        self.client = client
        self.initial = initial
        self.secret = None      # TOTP secret once enrolled
        self.recovery = []

    def login(self, otp=None, expect=200, secrets_=None):
        c, r = login(self.server, self.username, self.password, otp=otp, expect=expect,
                     secrets_=secrets_)
        if r.status_code == 200:
            self.client = c
        return r

    def attempt(self, password=None, otp=None):
        return attempt(self.server, self.username,
                       self.password if password is None else password, otp)


def create_user(server, username, display_name=None, secrets_=None):
    """Creates an account as the system administrator; returns (id, one-time password)."""
    r = admin(server, "sysadmin").post(
        "/api/v1/users", json={"username": username, "display_name": display_name or username})
    assert r.status_code == 201, r.text
    initial = r.json()["initial_password"]
    if secrets_ is not None:
        secrets_.add(initial)
    return r.json()["user"]["id"], initial


def employee(server, username, display_name=None, secrets_=None):
    """An ordinary account that has replaced its one-time password, logged in."""
    uid, initial = create_user(server, username, display_name, secrets_)
    c, r = login(server, username, initial, secrets_=secrets_)
    assert r.json()["must_change_password"] is True
    pw = new_password()
    r = c.post("/api/v1/me/password", json={"old_password": initial, "new_password": pw})
    assert r.status_code == 200, r.text
    if secrets_ is not None:
        secrets_.add(pw)
    return Account(server, uid, username, pw, c, initial)

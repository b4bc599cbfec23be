"""
API test harness: each test module gets its own live `isms serve` on 127.0.0.1 with a fresh
data folder, started from the binary in $ISMS_BIN (make test points it at the sanitized
build). The server's clock can be moved (ISMS_CLOCK_OFFSET_FILE) to test timeouts and lock
expiry. On teardown the server must stop cleanly and print no sanitizer report.
"""
import base64
import hashlib
import hmac
import os
import re
import secrets
import shutil
import signal
import string
import struct
import subprocess
import tempfile
import time

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ISMS = os.environ.get("ISMS_BIN", os.path.join(ROOT, "build-asan", "isms"))
STRONG = "Kq7#vR2!mWx9"  # a password every profile accepts


_SUFFIX_CHARS = "".join(c for c in string.ascii_letters + string.digits if c not in STRONG)


def strong():
    """A fresh strong password (never containing a login name). The random suffix is six
    distinct letters and digits that are not in the prefix, with no two neighbours one apart
    ("89", "dc"): random hex used to trip libpwquality now and then (cracklib's "too
    simplistic/systematic" for more than four such steps, maxrepeat=3, and difok=3 against
    the previous strong() password), making tests that change passwords flaky."""
    rng = secrets.SystemRandom()
    while True:
        suffix = "".join(rng.sample(_SUFFIX_CHARS, 6))
        tail = STRONG[-1] + suffix
        if all(abs(ord(a) - ord(b)) != 1 for a, b in zip(tail, tail[1:])):
            return STRONG + suffix


def totp(secret_b32, at=None, step=30, digits=6):
    """RFC 6238 TOTP (SHA-1), computed independently of the server."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


class Client(requests.Session):
    """A browser-like client: keeps the cookie, sends the CSRF token on unsafe methods."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.csrf = None

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base + url
        headers = kwargs.pop("headers", None) or {}
        if self.csrf and method.upper() not in ("GET", "HEAD") and "X-CSRF-Token" not in headers:
            headers["X-CSRF-Token"] = self.csrf
        kwargs["headers"] = headers
        kwargs.setdefault("timeout", 30)
        return super().request(method, url, *args, **kwargs)

    def login(self, username, password, otp=None, expect=200):
        body = {"username": username, "password": password}
        if otp is not None:
            body["otp"] = otp
        r = self.post("/api/v1/session", json=body)
        assert r.status_code == expect, (r.status_code, r.text)
        if r.status_code == 200:
            self.csrf = r.json()["csrf"]
        return r


class Server:
    def __init__(self, tmp):
        self.tmp = tmp
        self.data = os.path.join(tmp, "data")
        self.clock_file = os.path.join(tmp, "clock")
        self.offset = 0
        self.proc = None
        self.base = None
        self.passwords = {}
        self.log_path = os.path.join(tmp, "server.log")
        self.admins = {}

    # --- lifecycle ---------------------------------------------------------------
    def init(self, *extra):
        pwfile = os.path.join(self.tmp, "passwords")
        r = subprocess.run([ISMS, "init", "--data", self.data, "--password-file", pwfile, *extra],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        with open(pwfile) as f:
            for line in f:
                name, pw = line.split()
                self.passwords[name] = pw
        self.set_clock(0)

    def start(self, *extra):
        env = dict(os.environ, ISMS_CLOCK_OFFSET_FILE=self.clock_file)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [ISMS, "serve", "--data", self.data, "--listen", "127.0.0.1:0", *extra],
            stdout=subprocess.PIPE, stderr=self.log, env=env)
        line = self.proc.stdout.readline().decode()
        m = re.search(r"listening on (https?://127\.0\.0\.1:\d+)", line)
        assert m, "server did not start: " + line + self.stderr()
        self.base = m.group(1)

    def stop(self, sig=signal.SIGTERM):
        if not self.proc:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        self.proc = None
        return rc

    def restart(self):
        self.stop()
        self.start()

    def stderr(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def set_clock(self, offset):
        """Moves the server's clock to real time + offset seconds."""
        self.offset = offset
        with open(self.clock_file, "w") as f:
            f.write(str(int(offset)))
        time.sleep(1.1)  # the server re-reads the offset at most once a second

    def advance(self, seconds):
        self.set_clock(self.offset + seconds)

    def now(self):
        return time.time() + self.offset

    # --- people -----------------------------------------------------------------
    def client(self):
        return Client(self.base)

    def admin(self, name):
        """A logged-in administrator whose password was changed and TOTP enrolled."""
        if name in self.admins:
            a = self.admins[name]
            c = self.client()
            c.login(name, a["password"], otp=self.fresh_code(a))
            return c
        c = self.client()
        c.login(name, self.passwords[name])
        new = strong()
        r = c.post("/api/v1/me/password",
                   json={"old_password": self.passwords[name], "new_password": new})
        assert r.status_code == 200, r.text
        r = c.post("/api/v1/me/totp")
        assert r.status_code == 200, r.text
        secret = r.json()["secret"]
        code = totp(secret, self.now())
        r = c.post("/api/v1/me/totp/confirm", json={"code": code})
        assert r.status_code == 200, r.text
        a = {"password": new, "secret": secret, "last": int(self.now() // 30),
             "recovery": r.json()["recovery_codes"]}
        self.admins[name] = a
        return c

    def fresh_code(self, a):
        """A TOTP code for a step not used before: moves the server clock to the next step
        rather than waiting for it."""
        if int(self.now() // 30) <= a["last"]:
            self.advance(30 - (self.now() % 30) + 1)
        a["last"] = int(self.now() // 30)
        return totp(a["secret"], self.now())

    def user(self, username, display_name=None, department_id=None):
        """Creates an ordinary account as sysadmin; returns (id, one-time password)."""
        body = {"username": username, "display_name": display_name or username}
        if department_id:
            body["department_id"] = department_id
        r = self.cached_admin("sysadmin").post("/api/v1/users", json=body)
        assert r.status_code == 201, r.text
        return r.json()["user"]["id"], r.json()["initial_password"]

    def employee(self, username, password=None):
        """An ordinary account that has changed its one-time password; returns (client, pw)."""
        uid, initial = self.user(username)
        password = password or strong()
        c = self.client()
        c.login(username, initial)
        r = c.post("/api/v1/me/password",
                   json={"old_password": initial, "new_password": password})
        assert r.status_code == 200, r.text
        c.uid = uid
        return c, password

    def enrol_totp(self, c):
        """Sets up two-factor login on a logged-in client (an account the policy asks it of:
        IT staff, leadership, the general manager, the finance head, department heads, the
        administrators); keeps the secret on c for later logins (self.relogin)."""
        r = c.post("/api/v1/me/totp")
        assert r.status_code == 200, r.text
        c.secret = r.json()["secret"]
        c.last_step = int(self.now() // 30)
        r = c.post("/api/v1/me/totp/confirm", json={"code": totp(c.secret, self.now())})
        assert r.status_code == 200, r.text
        c.recovery = r.json()["recovery_codes"]
        return c

    def enrol_if_required(self, c):
        """Enrols c's second factor when the policy asks it of c's account (its roles, or a
        department it heads); returns c."""
        if c.get("/api/v1/me").json().get("totp_enrollment_required"):
            self.enrol_totp(c)
        return c

    def code_for(self, c):
        """A fresh TOTP code of client c's secret (moves the clock to an unused step)."""
        a = {"secret": c.secret, "last": getattr(c, "last_step", 0)}
        code = self.fresh_code(a)
        c.last_step = a["last"]
        return code

    def grant(self, c, *roles):
        """The security administrator grants roles to c's account; c enrols its second
        factor when the policy then asks for it. Returns c."""
        sec = self.cached_admin("secadmin")
        r = sec.post("/api/v1/users/%d/roles" % c.uid, json={"roles": list(roles)})
        assert r.status_code == 200, r.text
        return self.enrol_if_required(c)

    def staff(self, username, *roles, password=None):
        """An account holding roles, logged in, its one-time password changed and its second
        factor enrolled where the policy asks for it; c.uid, c.password, c.secret."""
        c, pw = self.employee(username, password)
        c.username, c.password = username, pw
        return self.grant(c, *roles) if roles else c

    def relogin(self, c):
        """A new login of c's account (with its second factor when it has one)."""
        n = self.client()
        n.login(c.username, c.password,
                otp=self.code_for(c) if getattr(c, "secret", None) else None)
        n.uid, n.username, n.password = c.uid, c.username, c.password
        n.secret, n.last_step = getattr(c, "secret", None), getattr(c, "last_step", 0)
        return n

    def cached_admin(self, name):
        """Like admin(), but keeps one logged-in client per administrator and logs in again
        only when its session has ended (single-session policy: each admin() call is a new
        login that ends the previous session, and may move the clock to a fresh TOTP step)."""
        cache = self.__dict__.setdefault("_cached_admins", {})
        c = cache.get(name)
        if c is None or c.base != self.base or c.get("/api/v1/me").status_code != 200:
            c = self.admin(name)
            cache[name] = c
        return c

    def grant_admin_role(self, uid, role, sec=None):
        """ACC-7: an administrator role only through an approved admin_account request — a
        new applicant files it, a new general manager authorizes it, the security
        administrator (sec, or a fresh login) executes it. Returns the request."""
        n = self.__dict__["_acc7"] = self.__dict__.get("_acc7", 0) + 1
        applicant, _ = self.employee("acc7-applicant-%d" % n)
        gm, _ = self.employee("acc7-gm-%d" % n)
        sec = sec or self.cached_admin("secadmin")
        gm.username = "acc7-gm-%d" % n
        self.grant(gm, "general_manager")
        r = applicant.post("/api/v1/requests", json={"type": "admin_account", "data": {
            "subject": uid, "admin_role": role, "reason": "test"}})
        assert r.status_code == 201, r.text
        rid = r.json()["id"]
        for who in (gm, sec):
            r = who.post("/api/v1/requests/%d/approve" % rid, json={})
            assert r.status_code == 200, r.text
        assert r.json()["status"] == "completed", r.json()
        return r.json()

    def relax_rate_limit(self):
        r = self.admin("secadmin").patch("/api/v1/security/policy",
                                         json={"login_rate_per_minute": 100000,
                                               "login_rate_per_address": 1000000})
        assert r.status_code == 200, r.text


def sanitizer_report(text):
    return re.search(r"(ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:)", text)


@pytest.fixture(scope="module")
def server():
    tmp = tempfile.mkdtemp(prefix="isms-api-")
    s = Server(tmp)
    s.init()
    s.start()
    s.relax_rate_limit()
    yield s
    rc = s.stop()
    log = s.stderr()
    shutil.rmtree(tmp, ignore_errors=True)
    assert not sanitizer_report(log), log[-4000:]
    assert rc == 0, "server exit code %r\n%s" % (rc, log[-4000:])


@pytest.fixture
def fresh_server():
    """A server of its own, for tests that kill or reconfigure it."""
    tmp = tempfile.mkdtemp(prefix="isms-api-")
    s = Server(tmp)
    s.init()
    s.start()
    yield s
    s.stop(signal.SIGKILL) if s.proc else None
    log = s.stderr()
    shutil.rmtree(tmp, ignore_errors=True)
    assert not sanitizer_report(log), log[-4000:]

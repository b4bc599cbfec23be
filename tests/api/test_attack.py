"""
The holes an attack pass found (issue "Close the holes an attacker found"), each replayed as
the attacker did it against a live server, and refused now: administrators gaining business
powers or each other's (三员分立, GB/T 22239 8.1.4.x, 8.1.7.2), the system administrator
becoming another person, files read by their hash, API tokens outliving credential changes,
login abuse without an account, the lockout race, checkpoints that never left the machine,
and the smaller ones (TLS, department cycles, calendar dates, Content-Type, the migration
copy, upload names, the verify message).

One server for most of the module; the tests that stop, restart or reconfigure a server
make their own.
"""
import concurrent.futures
import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

import pytest
import requests

from apihelp import audit, expect_error, isms, users
from conftest import ROOT, STRONG, Server, sanitizer_report, strong

SINKS = os.path.join(ROOT, "tests", "unit", "notify")
PASSPHRASE = "Granite-Lotus-58-Pagoda!rv"
SECRET = "Zebra#Plant-Secret-4821q"


def uid_of(server, name):
    return next(u["id"] for u in users(server.cached_admin("sysadmin")) if u["username"] == name)


def db(server):
    """A connection to the server's database, for planting what an older isms or an attacker
    with file access left there."""
    c = sqlite3.connect(os.path.join(server.data, "isms.db"), timeout=30)
    c.execute("PRAGMA busy_timeout = 30000")
    return c


def department(server, name, head=None):
    sa = server.cached_admin("sysadmin")
    body = {"name": name}
    if head:
        body["head_user_id"] = head
    r = sa.post("/api/v1/departments", json=body)
    assert r.status_code == 201, r.text
    return r.json()["department"]["id"]


def stopped_log(s):
    rc = s.stop()
    log = s.stderr()
    assert not sanitizer_report(log), log[-4000:]
    assert rc == 0, log[-4000:]
    return log


@pytest.fixture
def own_server():
    """A server of its own, stopped (and checked) at the end."""
    tmp = tempfile.mkdtemp(prefix="isms-attack-")
    s = Server(tmp)
    s.init()
    s.start()
    yield s
    if s.proc:
        stopped_log(s)
    shutil.rmtree(tmp, ignore_errors=True)


# --- 1. administrators gaining business powers ----------------------------------------------

def test_C5_ACC2_administrator_cannot_gain_a_business_role(server):
    sec = server.cached_admin("secadmin")
    aud, sys_ = uid_of(server, "auditadmin"), uid_of(server, "sysadmin")
    e = expect_error(sec.post("/api/v1/users/%d/roles" % aud,
                              json={"roles": ["audit_admin", "it_staff"]}), 409,
                     "admin_exclusive", field="roles")
    assert "administrator" in e["detail"]
    expect_error(sec.post("/api/v1/users/%d/roles" % sys_,
                          json={"roles": ["sys_admin", "general_manager"]}), 409,
                 "admin_exclusive")
    # A business account cannot be given an administrator role on top of its roles either.
    c = server.staff("atk.it1", "it_staff")
    expect_error(sec.post("/api/v1/users/%d/roles" % c.uid,
                          json={"roles": ["it_staff", "security_admin"]}), 409,
                 "admin_exclusive")
    sa = server.cached_admin("sysadmin")
    assert sa.get("/api/v1/users/%d" % aud).json()["user"]["roles"] == ["audit_admin"]
    assert sa.get("/api/v1/users/%d" % sys_).json()["user"]["roles"] == ["sys_admin"]


def test_C5_administrator_holding_a_mix_from_before_acts_as_its_administrator_role_alone(server):
    """The mix an older isms let through: the audit administrator holding it_staff too. It
    reveals no vault password, is named by `isms policy check` and flagged by the review."""
    sec = server.cached_admin("secadmin")
    assert sec.post("/api/v1/vault/init", json={"passphrase": PASSPHRASE}).status_code == 201
    sa = server.cached_admin("sysadmin")
    r = sa.post("/api/v1/vault/entries", json={
        "name": "HIS db", "kind": "server", "system": "HIS", "host": "10.1.2.3",
        "username": "sa", "reveal_roles": ["it_staff"], "secret": SECRET})
    assert r.status_code == 201, r.text
    entry = r.json()["entry"]["id"]
    aud = uid_of(server, "auditadmin")
    with db(server) as c:
        c.execute("INSERT INTO user_roles (user_id, role, granted_at) VALUES (?, 'it_staff', 0)",
                  (aud,))
    au = server.admin("auditadmin")
    expect_error(au.post("/api/v1/vault/entries/%d/reveal" % entry, json={"reason": "look at it"}),
                 403, "forbidden")
    # The audit trail still works for it: its administrator role is intact.
    assert au.get("/api/v1/audit", params={"limit": 1}).status_code == 200
    r = isms("policy", "check", "--data", server.data)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "'auditadmin'" in r.stdout and "it_staff" in r.stdout, r.stdout
    assert "三员分立" in r.stderr
    r = sec.post("/api/v1/account-reviews", json={"period": "2026-01"})
    assert r.status_code == 201, r.text
    review = sec.get("/api/v1/account-reviews/%d" % r.json()["id"]).json()
    item = next(i for i in review["items"] if i["user_id"] == aud)
    assert "admin_separation" in item["flags"], item
    # Repaired by the security administrator: the rule allows the administrator role alone.
    r = sec.post("/api/v1/users/%d/roles" % aud, json={"roles": ["audit_admin"]})
    assert r.status_code == 200, r.text
    assert isms("policy", "check", "--data", server.data).returncode == 0


def test_C5_mixed_account_named_at_server_start(own_server):
    aud = uid_of(own_server, "auditadmin")
    with db(own_server) as c:
        c.execute("INSERT INTO user_roles (user_id, role, granted_at) VALUES (?, 'leader', 0)",
                  (aud,))
    log = stopped_log(own_server)
    own_server.start()
    assert "account 'auditadmin' breaks the three-administrator rule" in \
        own_server.stderr()[len(log):]


# --- 2. the system administrator becoming someone else ----------------------------------------

def test_C5_administrator_cannot_head_a_department(server):
    sa = server.cached_admin("sysadmin")
    me = uid_of(server, "sysadmin")
    dept = department(server, "攻击-信息科")
    v = sa.get("/api/v1/departments/%d" % dept).json()["department"]["version"]
    expect_error(sa.patch("/api/v1/departments/%d" % dept,
                          json={"version": v, "head_user_id": me}), 409, "admin_exclusive",
                 field="head_user_id")
    expect_error(sa.post("/api/v1/departments", json={"name": "攻击-二科", "head_user_id": me}),
                 409, "admin_exclusive", field="head_user_id")
    assert sa.get("/api/v1/departments/%d" % dept).json()["department"]["head_user_id"] is None
    # Nor be made one by the back door: an administrator a head from before is skipped when
    # steps are resolved, so it approves nothing.
    with db(server) as c:
        c.execute("UPDATE departments SET head_user_id = ? WHERE id = ?", (me, dept))
    emp = server.staff("atk.emp2")
    r = sa.patch("/api/v1/users/%d" % emp.uid, json={
        "department_id": dept, "version": sa.get("/api/v1/users/%d" % emp.uid).json()["user"]["version"]})
    assert r.status_code == 200, r.text
    server.staff("atk.gm2", "general_manager")
    server.staff("atk.it2", "it_staff")
    r = emp.post("/api/v1/requests", json={"type": "software_install", "data": {
        "computer_name": "PC-1", "software_name": "7-Zip", "license": "free",
        "purpose": "unpack"}})
    assert r.status_code == 201, r.text
    req = emp.get("/api/v1/requests/%d" % r.json()["id"]).json()
    assert me not in req["steps"][0]["assignees"], req["steps"][0]
    assert sa.get("/api/v1/approvals/inbox").json()["items"] == []


def test_A11_reset_password_does_not_let_the_administrator_in(server):
    """The system administrator resets an IT staff member's password: IT staff must use
    two-factor login (the default policy), so the reset password alone opens nothing."""
    it = server.staff("atk.it3", "it_staff")
    assert it.secret, "IT staff enrol two-factor login"
    pol = server.cached_admin("secadmin").get("/api/v1/security/policy").json()
    assert set(pol["totp_required_roles"]) >= {"it_staff", "general_manager", "finance_head"}
    assert pol["totp_required_department_heads"] is True
    r = server.cached_admin("sysadmin").post("/api/v1/users/%d/reset-password" % it.uid)
    assert r.status_code == 200, r.text
    pw = r.json()["initial_password"]
    c = server.client()
    expect_error(c.post("/api/v1/session", json={"username": "atk.it3", "password": pw}), 401,
                 "otp_required", field="otp")
    expect_error(c.post("/api/v1/session", json={"username": "atk.it3", "password": pw,
                                                 "otp": "000000"}), 401, "bad_otp")


def test_A11_department_head_must_use_two_factor_login(server):
    head = server.staff("atk.head4")
    department(server, "攻击-四科", head=head.uid)
    expect_error(head.get("/api/v1/approvals/inbox"), 403, "totp_enrollment_required")
    server.enrol_totp(head)
    assert head.get("/api/v1/approvals/inbox").status_code == 200


# --- 3. files by hash --------------------------------------------------------------------------

def upload(c, data, name="a.pdf"):
    r = c.post("/api/v1/files", params={"name": name}, data=data,
               headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 201, r.text
    return r.json()["sha256"]


def test_V5_a_file_is_attached_only_by_someone_who_may_read_it(server):
    owner = server.staff("atk.owner5")
    thief = server.staff("atk.thief5")
    dept = department(server, "攻击-五科")
    head = server.staff("atk.head5")
    sa = server.cached_admin("sysadmin")
    v = sa.get("/api/v1/departments/%d" % dept).json()["department"]["version"]
    assert sa.patch("/api/v1/departments/%d" % dept, json={"version": v, "head_user_id": head.uid}
                    ).status_code == 200
    server.enrol_totp(head)
    for c in (owner, thief):
        v = sa.get("/api/v1/users/%d" % c.uid).json()["user"]["version"]
        assert sa.patch("/api/v1/users/%d" % c.uid,
                        json={"department_id": dept, "version": v}).status_code == 200
    server.staff("atk.leader5", "leader")
    server.staff("atk.it5", "it_staff")
    secret_pdf = b"%PDF-1.4 the owner's medical record " + os.urandom(16)
    sha = upload(owner, secret_pdf, "病历.pdf")
    expect_error(thief.get("/api/v1/files", params={"sha256": sha}), 404, "not_found")
    unknown = hashlib.sha256(b"nothing").hexdigest()
    for h in (sha, unknown):
        # the request's attachments: an unreadable hash answers as an unknown one
        e = expect_error(thief.post("/api/v1/requests", json={
            "type": "software_install", "attachments": [h], "data": {
                "computer_name": "PC-9", "software_name": "x", "license": "free",
                "purpose": "y"}}), 400, "invalid", field="attachments[0]")
        # a form's own file field
        e2 = expect_error(thief.post("/api/v1/requests", json={
            "type": "publication_review", "data": {
                "title": "t", "channel": "website", "content": "c", "attachment": h}}),
            400, "invalid", field="data.attachment")
        assert (e["detail"], e2["detail"]) == (
            "the SHA-256 of a file uploaded with POST /api/v1/files",
            "no such file: upload it first"), (e, e2)
    expect_error(thief.get("/api/v1/files", params={"sha256": sha}), 404, "not_found")
    # The owner attaches it; the request's approver (the department head) may read it now,
    # the thief still not.
    r = owner.post("/api/v1/requests", json={"type": "publication_review", "data": {
        "title": "通知", "channel": "website", "content": "正文", "attachment": sha}})
    assert r.status_code == 201, r.text
    head = server.relogin(head)
    assert head.get("/api/v1/files", params={"sha256": sha}).content == secret_pdf
    expect_error(thief.get("/api/v1/files", params={"sha256": sha}), 404, "not_found")
    # Whoever uploads the same content holds it already, and may attach it.
    assert upload(thief, secret_pdf, "copy.pdf") == sha
    r = thief.post("/api/v1/requests", json={"type": "publication_review", "data": {
        "title": "t", "channel": "website", "content": "c", "attachment": sha}})
    assert r.status_code == 201, r.text


# --- 4. API tokens outliving credential changes ---------------------------------------------------

def token_of(c, name="script"):
    r = c.post("/api/v1/me/tokens", json={"name": name, "scopes": ["read"], "expires_in_days": 30})
    assert r.status_code == 201, r.text
    return r.json()


def bearer(server, token):
    return requests.get(server.base + "/api/v1/me", timeout=30,
                        headers={"Authorization": "Bearer " + token["token"]})


def test_B5_tokens_end_with_every_credential_change(server):
    c = server.staff("atk.tok6")
    # the owner changes the password
    t = token_of(c)
    assert bearer(server, t).status_code == 200
    new = strong()
    r = c.post("/api/v1/me/password", json={"old_password": c.password, "new_password": new})
    assert r.status_code == 200, r.text
    c.password = new
    assert bearer(server, t).status_code == 401
    # "log out everywhere else" ends tokens too
    t = token_of(c)
    r = c.delete("/api/v1/me/sessions")
    assert r.status_code == 200 and r.json()["tokens_revoked"] == 1, r.text
    assert bearer(server, t).status_code == 401
    # an administrator's password reset
    t = token_of(c)
    r = server.cached_admin("sysadmin").post("/api/v1/users/%d/reset-password" % c.uid)
    assert r.status_code == 200, r.text
    assert bearer(server, t).status_code == 401
    # a two-factor reset
    it = server.staff("atk.tok6b", "it_staff")
    t = token_of(it)
    r = server.cached_admin("secadmin").post("/api/v1/users/%d/reset-totp" % it.uid)
    assert r.status_code == 200, r.text
    assert bearer(server, t).status_code == 401
    au = server.cached_admin("auditadmin")
    e = audit(au, action="totp.reset", object="user:%d" % it.uid)[0]
    assert e["detail"]["tokens_revoked"] == 1, e


def test_B5_security_administrator_lists_and_revokes_anyones_tokens(server):
    c = server.staff("atk.tok7")
    t = token_of(c, "sensor")
    sec = server.cached_admin("secadmin")
    items = sec.get("/api/v1/users/%d/tokens" % c.uid).json()["items"]
    assert [(i["id"], i["name"], i["revoked_at"]) for i in items] == [(t["id"], "sensor", None)]
    assert "token" not in items[0]
    expect_error(server.cached_admin("sysadmin").get("/api/v1/users/%d/tokens" % c.uid), 403,
                 "forbidden")
    expect_error(c.get("/api/v1/users/%d/tokens" % c.uid), 403, "forbidden")
    r = sec.delete("/api/v1/users/%d/tokens/%d" % (c.uid, t["id"]))
    assert r.status_code == 200, r.text
    assert bearer(server, t).status_code == 401
    expect_error(sec.delete("/api/v1/users/%d/tokens/%d" % (c.uid, t["id"])), 404, "not_found")
    kinds = [n["kind"] for n in c.get("/api/v1/me/notifications").json()["items"]]
    assert "token_revoked" in kinds
    # The account review shows each account's live tokens.
    t2 = token_of(c, "backup-script")
    r = sec.post("/api/v1/account-reviews", json={"period": "2026-02"})
    assert r.status_code == 201, r.text
    item = next(i for i in sec.get("/api/v1/account-reviews/%d" % r.json()["id"]).json()["items"]
                if i["user_id"] == c.uid)
    assert [x["name"] for x in item["tokens"]] == ["backup-script"], item
    assert item["tokens"][0]["id"] == t2["id"] and "token" not in item["tokens"][0]


# --- 5. login abuse without an account ----------------------------------------------------------

def post_login(base, name, headers=None):
    return requests.post(base + "/api/v1/session", timeout=30, headers=headers or {},
                         json={"username": name, "password": "wrong-" + name})


def test_D7_rate_limit_by_name_and_address_audited_once_per_window(own_server):
    s = own_server
    sec = s.admin("secadmin")
    r = sec.patch("/api/v1/security/policy",
                  json={"login_rate_per_minute": 5, "login_rate_per_address": 60})
    assert r.status_code == 200, r.text
    codes = [post_login(s.base, "nobody").status_code for _ in range(40)]
    assert codes.count(429) >= 30, codes
    # A real person behind the same address still logs in: the junk was under another name.
    c = s.client()
    c.login("auditadmin", s.passwords["auditadmin"])
    # Past the address limit everyone from there waits.
    codes2 = [post_login(s.base, "n%d" % i).status_code for i in range(60)]
    assert 429 in codes2
    refused = codes.count(429) + codes2.count(429)
    log = stopped_log(s)
    s.start()
    au = s.admin("auditadmin")
    rows = audit(au, action="login.rate_limited")
    assert 1 <= len(rows) <= 6, rows  # one per key and minute, not one per request
    assert sum(e["detail"]["refused"] for e in rows) == refused, rows
    assert {e["detail"]["scope"] for e in rows} <= {"login", "login-address"}
    assert any(e["detail"].get("username") == "nobody" for e in rows), rows
    assert log


def test_F2_forwarded_for_believed_only_from_a_trusted_proxy(own_server):
    s = own_server
    fake = {"X-Forwarded-For": "198.51.100.77"}
    post_login(s.base, "ghost1", fake)
    au = s.admin("auditadmin")
    e = audit(au, action="login.failure")[0]
    assert e["source"] == "127.0.0.1", e
    stopped_log(s)
    s.start("--trusted-proxy", "127.0.0.1")
    post_login(s.base, "ghost2", {"X-Forwarded-For": "203.0.113.9, 198.51.100.8"})
    au = s.admin("auditadmin")
    e = next(x for x in audit(au, action="login.failure") if x["actor"] == "ghost2")
    assert e["source"] == "198.51.100.8", e
    # A junk header is no address: the proxy's own address stays.
    post_login(s.base, "ghost3", {"X-Forwarded-For": "not-an-address"})
    e = next(x for x in audit(au, action="login.failure") if x["actor"] == "ghost3")
    assert e["source"] == "127.0.0.1", e


# --- 6. the lockout race ------------------------------------------------------------------------

def test_A6_parallel_wrong_passwords_meet_the_lock(server):
    c = server.staff("atk.race8")
    au = server.cached_admin("auditadmin")

    def attempt(_):
        return post_login(server.base, "atk.race8").status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(attempt, range(8)))
    checked = [e for e in audit(au, action="login.failure", object="user:%d" % c.uid)
               if e["detail"].get("reason") == "bad_password"]
    assert len(checked) == 3, (codes, checked)  # lockout_deny = 3: no check after the lock
    assert sorted(codes) == [401, 401] + [423] * 6 or codes.count(423) >= 5, codes
    assert len(audit(au, action="account.lock", object="user:%d" % c.uid)) == 1
    server.cached_admin("sysadmin").post("/api/v1/users/%d/unlock" % c.uid)


# --- 7. checkpoints that leave the machine, and a signing key kept elsewhere ----------------------

@pytest.fixture
def sink(tmp_path):
    procs = []

    def start(script, *args):
        out = tmp_path / (script + ".jsonl")
        out.write_text("")
        p = subprocess.Popen(["/usr/bin/python3", os.path.join(SINKS, script), str(out), *args],
                             stdout=subprocess.PIPE, text=True)
        procs.append(p)
        return int(p.stdout.readline()), out
    yield start
    for p in procs:
        p.kill()
        p.wait()


def test_AUD2_every_checkpoint_leaves_the_machine(own_server, sink, tmp_path):
    s = own_server
    offsite = tmp_path / "nas"
    offsite.mkdir()
    sa = s.admin("sysadmin")
    cfg = sa.get("/api/v1/backups/config").json()
    r = sa.put("/api/v1/backups/config", json={"schedule": cfg["schedule"], "keep": cfg["keep"],
                                               "offsite_dir": str(offsite),
                                               "version": cfg["version"]})
    assert r.status_code == 200, r.text
    port, out = sink("http_sink.py", "unused")
    sec = s.admin("secadmin")
    r = sec.post("/api/v1/notify/channels", json={
        "kind": "wecom", "name": "audit-group", "config": {
            "webhook_url": "http://127.0.0.1:%d/robot/wecom/ok" % port,
            "kinds": ["audit.checkpoint"]}})
    assert r.status_code == 201, r.text
    stopped_log(s)  # the last checkpoint is signed and sent out on the way down
    folder = offsite / "audit-checkpoints"
    latest = folder / "latest.txt"
    assert oct(os.stat(latest).st_mode & 0o777) == "0o600"
    months = glob.glob(str(folder / "20*.txt"))
    assert len(months) == 1 and open(months[0]).read().endswith(latest.read_text() + "--\n")
    r = isms("audit", "verify", "--data", s.data, "--checkpoint", str(latest))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "authentic since the given checkpoint" in r.stdout
    r = isms("audit", "verify", "--data", s.data)
    assert r.returncode == 0 and "consistent, not proven authentic" in r.stdout, r.stdout
    # The robot got it when the server came back and its worker ran.
    s.start()
    end = time.time() + 20
    got = []
    while time.time() < end and not got:
        got = [json.loads(x) for x in out.read_text().splitlines() if x.strip()]
        time.sleep(0.3)
    assert got, "the checkpoint never reached the robot"
    body = json.dumps(got[0]["body"], ensure_ascii=False)
    assert "isms" in body and "—" in body, body


def test_AUD2_signing_key_kept_outside_the_data_folder(own_server, tmp_path):
    s = own_server
    stopped_log(s)
    key = os.path.join(s.data, "keys", "audit.key")
    outside = tmp_path / "vault" / "audit.key"
    outside.parent.mkdir()
    shutil.move(key, outside)
    # Without it the server says where to give it, and does not start.
    r = subprocess.run([os.environ.get("ISMS_BIN", "build-asan/isms"), "serve", "--data", s.data,
                        "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "--audit-key" in r.stderr, r.stderr
    os.chmod(outside, 0o644)
    r = subprocess.run([os.environ.get("ISMS_BIN", "build-asan/isms"), "serve", "--data", s.data,
                        "--listen", "127.0.0.1:0", "--audit-key", str(outside)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "chmod 600" in r.stderr, r.stderr
    os.chmod(outside, 0o600)
    s.start("--audit-key", str(outside))
    au = s.admin("auditadmin")
    cp = au.get("/api/v1/audit/checkpoint").json()["checkpoint"]
    stopped_log(s)
    # Another key is refused.
    other = tempfile.mkdtemp(prefix="isms-attack-key-")
    isms("init", "--data", other + "/d", "--password-file", other + "/pw")
    r = subprocess.run([os.environ.get("ISMS_BIN", "build-asan/isms"), "serve", "--data", s.data,
                        "--listen", "127.0.0.1:0", "--audit-key", other + "/d/keys/audit.key"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "audit.pub" in r.stderr, r.stderr
    shutil.rmtree(other, ignore_errors=True)
    # By descriptor, as a service manager hands it over.
    fd = os.open(outside, os.O_RDONLY)
    env = dict(os.environ, ISMS_CLOCK_OFFSET_FILE=s.clock_file)
    s.log = open(s.log_path, "ab")
    s.proc = subprocess.Popen([os.environ.get("ISMS_BIN", "build-asan/isms"), "serve", "--data",
                               s.data, "--listen", "127.0.0.1:0", "--audit-key-fd", str(fd)],
                              stdout=subprocess.PIPE, stderr=s.log, env=env, pass_fds=(fd,))
    os.close(fd)
    line = s.proc.stdout.readline().decode()
    assert "listening on" in line, line + s.stderr()
    s.base = line.split("listening on ")[1].strip()
    stopped_log(s)
    cpf = tmp_path / "cp.txt"
    cpf.write_text(cp)
    r = isms("audit", "verify", "--data", s.data, "--checkpoint", str(cpf))
    assert r.returncode == 0, r.stdout + r.stderr
    assert not os.path.exists(key)


# --- 8. the smaller ones --------------------------------------------------------------------------

def test_ACC1_department_cycle_refused(server):
    sa = server.cached_admin("sysadmin")
    a = department(server, "攻击-甲")
    r = sa.post("/api/v1/departments", json={"name": "攻击-乙", "parent_id": a})
    assert r.status_code == 201, r.text
    b = r.json()["department"]["id"]
    v = sa.get("/api/v1/departments/%d" % a).json()["department"]["version"]
    e = expect_error(sa.patch("/api/v1/departments/%d" % a, json={"version": v, "parent_id": b}),
                     400, "invalid", field="parent_id")
    assert "tree" in e["detail"]
    assert sa.get("/api/v1/departments/%d" % a).json()["department"]["parent_id"] is None
    expect_error(sa.patch("/api/v1/departments/%d" % a, json={"version": v, "parent_id": a}),
                 400, "invalid", field="parent_id")


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1
DTSTART;VALUE=DATE:{start}
DTEND;VALUE=DATE:{end}
SUMMARY:{summary}
END:VEVENT
END:VCALENDAR
"""


def test_SLA2_calendar_refuses_impossible_dates_and_survives_a_stored_one(server):
    sa = server.cached_admin("sysadmin")

    def imp(start, end, summary="假日"):
        return sa.post("/api/v1/calendar/import", data=ICS.format(
            start=start, end=end, summary=summary).encode(),
            headers={"Content-Type": "text/calendar"})
    e = expect_error(imp("99999999", "99999999"), 400, "invalid", field="file")
    assert "1900 to 9999" in e["detail"]
    e = expect_error(imp("20270110", "20270105"), 400, "invalid", field="file")
    assert "ends before it starts" in e["detail"]
    assert sa.get("/api/v1/calendar").status_code == 200
    # A bad day already stored (by an older isms) no longer breaks reads and imports.
    with db(server) as c:
        row = c.execute("SELECT value FROM settings WHERE key = 'calendar'").fetchone()
        cal = json.loads(row[0]) if row else sa.get("/api/v1/calendar").json()
        cal.pop("version", None)
        cal["holidays"] = list(cal.get("holidays", [])) + ["10007-03-09"]
        if row:
            c.execute("UPDATE settings SET value = ? WHERE key = 'calendar'", (json.dumps(cal),))
    r = sa.get("/api/v1/calendar")
    assert r.status_code == 200, r.text
    assert "10007-03-09" not in r.text
    r = imp("20270101", "20270102", "元旦")
    assert r.status_code in (200, 201), r.text


def test_V4_body_without_content_type_is_refused(server):
    sa = server.cached_admin("sysadmin")
    # A body of text without a Content-Type header at all (requests sends none for str data).
    r = sa.post("/api/v1/departments", data=json.dumps({"name": "攻击-无类型"}))
    assert "Content-Type" not in r.request.headers, r.request.headers
    expect_error(r, 415, "unsupported_media_type")
    r = sa.post("/api/v1/departments", data=json.dumps({"name": "攻击-文本"}),
                headers={"Content-Type": "text/plain"})
    expect_error(r, 415, "unsupported_media_type")
    assert not any(d["name"].startswith("攻击-无") or d["name"] == "攻击-文本"
                   for d in sa.get("/api/v1/departments", params={"limit": 500}).json()["items"])


def test_V5_upload_name_with_a_control_character_refused(server):
    c = server.staff("atk.up9")
    for name in ("report.pdf%00.exe", "a%01b.pdf", "line%0Abreak.pdf"):
        r = requests.post(server.base + "/api/v1/files?name=" + name, data=b"%PDF-1.4 x",
                          headers={"X-CSRF-Token": c.csrf,
                                   "Content-Type": "application/octet-stream"},
                          cookies=c.cookies, timeout=30)
        expect_error(r, 400, "invalid")


def test_OPS1_migration_copy_removed_once_verified(own_server):
    s = own_server
    stopped_log(s)
    # Make the folder look as an isms before 0008 left it.
    with db(s) as c:
        c.executescript("DROP TABLE file_links; DROP TABLE file_uploads;"
                        "ALTER TABLE review_items DROP COLUMN tokens; PRAGMA user_version = 7;")
    s.start()
    assert glob.glob(os.path.join(s.data, "isms.db.pre-*")) == []
    with db(s) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] >= 8


@pytest.fixture
def rsa_tls_server():
    tmp = tempfile.mkdtemp(prefix="isms-attack-tls-")
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    s = Server(tmp)
    s.init()
    s.start("--tls-cert", cert, "--tls-key", key)
    yield s
    stopped_log(s)
    shutil.rmtree(tmp, ignore_errors=True)


def handshake(server, *opts):
    """The cipher openssl s_client agrees on with the server, or None when refused. The
    client offers everything it can (security level 0), so a refusal is the server's."""
    port = server.base.rsplit(":", 1)[1]
    r = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:" + port, "-brief", *opts],
                       input="", capture_output=True, text=True, timeout=30)
    out = r.stdout + r.stderr
    for line in out.splitlines():
        if line.startswith("Ciphersuite:"):
            return line.split(":", 1)[1].strip()
    return None


def test_ASVS_TLS_only_1_2_and_up_with_forward_secret_aead_suites(rsa_tls_server):
    s = rsa_tls_server
    assert handshake(s, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0") is None
    assert handshake(s, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0") is None
    # RSA key exchange (no forward secrecy), CBC without AEAD: refused
    assert handshake(s, "-tls1_2", "-cipher", "AES128-GCM-SHA256:@SECLEVEL=0") is None
    assert handshake(s, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:@SECLEVEL=0") is None
    # Mozilla "intermediate": ECDHE with AES-GCM or ChaCha20 under TLS 1.2, and TLS 1.3
    assert handshake(s, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256") == \
        "ECDHE-RSA-AES128-GCM-SHA256"
    assert handshake(s, "-tls1_3") is not None

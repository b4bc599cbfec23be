"""
The credential vault (SPEC VLT-1..3; 服务器密码登记 / 网络设备密码登记) against a live server:
init, sealed at every start, unseal by the web API and by `isms vault unseal` over the
server's control socket, the wrong-passphrase count and the 15-minute lock, entries and their
reveal roles, reveal with a reason (audited without the secret), vendor access and the
reminder that follows an hour later, yearly rotation, secret reuse, and a grep of every file
isms writes for the planted secrets and the passphrase (SECURITY.md F4, G5).

One server for the whole module (argon2id costs time under the sanitizers); the tests run in
order and build on each other's state.
"""
import base64
import datetime as dt
import json
import os
import subprocess
import tempfile
import shutil

import pytest

from apihelp import audit, expect_error
from apihelp import isms as run_isms
from conftest import ISMS, Server, sanitizer_report

PASSPHRASE = "Granite-Lotus-58-Pagoda!rv"
WRONG = "Granite-Lotus-58-Pagoda!rw"
PLANTED = "Zebra#Plant-Secret-4821q"
ROTATED = "Yak$Swivel-Secret-9317w"
SWITCH = "Quokka%Switch-Secret-6604m"


def isms(*args):
    """The CLI, with no sanitizer report on its stderr."""
    r = run_isms(*args)
    assert not sanitizer_report(r.stderr), r.stderr
    return r


def parse(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


class World:
    pass


@pytest.fixture(scope="module")
def w():
    tmp = tempfile.mkdtemp(prefix="isms-vault-")
    s = Server(tmp)
    s.init()
    s.start()
    s.relax_rate_limit()
    o = World()
    o.s = s
    o.secrets = [PASSPHRASE, PLANTED, ROTATED, SWITCH]
    o.passfile = os.path.join(tmp, "vault.pass")
    with open(o.passfile, "w") as f:
        f.write(PASSPHRASE + "\n")
    os.chmod(o.passfile, 0o600)
    o.wrongfile = os.path.join(tmp, "wrong.pass")
    with open(o.wrongfile, "w") as f:
        f.write(WRONG + "\n")
    os.chmod(o.wrongfile, 0o600)
    # Two IT staff (who may reveal secrets: two-factor login, as the policy asks).
    o.people = {}
    for name in ("it.zhang", "it.li"):
        c = s.staff(name, "it_staff")
        o.people[name] = c
    yield o
    rc = s.stop()
    log = s.stderr()
    shutil.rmtree(tmp, ignore_errors=True)
    assert not sanitizer_report(log), log[-4000:]
    assert rc == 0, "server exit code %r\n%s" % (rc, log[-4000:])


def it(w, name="it.zhang"):
    """A fresh session of an IT staff member on the current server."""
    return w.s.relogin(w.people[name])


def status(c):
    r = c.get("/api/v1/vault")
    assert r.status_code == 200, r.text
    return r.json()


def entries(c):
    r = c.get("/api/v1/vault/entries", params={"limit": 500})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def sla_run(w, when):
    env = dict(os.environ, ISMS_CLOCK_OFFSET_FILE=w.s.clock_file)
    at = dt.datetime.fromtimestamp(when, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    r = subprocess.run([ISMS, "sla", "run", "--data", w.s.data, "--at", at, "--json"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert not sanitizer_report(r.stderr), r.stderr
    return json.loads(r.stdout)


def entry_body(name, roles, **extra):
    body = {"name": name, "kind": "server", "system": "HIS", "host": "10.1.2.3",
            "username": "administrator", "reveal_roles": roles}
    body.update(extra)
    return body


# --- init --------------------------------------------------------------------------------

def test_VLT1_uninitialized_vault(w):
    sec = w.s.cached_admin("secadmin")
    st = status(sec)
    assert st == {"state": "uninitialized", "unsealed_at": None, "unsealed_by": None,
                  "failures": 0, "locked_until": None, "initialized_at": None}
    expect_error(sec.post("/api/v1/vault/unseal", json={"passphrase": PASSPHRASE}), 409,
                 "vault_uninitialized")
    expect_error(it(w).post("/api/v1/vault/entries",
                            json=entry_body("x", ["it_staff"], secret=PLANTED)), 409,
                 "vault_sealed")
    # Employees without an IT or administrator role see nothing of the vault.
    c, _ = w.s.employee("nurse.wang")
    expect_error(c.get("/api/v1/vault"), 403, "forbidden")
    expect_error(c.get("/api/v1/vault/entries"), 403, "forbidden")


def test_VLT1_init_checks_the_passphrase_and_role(w):
    sec = w.s.cached_admin("secadmin")
    e = expect_error(sec.post("/api/v1/vault/init", json={"passphrase": "Short-pass-1!"}),
                     400, "weak_password", field="passphrase")
    assert "16" in e["detail"]
    expect_error(sec.post("/api/v1/vault/init", json={"passphrase": "1234567890123456"}),
                 400, "weak_password", field="passphrase")
    expect_error(sec.post("/api/v1/vault/init", json={"passphrase": PASSPHRASE, "x": 1}),
                 400, "unknown_field")
    expect_error(it(w).post("/api/v1/vault/init", json={"passphrase": PASSPHRASE}), 403,
                 "forbidden")
    expect_error(w.s.cached_admin("sysadmin").post("/api/v1/vault/init",
                                                   json={"passphrase": PASSPHRASE}),
                 403, "forbidden")
    assert not os.path.exists(os.path.join(w.s.data, "keys", "vault.key"))
    assert status(sec)["state"] == "uninitialized"


def test_VLT1_init(w):
    sec = w.s.cached_admin("secadmin")
    r = sec.post("/api/v1/vault/init", json={"passphrase": PASSPHRASE})
    assert r.status_code == 201, r.text
    st = r.json()
    assert st["state"] == "unsealed" and st["unsealed_by"] == "secadmin", st
    assert st["initialized_at"] and st["failures"] == 0
    key = os.path.join(w.s.data, "keys", "vault.key")
    assert os.stat(key).st_mode & 0o777 == 0o600
    assert os.path.getsize(key) == 113
    with open(key, "rb") as f:
        assert f.read(8) == b"ISMSVK\x01\x01"
    expect_error(sec.post("/api/v1/vault/init", json={"passphrase": PASSPHRASE}), 409,
                 "vault_initialized")
    au = w.s.cached_admin("auditadmin")
    assert audit(au, action="vault.init")[0]["actor"] == "secadmin"


def test_VLT1_sealed_at_server_start(w):
    w.s.restart()
    sec = w.s.cached_admin("secadmin")
    st = status(sec)
    assert st["state"] == "sealed" and st["unsealed_at"] is None, st
    c = it(w)
    assert status(c)["state"] == "sealed"
    expect_error(c.post("/api/v1/vault/entries",
                        json=entry_body("sealed", ["it_staff"], secret=PLANTED)), 409,
                 "vault_sealed")
    # The generator needs no key.
    assert c.post("/api/v1/vault/generate", json={}).status_code == 200
    assert entries(c) == []


# --- unseal --------------------------------------------------------------------------------

def test_VLT1_wrong_passphrase_changes_nothing(w):
    c = it(w)
    e = expect_error(c.post("/api/v1/vault/unseal", json={"passphrase": WRONG}), 403,
                     "wrong_passphrase", field="passphrase")
    assert "4 attempt" in e["detail"]
    assert WRONG not in json.dumps(e)
    st = status(c)
    assert st["state"] == "sealed" and st["failures"] == 1, st
    expect_error(c.post("/api/v1/vault/unseal", json={}), 400, "invalid", field="passphrase")
    expect_error(c.post("/api/v1/vault/unseal", json={"passphrase": 5}), 400, "invalid")
    assert status(c)["failures"] == 1, "a malformed request is not an attempt"
    # The right one: unsealed, and the count starts again.
    r = c.post("/api/v1/vault/unseal", json={"passphrase": PASSPHRASE})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "unsealed" and r.json()["failures"] == 0
    assert r.json()["unsealed_by"] == "it.zhang"
    au = w.s.cached_admin("auditadmin")
    failed = audit(au, action="vault.unseal_failed")
    assert failed and failed[0]["outcome"] == "failure"
    assert WRONG not in json.dumps(failed) and PASSPHRASE not in json.dumps(failed)
    assert audit(au, action="vault.unseal")[0]["actor"] == "it.zhang"


def test_VLT1_seal_and_unseal_with_the_cli(w):
    sec = w.s.cached_admin("secadmin")
    r = sec.post("/api/v1/vault/seal")
    assert r.status_code == 200 and r.json()["state"] == "sealed", r.text
    r = isms("vault", "unseal", "--data", w.s.data, "--passphrase-file", w.wrongfile)
    assert r.returncode == 1 and "wrong" in r.stderr, (r.stdout, r.stderr)
    assert WRONG not in r.stdout + r.stderr
    assert status(sec)["failures"] == 1
    r = isms("vault", "unseal", "--data", w.s.data, "--passphrase-file", w.passfile)
    assert r.returncode == 0, r.stderr
    assert "unsealed" in r.stdout and PASSPHRASE not in r.stdout + r.stderr
    st = status(sec)
    assert st["state"] == "unsealed" and st["unsealed_by"].startswith("cli:"), st
    assert st["failures"] == 0
    r = isms("vault", "status", "--data", w.s.data, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["state"] == "unsealed", r.stdout
    r = isms("vault", "seal", "--data", w.s.data)
    assert r.returncode == 0 and status(sec)["state"] == "sealed"
    r = isms("vault", "unseal", "--data", w.s.data, "--passphrase-file", w.passfile)
    assert r.returncode == 0, r.stderr
    # The passphrase never on the command line.
    r = isms("vault", "unseal", "--data", w.s.data, "--passphrase", PASSPHRASE)
    assert r.returncode == 2
    au = w.s.cached_admin("auditadmin")
    assert audit(au, action="vault.unseal")[0]["actor"].startswith("cli:")
    # No server on a folder: a clear message.
    empty = tempfile.mkdtemp(prefix="isms-vault-none-")
    r = isms("vault", "unseal", "--data", empty, "--passphrase-file", w.passfile)
    shutil.rmtree(empty, ignore_errors=True)
    assert r.returncode == 1 and "no isms serve" in r.stderr, r.stderr


# --- entries, reveal -------------------------------------------------------------------------

def test_VLT1_create_and_generate(w):
    c = it(w)
    r = c.post("/api/v1/vault/entries", json=entry_body("HIS db server", ["it_staff"],
                                                          secret=PLANTED, notes="机房 A"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"entry"}, "a given secret is not echoed"
    e = body["entry"]
    assert e["name"] == "HIS db server" and e["reveal_roles"] == ["it_staff"]
    assert e["rotate_reason"] == "yearly" and e["vendor"] is None and e["version"] == 1
    assert PLANTED not in r.text
    w.his = e["id"]
    r = c.post("/api/v1/vault/entries", json=entry_body(
        "core switch", ["it_staff", "sys_admin"], kind="switch", generate={"length": 32}))
    assert r.status_code == 201, r.text
    gen = r.json()["secret"]
    assert len(gen) == 32 and "secret" not in r.json()["entry"]
    w.secrets.append(gen)
    w.switch = r.json()["entry"]["id"]
    w.switch_secret = gen
    r = c.post("/api/v1/vault/entries", json=entry_body(
        "ERP admin", ["sys_admin"], kind="erp_admin", secret=SWITCH))
    assert r.status_code == 201, r.text
    w.erp = r.json()["entry"]["id"]
    r = c.post("/api/v1/vault/generate", json={"length": 16})
    assert r.status_code == 200 and len(r.json()["password"]) == 16, r.text
    assert r.headers["Cache-Control"] == "no-store"
    r = c.post("/api/v1/vault/generate")
    assert r.status_code == 200 and len(r.json()["password"]) == 20, r.text
    expect_error(c.post("/api/v1/vault/generate", json={"length": 65}), 400, "invalid",
                 field="length")
    expect_error(c.post("/api/v1/vault/generate", json={"length": "20"}), 400, "invalid")
    # Listing and reading: metadata only, for every reader role.
    for who in (c, w.s.cached_admin("auditadmin"), w.s.cached_admin("secadmin")):
        items = entries(who)
        assert [x["id"] for x in items] == [w.his, w.switch, w.erp]
        assert all("secret" not in x for x in items)
    r = c.get("/api/v1/vault/entries/%d" % w.his)
    assert r.status_code == 200 and PLANTED not in r.text
    assert [x["id"] for x in c.get("/api/v1/vault/entries",
                                   params={"kind": "switch"}).json()["items"]] == [w.switch]


def test_VLT1_bad_entries_refused(w):
    c = it(w)
    n = len(entries(c))
    bad = [
        (entry_body("a", ["it_staff"], secret=PLANTED + "x", kind="toaster"), "kind"),
        (entry_body("a", ["audit_admin"], secret=PLANTED + "x"), "reveal_roles"),
        (entry_body("a", [], secret=PLANTED + "x"), "reveal_roles"),
        (entry_body("a", ["it_staff", "it_staff"], secret=PLANTED + "x"), "reveal_roles"),
        (entry_body("", ["it_staff"], secret=PLANTED + "x"), "name"),
        (entry_body("a" * 101, ["it_staff"], secret=PLANTED + "x"), "name"),
        (entry_body("a", ["it_staff"]), "secret"),
        (entry_body("a", ["it_staff"], secret=PLANTED + "x", generate={}), "secret"),
        (entry_body("a", ["it_staff"], generate={"length": 8}), "generate.length"),
        (entry_body("a", ["it_staff"], secret="bad\u0001ctl-Secret-9!"), "secret"),
        (entry_body("a", ["it_staff"], host="h\nx", secret=PLANTED + "x"), "host"),
    ]
    for body, field in bad:
        expect_error(c.post("/api/v1/vault/entries", json=body), 400, "invalid", field=field)
    expect_error(c.post("/api/v1/vault/entries", json=entry_body("a", ["it_staff"],
                                                                  secret="password123")),
                 400, "weak_password", field="secret")
    expect_error(c.post("/api/v1/vault/entries", json=dict(entry_body(
        "a", ["it_staff"], secret=PLANTED + "x"), extra=1)), 400, "unknown_field")
    expect_error(c.post("/api/v1/vault/entries", json=entry_body(
        "HIS db server", ["it_staff"], secret=PLANTED + "x")), 409, "name_taken")
    # The security administrator reads but does not create.
    expect_error(w.s.cached_admin("secadmin").post("/api/v1/vault/entries", json=entry_body(
        "b", ["it_staff"], secret=PLANTED + "x")), 403, "forbidden")
    assert len(entries(c)) == n


def test_VLT2_reveal_by_an_entry_role_with_reason_audited(w):
    c = it(w)
    au = w.s.cached_admin("auditadmin")
    r = c.post("/api/v1/vault/entries/%d/reveal" % w.his, json={"reason": "HIS 数据库巡检 check"})
    assert r.status_code == 200, r.text
    assert r.json() == {"secret": PLANTED, "hide_after": 30}
    assert r.headers["Cache-Control"] == "no-store"
    e = audit(au, action="vault.reveal")[0]
    assert e["actor"] == "it.zhang" and e["object"] == "vault_entry:%d" % w.his
    assert e["detail"]["reason"] == "HIS 数据库巡检 check"
    assert e["detail"]["entry_id"] == w.his
    assert PLANTED not in json.dumps(e, ensure_ascii=False)
    for x in audit(au):
        assert PLANTED not in json.dumps(x, ensure_ascii=False)
    rec = au.get("/api/v1/vault/reveals").json()["items"]
    assert rec[0]["entry_id"] == w.his and rec[0]["username"] == "it.zhang"
    assert rec[0]["reason"] == "HIS 数据库巡检 check" and rec[0]["entry_name"] == "HIS db server"
    assert au.get("/api/v1/vault/reveals", params={"entry_id": w.erp}).json()["items"] == []
    expect_error(c.get("/api/v1/vault/reveals"), 403, "forbidden")
    # The other IT person holds the role too; the generated secret comes back intact.
    r = it(w, "it.li").post("/api/v1/vault/entries/%d/reveal" % w.switch,
                             json={"reason": "replace the uplink"})
    assert r.status_code == 200 and r.json()["secret"] == w.switch_secret


def test_VLT2_reveal_refusals(w):
    c = it(w)
    au = w.s.cached_admin("auditadmin")
    before = len(audit(au, action="vault.reveal"))
    # ERP admin is sys_admin only: IT staff may not see it.
    expect_error(c.post("/api/v1/vault/entries/%d/reveal" % w.erp, json={"reason": "need it"}),
                 403, "forbidden")
    # audit_admin reads the record, never a secret.
    expect_error(au.post("/api/v1/vault/entries/%d/reveal" % w.his, json={"reason": "look"}),
                 403, "forbidden")
    expect_error(c.post("/api/v1/vault/entries/%d/reveal" % w.his, json={}), 400, "invalid",
                 field="reason")
    expect_error(c.post("/api/v1/vault/entries/%d/reveal" % w.his, json={"reason": "abc"}),
                 400, "invalid", field="reason")
    expect_error(c.post("/api/v1/vault/entries/%d/reveal" % w.his,
                        json={"reason": "x" * 501}), 400, "invalid", field="reason")
    expect_error(c.post("/api/v1/vault/entries/%d/reveal" % w.his,
                        json={"reason": "ok reason", "x": 1}), 400, "unknown_field")
    expect_error(c.post("/api/v1/vault/entries/99999/reveal", json={"reason": "ok reason"}),
                 404, "not_found")
    assert len(audit(au, action="vault.reveal")) == before
    # The system administrator may reveal the ERP entry.
    r = w.s.cached_admin("sysadmin").post("/api/v1/vault/entries/%d/reveal" % w.erp,
                                          json={"reason": "ERP upgrade"})
    assert r.status_code == 200 and r.json()["secret"] == SWITCH, r.text
    # Not with an API token.
    r = c.post("/api/v1/me/tokens", json={"name": "script", "scopes": ["read", "write"],
                                          "expires_in_days": 1})
    assert r.status_code == 201, r.text
    t = w.s.client()
    expect_error(t.post("/api/v1/vault/entries/%d/reveal" % w.his, json={"reason": "by script"},
                        headers={"Authorization": "Bearer " + r.json()["token"]}), 403,
                 "forbidden")


def test_VLT2_patch_only_by_an_entry_role(w):
    c = it(w)
    e = c.get("/api/v1/vault/entries/%d" % w.erp).json()
    # IT staff may not widen an entry they cannot reveal to themselves.
    expect_error(c.patch("/api/v1/vault/entries/%d" % w.erp,
                         json={"version": e["version"], "reveal_roles": ["it_staff"]}),
                 403, "forbidden")
    e = c.get("/api/v1/vault/entries/%d" % w.his).json()
    r = c.patch("/api/v1/vault/entries/%d" % w.his,
                json={"version": e["version"], "notes": "机房 B", "host": "10.1.2.4"})
    assert r.status_code == 200, r.text
    assert r.json()["notes"] == "机房 B" and r.json()["version"] == e["version"] + 1
    expect_error(c.patch("/api/v1/vault/entries/%d" % w.his,
                         json={"version": e["version"], "notes": "stale"}), 409,
                 "stale_version")
    expect_error(c.patch("/api/v1/vault/entries/%d" % w.his,
                         json={"version": r.json()["version"], "secret": "x"}), 400,
                 "unknown_field")


def test_VLT3_secret_reused_refused(w):
    c = it(w)
    expect_error(c.post("/api/v1/vault/entries", json=entry_body(
        "OA admin", ["it_staff"], kind="oa_admin", secret=PLANTED)), 409, "secret_reused")
    expect_error(c.post("/api/v1/vault/entries", json=entry_body(
        "OA admin", ["it_staff"], kind="oa_admin", secret=w.switch_secret)), 409,
        "secret_reused")
    e = c.get("/api/v1/vault/entries/%d" % w.his).json()
    expect_error(c.post("/api/v1/vault/entries/%d/rotate" % w.his,
                        json={"version": e["version"], "secret": PLANTED}), 409,
                 "secret_reused")
    assert c.get("/api/v1/vault/entries/%d" % w.his).json()["version"] == e["version"]
    assert "OA admin" not in [x["name"] for x in entries(c)]


def test_VLT3_rotation_due_yearly(w):
    c = it(w)
    e = c.get("/api/v1/vault/entries/%d" % w.his).json()
    days = (parse(e["rotate_due_at"]) - parse(e["rotated_at"])) / 86400
    assert days in (365, 366), e
    assert e["rotation_status"] == "ok"
    r = c.post("/api/v1/vault/entries/%d/rotate" % w.his,
               json={"version": e["version"], "secret": ROTATED})
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"entry"}
    e2 = r.json()["entry"]
    assert e2["version"] == e["version"] + 1 and e2["rotate_reason"] == "yearly"
    assert abs(parse(e2["rotated_at"]) - w.s.now()) < 60
    r = c.post("/api/v1/vault/entries/%d/reveal" % w.his, json={"reason": "after rotation"})
    assert r.json()["secret"] == ROTATED
    au = w.s.cached_admin("auditadmin")
    rot = audit(au, action="vault.rotate")[0]
    assert ROTATED not in json.dumps(rot) and PLANTED not in json.dumps(rot)
    # A year later, a tick reminds the holders: overdue.
    events = sla_run(w, parse(e2["rotate_due_at"]) + 60)
    mine = [x for x in events if x.get("entry_id") == w.his]
    assert [x["event"] for x in mine] == ["vault_rotation_overdue"], events


def test_VLT3_vendor_access_due_within_an_hour_and_reminded(w):
    c = it(w)
    now = w.s.now()
    r = c.post("/api/v1/vault/entries/%d/vendor-access" % w.switch,
               json={"vendor": "华为 TAC", "note": "remote debugging of the stack"})
    assert r.status_code == 200, r.text
    e = r.json()
    assert e["rotate_reason"] == "vendor_access" and e["vendor"] == "华为 TAC"
    assert 0 < parse(e["rotate_due_at"]) - now <= 3600 + 60, e
    assert abs(parse(e["vendor_access_at"]) - now) < 60
    assert e["rotation_status"] == "due_soon"
    expect_error(c.post("/api/v1/vault/entries/%d/vendor-access" % w.switch, json={}), 400,
                 "invalid", field="vendor")
    expect_error(c.post("/api/v1/vault/entries/%d/vendor-access" % w.erp,
                        json={"vendor": "x"}), 403, "forbidden")
    # The first tick says "rotate within the hour"; after the hour, "overdue".
    events = [x for x in sla_run(w, now + 30) if x.get("entry_id") == w.switch]
    assert [x["event"] for x in events] == ["vault_rotation_due"], events
    events = [x for x in sla_run(w, now + 30) if x.get("entry_id") == w.switch]
    assert events == [], "idempotent"
    events = [x for x in sla_run(w, parse(e["rotate_due_at"]) + 120)
              if x.get("entry_id") == w.switch]
    assert [x["event"] for x in events] == ["vault_rotation_overdue"], events
    assert w.people["it.zhang"].uid in events[0]["to"]
    notes = c.get("/api/v1/me/notifications", params={"limit": 50}).json()["items"]
    kinds = [n["kind"] for n in notes]
    assert "vault.rotation_overdue" in kinds and "vault.rotation_due" in kinds, kinds
    assert all(w.switch_secret not in json.dumps(n, ensure_ascii=False) for n in notes)
    # Rotating ends it: due in a year again.
    r = c.post("/api/v1/vault/entries/%d/rotate" % w.switch,
               json={"version": e["version"], "generate": {}})
    assert r.status_code == 200, r.text
    w.secrets.append(r.json()["secret"])
    assert r.json()["entry"]["rotate_reason"] == "yearly"
    assert r.json()["entry"]["rotation_status"] == "ok"


def test_VLT1_sealed_vault_refuses_secret_operations(w):
    c = it(w)
    r = c.post("/api/v1/vault/seal")
    assert r.status_code == 200 and r.json()["state"] == "sealed"
    expect_error(c.post("/api/v1/vault/entries/%d/reveal" % w.his, json={"reason": "sealed?"}),
                 409, "vault_sealed")
    e = c.get("/api/v1/vault/entries/%d" % w.his).json()
    expect_error(c.post("/api/v1/vault/entries/%d/rotate" % w.his,
                        json={"version": e["version"], "generate": {}}), 409, "vault_sealed")
    assert len(entries(c)) == 3, "the metadata is readable while sealed"
    # Vendor access is metadata: it is recorded while sealed too.
    r = c.post("/api/v1/vault/entries/%d/vendor-access" % w.his, json={"vendor": "Acme"})
    assert r.status_code == 200, r.text


def test_VLT1_five_wrong_passphrases_lock_for_15_minutes(w):
    c = it(w)
    sec = w.s.cached_admin("secadmin")
    assert status(c)["state"] == "sealed"
    for i in range(4):
        expect_error(c.post("/api/v1/vault/unseal", json={"passphrase": WRONG}), 403,
                     "wrong_passphrase")
    e = expect_error(c.post("/api/v1/vault/unseal", json={"passphrase": WRONG}), 423,
                     "vault_locked")
    until = parse(e["unlock_at"])
    assert 900 - 60 <= until - w.s.now() <= 900 + 5, e
    # During the lock even the right passphrase is refused, by the CLI as well.
    expect_error(c.post("/api/v1/vault/unseal", json={"passphrase": PASSPHRASE}), 423,
                 "vault_locked")
    r = isms("vault", "unseal", "--data", w.s.data, "--passphrase-file", w.passfile)
    assert r.returncode == 1 and "locked" in r.stderr, r.stderr
    st = status(c)
    assert st["state"] == "sealed" and st["failures"] == 5
    assert parse(st["locked_until"]) == until
    au = w.s.cached_admin("auditadmin")
    assert audit(au, action="vault.locked")
    notes = sec.get("/api/v1/me/notifications").json()["items"]
    assert notes[0]["kind"] == "vault.locked", notes[:2]
    # The lock survives a restart.
    w.s.restart()
    c = it(w)
    expect_error(c.post("/api/v1/vault/unseal", json={"passphrase": PASSPHRASE}), 423,
                 "vault_locked")
    # After 15 minutes the right passphrase works and the count starts again.
    w.s.advance(16 * 60)
    c = it(w)
    r = c.post("/api/v1/vault/unseal", json={"passphrase": PASSPHRASE})
    assert r.status_code == 200, r.text
    assert r.json()["failures"] == 0 and r.json()["locked_until"] is None


def test_F4_no_secret_in_the_database_key_file_or_log(w):
    """Grep every file isms wrote for the planted secrets, the generated ones and the
    passphrase (raw, hex and base64)."""
    c = it(w)
    # Reveal once more so that the secrets have just passed through the server.
    for eid in (w.his, w.switch):
        assert c.post("/api/v1/vault/entries/%d/reveal" % eid,
                      json={"reason": "final check"}).status_code == 200
    data = w.s.data
    files = [os.path.join(data, "isms.db"), os.path.join(data, "isms.db-wal"),
             os.path.join(data, "keys", "vault.key"), w.s.log_path]
    needles = []
    for s in w.secrets:
        b = s.encode()
        needles += [b, b.hex().encode(), base64.b64encode(b).rstrip(b"=")]

    def scan():
        for path in files:
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                blob = f.read()
            for n in needles:
                assert n not in blob, "%r found in %s" % (n[:6], path)

    scan()
    w.s.stop()  # checkpoints the WAL into isms.db
    try:
        scan()
    finally:
        w.s.start()

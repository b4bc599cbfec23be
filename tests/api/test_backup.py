"""
BAK-1, BAK-2, BAK-5: isms's own backups. A backup taken while writers are busy restores to a
system whose records, attachments and audit chain verify and that serves logins; a damaged
or truncated file is refused with a clear message; a kill -9 during a backup leaves no half
file counted and the next run succeeds; no secret is in the backup file in clear; the API
runs backups through the server's worker and keeps the schedule, retention and off-site
folder.
"""
import glob
import hashlib
import os
import secrets
import signal
import sqlite3
import subprocess
import threading
import time

import pytest
import requests

from apihelp import expect_error
from conftest import ISMS, Server


def isms(*args, timeout=300, server=None):
    """Runs the CLI; with server, on that server's (test) clock."""
    env = dict(os.environ)
    if server:
        env["ISMS_CLOCK_OFFSET_FILE"] = server.clock_file
    return subprocess.run([ISMS, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


def backups_in(data):
    return sorted(glob.glob(os.path.join(data, "backups", "*.ismsbak")))


def token_session(s, client):
    r = client.post("/api/v1/me/tokens", json={"name": "load", "scopes": ["read", "write"]})
    assert r.status_code == 201, r.text
    bg = requests.Session()
    bg.headers["Authorization"] = "Bearer " + r.json()["token"]
    return bg


def pdf(i):
    return b"%PDF-1.4\n% isms backup test " + str(i).encode() + b" " + \
        secrets.token_hex(16).encode() + b"\ntrailer<<>>\n%%EOF\n"


def test_backup_during_busy_writes_restores_a_working_system(fresh_server, tmp_path):
    s = fresh_server
    sa = s.admin("sysadmin")
    bg = token_session(s, sa)
    acked, files, unexpected, stop = [], {}, [], threading.Event()

    def writer():
        i = 0
        while not stop.is_set():
            body = pdf(i)
            r = bg.post(s.base + "/api/v1/files", params={"name": "证据-%d.pdf" % i}, data=body,
                        headers={"Content-Type": "application/pdf"}, timeout=30)
            if r.status_code == 201:
                files[r.json()["sha256"]] = body
            else:
                unexpected.append(r.text)
            r = bg.post(s.base + "/api/v1/departments", json={"name": "备份期间-%d" % i},
                        timeout=30)
            if r.status_code == 201:
                acked.append(r.json()["department"]["name"])
            else:
                unexpected.append(r.text)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        deadline = time.time() + 60
        while len(acked) < 5 and time.time() < deadline:
            time.sleep(0.05)
        before_names, before_files = list(acked), dict(files)
        r = isms("backup", "run", "--data", s.data)
        written_during = len(acked) - len(before_names)
    finally:
        stop.set()
        t.join(timeout=60)
    assert not unexpected, unexpected[:3]
    assert r.returncode == 0, r.stderr
    assert "verified" in r.stdout, r.stdout
    assert written_during > 0, "the writer was not busy during the backup"
    [file] = backups_in(s.data)

    # The backup row records the verification.
    row = sa.get("/api/v1/backups").json()["items"][0]
    assert row["status"] == "verified" and row["trigger"] == "cli"
    assert row["check"]["integrity"] == "ok" and row["check"]["audit"]["ok"] is True
    assert row["check"]["counts"]["departments"] >= len(before_names)
    assert row["sha256"] == hashlib.sha256(open(file, "rb").read()).hexdigest()

    # Restore into a new folder; it verifies and serves.
    new = str(tmp_path / "restored")
    r = isms("backup", "restore", "--data", new, file)
    assert r.returncode == 0, r.stderr
    assert "integrity:   ok" in r.stdout and "intact" in r.stdout
    r = isms("audit", "verify", "--data", new)
    assert r.returncode == 0 and r.stdout.startswith("ok:"), r.stdout + r.stderr
    assert os.stat(new).st_mode & 0o077 == 0

    s2 = Server(str(tmp_path))
    s2.data, s2.passwords, s2.admins = new, s.passwords, s.admins
    s2.clock_file, s2.log_path = str(tmp_path / "clock2"), str(tmp_path / "server2.log")
    s2.set_clock(s.offset)
    s2.start()
    try:
        sa2 = s2.admin("sysadmin")  # the same password and TOTP secret as before
        names = {d["name"] for d in sa2.get("/api/v1/departments").json()["items"]}
        missing = set(before_names) - names
        assert not missing, "acknowledged before the backup but not restored: %r" % missing
        for sha, body in before_files.items():
            r = sa2.get("/api/v1/files", params={"sha256": sha})
            assert r.status_code == 200 and r.content == body, sha
        r = sa2.get("/api/v1/backups")
        assert r.status_code == 200
    finally:
        assert s2.stop() == 0, s2.stderr()[-3000:]


@pytest.fixture(scope="module")
def bk(server):
    """The module's server with one verified backup taken by the CLI."""
    r = isms("backup", "run", "--data", server.data, server=server)
    assert r.returncode == 0, r.stderr
    return server


def test_damaged_and_truncated_backups_are_refused_clearly(bk, tmp_path):
    [file] = backups_in(bk.data)[:1]
    data = open(file, "rb").read()
    key = os.path.join(bk.data, "keys", "backup.key")
    cases = {
        "flipped": data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) +
        data[len(data) // 2 + 1:],
        "truncated": data[:len(data) - 100],
        "half": data[:len(data) // 2],
        "extended": data + b"\0" * 10,
        "empty": b"",
        "not a backup": b"SQLite format 3\0" + data[16:],
    }
    words = {"flipped": "authentication", "truncated": "truncated", "half": "truncated",
             "extended": "after its final block", "empty": "not an isms backup",
             "not a backup": "not an isms backup"}
    for name, content in cases.items():
        bad = tmp_path / ("bad-%s.ismsbak" % name.replace(" ", "-"))
        bad.write_bytes(content)
        target = tmp_path / ("into-" + name.replace(" ", "-"))
        r = isms("backup", "restore", "--data", str(target), "--key", key, str(bad))
        assert r.returncode == 1, (name, r.stdout, r.stderr)
        assert words[name] in r.stderr, (name, r.stderr)
        assert not target.exists(), "a refused restore left %s" % target
        assert not glob.glob(str(target) + ".restore-*")
        r = isms("backup", "verify", "--key", key, str(bad))
        assert r.returncode == 1 and words[name] in r.stderr, (name, r.stderr)

    # Another key: named as such, not as corruption.
    other = tmp_path / "other.key"
    other.write_bytes(os.urandom(32))
    other.chmod(0o600)
    r = isms("backup", "verify", "--key", str(other), file)
    assert r.returncode == 1 and "another backup key" in r.stderr, r.stderr
    # A key others can read is refused.
    other.chmod(0o644)
    r = isms("backup", "verify", "--key", str(other), file)
    assert r.returncode == 1 and "chmod 600" in r.stderr, r.stderr
    # Restore never writes over a folder that has content.
    r = isms("backup", "restore", "--data", bk.data, file)
    assert r.returncode == 1 and "not empty" in r.stderr
    assert open(file, "rb").read() == data


VAULT_PASSPHRASE = "Granite-Lotus-58-Pagoda!bk"
VAULT_SECRET = "Walrus#Backup-Secret-7351k"


def test_no_secret_in_the_backup_file_and_the_vault_comes_back(bk, tmp_path):
    it = bk.staff("bk-it", "it_staff")
    it_pw = it.password
    sec = bk.cached_admin("secadmin")
    r = sec.post("/api/v1/vault/init", json={"passphrase": VAULT_PASSPHRASE})
    assert r.status_code == 201, r.text
    it = bk.relogin(it)
    r = it.post("/api/v1/vault/entries", json={
        "name": "ERP admin", "kind": "erp_admin", "system": "ERP", "host": "10.0.0.8",
        "username": "admin", "reveal_roles": ["it_staff"], "secret": VAULT_SECRET})
    assert r.status_code == 201, r.text
    entry = r.json()["entry"]["id"]
    sa = bk.cached_admin("sysadmin")
    marker = "PLANTED-" + secrets.token_hex(8)
    r = sa.post("/api/v1/departments", json={"name": marker})
    assert r.status_code == 201, r.text

    r = isms("backup", "run", "--data", bk.data, server=bk)
    assert r.returncode == 0, r.stderr
    newest = backups_in(bk.data)[-1]
    blob = open(newest, "rb").read()
    keys = os.path.join(bk.data, "keys")
    secrets_in_clear = [marker.encode(), bk.admins["sysadmin"]["password"].encode(),
                        bk.admins["sysadmin"]["secret"].encode(), VAULT_SECRET.encode(),
                        VAULT_PASSPHRASE.encode(), it_pw.encode(), b"SQLite format 3",
                        b"CREATE TABLE"]
    for name in ("secrets.key", "audit.key", "backup.key", "vault.key"):
        secrets_in_clear.append(open(os.path.join(keys, name), "rb").read())
    for s in secrets_in_clear:
        assert s not in blob, s[:20]
    # The marker is in the database, so the test would see it in a clear copy.
    con = sqlite3.connect(os.path.join(bk.data, "isms.db"))
    try:
        assert con.execute("SELECT count(*) FROM departments WHERE name = ?",
                           (marker,)).fetchone()[0] == 1
    finally:
        con.close()

    # Restored, the vault is there, sealed, and opens with its passphrase.
    new = str(tmp_path / "restored")
    r = isms("backup", "restore", "--data", new, newest)
    assert r.returncode == 0, r.stderr
    for root, _, files in os.walk(new):
        for n in files:
            with open(os.path.join(root, n), "rb") as f:
                assert VAULT_SECRET.encode() not in f.read(), n
    s2 = Server(str(tmp_path))
    s2.data, s2.passwords, s2.admins = new, bk.passwords, bk.admins
    s2.clock_file, s2.log_path = str(tmp_path / "clock2"), str(tmp_path / "server2.log")
    s2.set_clock(bk.offset)
    s2.start()
    try:
        sec2 = s2.admin("secadmin")
        assert sec2.get("/api/v1/vault").json()["state"] == "sealed"
        r = sec2.post("/api/v1/vault/unseal", json={"passphrase": VAULT_PASSPHRASE})
        assert r.status_code == 200, r.text
        it2 = s2.relogin(it)  # with its second factor, restored with the rest
        r = it2.post("/api/v1/vault/entries/%d/reveal" % entry,
                     json={"reason": "restore drill / 恢复演练"})
        assert r.status_code == 200 and r.json()["secret"] == VAULT_SECRET, r.text
    finally:
        assert s2.stop() == 0, s2.stderr()[-3000:]


def test_backup_now_through_the_api_and_who_may(bk):
    staff, _ = bk.employee("bk-staff")  # logs sysadmin in: before the cached sessions
    sa = bk.cached_admin("sysadmin")
    au = bk.cached_admin("auditadmin")
    expect_error(staff.get("/api/v1/backups"), 403, "forbidden")
    expect_error(staff.post("/api/v1/backups"), 403, "forbidden")
    expect_error(au.post("/api/v1/backups"), 403, "forbidden")
    assert au.get("/api/v1/backups").status_code == 200
    n = len(sa.get("/api/v1/backups").json()["items"])
    r = sa.post("/api/v1/backups")
    assert r.status_code == 202, r.text
    deadline = time.time() + 120
    while time.time() < deadline:
        items = sa.get("/api/v1/backups").json()["items"]
        if len(items) > n and items[0]["status"] != "running":
            break
        time.sleep(0.5)
    newest = items[0]
    assert newest["status"] == "verified" and newest["trigger"] == "manual", newest
    assert newest["requested_by"] == sa.get("/api/v1/me").json()["user"]["id"]
    assert os.path.exists(os.path.join(bk.data, "backups", newest["name"]))
    r = au.get("/api/v1/audit", params={"action": "backup.request"})
    assert r.status_code == 200 and r.json()["items"], r.text


def test_config_validation_offsite_copy_and_retention(bk, tmp_path):
    sa = bk.cached_admin("sysadmin")
    cfg = sa.get("/api/v1/backups/config").json()
    assert cfg["schedule"] == "30 2 * * *" and cfg["keep"] == {"daily": 7, "weekly": 4,
                                                               "monthly": 12}
    assert cfg["offsite_dir"] is None and cfg["next_at"]
    v = cfg["version"]
    expect_error(sa.put("/api/v1/backups/config", json={"version": v, "schedule": "never"}),
                 400, "invalid_field", "schedule")
    expect_error(sa.put("/api/v1/backups/config", json={"version": v, "keep": {"daily": 0}}),
                 400, "invalid_field", "keep.daily")
    expect_error(sa.put("/api/v1/backups/config", json={"version": v, "keep": {"hourly": 1}}),
                 400, "invalid_field", "keep.hourly")
    expect_error(sa.put("/api/v1/backups/config", json={"version": v, "offsite_dir": "rel"}),
                 400, "invalid_field", "offsite_dir")
    expect_error(sa.put("/api/v1/backups/config",
                        json={"version": v, "offsite_dir": str(tmp_path / "absent")}),
                 400, "invalid_field", "offsite_dir")
    expect_error(sa.put("/api/v1/backups/config",
                        json={"version": v, "offsite_dir": os.path.join(bk.data, "files")}),
                 400, "invalid_field", "offsite_dir")
    expect_error(sa.put("/api/v1/backups/config", json={"version": v, "colour": "red"}),
                 400, "invalid_field", "colour")
    expect_error(sa.put("/api/v1/backups/config", json={"schedule": "0 3 * * *"}),
                 400, "invalid_field", "version")
    expect_error(sa.put("/api/v1/backups/config", json={"version": v + 5}),
                 409, "stale_version")
    expect_error(bk.cached_admin("auditadmin").put("/api/v1/backups/config",
                                                    json={"version": v}), 403, "forbidden")
    assert sa.get("/api/v1/backups/config").json()["version"] == v, "a refused change changed"

    offsite = tmp_path / "offsite"
    offsite.mkdir()
    r = sa.put("/api/v1/backups/config", json={"version": v, "offsite_dir": str(offsite),
                                               "keep": {"daily": 1, "weekly": 0,
                                                        "monthly": 0}})
    assert r.status_code == 200, r.text
    assert r.json()["offsite_dir"] == str(offsite) and r.json()["version"] == v + 1
    before = backups_in(bk.data)
    assert len(before) == 1, "the default rule keeps the newest of each day"
    r = isms("backup", "run", "--json", "--data", bk.data, server=bk)
    assert r.returncode == 0, r.stderr
    import json
    row = json.loads(r.stdout)
    assert row["offsite"] == {"status": "copied", "error": None}
    copy = offsite / row["name"]
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == row["sha256"]
    # keep 1 daily: every older backup of the same day is pruned, here and off-site.
    assert backups_in(bk.data) == [os.path.join(bk.data, "backups", row["name"])]
    assert [p.name for p in offsite.iterdir()] == [row["name"]]
    items = sa.get("/api/v1/backups").json()["items"]
    assert all(i["pruned_at"] for i in items if i["name"] != row["name"] and
               i["status"] == "verified")
    r = isms("backup", "verify", str(copy), "--key", os.path.join(bk.data, "keys",
                                                                  "backup.key"))
    assert r.returncode == 0, r.stderr


def test_kill_9_during_a_backup_leaves_no_half_backup(fresh_server):
    s = fresh_server
    # A big attachment makes the backup last long enough to be killed in the middle.
    big = os.urandom(64 << 20)
    sha = hashlib.sha256(big).hexdigest()
    os.makedirs(os.path.join(s.data, "files", sha[:2]), exist_ok=True)
    with open(os.path.join(s.data, "files", sha[:2], sha[2:]), "wb") as f:
        f.write(big)
    p = subprocess.Popen([ISMS, "backup", "run", "--data", s.data],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    partial = []
    while time.time() < deadline and p.poll() is None:
        partial = glob.glob(os.path.join(s.data, "backups", "*.partial"))
        if partial and os.path.getsize(partial[0]) > (1 << 20):
            break
        time.sleep(0.002)
    assert partial, "the backup finished before it could be killed"
    p.send_signal(signal.SIGKILL)
    p.wait()
    p.stdout.close()
    p.stderr.close()
    assert backups_in(s.data) == [], "a killed backup left a file that counts"
    r = isms("backup", "list", "--json", "--data", s.data)
    import json
    rows = json.loads(r.stdout)
    assert [x["status"] for x in rows] == ["running"]

    r = isms("backup", "run", "--data", s.data)
    assert r.returncode == 0, r.stderr
    assert len(backups_in(s.data)) == 1
    assert not glob.glob(os.path.join(s.data, "backups", "*.partial"))
    assert not glob.glob(os.path.join(s.data, "backups", ".work-*"))
    rows = json.loads(isms("backup", "list", "--json", "--data", s.data).stdout)
    assert [x["status"] for x in rows] == ["verified", "failed"]
    assert "interrupted" in rows[1]["error"]


def test_retention_keeps_the_newest_per_day_week_and_month(bk, tmp_path):
    """GFS over days moved by the clock: keep 2 daily, 2 weekly, 2 monthly."""
    import calendar
    import json
    sa = bk.cached_admin("sysadmin")
    v = sa.get("/api/v1/backups/config").json()["version"]
    r = sa.put("/api/v1/backups/config", json={"version": v, "offsite_dir": None,
                                               "keep": {"daily": 2, "weekly": 2,
                                                        "monthly": 2}})
    assert r.status_code == 200, r.text
    clock = tmp_path / "clock"
    env = dict(os.environ, ISMS_CLOCK_OFFSET_FILE=str(clock))
    names = {}
    # One backup a day at noon (UTC+8) from Monday 22 February 2027 to Tuesday 9 March.
    start = calendar.timegm(time.strptime("2027-02-22 04:00:00", "%Y-%m-%d %H:%M:%S"))
    for day in range(16):
        clock.write_text(str(int(start + day * 86400 - time.time())))
        r = subprocess.run([ISMS, "backup", "run", "--json", "--data", bk.data],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        names[day] = json.loads(r.stdout)["name"]
    kept = {os.path.basename(p) for p in backups_in(bk.data)}
    # Daily: 9 and 8 March (days 15, 14); weekly: the newest of the week before, Sunday
    # 7 March (13); monthly: the newest of February, the 28th (6).
    want = {names[d] for d in (15, 14, 13, 6)}
    assert kept == want, sorted(kept ^ want)


def test_a_backup_that_fails_its_check_does_not_count_and_alerts(fresh_server):
    """An attachment the database names has vanished from files/: the restored copy fails
    its check, so the backup is recorded as failed, its file removed, and the system
    administrators are told."""
    s = fresh_server
    sa = s.admin("sysadmin")
    body = pdf("gone")
    r = sa.post("/api/v1/files", params={"name": "会消失.pdf"}, data=body,
                headers={"Content-Type": "application/pdf"})
    assert r.status_code == 201, r.text
    sha = r.json()["sha256"]
    os.unlink(os.path.join(s.data, "files", sha[:2], sha[2:]))
    r = isms("backup", "run", "--json", "--data", s.data, server=s)
    assert r.returncode == 1
    import json
    row = json.loads(r.stdout)
    assert row["status"] == "failed" and sha in row["error"], row
    assert row["check"]["missing_files"] == 1
    assert "missing" in r.stderr
    assert backups_in(s.data) == [], "a failed backup left a file"
    notes = sa.get("/api/v1/me/notifications", params={"limit": 50}).json()["items"]
    alert = [n for n in notes if n["kind"] == "backup.self_failed"]
    assert alert and row["name"] in alert[0]["subject"], notes[:3]

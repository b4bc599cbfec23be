"""
Backups of the organization's systems (SPEC BAK-3, BAK-4; 业务系统备份登记): the policy pack's
backup jobs (ERP, OA, mail, finance) listed with their status; runs reported by a script with
an API token, by a session and by `isms backup report`; bad reports refused with the field at
fault and nothing kept; failed and unverified runs alerting the IT staff in-app and by mail;
missed and off-site runs found by `isms sla run --at`; and a data cleanup (数据清理申请)
refused while the system has no recent verified backup.

One server for the module. The tests that move its clock forward come last, in file order:
the data-cleanup test (about four days on), then the missed-run test (to the next Friday).
After a jump the people's sessions have ended; the IT staff go on with their API token.
"""
import datetime as dt
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

import pytest

from apihelp import CJK, all_pages, expect_error
from conftest import ISMS, ROOT, Client, Server, sanitizer_report, strong

CST = dt.timezone(dt.timedelta(hours=8))
SINKS = os.path.join(ROOT, "tests", "unit", "notify")
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SEED = {  # key: (system, schedule, offsite)
    "erp_daily": ("erp", ["0 7 * * *"], None),
    "oa_database_daily": ("oa", ["0 9 * * *"], None),
    "oa_files_weekly": ("oa", ["0 9 * * 5"], None),
    "mail_weekly": ("mail", ["0 9 * * 5"], "0 9 * * 5"),
    "mail_folder_monthly": ("mail", ["0 9 28 * *"], "0 9 28 * *"),
    "finance_database": ("finance", ["0 22 * * 2", "0 22 * * 5"], "0 10 1 * *"),
}
RUN_KEYS = {"id", "job_id", "job_key", "status", "started_at", "finished_at", "size", "sha256",
            "location", "offsite", "verified", "message", "reported_by", "reported_at"}


class World:
    pass


def person(o, name, dept=None, email=None, roles=()):
    sa = o.s.cached_admin("sysadmin")
    body = {"username": name, "display_name": name}
    if dept:
        body["department_id"] = dept
    if email:
        body["email"] = email
    r = sa.post("/api/v1/users", json=body)
    assert r.status_code == 201, r.text
    uid, initial = r.json()["user"]["id"], r.json()["initial_password"]
    if roles:
        r = o.s.cached_admin("secadmin").post("/api/v1/users/%d/roles" % uid,
                                              json={"roles": list(roles)})
        assert r.status_code == 200, r.text
    c = o.s.client()
    c.login(name, initial)
    r = c.post("/api/v1/me/password", json={"old_password": initial, "new_password": strong()})
    assert r.status_code == 200, r.text
    c.uid = uid
    return o.s.enrol_if_required(c)


def bearer(o, client, scopes):
    r = client.post("/api/v1/me/tokens", json={"name": "backup-script", "scopes": scopes})
    assert r.status_code == 201, r.text
    t = Client(o.s.base)
    t.headers["Authorization"] = "Bearer " + r.json()["token"]
    return t


@pytest.fixture(scope="module")
def w():
    tmp = tempfile.mkdtemp(prefix="isms-bak-")
    s = Server(tmp)
    s.init()
    s.start()
    s.relax_rate_limit()
    o = World()
    o.s, o.tmp, procs = s, tmp, []
    try:
        # The clock jumps days ahead later: passwords must not age, one-time ones be gone.
        r = s.cached_admin("secadmin").patch("/api/v1/security/policy",
                                             json={"password_max_age_days": 0})
        assert r.status_code == 200, r.text
        s.cached_admin("auditadmin")
        out = os.path.join(tmp, "mail.jsonl")
        open(out, "w").close()
        p = subprocess.Popen(["/usr/bin/python3", os.path.join(SINKS, "smtp_sink.py"), out,
                              "ok"], stdout=subprocess.PIPE, text=True)
        procs.append(p)
        o.mail = pathlib.Path(out)
        r = s.cached_admin("secadmin").post("/api/v1/notify/channels", json={
            "kind": "email", "name": "backup-mail", "config": {
                "smtp_url": "smtp://127.0.0.1:%d" % int(p.stdout.readline()),
                "from": "isms@hospital.example", "starttls": False, "kinds": ["backup.*"]}})
        assert r.status_code == 201, r.text
        o.it = person(o, "bk-it", email="it@hospital.example", roles=["it_staff"])
        o.leader = person(o, "bk-leader", roles=["leader"])
        o.head = person(o, "bk-head")
        r = s.cached_admin("sysadmin").post("/api/v1/departments",
                                            json={"name": "财务部", "head_user_id": o.head.uid})
        assert r.status_code == 201, r.text
        o.dept = r.json()["department"]["id"]
        s.enrol_if_required(o.head)  # a department head approves: two-factor login
        o.emp = person(o, "bk-emp", o.dept)
        o.token = bearer(o, o.it, ["read", "write"])
        o.ro_token = bearer(o, o.it, ["read"])
        yield o
    finally:
        for p in procs:
            p.kill()
            p.wait()
        rc = s.stop()
        log = s.stderr()
        shutil.rmtree(tmp, ignore_errors=True)
        assert not sanitizer_report(log), log[-4000:]
        assert rc == 0, log[-4000:]


def run_body(job="erp_daily", **kw):
    body = {"job": job, "status": "ok", "size": 4096, "sha256": SHA,
            "location": "nas01:/backup/%s" % job, "offsite": False, "verified": True}
    body.update(kw)
    return {k: v for k, v in body.items() if v is not None}


def report(client, expect=201, **kw):
    r = client.post("/api/v1/backup-runs", json=run_body(**kw))
    assert r.status_code == expect, r.text
    return r.json()


def jobs(client, **params):
    return {j["key"]: j for j in all_pages(client, "/api/v1/backup-jobs", **params)}


def runs(client, **params):
    return all_pages(client, "/api/v1/backup-runs", **params)


def notes(client, kind):
    r = client.get("/api/v1/me/notifications", params={"limit": 500})
    assert r.status_code == 200, r.text
    return [n for n in r.json()["items"] if n["kind"] == kind]


def wait_mail(path, pred, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        got = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
        got = [m for m in got if pred(m)]
        if got:
            return got
        time.sleep(0.3)
    raise AssertionError("no such mail: %s" % path.read_text()[-2000:])


def isms(o, *args, expect=0):
    env = dict(os.environ, ISMS_CLOCK_OFFSET_FILE=o.s.clock_file)
    r = subprocess.run([ISMS, *args], capture_output=True, text=True, timeout=120, env=env)
    assert not sanitizer_report(r.stdout + r.stderr), r.stderr
    assert r.returncode == expect, (r.returncode, r.stdout, r.stderr)
    return r


def iso(t):
    return dt.datetime.fromtimestamp(t, CST).isoformat()


# --- jobs ---------------------------------------------------------------------------------------

def test_BAK3_the_pack_jobs_are_listed_with_their_status(w):
    got = jobs(w.it)
    assert set(SEED) <= set(got), got.keys()
    for key, (system, schedule, offsite) in SEED.items():
        j = got[key]
        assert (j["system"], j["schedule"], j["offsite"]) == (system, schedule, offsite), j
        assert j["source"] == "pack" and j["enabled"] is True and j["retired"] is False, j
        assert j["status"] == "never" and j["last_run"] is None and j["missed"] is None, j
        assert j["last_verified_at"] is None and j["next_due_at"], j
        assert j["label"]["zh-CN"] and j["label"]["en"] and j["clause"], j
    assert got["finance_database"]["clause"] == "S0-1 第五条2"
    assert got["oa_database_daily"]["clause"] == "S0-5 三.9.6b"
    # The next scheduled time of the OA database: 09:00 local, within a day from now.
    nxt = dt.datetime.fromisoformat(got["oa_database_daily"]["next_due_at"].replace("Z", "+00:00"))
    assert nxt.astimezone(CST).hour == 9 and nxt.timestamp() - w.s.now() <= 86400
    # Filters and pages.
    assert set(jobs(w.it, system="oa")) == {"oa_database_daily", "oa_files_weekly"}
    r = w.it.get("/api/v1/backup-jobs", params={"limit": 2})
    assert r.status_code == 200 and len(r.json()["items"]) == 2 and r.json()["next"], r.text
    one = w.it.get("/api/v1/backup-jobs/%d" % got["erp_daily"]["id"])
    assert one.status_code == 200 and one.json()["key"] == "erp_daily", one.text
    expect_error(w.it.get("/api/v1/backup-jobs", params={"system": "OA!"}), 400, "invalid",
                 "system")
    expect_error(w.it.get("/api/v1/backup-jobs/99999"), 404, "not_found")
    # Leadership and the auditors read; an ordinary employee does not.
    assert set(jobs(w.leader)) == set(got)
    assert w.s.cached_admin("auditadmin").get("/api/v1/backup-jobs").status_code == 200
    expect_error(w.emp.get("/api/v1/backup-jobs"), 403, "forbidden")
    expect_error(w.emp.get("/api/v1/backup-runs"), 403, "forbidden")


def test_BAK3_cli_lists_the_jobs_as_a_table(w):
    out = isms(w, "backup", "jobs", "--data", w.s.data).stdout
    lines = out.splitlines()
    assert lines[0] == "times in UTC+08:00", out
    assert lines[1].split()[:4] == ["JOB", "SYSTEM", "STATUS", "ENABLED"], out
    rows = {ln.split()[0]: ln.split() for ln in lines[2:]}
    assert set(SEED) <= set(rows), out
    assert rows["mail_weekly"][1:3] == ["mail", "never"], out
    as_json = json.loads(isms(w, "backup", "jobs", "--data", w.s.data, "--system", "erp",
                              "--json").stdout)
    assert [j["key"] for j in as_json] == ["erp_daily"]
    assert isms(w, "backup", "jobs", expect=2).stderr.startswith("usage")


# --- reports --------------------------------------------------------------------------------------

def test_BAK3_script_reports_with_an_api_token(w):
    run = report(w.token, job="erp_daily", message="nightly dump ok")
    assert set(run) == RUN_KEYS, run
    assert run["job_key"] == "erp_daily" and run["status"] == "ok" and run["verified"] is True
    assert run["sha256"] == SHA and run["size"] == 4096 and run["offsite"] is False
    assert run["reported_by"] == "bk-it" and run["message"] == "nightly dump ok"
    assert run["started_at"] is None and run["finished_at"] and run["reported_at"]
    j = jobs(w.it)["erp_daily"]
    assert j["status"] == "ok" and j["last_run"]["id"] == run["id"], j
    assert j["last_verified_at"] == run["finished_at"]
    assert run["id"] in [x["id"] for x in runs(w.token, job_id=j["id"])]
    # A token without the write scope reports nothing.
    n = len(runs(w.it))
    expect_error(w.ro_token.post("/api/v1/backup-runs", json=run_body()), 403, "forbidden")
    assert len(runs(w.it)) == n
    # Audited, with what was reported.
    r = w.s.cached_admin("auditadmin").get("/api/v1/audit",
                                           params={"action": "backup_run.report"})
    assert r.status_code == 200, r.text
    e = [x for x in r.json()["items"] if x["after"]["id"] == run["id"]]
    assert e and e[0]["actor"] == "bk-it" and e[0]["object"] == "backup_job:%d" % j["id"], e


def test_BAK3_reports_by_session_and_by_the_cli(w):
    started = iso(w.s.now() - 600)
    run = report(w.it, job="oa_database_daily", started_at=started, offsite=True)
    assert run["offsite"] is True and run["started_at"] and run["reported_by"] == "bk-it"
    sa = report(w.s.cached_admin("sysadmin"), job="oa_files_weekly")
    assert sa["reported_by"] == "sysadmin"
    # isms backup report --file: the size and SHA-256 of the file.
    path = os.path.join(w.tmp, "oa-files.tar")
    with open(path, "wb") as f:
        f.write(b"backup " * 1000)
    out = isms(w, "backup", "report", "--data", w.s.data, "--job", "oa_files_weekly",
               "--status", "ok", "--file", path, "--location", "nas01:/oa/files.tar",
               "--verified", "--json").stdout
    cli = json.loads(out)
    assert cli["size"] == 7000 and cli["reported_by"].startswith("cli:"), cli
    assert cli["sha256"] == hashlib.sha256(b"backup " * 1000).hexdigest()
    assert cli["id"] in [x["id"] for x in runs(w.it, status="ok")]
    # Refused by the same rules, with the field named; usage errors exit 2.
    r = isms(w, "backup", "report", "--data", w.s.data, "--job", "oa_files_weekly", "--status",
             "ok", "--size", "5", "--sha256", "abc", "--location", "x", expect=1)
    assert "sha256" in r.stderr, r.stderr
    r = isms(w, "backup", "report", "--data", w.s.data, "--job", "nosuch", "--status",
             "failed", expect=1)
    assert "job" in r.stderr and "nosuch" in r.stderr, r.stderr
    isms(w, "backup", "report", "--data", w.s.data, "--job", "erp_daily", expect=2)
    isms(w, "backup", "report", "--data", w.s.data, "--job", "erp_daily", "--status", "ok",
         "--file", path, "--size", "3", expect=2)


def test_BAK3_wrong_roles_are_refused(w):
    n = len(runs(w.it))
    expect_error(w.leader.post("/api/v1/backup-runs", json=run_body()), 403, "forbidden")
    expect_error(w.emp.post("/api/v1/backup-runs", json=run_body()), 403, "forbidden")
    expect_error(w.s.cached_admin("auditadmin").post("/api/v1/backup-runs", json=run_body()),
                 403, "forbidden")
    expect_error(w.leader.post("/api/v1/backup-jobs", json={}), 403, "forbidden")
    expect_error(w.s.client().post("/api/v1/backup-runs", json=run_body()), 401,
                 "unauthenticated")
    assert len(runs(w.it)) == n


BAD = [
    ("unknown key", dict(extra=1), "unknown_field", "extra"),
    ("no job", dict(job=None), "invalid", "job"),
    ("unknown job", dict(job="crm_nightly"), "invalid", "job"),
    ("job not text", dict(job=7), "invalid", "job"),
    ("status", dict(status="done"), "invalid", "status"),
    ("status missing", dict(status=None), "invalid", "status"),
    ("sha256 short", dict(sha256="ab" * 31), "invalid", "sha256"),
    ("sha256 not hex", dict(sha256="g" * 64), "invalid", "sha256"),
    ("sha256 missing", dict(sha256=None), "invalid", "sha256"),
    ("size negative", dict(size=-1), "invalid", "size"),
    ("size text", dict(size="4096"), "invalid", "size"),
    ("size real", dict(size=1.5), "invalid", "size"),
    ("size bool", dict(size=True), "invalid", "size"),
    ("size missing", dict(size=None), "invalid", "size"),
    ("location missing", dict(location=None), "invalid", "location"),
    ("location empty", dict(location=""), "invalid", "location"),
    ("location too long", dict(location="备" * 501), "invalid", "location"),
    ("location two lines", dict(location="nas01:/a\nb"), "invalid", "location"),
    ("location NUL", dict(location="nas01:/a\u0000b"), "invalid_json", None),
    ("offsite text", dict(offsite="yes"), "invalid", "offsite"),
    ("verified number", dict(verified=1), "invalid", "verified"),
    ("failed yet verified", dict(status="failed", verified=True), "invalid", "verified"),
    ("finished in the future", "future", "invalid", "finished_at"),
    ("finished garbage", dict(finished_at="yesterday"), "invalid", "finished_at"),
    ("finished before 2000", dict(finished_at="1999-12-31T23:00:00Z"), "invalid",
     "finished_at"),
    ("started after finished", "started", "invalid", "started_at"),
    ("message too long", dict(message="x" * 2001), "invalid", "message"),
]


@pytest.mark.parametrize("name,change,code,field", BAD, ids=[b[0] for b in BAD])
def test_BAK3_bad_reports_are_refused_with_the_field(w, name, change, code, field):
    if change == "future":
        change = dict(finished_at=iso(w.s.now() + 3600))
    elif change == "started":
        change = dict(started_at=iso(w.s.now() - 60), finished_at=iso(w.s.now() - 120))
    body = run_body(**{k: v for k, v in change.items() if k != "extra"})
    if "extra" in change:
        body["extra"] = change["extra"]
    for k, v in change.items():
        if v is None:
            body.pop(k, None)
    n = len(runs(w.it))
    expect_error(w.token.post("/api/v1/backup-runs", json=body), 400, code, field)
    assert len(runs(w.it)) == n


def test_BAK3_malformed_bodies_and_messages_in_english(w):
    n = len(runs(w.it))
    r = w.token.post("/api/v1/backup-runs", data=b'{"job": "erp_daily", "status": "ok", '
                     b'"location": "\xff\xfe"}', headers={"Content-Type": "application/json"})
    expect_error(r, 400, "invalid_json")
    r = w.token.post("/api/v1/backup-runs", data=b"[1, 2]",
                     headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    e = expect_error(w.token.post("/api/v1/backup-runs", json=run_body(sha256="x"),
                                  headers={"Accept-Language": "en"}), 400, "invalid", "sha256",
                     en=True)
    assert "64" in e["detail"], e
    assert len(runs(w.it)) == n
    expect_error(w.it.get("/api/v1/backup-runs", params={"status": "lost"}), 400, "invalid",
                 "status")
    expect_error(w.it.get("/api/v1/backup-runs", params={"job_id": "x"}), 400, "invalid",
                 "job_id")


def test_BAK3_failed_and_unverified_runs_alert_the_it_staff(w):
    before_failed = len(notes(w.it, "backup.failed"))
    before_unver = len(notes(w.it, "backup.unverified"))
    failed = report(w.token, job="mail_weekly", status="failed", verified=False, size=None,
                    sha256=None, location=None, message="disk full")
    assert failed["status"] == "failed" and failed["sha256"] is None
    assert failed["location"] is None and failed["size"] == 0
    assert jobs(w.it)["mail_weekly"]["status"] == "failed"
    got = notes(w.it, "backup.failed")
    assert len(got) == before_failed + 1, got
    n = got[0]
    assert n["params"]["key"] == "mail_weekly" and n["params"]["system"] == "mail", n
    assert n["params"]["run_id"] == failed["id"] and n["params"]["message"] == "disk full"
    assert "邮箱服务器" in n["subject"] and "disk full" in n["body"], n
    # The system administrator hears of it too.
    assert [x for x in notes(w.s.cached_admin("sysadmin"), "backup.failed")
            if x["params"]["run_id"] == failed["id"]]
    # Not leadership.
    assert notes(w.leader, "backup.failed") == []
    # By mail, through the notification channel.
    mails = wait_mail(w.mail, lambda m: m["rcpt_to"] == ["<it@hospital.example>"] and
                      m["subject"].startswith("备份失败"))
    assert "mail" in mails[0]["subject"] and "disk full" in mails[0]["body"], mails[0]
    unver = report(w.token, job="mail_weekly", verified=False, offsite=True)
    assert jobs(w.it)["mail_weekly"]["status"] == "unverified"
    got = notes(w.it, "backup.unverified")
    assert len(got) == before_unver + 1 and got[0]["params"]["run_id"] == unver["id"], got
    wait_mail(w.mail, lambda m: m["rcpt_to"] == ["<it@hospital.example>"] and
              m["subject"].startswith("备份未验证"))
    # A verified run is no alert.
    report(w.token, job="mail_weekly", offsite=True)
    assert len(notes(w.it, "backup.unverified")) == before_unver + 1
    assert jobs(w.it)["mail_weekly"]["status"] == "ok"
    # The runs list filters by job and status, newest first.
    mine = runs(w.it, job_id=failed["job_id"])
    assert [x["id"] for x in mine] == sorted((x["id"] for x in mine), reverse=True)
    assert failed["id"] in [x["id"] for x in runs(w.it, job_id=failed["job_id"],
                                                  status="failed")]
    assert all(x["status"] == "ok" for x in runs(w.it, status="ok"))


def test_BAK3_administrators_add_and_change_jobs(w):
    body = {"key": "hr_payroll", "system": "hr", "label": {"zh-CN": "人事工资库备份",
                                                            "en": "HR payroll backup"},
            "schedule": ["30 18 * * 1-5"], "within": "3h", "max_age": "4d"}
    r = w.it.post("/api/v1/backup-jobs", json=body)
    assert r.status_code == 201, r.text
    j = r.json()
    assert j["source"] == "admin" and j["status"] == "never" and j["version"] == 1, j
    assert j["offsite"] is None and j["clause"] is None and j["enabled"] is True
    expect_error(w.it.post("/api/v1/backup-jobs", json=body), 409, "name_taken", "key")
    expect_error(w.it.post("/api/v1/backup-jobs", json=dict(body, key="erp_daily")), 409,
                 "name_taken", "key")
    for change, field in ((dict(key="HR"), "key"), (dict(schedule=["0 9 * *"]), "schedule[0]"),
                          (dict(within="8wh"), "within"), (dict(max_age="0h"), "max_age"),
                          (dict(label={"zh-CN": "人事"}), "label.en"),
                          (dict(system=""), "system"), (dict(offsite="@never"), "offsite")):
        expect_error(w.it.post("/api/v1/backup-jobs", json=dict(dict(body, key="hr_x"),
                                                                 **change)),
                     400, "invalid", field)
    expect_error(w.it.post("/api/v1/backup-jobs", json=dict(body, key="hr_x", owner=1)), 400,
                 "unknown_field", "owner")
    # Changes carry the version; the pack's jobs change only enabled, within and max_age.
    r = w.it.patch("/api/v1/backup-jobs/%d" % j["id"],
                   json={"version": 1, "schedule": ["0 19 * * 1-5"], "offsite": "0 19 1 * *"})
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    assert r.json()["schedule"] == ["0 19 * * 1-5"] and r.json()["offsite"] == "0 19 1 * *"
    expect_error(w.it.patch("/api/v1/backup-jobs/%d" % j["id"],
                            json={"version": 1, "within": "1h"}), 409, "stale_version")
    erp = jobs(w.it)["erp_daily"]
    expect_error(w.it.patch("/api/v1/backup-jobs/%d" % erp["id"],
                            json={"version": erp["version"], "schedule": ["0 6 * * *"]}),
                 409, "pack_job", "schedule")
    r = w.it.patch("/api/v1/backup-jobs/%d" % erp["id"],
                   json={"version": erp["version"], "within": "4h", "max_age": "28h"})
    assert r.status_code == 200 and r.json()["within"] == "4h", r.text
    assert r.json()["max_age"] == "28h" and r.json()["schedule"] == ["0 7 * * *"]
    expect_error(w.leader.patch("/api/v1/backup-jobs/%d" % j["id"], json={"version": 2}), 403,
                 "forbidden")
    # A disabled job takes no reports.
    r = w.it.patch("/api/v1/backup-jobs/%d" % j["id"], json={"version": 2, "enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False, r.text
    assert r.json()["next_due_at"] is None
    expect_error(w.token.post("/api/v1/backup-runs", json=run_body(job="hr_payroll")), 409,
                 "job_disabled", "job")
    r = w.it.patch("/api/v1/backup-jobs/%d" % j["id"], json={"version": 3, "enabled": True})
    assert r.status_code == 200, r.text
    report(w.token, job="hr_payroll")
    a = w.s.cached_admin("auditadmin").get("/api/v1/audit", params={"object": "backup_job:%d"
                                                                    % j["id"]}).json()["items"]
    assert [x["action"] for x in a] == ["backup_run.report", "backup_job.update",
                                        "backup_job.update", "backup_job.update",
                                        "backup_job.create"], a


def test_BAK3_policy_check_names_the_bad_backup_job(w):
    d = os.path.join(w.tmp, "broken-pack")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "org.json"), "w", encoding="utf-8") as f:
        json.dump({"backup_jobs": [{"id": "hr_db", "system": "hr",
                                    "label": {"zh-CN": "人事", "en": "HR"},
                                    "schedule": ["0 9 * * *"], "within": "8wh",
                                    "max_age": "26h"}]}, f)
    r = isms(w, "policy", "check", "--dir", d, expect=1)
    assert re.search(r"org\.json: backup_jobs\[0\]\.within: must be a duration on the clock",
                     r.stdout), r.stdout


# --- data cleanup (BAK-4); the clock moves from here on -------------------------------------------

def file_cleanup(c, system, expect=201):
    r = c.post("/api/v1/requests", json={"type": "data_cleanup", "data": {
        "system": system, "scope": "清理错误凭证与人员变动记录", "reason": "年末结账前整理"}})
    assert r.status_code == expect, r.text
    return r


def test_BAK4_cleanup_refused_without_a_recent_verified_backup(w):
    mine = len(all_pages(w.emp, "/api/v1/requests"))
    e = expect_error(file_cleanup(w.emp, "finance", 409), 409, "no_verified_backup",
                     "data.system")
    assert "finance" in e["detail"] and "104h" in e["detail"], e
    e = expect_error(w.emp.post("/api/v1/requests", json={"type": "data_cleanup", "data": {
        "system": "finance", "scope": "x", "reason": "y"}}, headers={"Accept-Language": "en"}),
        409, "no_verified_backup", "data.system", en=True)
    expect_error(file_cleanup(w.emp, "crm", 400), 400, "invalid", "data.system")
    expect_error(file_cleanup(w.emp, "Finance", 400), 400, "invalid", "data.system")
    # An unverified run and a failed one do not count.
    report(w.token, job="finance_database", verified=False)
    report(w.token, job="finance_database", status="failed", verified=False, size=None,
           sha256=None, location=None)
    expect_error(file_cleanup(w.emp, "finance", 409), 409, "no_verified_backup", "data.system")
    assert len(all_pages(w.emp, "/api/v1/requests")) == mine

    # A verified backup: filed, approved, carried out with the backup on record.
    run = report(w.token, job="finance_database")
    req = file_cleanup(w.emp, "finance").json()
    r = w.head.post("/api/v1/requests/%d/approve" % req["id"], json={})
    assert r.status_code == 200 and r.json()["status"] == "pending", r.text
    r = w.it.post("/api/v1/requests/%d/approve" % req["id"], json={})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "completed", done
    assert done["result"]["action"] == "data_cleanup" and done["result"]["system"] == "finance"
    assert [b["run_id"] for b in done["result"]["backups"]] == [run["id"]], done["result"]

    # Filed again and approved by the head; 105 hours on, the backup is older than the
    # job's 104h: carrying it out is refused and the request waits at the execute step.
    req = file_cleanup(w.emp, "finance").json()
    r = w.head.post("/api/v1/requests/%d/approve" % req["id"], json={})
    assert r.status_code == 200, r.text
    w.s.advance(105 * 3600)
    e = expect_error(w.token.post("/api/v1/requests/%d/approve" % req["id"], json={}), 409,
                     "no_verified_backup", "data.system")
    assert "104h" in e["detail"], e
    got = w.token.get("/api/v1/requests/%d" % req["id"]).json()
    assert got["status"] == "pending" and got.get("result") is None, got
    # A fresh verified backup, and the same step goes through.
    report(w.token, job="finance_database", offsite=True)
    r = w.token.post("/api/v1/requests/%d/approve" % req["id"], json={})
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text


def test_BAK3_missed_and_offsite_runs_found_by_the_tick(w):
    # To the next Friday 09:30 (local): the mail console backup, due at 09:00 off-site, is
    # reported local only.
    now = dt.datetime.fromtimestamp(w.s.now(), CST)
    friday = (now + dt.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    while friday.weekday() != 4:
        friday += dt.timedelta(days=1)
    w.s.set_clock(friday.timestamp() + 1800 - time.time())
    before = len(notes(w.token, "backup.missed"))
    report(w.token, job="mail_weekly", offsite=False)
    report(w.token, job="oa_files_weekly")
    at = (friday + dt.timedelta(hours=3)).isoformat()
    out = isms(w, "sla", "run", "--data", w.s.data, "--at", at).stdout
    lines = [x for x in out.splitlines() if x.startswith("backup job ")]
    due = friday.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "backup job mail_weekly: off-site run missed, due %s" % due in lines, out
    assert "backup job oa_files_weekly: run missed, due %s" % due not in lines, out
    assert re.search(r"backup check at \S+: %d missed scheduled run\(s\)" % len(lines), out), out
    j = jobs(w.token)
    assert j["mail_weekly"]["status"] == "missed", j["mail_weekly"]
    assert j["mail_weekly"]["missed"] == {"due_at": due, "kind": "offsite"}
    assert j["oa_files_weekly"]["status"] == "ok", j["oa_files_weekly"]
    # Days without an OA database run were missed while the clock jumped.
    assert j["oa_database_daily"]["status"] == "missed"
    alerts = notes(w.token, "backup.missed")
    assert len(alerts) > before
    mail_alert = [n for n in alerts if n["params"]["key"] == "mail_weekly"]
    assert mail_alert and mail_alert[0]["params"]["kind"] == "offsite", mail_alert
    assert "异地备份" in mail_alert[0]["body"], mail_alert[0]
    # Each miss is alerted once: the same tick again finds nothing.
    out = isms(w, "sla", "run", "--data", w.s.data, "--at", at).stdout
    assert "0 missed scheduled run(s)" in out and "backup job " not in out, out
    assert len(notes(w.token, "backup.missed")) == len(alerts)
    # The off-site copy made afterwards puts the job right.
    report(w.token, job="mail_weekly", offsite=True)
    assert jobs(w.token)["mail_weekly"]["status"] == "ok"
    assert CJK.search(mail_alert[0]["subject"])

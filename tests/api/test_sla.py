"""
Time as the regulations count it (SPEC SLA-1, SLA-3, SLA-4): deadlines on records and requests
with pause, resume and escalation; recurring duties as tasks that are done or missed; and the
clock tick, run here on demand with `isms sla run --at` a week ahead of a seeded data set.

The module's server runs with its clock at Monday 2027-03-01 00:00 (Asia/Shanghai), on the
default calendar (08:30-12:00, 13:30-17:30, Saturday and Sunday off). Before it starts, one
`sla run` at that time sets where the duty schedules begin, so the week's expectations below
are exact. A local SMTP sink and a local HTTP receiver take the messages.
"""
import datetime as dt
import json
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from apihelp import expect_error
from conftest import ISMS, ROOT, Server, sanitizer_report, strong

CST = dt.timezone(dt.timedelta(hours=8))
SINKS = os.path.join(ROOT, "tests", "unit", "notify")


def at(day, hour, minute=0):
    """A time in March 2027, Asia/Shanghai."""
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=CST)


def iso(t):
    return t.isoformat()


def parse(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def near(s, t):
    """The server's clock is moved to a time, then runs on: seconds pass between steps."""
    return abs((parse(s) - t).total_seconds()) < 120


T0 = at(1, 0)   # Monday
T1 = at(8, 0)   # a week later


def sla_run(s, when, *extra):
    env = dict(os.environ, ISMS_CLOCK_OFFSET_FILE=s.clock_file)
    r = subprocess.run([ISMS, "sla", "run", "--data", s.data, "--at", iso(when), "--json",
                        *extra], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert not sanitizer_report(r.stderr), r.stderr
    return json.loads(r.stdout), r.stderr


def wait_lines(path, pred, seconds=30):
    end = time.time() + seconds
    while time.time() < end:
        lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
        got = [x for x in lines if pred(x)]
        if got:
            return got
        time.sleep(0.3)
    raise AssertionError("nothing matching arrived at %s: %s" % (path, path.read_text()[-2000:]))


class World:
    pass


@pytest.fixture(scope="module")
def w():
    tmp = tempfile.mkdtemp(prefix="isms-sla-")
    s = Server(tmp)
    s.init()
    events, _ = sla_run(s, T0)
    assert events == []  # the first run only sets where each duty's schedule begins
    s.start()
    s.relax_rate_limit()
    # People are made today; the clock then jumps to T0, months ahead: passwords must not age.
    r = s.admin("secadmin").patch("/api/v1/security/policy",
                                  json={"password_max_age_days": 0})
    assert r.status_code == 200, r.text
    s.cached_admin("auditadmin")  # its one-time password would not survive the jump
    procs = []
    o = World()
    o.s = s
    o.tmp = tmp

    def sink(script, *args):
        out = os.path.join(tmp, script + ".jsonl")
        open(out, "w").close()
        p = subprocess.Popen(["/usr/bin/python3", os.path.join(SINKS, script), out, *args],
                             stdout=subprocess.PIPE, text=True)
        procs.append(p)
        return int(p.stdout.readline()), __import__("pathlib").Path(out)
    o.sink = sink
    try:
        build(o)
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
    pw = strong()
    r = c.post("/api/v1/me/password", json={"old_password": initial, "new_password": pw})
    assert r.status_code == 200, r.text
    c.uid, c.name, c.pw = uid, name, pw
    return o.s.enrol_if_required(c)


def relogin(o, c):
    n = o.s.client()
    n.login(c.name, c.pw, otp=o.s.code_for(c) if getattr(c, "secret", None) else None)
    n.uid, n.name, n.pw = c.uid, c.name, c.pw
    n.secret, n.last_step = getattr(c, "secret", None), getattr(c, "last_step", 0)
    return n


def record(c, type_, data):
    r = c.post("/api/v1/records", json={"type": type_, "data": data})
    assert r.status_code == 201, r.text
    return r.json()


def build(o):
    """The seeded data set: people, channels, two complaints, a document loan, an account
    request and a machine-room inspection made before Monday's occurrence."""
    s = o.s
    o.mport, o.mail = o.sink("smtp_sink.py", "ok")
    o.hport, o.hook = o.sink("http_sink.py", "unused")
    sec = s.cached_admin("secadmin")
    for body in ({"kind": "email", "name": "mail", "config": {
                     "smtp_url": "smtp://127.0.0.1:%d" % o.mport,
                     "from": "isms@hospital.example", "starttls": False}},
                 {"kind": "wecom", "name": "escalations", "config": {
                     "webhook_url": "http://127.0.0.1:%d/cgi-bin/webhook/send/wecom/ok" % o.hport,
                     "kinds": ["deadline.escalated"]}}):
        r = sec.post("/api/v1/notify/channels", json=body)
        assert r.status_code == 201, r.text
    o.head = person(o, "sla-head", email="head@hospital.example")
    sa = s.cached_admin("sysadmin")
    r = sa.post("/api/v1/departments", json={"name": "客服中心", "head_user_id": o.head.uid})
    assert r.status_code == 201, r.text
    o.dept = r.json()["department"]["id"]
    s.enrol_if_required(o.head)  # a department head approves: two-factor login
    o.handler = person(o, "sla-handler", o.dept, "handler@hospital.example")
    o.borrower = person(o, "sla-borrower", o.dept, "borrower@hospital.example")
    o.applicant = person(o, "sla-applicant", o.dept)
    o.it = person(o, "sla-it", email="it@hospital.example", roles=["it_staff"])
    o.gm = person(o, "sla-gm", email="gm@hospital.example", roles=["general_manager"])
    o.outsider = person(o, "sla-outsider")
    # The borrower reads English.
    r = o.borrower.patch("/api/v1/me", json={"locale": "en"})
    assert r.status_code == 200 and r.json()["user"]["locale"] == "en", r.text
    # Now to Monday 2027-03-01 00:00 (the sessions end on the way: log in again).
    s.set_clock(T0.timestamp() + 30 - time.time())
    for k in ("head", "handler", "borrower", "applicant", "it", "gm", "outsider"):
        setattr(o, k, relogin(o, getattr(o, k)))

    o.c1 = record(o.handler, "complaint", {
        "complainant": "张先生", "received_at": iso(at(1, 10)), "content": "报销进度慢",
        "handler": o.handler.uid, "department": o.dept})
    o.c2 = record(o.handler, "complaint", {
        "complainant": "李女士", "received_at": iso(at(1, 10)), "content": "窗口态度",
        "handler": o.handler.uid, "department": o.dept,
        "forwarded_at": iso(at(1, 10, 20)), "contacted_at": iso(at(1, 10, 40))})
    r = o.handler.patch("/api/v1/records/%d" % o.c2["id"],
                        json={"version": o.c2["version"], "status": "waiting"})
    assert r.status_code == 200, r.text
    o.loan = record(o.it, "document_loan", {
        "borrower": o.borrower.uid, "document": "竣工图纸 A-3", "borrowed_at": iso(at(1, 14))})
    r = o.applicant.post("/api/v1/requests", json={"type": "account", "data": {
        "username": "sla-newcomer", "display_name": "新同事", "department": o.dept,
        "systems": ["oa"], "reason": "入职"}})
    assert r.status_code == 201, r.text
    o.req = r.json()["id"]
    o.inspection = record(o.it, "machine_room_inspection", {
        "inspected_at": iso(at(1, 0, 5)), "inspector": o.it.uid, "temperature": 21,
        "humidity": 50, "power_ups": "normal", "air_conditioning": "normal",
        "fire_smoke": "normal", "water_leak": "normal", "network_status": "normal",
        "server_status": "normal", "result": "normal"})
    o.events, o.summary = sla_run(s, T1)


# --- the week ahead -----------------------------------------------------------------------------

def counts(events):
    out = {}
    for e in events:
        out[e["event"]] = out.get(e["event"], 0) + 1
    return out


def test_a_week_ahead_gives_exactly_the_expected_tasks(w):
    tasks = [e for e in w.events if e["event"] == "task"]
    got = sorted((e["duty"], parse(e["occurs_at"]), parse(e["due_at"])) for e in tasks)
    want = []
    for d in range(1, 8):  # every day 09:00, due the same day 18:00
        want.append(("machine_room_daily", at(d, 9), at(d, 18)))
    for d in range(1, 6):  # working days 08:30, due within one working day (7.5 h)
        want.append(("duty_log_daily", at(d, 8, 30), at(d, 17, 30)))
    want += [("server_inspection_weekly", at(1, 9), at(8, 9)),
             ("antivirus_weekly", at(1, 10), at(8, 10)),
             ("patch_monthly", at(1, 9), at(8, 9)),
             # Friday 09:00 + 8 working hours: 7 h on Friday, 1 h on Monday morning
             ("oa_mail_backup_weekly", at(5, 9), at(8, 9, 30)),
             ("complaint_report_weekly", at(5, 16), at(8, 16))]
    assert got == sorted(want)
    owners = {e["duty"]: e["owner_id"] for e in tasks}
    assert owners["machine_room_daily"] == w.it.uid and owners["duty_log_daily"] == w.it.uid
    assert owners["server_inspection_weekly"] != w.it.uid  # the system administrator's


def test_the_inspection_made_before_its_time_fulfils_mondays_task(w):
    done = [e for e in w.events if e["event"] == "done"]
    assert len(done) == 1 and done[0]["record_id"] == w.inspection["id"], done
    task = next(e for e in w.events if e["event"] == "task" and e["task_id"] == done[0]["task_id"])
    assert task["duty"] == "machine_room_daily" and parse(task["occurs_at"]) == at(1, 9)


def test_missed_duties(w):
    missed = sorted(e["duty"] for e in w.events if e["event"] == "missed")
    assert missed == ["duty_log_daily"] * 5 + ["machine_room_daily"] * 6


def test_escalations_level_by_level(w):
    esc = sorted((e["rule"], e.get("record_id") or e.get("request_id"), e["level"], e["target"],
                  tuple(sorted(e["to"]))) for e in w.events if e["event"] == "escalated")
    h, head, gm, b = w.handler.uid, w.head.uid, w.gm.uid, w.borrower.uid
    c1, loan, req = w.c1["id"], w.loan["id"], w.req
    want = []
    for rule in ("complaint_forward", "complaint_contact", "complaint_resolve"):
        want += [(rule, c1, 1, "assignee", (h,)), (rule, c1, 2, "department_head", (head,)),
                 (rule, c1, 3, "role", (gm,))]
    want += [("document_loan_return", loan, 1, "assignee", (b,)),
             ("document_loan_return", loan, 2, "department_head", (head,)),
             ("document_loan_return", loan, 3, "role", (gm,)),
             # the request waits for the applicant's department head
             ("account_open", req, 1, "assignee", (head,)),
             ("account_open", req, 2, "department_head", (head,)),
             ("account_open", req, 3, "role", (gm,))]
    assert esc == sorted(want)
    # Nothing on the complaint forwarded and contacted in time and waiting for its complainant.
    assert not [e for e in w.events if e.get("record_id") == w.c2["id"]]
    assert counts(w.events) == {"task": 17, "done": 1, "missed": 11, "escalated": 15}
    assert "17 task(s) opened, 1 done, 11 missed, 15 escalation(s)" in w.summary


def test_running_it_again_does_nothing_new(w):
    again, summary = sla_run(w.s, T1)
    assert again == [], again
    assert "0 task(s) opened, 0 done, 0 missed, 0 escalation(s)" in summary
    # Nor does an earlier time: what was done stays done.
    assert sla_run(w.s, at(3, 12))[0] == []


def test_messages_reach_mail_and_the_robot(w):
    # The overdue loan, to the borrower, in English (their language).
    mails = wait_lines(w.mail, lambda m: m["rcpt_to"] == ["<borrower@hospital.example>"] and
                       m["subject"].startswith("Overdue: "))
    assert mails[0]["subject"].startswith(
        "Overdue: Return a borrowed document within 8 working hours ("), mails
    assert "#%d)" % w.loan["id"] in mails[0]["subject"]
    assert "2027-03-02 14:30" in mails[0]["body"]  # the due time, local
    # The missed inspection, to its owner, in Chinese.
    mails = wait_lines(w.mail, lambda m: m["rcpt_to"] == ["<it@hospital.example>"] and
                       m["subject"].startswith("未完成：机房每日巡查"))
    assert "2027-03-02 09:00" in " ".join(m["subject"] for m in mails), mails
    # The escalated complaint, to its department head by mail and to the robot's group.
    mails = wait_lines(w.mail, lambda m: m["rcpt_to"] == ["<head@hospital.example>"] and
                       "投诉 1 小时内报告客服中心" in m["subject"])
    assert mails[0]["subject"].startswith("超时上报（第 2 级）"), mails
    posts = wait_lines(w.hook, lambda p: "投诉 1 小时内报告客服中心" in
                       p["body"]["text"]["content"] and "第 3 级" in p["body"]["text"]["content"])
    assert "#%d" % w.c1["id"] in posts[0]["body"]["text"]["content"]
    # The robot hears only the kinds it was given.
    lines = [json.loads(x) for x in w.hook.read_text().splitlines() if x.strip()]
    assert all("超时上报" in p["body"]["text"]["content"] for p in lines), lines
    # Every delivery is on record.
    r = w.s.cached_admin("secadmin").get("/api/v1/notify/deliveries",
                                         params={"status": "sent", "limit": 500})
    assert r.status_code == 200, r.text
    assert any(d["recipient"] == "borrower@hospital.example" for d in r.json()["items"])
    expect_error(w.s.cached_admin("secadmin").get("/api/v1/notify/deliveries",
                                                  params={"status": "lost"}),
                 400, "invalid", "status")
    expect_error(w.handler.get("/api/v1/notify/deliveries"), 403, "forbidden")


def test_in_app_notices(w):
    items = w.handler.get("/api/v1/me/notifications", params={"limit": 100}).json()["items"]
    over = [n for n in items if n["kind"] == "deadline.overdue"]
    assert len(over) == 3 and {n["params"]["subject_id"] for n in over} == {w.c1["id"]}
    items = w.gm.get("/api/v1/me/notifications", params={"limit": 100}).json()["items"]
    assert len([n for n in items if n["kind"] == "deadline.escalated"]) == 5


def test_deadlines_as_the_api_shows_them(w):
    sa = w.s.cached_admin("sysadmin")
    r = sa.get("/api/v1/deadlines", params={"record_id": w.c2["id"]})
    assert r.status_code == 200, r.text
    by_rule = {d["rule"]: d for d in r.json()["items"]}
    assert by_rule["complaint_forward"]["status"] == "met"
    assert by_rule["complaint_contact"]["status"] == "met"
    res = by_rule["complaint_resolve"]
    assert res["status"] == "paused" and res["paused_by"] == "status", res
    assert res["label"]["en"] == "Resolve a complaint within 3 working days"
    assert res["subject"] == {"kind": "record", "id": w.c2["id"], "type": "complaint"}
    r = sa.get("/api/v1/deadlines", params={"record_id": w.c1["id"]})
    items = r.json()["items"]
    assert len(items) == 3 and all(d["level"] == 3 and d["state"] == "running" for d in items)
    assert {d["rule"]: parse(d["due_at"]) for d in items} == {
        "complaint_forward": at(1, 11), "complaint_contact": at(2, 10),
        "complaint_resolve": at(4, 10)}
    r = sa.get("/api/v1/deadlines", params={"request_id": w.req})
    assert [parse(d["due_at"]) for d in r.json()["items"]] == [at(1, 17, 30)]
    # Ordinary people see the deadlines of their own records and requests only.
    mine = w.handler.get("/api/v1/deadlines").json()["items"]
    assert {d["record_id"] for d in mine} == {w.c1["id"], w.c2["id"]}
    assert w.outsider.get("/api/v1/deadlines").json()["items"] == []
    assert w.head.get("/api/v1/deadlines", params={"request_id": w.req}).json()["items"]
    expect_error(sa.get("/api/v1/deadlines", params={"status": "late"}), 400, "invalid",
                 "status")
    expect_error(sa.get("/api/v1/deadlines", params={"record_id": "x"}), 400, "invalid",
                 "record_id")


def test_tasks_api_and_completing_by_hand(w):
    sa = w.s.cached_admin("sysadmin")
    r = sa.get("/api/v1/tasks", params={"status": "missed", "limit": 100})
    assert r.status_code == 200 and len(r.json()["items"]) == 11, r.text
    mine = w.it.get("/api/v1/tasks", params={"status": "open"}).json()["items"]
    assert {t["duty"] for t in mine} == {"antivirus_weekly", "patch_monthly"}
    assert all(t["register"] in ("antivirus_check", "patch_check") for t in mine)
    assert w.outsider.get("/api/v1/tasks").json()["items"] == []
    server_task = next(t for t in sa.get("/api/v1/tasks", params={
        "duty": "server_inspection_weekly"}).json()["items"])
    assert server_task["status"] == "open" and server_task["label"]["zh-CN"] == "每周服务器巡检"
    rec = record(w.it, "server_inspection", {
        "inspected_at": iso(at(1, 9, 30)), "inspector": w.it.uid, "servers": "财务服务器",
        "result": "normal"})
    # The new record fulfilled the open task at once (it was made inside its window)...
    t = sa.get("/api/v1/tasks", params={"duty": "server_inspection_weekly"}).json()["items"][0]
    if t["status"] == "open":  # ...unless the server's clock is before the occurrence
        expect_error(w.it.post("/api/v1/tasks/%d/done" % t["id"],
                               json={"record_id": w.inspection["id"]}), 400, "invalid",
                     "record_id")
        r = w.it.post("/api/v1/tasks/%d/done" % t["id"], json={"record_id": rec["id"]})
        assert r.status_code == 200 and r.json()["status"] == "done", r.text
        t = r.json()
    assert t["status"] == "done" and t["record_id"] == rec["id"], t
    expect_error(w.it.post("/api/v1/tasks/%d/done" % t["id"], json={"record_id": rec["id"]}),
                 409, "not_open")
    missed = sa.get("/api/v1/tasks", params={"status": "missed"}).json()["items"][0]
    expect_error(sa.post("/api/v1/tasks/%d/done" % missed["id"], json={"record_id": 1}),
                 409, "not_open")
    expect_error(w.outsider.post("/api/v1/tasks/%d/done" % mine[0]["id"],
                                 json={"record_id": rec["id"]}), 404, "not_found")
    expect_error(w.it.post("/api/v1/tasks/%d/done" % mine[0]["id"], json={}), 400, "invalid",
                 "record_id")


def test_locale_is_checked_and_audited(w):
    expect_error(w.outsider.patch("/api/v1/me", json={"locale": "fr"}), 400, "invalid",
                 "locale")
    expect_error(w.outsider.patch("/api/v1/me", json={"display_name": "x"}), 400,
                 "unknown_field")
    r = w.s.cached_admin("auditadmin").get("/api/v1/audit", params={"action": "user.locale"})
    assert [e["object"] for e in r.json()["items"]] == ["user:%d" % w.borrower.uid]


# --- pausing and resuming ---------------------------------------------------------------------

def test_pause_and_resume_by_hand_and_by_status(w):
    """Moves the server's clock to Monday 2027-03-08 09:00 (a week on; everything before was
    evaluated already)."""
    s = w.s
    s.set_clock(at(8, 9).timestamp() - time.time())
    it, handler, outsider = relogin(w, w.it), relogin(w, w.handler), relogin(w, w.outsider)
    loan = record(it, "document_loan", {"borrower": w.borrower.uid, "document": "合同 B-7",
                                         "borrowed_at": iso(at(8, 9))})
    d = it.get("/api/v1/deadlines", params={"record_id": loan["id"]}).json()["items"][0]
    # 8 working hours from Monday 09:00: 3 h before noon, 4 h in the afternoon, 1 h Tuesday.
    assert near(d["due_at"], at(9, 9, 30)) and d["status"] == "due", d
    url = "/api/v1/deadlines/%d/" % d["id"]
    expect_error(it.post(url + "pause", json={"version": d["version"]}), 400, "invalid", "note")
    expect_error(it.post(url + "pause", json={"version": d["version"] + 1, "note": "等供应商"}),
                 409, "stale_version")
    expect_error(outsider.post(url + "pause", json={"version": d["version"], "note": "x"}),
                 403, "forbidden")
    expect_error(it.post(url + "resume", json={"version": d["version"]}), 409, "not_open")
    r = it.post(url + "pause", json={"version": d["version"], "note": "等待借阅人出差返回"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["status"] == "paused" and d["paused_by"] == "manual" and \
        d["pause_note"] == "等待借阅人出差返回", d
    s.set_clock(at(8, 11).timestamp() - time.time())  # two working hours later
    it = relogin(w, it)
    r = it.post(url + "resume", json={"version": d["version"]})
    assert r.status_code == 200, r.text
    # 8 h again from 11:00: 1 h before noon, 4 h after, 3 h on Tuesday morning.
    assert near(r.json()["due_at"], at(9, 11, 30)) and r.json()["status"] == "due", r.json()
    audit = s.cached_admin("auditadmin").get("/api/v1/audit", params={
        "object": "deadline:%d" % d["id"]}).json()["items"]
    assert sorted(e["action"] for e in audit) == ["deadline.pause", "deadline.resume"], audit

    # A complaint waiting for its complainant stops its 3-working-day clock until it is back.
    handler = relogin(w, handler)
    c = record(handler, "complaint", {"complainant": "王先生", "received_at": iso(at(8, 11)),
                                      "content": "投诉", "handler": handler.uid,
                                      "department": w.dept,
                                      "forwarded_at": iso(at(8, 11)),
                                      "contacted_at": iso(at(8, 11))})
    r = handler.patch("/api/v1/records/%d" % c["id"], json={"version": c["version"],
                                                             "status": "waiting"})
    assert r.status_code == 200, r.text
    c = r.json()
    res = next(x for x in handler.get("/api/v1/deadlines", params={"record_id": c["id"]}).json()[
        "items"] if x["rule"] == "complaint_resolve")
    assert res["status"] == "paused" and res["paused_by"] == "status"
    expect_error(handler.post("/api/v1/deadlines/%d/resume" % res["id"],
                         json={"version": res["version"]}), 409, "not_open")
    s.set_clock(at(9, 11).timestamp() - time.time())  # a whole working day passes waiting
    handler = relogin(w, handler)
    r = handler.patch("/api/v1/records/%d" % c["id"], json={"version": c["version"],
                                                             "status": "open"})
    assert r.status_code == 200, r.text
    res = next(x for x in handler.get("/api/v1/deadlines", params={"record_id": c["id"]}).json()[
        "items"] if x["rule"] == "complaint_resolve")
    # Without the pause it was due Thursday 11:00; the waiting day moves it to Friday 11:00.
    assert res["status"] == "due" and near(res["due_at"], at(12, 11)), res
    # Resolved: the clock stops, met.
    r = handler.patch("/api/v1/records/%d" % c["id"], json={"version": r.json()["version"],
                                                             "status": "resolved"})
    res = next(x for x in handler.get("/api/v1/deadlines", params={"record_id": c["id"]}).json()[
        "items"] if x["rule"] == "complaint_resolve")
    assert res["status"] == "met" and res["next_at"] is None, res


def test_a_dead_receiver_never_blocks_the_tick(w):
    s = w.s
    sec = s.cached_admin("secadmin")
    r = sec.post("/api/v1/notify/channels", json={
        "kind": "feishu", "name": "dead-group", "config": {
            "webhook_url": "http://127.0.0.1:9/open-apis/bot/v2/hook/x",
            "kinds": ["deadline.*", "task.*"]}})
    assert r.status_code == 201, r.text
    ch = next(c for c in r.json()["items"] if c["name"] == "dead-group")
    t = time.time()
    events, _ = sla_run(s, at(10, 12))
    assert time.time() - t < 20  # the tick queues; it never waits for a receiver
    assert any(e["event"] == "escalated" for e in events), events
    end = time.time() + 30
    while time.time() < end:
        items = sec.get("/api/v1/notify/deliveries", params={"channel_id": ch["id"]}).json()[
            "items"]
        if items and all(d["attempts"] >= 1 for d in items):
            break
        time.sleep(0.5)
    assert items and all(d["status"] == "pending" and d["last_error"] for d in items), items
    assert sec.get("/api/v1/me").status_code == 200

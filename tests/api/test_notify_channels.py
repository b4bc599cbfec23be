"""
Notification channels (SPEC SLA, notifications): the security administrator configures e-mail
(SMTP) and chat robots (企业微信, 钉钉, 飞书); secrets never come back; a test message goes out
through the delivery worker of `isms serve` to receivers started here on loopback; a dead
receiver never blocks a request and the delivery is retried.
"""
import json
import os
import subprocess
import time

import pytest

from apihelp import expect_error
from conftest import ROOT

SINKS = os.path.join(ROOT, "tests", "unit", "notify")


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


def wait_lines(path, n=1, seconds=20):
    end = time.time() + seconds
    while time.time() < end:
        lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
        if len(lines) >= n:
            return lines
        time.sleep(0.3)
    raise AssertionError("nothing arrived at %s" % path)


def test_mail_channel_delivers_a_test_message(server, sink):
    port, out = sink("smtp_sink.py", "ok")
    sec = server.cached_admin("secadmin")
    r = sec.post("/api/v1/notify/channels", json={
        "kind": "email", "name": "mail-test", "config": {
            "smtp_url": "smtp://127.0.0.1:%d" % port, "from": "isms@hospital.example",
            "username": "isms", "password": "mail-secret-123", "starttls": False}})
    assert r.status_code == 201, r.text
    ch = next(c for c in r.json()["items"] if c["name"] == "mail-test")
    assert "mail-secret-123" not in r.text and "mail-secret-123" not in sec.get(
        "/api/v1/notify/channels").text
    t = time.time()
    r = sec.post("/api/v1/notify/channels/%d/test" % ch["id"], json={"to": "it@hospital.example"})
    assert r.status_code == 202, r.text
    assert time.time() - t < 2  # queued, not sent inside the request
    msg = wait_lines(out)[0]
    assert msg["rcpt_to"] == ["<it@hospital.example>"], msg
    assert msg["from"] == "isms@hospital.example" and msg["to"] == "it@hospital.example", msg
    assert msg["subject"] == "isms 测试消息"
    r = server.cached_admin("auditadmin").get("/api/v1/audit",
                                               params={"action": "notify_channel.create"})
    assert r.json()["items"] and "mail-secret-123" not in r.text


def test_robot_channel_signed_message(server, sink):
    port, out = sink("http_sink.py", "SEC-dingtalk-1")
    sec = server.cached_admin("secadmin")
    r = sec.post("/api/v1/notify/channels", json={
        "kind": "dingtalk", "name": "it-group", "config": {
            "webhook_url": "http://127.0.0.1:%d/robot/send/ok?access_token=tok123" % port,
            "secret": "SEC-dingtalk-1"}})
    assert r.status_code == 201, r.text
    assert "tok123" not in r.text and "SEC-dingtalk-1" not in r.text
    ch = next(c for c in r.json()["items"] if c["name"] == "it-group")
    expect_error(sec.post("/api/v1/notify/channels/%d/test" % ch["id"],
                          json={"to": "x@example.cn"}), 400, "invalid", "to")
    r = sec.post("/api/v1/notify/channels/%d/test" % ch["id"], json={})
    assert r.status_code == 202, r.text
    got = wait_lines(out)[0]
    assert got["body"]["msgtype"] == "text" and "isms" in got["body"]["text"]["content"]
    assert got["sign_ok"] is True


def test_dead_receiver_never_blocks_and_is_retried(server):
    sec = server.cached_admin("secadmin")
    r = sec.post("/api/v1/notify/channels", json={
        "kind": "wecom", "name": "dead-robot",
        "config": {"webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k"}})
    assert r.status_code == 201, r.text
    ch = next(c for c in r.json()["items"] if c["name"] == "dead-robot")
    t = time.time()
    r = sec.post("/api/v1/notify/channels/%d/test" % ch["id"], json={})
    assert r.status_code == 202 and time.time() - t < 2, r.text
    time.sleep(7)  # the worker tried (connection refused) and scheduled a retry
    assert sec.get("/api/v1/me").status_code == 200
    assert "retry" in server.stderr() or "refused" in server.stderr().lower()


def test_only_the_security_administrator(server):
    sa = server.cached_admin("sysadmin")
    expect_error(sa.get("/api/v1/notify/channels"), 403, "forbidden")
    expect_error(sa.post("/api/v1/notify/channels", json={
        "kind": "wecom", "name": "x", "config": {"webhook_url": "https://example.cn/x"}}),
        403, "forbidden")


@pytest.mark.parametrize("body, field", [
    ({"kind": "fax", "name": "x", "config": {}}, "kind"),
    ({"kind": "wecom", "name": "", "config": {"webhook_url": "https://e.cn/x"}}, "name"),
    ({"kind": "wecom", "name": "y", "config": {"webhook_url": "javascript:alert(1)"}},
     "config.webhook_url"),
    ({"kind": "email", "name": "z", "config": {"smtp_url": "http://x", "from": "a@b.cn"}},
     "config.smtp_url"),
])
def test_bad_channels_refused(server, body, field):
    sec = server.cached_admin("secadmin")
    before = sec.get("/api/v1/notify/channels").json()
    r = sec.post("/api/v1/notify/channels", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid"
    assert sec.get("/api/v1/notify/channels").json() == before


def test_lockout_notice_and_request_waiting_reach_the_channels(server, sink):
    """The core's lockout notice goes out by e-mail to the person (mail channels carry every
    kind); a robot listening to request.* gets "waiting for your decision" in its group."""
    mport, mail = sink("smtp_sink.py", "ok")
    hport, hook = sink("http_sink.py", "unused")
    sec = server.cached_admin("secadmin")
    for body in ({"kind": "email", "name": "mail-all", "config": {
                     "smtp_url": "smtp://127.0.0.1:%d" % mport, "from": "isms@hospital.example",
                     "starttls": False}},
                 {"kind": "wecom", "name": "approvals-group", "config": {
                     "webhook_url": "http://127.0.0.1:%d/cgi-bin/webhook/send/wecom/ok" % hport,
                     "kinds": ["request.*"]}}):
        r = sec.post("/api/v1/notify/channels", json=body)
        assert r.status_code == 201, r.text
    expect_error(sec.post("/api/v1/notify/channels", json={
        "kind": "wecom", "name": "bad-kinds", "config": {
            "webhook_url": "http://127.0.0.1:1/x", "kinds": ["Request Waiting"]}}),
        400, "invalid", "config.kinds[0]")

    sa = server.cached_admin("sysadmin")
    r = sa.post("/api/v1/users", json={"username": "locked-mail", "display_name": "王五",
                                       "email": "wangwu@hospital.example"})
    assert r.status_code == 201, r.text
    deny = server.cached_admin("secadmin").get("/api/v1/security/policy").json()["lockout_deny"]
    c = server.client()
    for _ in range(deny):
        c.post("/api/v1/session", json={"username": "locked-mail", "password": "wrong-Pa55!x"})
    got = [m for m in wait_lines(mail, seconds=25)
           if m["rcpt_to"] == ["<wangwu@hospital.example>"]]
    assert got and got[0]["subject"] == "账号 locked-mail 已被锁定", got
    assert "locked-mail" in got[0]["body"]

    # A request filed: its approver's "waiting" notice reaches the robot's group.
    head, _ = server.employee("notify-head")
    staff, _ = server.employee("notify-staff")
    it, _ = server.employee("notify-it")  # the chain's executor
    r = server.cached_admin("secadmin").post("/api/v1/users/%d/roles" % it.uid,
                                             json={"roles": ["it_staff"]})
    assert r.status_code == 200, r.text
    sa = server.cached_admin("sysadmin")
    r = sa.post("/api/v1/departments", json={"name": "通知测试科", "head_user_id": head.uid})
    dept = r.json()["department"]["id"]
    u = sa.get("/api/v1/users/%d" % staff.uid).json()["user"]
    sa.patch("/api/v1/users/%d" % staff.uid, json={"version": u["version"],
                                                    "department_id": dept})
    r = staff.post("/api/v1/requests", json={"type": "software_install", "data": {
        "software_name": "WPS", "version": "12", "purpose": "办公", "computer_name": "PC-1",
        "license": "licensed"}})
    assert r.status_code == 201, r.text
    posts = wait_lines(hook, seconds=25)
    assert any("#%d" % r.json()["id"] in p["body"]["text"]["content"] for p in posts), posts

"""
isms init --demo: a new user gets a living organization to click through — departments with
heads, staff in their roles, and work under way made through the domain verbs (so the audit
trail holds every step and verifies): a complaint and a document loan past their deadlines,
an account application waiting for its department head, today's inspection on record.
"""
import shutil
import subprocess
import tempfile

import pytest

from conftest import ISMS, Server, sanitizer_report, strong


@pytest.fixture(scope="module")
def demo():
    tmp = tempfile.mkdtemp(prefix="isms-demo-")
    s = Server(tmp)
    s.init("--demo")
    s.start()
    yield s
    rc = s.stop()
    log = s.stderr()
    shutil.rmtree(tmp, ignore_errors=True)
    assert not sanitizer_report(log), log[-4000:]
    assert rc == 0, log[-4000:]


def login(s, name):
    c = s.client()
    c.login(name, s.passwords[name])
    pw = strong()
    r = c.post("/api/v1/me/password", json={"old_password": s.passwords[name],
                                            "new_password": pw})
    assert r.status_code == 200, r.text
    # Heads, IT staff and the general manager set up two-factor login first.
    return s.enrol_if_required(c)


def test_the_demo_people_and_departments(demo):
    # The password file holds the administrators and the nine demo people.
    assert {"sysadmin", "secadmin", "auditadmin", "zhangwei", "wangfang", "sunli",
            "zhouqiang", "wujun"} <= set(demo.passwords)
    sa = demo.cached_admin("sysadmin")
    depts = {d["name"]: d for d in sa.get("/api/v1/departments").json()["items"]}
    assert set(depts) == {"信息中心", "医保办", "财务科", "客服中心", "综合办公室"}
    users = {u["username"]: u for u in sa.get("/api/v1/users", params={"limit": 100}).json()[
        "items"]}
    assert depts["医保办"]["head_user_id"] == users["wangfang"]["id"]
    assert users["zhouqiang"]["roles"] == ["general_manager"]
    assert users["zhangwei"]["roles"] == ["it_staff"]


def test_work_under_way(demo):
    head = login(demo, "wangfang")
    inbox = head.get("/api/v1/approvals/inbox").json()["items"]
    assert [r["type"] for r in inbox] == ["account"], inbox
    gm = login(demo, "zhouqiang")
    late = gm.get("/api/v1/deadlines", params={"status": "overdue"}).json()["items"]
    assert {d["rule"] for d in late} >= {"complaint_forward", "document_loan_return"}, late
    handler = login(demo, "sunli")
    kinds = [n["kind"] for n in handler.get("/api/v1/me/notifications").json()["items"]]
    assert "deadline.overdue" in kinds, kinds
    it = login(demo, "lina")
    r = it.get("/api/v1/records", params={"type": "machine_room_inspection"})
    assert len(r.json()["items"]) == 1


def test_the_trail_verifies():
    tmp = tempfile.mkdtemp(prefix="isms-demo-")
    try:
        data = tmp + "/data"
        r = subprocess.run([ISMS, "init", "--data", data, "--demo"], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert "a demo organization" in r.stdout and "王芳 · 医保办" in r.stdout
        r = subprocess.run([ISMS, "audit", "verify", "--data", data], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stdout + r.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

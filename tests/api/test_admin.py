"""
Organization and the three separated administrators (SPEC ACC-1, ACC-2; SECURITY.md C2-C5,
C7, F3): departments and accounts with optimistic locking, mass-assignment refusal, and the
等保 three-admin separation — sys_admin manages accounts and departments, security_admin
grants roles and sets policy, audit_admin reads and verifies the trail, nobody holds two of
these roles, and every refusal leaves an "access.denied" audit entry.
"""
import random

import pytest

from apihelp import (RFC3339_UTC, audit, departments, expect_error, new_employee, new_user,
                     users)
from conftest import totp

ADMIN_ROLES = {"sys_admin", "security_admin", "audit_admin"}
ALL_ROLES = ["sys_admin", "security_admin", "audit_admin", "it_staff", "leader",
             "general_manager", "finance_head", "assessor"]


@pytest.fixture(scope="module")
def org(server):
    """The three administrators (logged in once for the module) and one employee."""
    class Org:
        pass
    o = Org()
    o.server = server
    o.sa = server.cached_admin("sysadmin")
    o.sec = server.cached_admin("secadmin")
    o.au = server.cached_admin("auditadmin")
    o.ids = {u["username"]: u["id"] for u in users(o.sa)}
    o.emp = new_employee(server, o.sa, "zhang.wei")
    o.other_id, _ = new_user(o.sa, "li.na", display_name="李娜")
    return o


def fresh(o, name):
    """Makes sure the module's cached admin clients are alive (a test may have ended one)."""
    return o.server.cached_admin(name)


def denied_count(o, username):
    return len(audit(fresh(o, "auditadmin"), action="access.denied", actor=username))


def user(o, uid):
    r = fresh(o, "sysadmin").get("/api/v1/users/%d" % uid)
    assert r.status_code == 200, r.text
    return r.json()["user"]


def dept(o, did):
    r = fresh(o, "sysadmin").get("/api/v1/departments/%d" % did)
    assert r.status_code == 200, r.text
    return r.json()["department"]


def make_dept(o, name, **fields):
    r = fresh(o, "sysadmin").post("/api/v1/departments", json=dict({"name": name}, **fields))
    assert r.status_code == 201, r.text
    return r.json()["department"]


# --- departments (ACC-1) --------------------------------------------------------------------

def test_ACC1_department_create_get_patch(org):
    sa = fresh(org, "sysadmin")
    d = make_dept(org, "信息中心")
    assert d["name"] == "信息中心" and d["version"] == 1
    assert d["parent_id"] is None and d["head_user_id"] is None
    assert isinstance(d["id"], int) and d["id"] > 0
    # DESIGN "Times: RFC 3339 in UTC on the wire", as for users.
    assert isinstance(d["created_at"], str) and RFC3339_UTC.match(d["created_at"]), d
    assert dept(org, d["id"]) == d
    assert d in departments(sa)

    # (a head of its own: a department head must use two-factor login, which would stop
    # the module's plain employee in its tracks)
    head, _ = new_user(sa, "net.head")
    child = make_dept(org, "网络组", parent_id=d["id"], head_user_id=head)
    assert child["parent_id"] == d["id"] and child["head_user_id"] == head

    r = sa.patch("/api/v1/departments/%d" % d["id"],
                 json={"version": 1, "name": "信息技术部", "head_user_id": org.other_id})
    assert r.status_code == 200, r.text
    got = r.json()["department"]
    assert got["name"] == "信息技术部" and got["head_user_id"] == org.other_id
    assert got["version"] == 2 and got["created_at"] == d["created_at"]
    assert dept(org, d["id"]) == got

    r = sa.patch("/api/v1/departments/%d" % d["id"], json={"version": 2, "head_user_id": None})
    assert r.status_code == 200, r.text
    assert r.json()["department"]["head_user_id"] is None
    assert r.json()["department"]["name"] == "信息技术部"


def test_ACC1_department_stale_version_refused(org):
    sa = fresh(org, "sysadmin")
    d = make_dept(org, "财务部")
    r = sa.patch("/api/v1/departments/%d" % d["id"], json={"version": 1, "name": "财务中心"})
    assert r.status_code == 200, r.text
    now = dept(org, d["id"])
    r = sa.patch("/api/v1/departments/%d" % d["id"], json={"version": 1, "name": "财务处"})
    expect_error(r, 409, "stale_version", "version")
    assert dept(org, d["id"]) == now
    for bad in ({"name": "财务处"}, {"version": "2", "name": "财务处"}):
        expect_error(sa.patch("/api/v1/departments/%d" % d["id"], json=bad), 400, "invalid",
                     "version")
        assert dept(org, d["id"]) == now


def test_ACC1_department_name_taken(org):
    sa = fresh(org, "sysadmin")
    a = make_dept(org, "人事部")
    b = make_dept(org, "行政部")
    before = departments(sa)
    expect_error(sa.post("/api/v1/departments", json={"name": "人事部"}), 409, "name_taken",
                 "name")
    expect_error(sa.patch("/api/v1/departments/%d" % b["id"],
                          json={"version": b["version"], "name": "人事部"}),
                 409, "name_taken", "name")
    assert departments(sa) == before
    assert dept(org, a["id"]) == a and dept(org, b["id"]) == b


def test_ACC1_department_references_must_exist(org):
    sa = fresh(org, "sysadmin")
    d = make_dept(org, "后勤部")
    before = departments(sa)
    cases = [
        ({"name": "甲", "head_user_id": 999999}, "head_user_id"),
        ({"name": "甲", "head_user_id": 0}, "head_user_id"),
        ({"name": "甲", "head_user_id": "1"}, "head_user_id"),
        ({"name": "甲", "parent_id": 999999}, "parent_id"),
        ({"name": "甲", "parent_id": -1}, "parent_id"),
        ({"head_user_id": org.emp.uid}, "name"),
        ({"name": ""}, "name"),
        ({"name": " 前导空格"}, "name"),
        ({"name": "x" * 65}, "name"),
        ({"name": 12}, "name"),
    ]
    for body, field in cases:
        expect_error(sa.post("/api/v1/departments", json=body), 400, "invalid", field)
    for body, field in [({"head_user_id": 999999}, "head_user_id"),
                        ({"parent_id": 999999}, "parent_id"),
                        ({"parent_id": d["id"]}, "parent_id")]:
        body = dict(body, version=d["version"])
        expect_error(sa.patch("/api/v1/departments/%d" % d["id"], json=body), 400, "invalid",
                     field)
    assert departments(sa) == before


def test_ACC1_department_unknown_id(org):
    sa = fresh(org, "sysadmin")
    before = departments(sa)
    expect_error(sa.get("/api/v1/departments/999999"), 404, "not_found")
    expect_error(sa.patch("/api/v1/departments/999999", json={"version": 1, "name": "无"}),
                 404, "not_found")
    assert departments(sa) == before


# --- accounts (ACC-1, ID-3) ---------------------------------------------------------------

def test_ACC1_user_create_returns_id_and_one_time_password(org):
    sa = fresh(org, "sysadmin")
    d = make_dept(org, "设备科")
    r = sa.post("/api/v1/users", json={"username": "wang.fang", "display_name": "王芳",
                                       "department_id": d["id"], "email": "wf@example.cn"})
    assert r.status_code == 201, r.text
    body = r.json()
    u, pw = body["user"], body["initial_password"]
    assert set(body) == {"user", "initial_password"}
    assert isinstance(u["id"], int) and u["id"] > 0
    assert u["username"] == "wang.fang" and u["display_name"] == "王芳"
    assert u["department_id"] == d["id"] and u["email"] == "wf@example.cn"
    assert u["roles"] == [] and u["disabled"] is False and u["must_change_password"] is True
    assert u["totp_enabled"] is False and u["version"] >= 1
    assert RFC3339_UTC.match(u["created_at"])
    assert not any(k in u for k in ("pw_hash", "password", "totp_secret", "totp_pending"))
    assert isinstance(pw, str) and len(pw) >= 12
    got = user(org, u["id"])
    assert {k: got[k] for k in u if k not in ("locked", "locked_until")} == \
        {k: u[k] for k in u if k not in ("locked", "locked_until")}
    # The one-time password works once, and must be changed (ID-3).
    c = org.server.client()
    r = c.login("wang.fang", pw)
    assert r.json()["must_change_password"] is True
    expect_error(c.get("/api/v1/departments"), 403, "password_change_required")


def test_ACC1_username_taken(org):
    sa = fresh(org, "sysadmin")
    before = users(sa)
    for name in ("zhang.wei", "sysadmin"):
        expect_error(sa.post("/api/v1/users", json={"username": name, "display_name": "重名"}),
                     409, "username_taken", "username")
    assert users(sa) == before


@pytest.mark.parametrize("body,field", [
    ({"username": "a", "display_name": "短"}, "username"),
    ({"username": "-lead", "display_name": "x"}, "username"),
    ({"username": "Upper", "display_name": "x"}, "username"),
    ({"username": "has space", "display_name": "x"}, "username"),
    ({"username": "张三", "display_name": "x"}, "username"),
    ({"username": "x" * 65, "display_name": "x"}, "username"),
    ({"username": "a/b", "display_name": "x"}, "username"),
    ({"username": "", "display_name": "x"}, "username"),
    ({"display_name": "x"}, "username"),
    ({"username": ["ab"], "display_name": "x"}, "username"),
    ({"username": "okname", "display_name": ""}, "display_name"),
    ({"username": "okname", "display_name": " 前导"}, "display_name"),
    ({"username": "okname", "display_name": "尾随 "}, "display_name"),
    ({"username": "okname", "display_name": "控制\u0001字符"}, "display_name"),
    ({"username": "okname", "display_name": "长" * 65}, "display_name"),
    ({"username": "okname"}, "display_name"),
    ({"username": "okname", "display_name": 7}, "display_name"),
    ({"username": "okname", "display_name": "x", "email": "no-at-sign"}, "email"),
    ({"username": "okname", "display_name": "x", "email": "a@b@c"}, "email"),
    ({"username": "okname", "display_name": "x", "email": "a b@c.cn"}, "email"),
    ({"username": "okname", "display_name": "x", "email": "<a@c.cn>"}, "email"),
    ({"username": "okname", "display_name": "x", "email": 5}, "email"),
    ({"username": "okname", "display_name": "x", "department_id": 999999}, "department_id"),
    ({"username": "okname", "display_name": "x", "department_id": "1"}, "department_id"),
    ({"username": "okname", "display_name": "x", "department_id": -3}, "department_id"),
])
def test_ASVS_D1_user_fields_validated(org, body, field):
    sa = fresh(org, "sysadmin")
    before = users(sa)
    expect_error(sa.post("/api/v1/users", json=body), 400, "invalid", field)
    assert users(sa) == before


def test_ACC1_user_patch_with_version(org):
    sa = fresh(org, "sysadmin")
    uid, _ = new_user(sa, "zhao.lei", display_name="赵磊")
    u = user(org, uid)
    d = make_dept(org, "质控科")
    r = sa.patch("/api/v1/users/%d" % uid,
                 json={"version": u["version"], "display_name": "赵雷", "email": "zl@example.cn",
                       "department_id": d["id"]})
    assert r.status_code == 200, r.text
    got = r.json()["user"]
    assert got["display_name"] == "赵雷" and got["email"] == "zl@example.cn"
    assert got["department_id"] == d["id"] and got["version"] == u["version"] + 1
    assert got["username"] == "zhao.lei" and got["roles"] == []
    now = user(org, uid)
    assert now["display_name"] == "赵雷"

    # A stale version changes nothing (DESIGN: optimistic concurrency).
    expect_error(sa.patch("/api/v1/users/%d" % uid,
                          json={"version": u["version"], "display_name": "过时"}),
                 409, "stale_version", "version")
    assert user(org, uid) == now
    expect_error(sa.patch("/api/v1/users/%d" % uid, json={"display_name": "无版本"}),
                 400, "invalid", "version")
    for body, field in [({"display_name": ""}, "display_name"),
                        ({"display_name": 1}, "display_name"),
                        ({"email": "bad"}, "email"),
                        ({"department_id": 999999}, "department_id"),
                        ({"department_id": "x"}, "department_id")]:
        r = sa.patch("/api/v1/users/%d" % uid, json=dict(body, version=now["version"]))
        expect_error(r, 400, "invalid", field)
    assert user(org, uid) == now
    # Clearing optional fields with null.
    r = sa.patch("/api/v1/users/%d" % uid,
                 json={"version": now["version"], "email": None, "department_id": None})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["email"] is None and r.json()["user"]["department_id"] is None
    expect_error(sa.patch("/api/v1/users/999999", json={"version": 1, "display_name": "无"}),
                 404, "not_found")


@pytest.mark.parametrize("extra", [
    {"roles": ["sys_admin"]}, {"disabled": True}, {"pw_hash": "$argon2id$v=19$m=1,t=1,p=1$x$y"},
    {"id": 1}, {"username": "renamed"}, {"must_change_password": False},
    {"totp_enabled": False}, {"totp_secret": "AAAA"}, {"version2": 1}, {"created_at": 0},
])
def test_ASVS_C4_mass_assignment_refused_on_update(org, extra):
    sa = fresh(org, "sysadmin")
    before = user(org, org.other_id)
    body = dict({"version": before["version"], "display_name": "改名"}, **extra)
    expect_error(sa.patch("/api/v1/users/%d" % org.other_id, json=body), 400, "unknown_field")
    assert user(org, org.other_id) == before


@pytest.mark.parametrize("extra", [
    {"roles": ["sys_admin"]}, {"disabled": True}, {"pw_hash": "$argon2id$v=19$m=1,t=1,p=1$x$y"},
    {"id": 77}, {"must_change_password": False}, {"password": "Kq7#vR2!mWx9aa"},
    {"version": 1},
])
def test_ASVS_C4_mass_assignment_refused_on_create(org, extra):
    sa = fresh(org, "sysadmin")
    before = users(sa)
    body = dict({"username": "mass.assign", "display_name": "批量赋值"}, **extra)
    expect_error(sa.post("/api/v1/users", json=body), 400, "unknown_field")
    assert users(sa) == before


def test_ASVS_C4_mass_assignment_refused_on_departments(org):
    sa = fresh(org, "sysadmin")
    d = make_dept(org, "档案室")
    before = departments(sa)
    for extra in ({"id": 500}, {"version": 3}, {"created_at": 0}, {"members": [1]}):
        expect_error(sa.post("/api/v1/departments", json=dict({"name": "新部门"}, **extra)),
                     400, "unknown_field")
    for extra in ({"id": 500}, {"created_at": 0}, {"owner": 1}):
        body = dict({"version": d["version"], "name": "档案馆"}, **extra)
        expect_error(sa.patch("/api/v1/departments/%d" % d["id"], json=body), 400,
                     "unknown_field")
    assert departments(sa) == before


def test_ASVS_C4_roles_body_is_strict(org):
    sec = fresh(org, "secadmin")
    before = user(org, org.other_id)
    expect_error(sec.post("/api/v1/users/%d/roles" % org.other_id,
                          json={"roles": ["leader"], "user_id": 1}), 400, "unknown_field")
    expect_error(sec.post("/api/v1/users/%d/roles" % org.other_id, json={"roles": "leader"}),
                 400, "invalid", "roles")
    expect_error(sec.post("/api/v1/users/%d/roles" % org.other_id, json={"roles": ["root"]}),
                 400, "invalid", "roles")
    expect_error(sec.post("/api/v1/users/%d/roles" % org.other_id, json={"roles": [1]}),
                 400, "invalid", "roles")
    expect_error(sec.post("/api/v1/users/%d/roles" % org.other_id, json={}), 400, "invalid",
                 "roles")
    assert user(org, org.other_id) == before


# --- the three administrators (ACC-2, C5) ---------------------------------------------------

def test_ACC2_sys_admin_cannot_grant_roles(org):
    sa = fresh(org, "sysadmin")
    n = denied_count(org, "sysadmin")
    for target, roles in [(org.other_id, ["leader"]), (org.ids["sysadmin"], ["sys_admin",
                                                                            "it_staff"])]:
        before = user(org, target)
        expect_error(sa.post("/api/v1/users/%d/roles" % target, json={"roles": roles}), 403,
                     "forbidden")
        assert user(org, target) == before
    assert denied_count(org, "sysadmin") == n + 2


def test_ACC2_sys_admin_cannot_read_audit_trail(org):
    sa = fresh(org, "sysadmin")
    n = denied_count(org, "sysadmin")
    paths = ["/api/v1/audit", "/api/v1/audit/verify", "/api/v1/audit/checkpoint",
             "/api/v1/audit/1/proof", "/api/v1/audit/consistency?first=1",
             "/api/v1/audit?actor=sysadmin"]
    for p in paths:
        expect_error(sa.get(p), 403, "forbidden")
    assert denied_count(org, "sysadmin") == n + len(paths)


def test_ACC2_sys_admin_cannot_set_security_policy(org):
    sa = fresh(org, "sysadmin")
    before = sa.get("/api/v1/security/policy").json()
    expect_error(sa.patch("/api/v1/security/policy", json={"lockout_deny": 10}), 403,
                 "forbidden")
    expect_error(sa.post("/api/v1/users/%d/reset-totp" % org.other_id), 403, "forbidden")
    assert sa.get("/api/v1/security/policy").json() == before


def test_ACC2_security_admin_cannot_manage_accounts(org):
    sec = fresh(org, "secadmin")
    before_users = users(fresh(org, "sysadmin"))
    before_depts = departments(fresh(org, "sysadmin"))
    n = denied_count(org, "secadmin")
    v = user(org, org.other_id)["version"]
    calls = [
        ("post", "/api/v1/users", {"username": "by.secadmin", "display_name": "x"}),
        ("patch", "/api/v1/users/%d" % org.other_id, {"version": v, "display_name": "x"}),
        ("post", "/api/v1/users/%d/disable" % org.other_id, None),
        ("post", "/api/v1/users/%d/reset-password" % org.other_id, None),
        ("post", "/api/v1/users/%d/unlock" % org.other_id, None),
        ("post", "/api/v1/departments", {"name": "安全部"}),
    ]
    for method, path, body in calls:
        expect_error(getattr(sec, method)(path, json=body), 403, "forbidden")
    for p in ("/api/v1/audit", "/api/v1/audit/verify"):
        expect_error(sec.get(p), 403, "forbidden")
    assert users(fresh(org, "sysadmin")) == before_users
    assert departments(fresh(org, "sysadmin")) == before_depts
    assert denied_count(org, "secadmin") == n + len(calls) + 2


def test_ACC2_security_admin_grants_and_revokes_roles(org):
    sec = fresh(org, "secadmin")
    uid, _ = new_user(fresh(org, "sysadmin"), "sun.li")
    r = sec.post("/api/v1/users/%d/roles" % uid, json={"roles": ["leader", "it_staff"]})
    assert r.status_code == 200, r.text
    assert sorted(r.json()["user"]["roles"]) == ["it_staff", "leader"]
    assert sorted(user(org, uid)["roles"]) == ["it_staff", "leader"]
    r = sec.post("/api/v1/users/%d/roles" % uid, json={"roles": ["it_staff"]})
    assert r.status_code == 200 and r.json()["user"]["roles"] == ["it_staff"]
    r = sec.post("/api/v1/users/%d/roles" % uid, json={"roles": []})
    assert r.status_code == 200 and r.json()["user"]["roles"] == []
    assert user(org, uid)["roles"] == []
    expect_error(sec.post("/api/v1/users/999999/roles", json={"roles": ["leader"]}), 404,
                 "not_found")


def test_ACC2_security_admin_cannot_change_own_roles(org):
    sec = fresh(org, "secadmin")
    me = org.ids["secadmin"]
    before = user(org, me)
    n = denied_count(org, "secadmin")
    for roles in (["security_admin", "leader"], [], ["it_staff"]):
        expect_error(sec.post("/api/v1/users/%d/roles" % me, json={"roles": roles}), 403,
                     "forbidden")
    assert user(org, me) == before
    assert denied_count(org, "secadmin") == n + 3


def test_ACC2_no_account_holds_two_admin_roles(org):
    sec = fresh(org, "secadmin")
    uid, _ = new_user(fresh(org, "sysadmin"), "qian.jun")
    r = sec.post("/api/v1/users/%d/roles" % uid, json={"roles": ["leader"]})
    assert r.status_code == 200, r.text
    cases = [
        (uid, ["sys_admin", "audit_admin"]),
        (uid, ["security_admin", "sys_admin", "leader"]),
        (uid, ALL_ROLES),
        (org.ids["auditadmin"], ["audit_admin", "security_admin"]),
        (org.ids["sysadmin"], ["sys_admin", "audit_admin"]),
    ]
    for target, roles in cases:
        before = user(org, target)
        expect_error(sec.post("/api/v1/users/%d/roles" % target, json={"roles": roles}), 409,
                     "admin_separation", "roles")
        assert user(org, target) == before
    assert user(org, uid)["roles"] == ["leader"]


def test_ASVS_C7_role_change_applies_to_live_session(org):
    server, sec = org.server, fresh(org, "secadmin")
    emp = new_employee(server, fresh(org, "sysadmin"), "zhou.min")
    expect_error(emp.get("/api/v1/audit"), 403, "forbidden")

    # ACC-7: not by the security administrator alone; through the general manager.
    r = sec.post("/api/v1/users/%d/roles" % emp.uid, json={"roles": ["audit_admin"]})
    expect_error(r, 409, "authorization_required", "roles")
    server.grant_admin_role(emp.uid, "audit_admin", sec=sec)
    # The same session, no new login: an administrator role needs 2FA, so the session now
    # answers totp_enrollment_required — the grant took effect at once.
    expect_error(emp.get("/api/v1/audit"), 403, "totp_enrollment_required")
    me = emp.get("/api/v1/me").json()
    assert me["user"]["roles"] == ["audit_admin"] and me["totp_enrollment_required"] is True
    r = emp.post("/api/v1/me/totp")
    assert r.status_code == 200, r.text
    r = emp.post("/api/v1/me/totp/confirm", json={"code": totp(r.json()["secret"],
                                                               server.now())})
    assert r.status_code == 200, r.text
    r = emp.get("/api/v1/audit", params={"limit": 1})
    assert r.status_code == 200, r.text

    r = sec.post("/api/v1/users/%d/roles" % emp.uid, json={"roles": []})
    assert r.status_code == 200, r.text
    expect_error(emp.get("/api/v1/audit"), 403, "forbidden")
    expect_error(emp.get("/api/v1/users"), 403, "forbidden")
    assert emp.get("/api/v1/me").json()["user"]["roles"] == []


def test_ACC2_audit_admin_reads_and_verifies(org):
    au = fresh(org, "auditadmin")
    r = au.get("/api/v1/audit", params={"limit": 5})
    assert r.status_code == 200 and len(r.json()["items"]) == 5
    r = au.get("/api/v1/audit/verify")
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["entries"] > 5
    r = au.get("/api/v1/audit/checkpoint")
    assert r.status_code == 200 and r.json()["checkpoint"]
    assert au.get("/api/v1/users").status_code == 200


def unsafe_admin_calls(o, version):
    """Every unsafe route outside /me and /session, with a body that would work for the
    right role, against the module's second account."""
    t = o.other_id
    return [
        ("post", "/api/v1/users", {"username": "sneaky", "display_name": "x"}),
        ("patch", "/api/v1/users/%d" % t, {"version": version, "display_name": "被改"}),
        ("post", "/api/v1/users/%d/unlock" % t, None),
        ("post", "/api/v1/users/%d/disable" % t, None),
        ("post", "/api/v1/users/%d/enable" % t, None),
        ("post", "/api/v1/users/%d/reset-password" % t, None),
        ("post", "/api/v1/users/%d/reset-totp" % t, None),
        ("post", "/api/v1/users/%d/roles" % t, {"roles": ["leader"]}),
        ("post", "/api/v1/departments", {"name": "越权部门"}),
        ("patch", "/api/v1/departments/1", {"version": 1, "name": "越权改名"}),
        ("patch", "/api/v1/security/policy", {"lockout_deny": 50}),
    ]


def snapshot(o):
    sa = fresh(o, "sysadmin")
    return users(sa), departments(sa), sa.get("/api/v1/security/policy").json()


def test_ACC2_audit_admin_changes_nothing(org):
    au = fresh(org, "auditadmin")
    if not departments(fresh(org, "sysadmin")):
        make_dept(org, "任一部门")
    before = snapshot(org)
    n = denied_count(org, "auditadmin")
    calls = unsafe_admin_calls(org, user(org, org.other_id)["version"])
    for method, path, body in calls:
        expect_error(getattr(au, method)(path, json=body), 403, "forbidden")
    assert snapshot(org) == before
    assert denied_count(org, "auditadmin") == n + len(calls)


def test_ASVS_C3_employee_reads_only_own_account(org):
    emp = org.emp
    r = emp.get("/api/v1/users/%d" % emp.uid)
    assert r.status_code == 200 and r.json()["user"]["username"] == "zhang.wei"
    n = denied_count(org, "zhang.wei")
    for uid in (org.other_id, org.ids["sysadmin"], 999999):
        expect_error(emp.get("/api/v1/users/%d" % uid), 403, "forbidden")
    assert denied_count(org, "zhang.wei") == n + 3


def test_ACC2_employee_refused_admin_routes(org):
    emp = org.emp
    if not departments(fresh(org, "sysadmin")):
        make_dept(org, "任一部门")
    before = snapshot(org)
    n = denied_count(org, "zhang.wei")
    calls = unsafe_admin_calls(org, user(org, org.other_id)["version"]) + [
        ("get", p, None) for p in ("/api/v1/users", "/api/v1/security/policy", "/api/v1/audit",
                                   "/api/v1/audit/verify", "/api/v1/audit/checkpoint",
                                   "/api/v1/audit/1/proof", "/api/v1/audit/consistency?first=1")]
    for method, path, body in calls:
        expect_error(getattr(emp, method)(path, json=body), 403, "forbidden")
    assert snapshot(org) == before
    assert denied_count(org, "zhang.wei") == n + len(calls)
    # What every account may read.
    assert emp.get("/api/v1/departments").status_code == 200
    assert emp.get("/api/v1/roles").status_code == 200


def test_ASVS_F3_access_denied_entries_say_what_was_refused(org):
    emp = org.emp
    path = "/api/v1/users/%d/disable" % org.other_id
    expect_error(emp.post(path), 403, "forbidden")
    e = audit(fresh(org, "auditadmin"), action="access.denied", actor="zhang.wei")[0]
    assert e["outcome"] == "denied" and e["actor_id"] == emp.uid
    assert e["source"] == "127.0.0.1" and RFC3339_UTC.match(e["time"])
    assert e["detail"] == {"method": "POST", "path": path, "code": "forbidden"}


def test_ASVS_C5_property_no_two_admin_roles(org):
    """Random role assignments by the security administrator: the server's answer always
    matches a reference model, and no account ever holds two administrator roles."""
    rng = random.Random(20261121)
    sa, sec = fresh(org, "sysadmin"), fresh(org, "secadmin")
    targets = [new_user(sa, "prop.%d" % i)[0] for i in range(4)]
    model = {t: [] for t in targets}
    for step in range(24):
        t = rng.choice(targets)
        roles = rng.sample(ALL_ROLES, rng.randint(0, 3))
        r = sec.post("/api/v1/users/%d/roles" % t, json={"roles": roles})
        if len(ADMIN_ROLES & set(roles)) > 1:
            expect_error(r, 409, "admin_separation", "roles")
        elif ADMIN_ROLES & set(roles) and len(roles) > 1:
            # An administrator account holds its one administrator role and nothing else.
            expect_error(r, 409, "admin_exclusive", "roles")
        elif ADMIN_ROLES & set(roles) - set(model[t]):
            # ACC-7: a new administrator role needs an approved admin_account request.
            expect_error(r, 409, "authorization_required", "roles")
        else:
            assert r.status_code == 200, (step, roles, r.text)
            model[t] = sorted(roles)
        everyone = users(sa)
        for u in everyone:
            assert len(ADMIN_ROLES & set(u["roles"])) <= 1, (step, u)
            if u["id"] in model:
                assert sorted(u["roles"]) == model[u["id"]], (step, u)

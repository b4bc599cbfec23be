"""
The account lifecycle on the approval engine (SPEC ACC-3…ACC-9): account application with
the finance head when finance software is asked for and IT executing (the isms account and
the register lines of 《信息中心用户账号登记表》); permission change; departure disabling the
person at the effective time and opening the handover checklist; vendor accounts expiring by
themselves; administrator roles only with the general manager's authorization; the monthly
account review; attachments on requests.
"""
import pytest

from apihelp import expect_error
from conftest import strong


@pytest.fixture(scope="module")
def org(server):
    """A department with a head, an IT member, a finance head, a general manager."""
    sec = server.cached_admin("secadmin")
    people = {}
    for name, role in (("lc-head", None), ("lc-it", "it_staff"), ("lc-fin", "finance_head"),
                       ("lc-gm", "general_manager"), ("lc-staff", None)):
        c, pw = server.employee(name)
        c.pw = pw
        if role:
            server.grant(c, role)  # with its second factor: these roles approve or execute
        people[name] = c
    sa = server.cached_admin("sysadmin")  # employee() logs sysadmin in anew
    r = sa.post("/api/v1/departments", json={"name": "门诊部-生命周期",
                                             "head_user_id": people["lc-head"].uid})
    assert r.status_code == 201, r.text
    dept = r.json()["department"]["id"]
    for name in ("lc-staff", "lc-head"):
        u = sa.get("/api/v1/users/%d" % people[name].uid).json()["user"]
        r = sa.patch("/api/v1/users/%d" % u["id"], json={"version": u["version"],
                                                         "department_id": dept})
        assert r.status_code == 200, r.text
    people["dept"] = dept
    server.enrol_totp(people["lc-head"])  # a department head approves: two-factor login
    return people


@pytest.fixture(autouse=True)
def awake(server, org):
    """Tests that move the server clock end idle sessions: log the people in again."""
    for name, c in org.items():
        if name != "dept" and c.get("/api/v1/me").status_code != 200:
            c.login(name, c.pw, otp=server.code_for(c) if getattr(c, "secret", None) else None)


def step(req, sid):
    return next(s for s in req["steps"] if s["id"] == sid)


def approve(client, rid, expect=200, **body):
    r = client.post("/api/v1/requests/%d/approve" % rid, json=body)
    assert r.status_code == expect, r.text
    return r.json()


def account_application(org, username, systems):
    return {"type": "account", "data": {
        "username": username, "display_name": "新同事" + username[-2:],
        "department": org["dept"], "systems": systems, "reason": "新入职 (new hire)",
        "rights": "门诊挂号查询"}}


def test_account_application_with_finance_creates_account_and_register_lines(server, org):
    staff, head, fin, it = org["lc-staff"], org["lc-head"], org["lc-fin"], org["lc-it"]
    r = staff.post("/api/v1/requests", json=account_application(org, "lc-new01",
                                                                   ["his", "finance"]))
    assert r.status_code == 201, r.text
    req = r.json()
    assert [s["status"] for s in req["steps"]] == ["pending", "waiting", "waiting"]
    assert step(req, "department_head")["assignees"] == [head.uid]
    assert fin.uid in step(req, "finance_head")["assignees"]
    assert staff.uid not in sum((s["assignees"] for s in req["steps"]), [])
    expect_error(staff.post("/api/v1/requests/%d/approve" % req["id"], json={}), 403,
                 "self_approval")
    expect_error(fin.post("/api/v1/requests/%d/approve" % req["id"], json={}), 403,
                 "not_your_step")
    inbox = head.get("/api/v1/approvals/inbox").json()["items"]
    assert req["id"] in [x["id"] for x in inbox]
    req = approve(head, req["id"], comment="同意")
    assert step(req, "department_head")["status"] == "approved"
    assert step(req, "finance_head")["status"] == "pending"
    assert req["id"] not in [x["id"] for x in head.get("/api/v1/approvals/inbox").json()["items"]]
    req = approve(fin, req["id"])
    assert step(req, "it")["status"] == "pending" and req["status"] == "pending"
    req = approve(it, req["id"], comment="已开通")
    assert req["status"] == "completed", req
    secret = req["secret"]
    assert secret["username"] == "lc-new01" and len(secret["initial_password"]) >= 12
    uid = req["result"]["user_id"]
    # The secret is shown once: not in the stored request, not in the trail.
    again = staff.get("/api/v1/requests/%d" % req["id"]).json()
    assert "secret" not in again and secret["initial_password"] not in str(again)
    audit = server.cached_admin("auditadmin").get("/api/v1/audit", params={"limit": 500})
    assert secret["initial_password"] not in audit.text
    # The new account works with its one-time password.
    c = server.client()
    c.login("lc-new01", secret["initial_password"])
    assert c.get("/api/v1/me").json()["user"]["must_change_password"] is True
    # One line per external system in the account register, linked to the request.
    lines = it.get("/api/v1/records", params={"type": "system_account",
                                              "owner_id": uid}).json()["items"]
    assert sorted(x["data"]["system"] for x in lines) == ["finance", "his"]
    assert all(x["request_id"] == req["id"] and x["data"]["account_name"] == "lc-new01"
               for x in lines)
    assert sorted(req["result"]["records"]) == sorted(x["id"] for x in lines)
    # The applicant was told.
    notes = staff.get("/api/v1/me/notifications").json()["items"]
    assert any(n["kind"] == "request.completed" for n in notes), notes


def test_account_without_finance_skips_finance_head(org):
    staff, head, it = org["lc-staff"], org["lc-head"], org["lc-it"]
    r = staff.post("/api/v1/requests", json=account_application(org, "lc-new02", ["oa"]))
    req = r.json()
    assert step(req, "finance_head")["status"] == "skipped"
    approve(head, req["id"])
    req = approve(it, req["id"])
    assert req["status"] == "completed"


def test_execution_failure_changes_nothing(org):
    """A login name already taken: the executor's approval fails as a whole."""
    staff, head, it = org["lc-staff"], org["lc-head"], org["lc-it"]
    req = staff.post("/api/v1/requests", json=account_application(org, "lc-head", [])).json()
    approve(head, req["id"])
    r = it.post("/api/v1/requests/%d/approve" % req["id"], json={})
    expect_error(r, 409, "username_taken", "data.username")
    req = staff.get("/api/v1/requests/%d" % req["id"]).json()
    assert req["status"] == "pending" and step(req, "it")["status"] == "pending"


def test_reject_and_return_and_withdraw(org):
    staff, head = org["lc-staff"], org["lc-head"]
    req = staff.post("/api/v1/requests", json=account_application(org, "lc-new03", [])).json()
    r = head.post("/api/v1/requests/%d/return" % req["id"], json={"comment": "请补充理由"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    data = dict(account_application(org, "lc-new03", [])["data"], reason="补充：门诊系统")
    r = staff.post("/api/v1/requests/%d/resubmit" % req["id"], json={"data": data})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "pending" and r.json()["data"]["reason"] == "补充：门诊系统"
    assert step(r.json(), "department_head")["status"] == "pending"
    r = head.post("/api/v1/requests/%d/reject" % req["id"], json={"comment": "不符合规定"})
    assert r.json()["status"] == "rejected"
    expect_error(head.post("/api/v1/requests/%d/approve" % req["id"], json={}), 409,
                 "not_pending")
    req = staff.post("/api/v1/requests", json=account_application(org, "lc-new04", [])).json()
    expect_error(head.post("/api/v1/requests/%d/withdraw" % req["id"], json={}), 403,
                 "forbidden")
    r = staff.post("/api/v1/requests/%d/withdraw" % req["id"], json={})
    assert r.json()["status"] == "withdrawn"
    events = [e["action"] for e in staff.get("/api/v1/requests/%d" % req["id"]).json()["events"]]
    assert events == ["file", "withdraw"]


def test_permission_change_grants_through_the_chain(server, org):
    head, gm = org["lc-head"], org["lc-gm"]
    c, _ = server.employee("lc-perm")
    sa = server.cached_admin("sysadmin")
    u = sa.get("/api/v1/users/%d" % c.uid).json()["user"]
    sa.patch("/api/v1/users/%d" % c.uid, json={"version": u["version"],
                                                "department_id": org["dept"]})
    r = org["lc-staff"].post("/api/v1/requests", json={"type": "permission_change", "data": {
        "subject": c.uid, "grant": ["leader"], "revoke": [], "reason": "科室负责人代理"}})
    assert r.status_code == 201, r.text
    req = r.json()
    assert step(req, req["steps"][0]["id"])["assignees"] == [head.uid]
    approve(head, req["id"])
    approve(gm, req["id"])
    sec = server.cached_admin("secadmin")
    req = approve(sec, req["id"])
    assert req["status"] == "completed"
    assert "leader" in sa.get("/api/v1/users/%d" % c.uid).json()["user"]["roles"]


def test_admin_role_needs_the_general_manager(server, org):
    c, _ = server.employee("lc-newadmin")
    r = org["lc-staff"].post("/api/v1/requests", json={"type": "admin_account", "data": {
        "subject": c.uid, "admin_role": "audit_admin", "reason": "第二名审计管理员"}})
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["steps"][0]["assignees"] == [org["lc-gm"].uid]
    sec = server.cached_admin("secadmin")
    expect_error(sec.post("/api/v1/requests/%d/approve" % req["id"], json={}), 403,
                 "not_your_step")
    approve(org["lc-gm"], req["id"])
    req = approve(sec, req["id"])
    assert req["status"] == "completed"
    sa = server.cached_admin("sysadmin")
    assert sa.get("/api/v1/users/%d" % c.uid).json()["user"]["roles"] == ["audit_admin"]


def test_vendor_account_expires_by_itself(server, org):
    staff, head, it = org["lc-staff"], org["lc-head"], org["lc-it"]
    import datetime
    until = datetime.datetime.utcfromtimestamp(server.now() + 2 * 3600)
    r = staff.post("/api/v1/requests", json={"type": "vendor_account", "data": {
        "username": "lc-vendor", "display_name": "厂方工程师", "company": "某某医疗软件公司",
        "expires_at": until.strftime("%Y-%m-%dT%H:%M:%SZ"), "purpose": "HIS 升级调试"}})
    assert r.status_code == 201, r.text
    req = r.json()
    for s in req["steps"]:
        who = head if s["approver"] == "department_head" else (
            it if "it_staff" in s["approver"] else server.cached_admin("secadmin"))
        req = approve(who, req["id"])
    assert req["status"] == "completed"
    pw = req["secret"]["initial_password"]
    v = server.client()
    v.login("lc-vendor", pw)
    new = strong()
    assert v.post("/api/v1/me/password", json={"old_password": pw,
                                                "new_password": new}).status_code == 200
    assert v.get("/api/v1/me").status_code == 200
    server.advance(2 * 3600 + 60)
    assert v.get("/api/v1/me").status_code == 401  # the session ends with the account
    v2 = server.client()
    r = v2.post("/api/v1/session", json={"username": "lc-vendor", "password": new})
    assert r.status_code in (401, 403), r.text
    user = server.cached_admin("sysadmin").get("/api/v1/users/%d" % req["result"]["user_id"])
    assert user.json()["user"]["disabled"] is True


def test_departure_disables_at_effective_time_and_opens_handover(server, org):
    staff, head, it = org["lc-staff"], org["lc-head"], org["lc-it"]
    # The leaver holds an account with two external-system lines.
    req = staff.post("/api/v1/requests", json=account_application(org, "lc-leaver",
                                                                    ["erp", "mail"])).json()
    approve(head, req["id"])
    req = approve(it, req["id"])
    leaver_id, pw = req["result"]["user_id"], req["secret"]["initial_password"]
    leaver = server.client()
    leaver.login("lc-leaver", pw)
    new = strong()
    assert leaver.post("/api/v1/me/password", json={"old_password": pw,
                                                     "new_password": new}).status_code == 200
    import datetime
    at = datetime.datetime.utcfromtimestamp(server.now() + 3600)
    r = staff.post("/api/v1/requests", json={"type": "departure", "data": {
        "subject": leaver_id, "kind": "departure", "effective_at": at.strftime(
            "%Y-%m-%dT%H:%M:%SZ"), "computer_name": "MZ-PC-017", "ip": "10.1.2.17"}})
    assert r.status_code == 201, r.text
    req = r.json()
    # The head of the leaver's department decides (department_head:subject).
    assert req["steps"][0]["assignees"] == [head.uid]
    approve(head, req["id"])
    req = approve(it, req["id"])
    assert req["status"] == "completed"
    assert sorted(req["result"]["external_accounts"]) and len(req["result"]["external_accounts"]) == 2
    hid = req["result"]["handover_record"]
    h = it.get("/api/v1/records/%d" % hid).json()
    assert h["type"] == "handover" and h["data"]["subject"] == leaver_id
    assert h["data"]["computer_name"] == "MZ-PC-017" and h["data"]["data_backed_up"] is False
    assert h["data"]["external_accounts_closed"] is False
    assert "erp" in h["data"]["platform_info"] and "mail" in h["data"]["platform_info"]
    # Still working until the effective time, then disabled everywhere.
    assert leaver.get("/api/v1/me").status_code == 200
    server.advance(3600 + 60)
    assert leaver.get("/api/v1/me").status_code == 401
    r = server.client().post("/api/v1/session", json={"username": "lc-leaver", "password": new})
    assert r.status_code in (401, 403)


def test_attachments_are_content_addressed_and_shared_with_approvers(server, org):
    staff, head = org["lc-staff"], org["lc-head"]
    pdf = b"%PDF-1.4\n% isms test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    r = staff.post("/api/v1/files", params={"name": "授权书.pdf"}, data=pdf,
                   headers={"Content-Type": "application/pdf"})
    assert r.status_code == 201, r.text
    sha = r.json()["sha256"]
    import hashlib
    assert sha == hashlib.sha256(pdf).hexdigest()
    assert r.json()["content_type"] == "application/pdf"
    expect_error(staff.post("/api/v1/files", params={"name": "x.exe"}, data=b"MZ\x90\x00\x03",
                            headers={"Content-Type": "application/pdf"}), 400,
                 "unsupported_file_type")
    other, _ = server.employee("lc-outsider")
    expect_error(other.get("/api/v1/files", params={"sha256": sha}), 404, "not_found")
    req = staff.post("/api/v1/requests", json=dict(account_application(org, "lc-new05", []),
                                                   attachments=[sha])).json()
    assert req["events"][0]["attachments"] == [sha]
    r = head.get("/api/v1/files", params={"sha256": sha})
    assert r.status_code == 200 and r.content == pdf
    expect_error(staff.post("/api/v1/requests", json=dict(
        account_application(org, "lc-new06", []), attachments=["0" * 64])), 400, "invalid",
        "attachments[0]")


def test_monthly_account_review(server, org):
    sec = server.cached_admin("secadmin")
    head = org["lc-head"]
    expect_error(head.post("/api/v1/account-reviews", json={"period": "2026-11"}), 403,
                 "forbidden")
    expect_error(sec.post("/api/v1/account-reviews", json={"period": "2026-13"}), 400,
                 "invalid", "period")
    r = sec.post("/api/v1/account-reviews", json={"period": "2026-11"})
    assert r.status_code == 201, r.text
    rev = r.json()
    expect_error(sec.post("/api/v1/account-reviews", json={"period": "2026-11"}), 409,
                 "conflict", "period")
    items = rev["items"]
    admins = [i for i in items if i["username"] in ("sysadmin", "secadmin", "auditadmin")]
    assert admins and all("over_privileged" in i["flags"] for i in admins)
    # Accounts without a department have nobody to attest them: orphaned.
    assert all("orphaned" in i["flags"] for i in admins)
    # The head sees the department's accounts only, and attests each but their own.
    mine = head.get("/api/v1/account-reviews/%d" % rev["id"]).json()["items"]
    assert mine and all(i["department_id"] == org["dept"] for i in mine)
    for i in mine:
        path = "/api/v1/account-reviews/%d/items/%d" % (rev["id"], i["id"])
        if i["user_id"] == head.uid:
            expect_error(head.post(path, json={"decision": "keep"}), 403, "self_approval")
            continue
        r = head.post(path, json={"decision": "keep", "comment": "在岗"})
        assert r.status_code == 200, r.text
    expect_error(head.post("/api/v1/account-reviews/%d/items/%d" % (rev["id"], mine[0]["id"]),
                           json={"decision": "maybe"}), 400, "invalid", "decision")
    # The head's own account and the accounts outside any department go to the general
    # manager or the security administrator; nobody attests their own.
    gm = org["lc-gm"]
    # The general manager sees exactly the items no head attests: the heads' own accounts
    # and those outside a department with a head.
    seen = {i["user_id"] for i in gm.get("/api/v1/account-reviews/%d" % rev["id"]).json()[
        "items"]}
    assert head.uid in seen and org["lc-staff"].uid not in seen
    assert {i["user_id"] for i in admins} <= seen
    for i in sec.get("/api/v1/account-reviews/%d" % rev["id"]).json()["items"]:
        if i["decision"] is not None:
            continue
        path = "/api/v1/account-reviews/%d/items/%d" % (rev["id"], i["id"])
        if i["user_id"] == head.uid:
            expect_error(org["lc-staff"].post(path, json={"decision": "keep"}), 403, "forbidden")
        who = gm if i["username"] in ("secadmin", "lc-gm") and i["username"] != "lc-gm" else sec
        if i["username"] == "lc-gm":
            who = sec
        r = who.post(path, json={"decision": "disable" if "dormant" in i["flags"] else "keep"})
        assert r.status_code == 200, (i, r.text)
    done = sec.get("/api/v1/account-reviews/%d" % rev["id"]).json()
    assert all(i["decision"] for i in done["items"]) and done["completed_at"] is not None
    recs = sec.get("/api/v1/records", params={"type": "account_review"}).json()["items"]
    rec = next(x for x in recs if x["data"]["period"] == "2026-11")
    assert rec["data"]["accounts_reviewed"] == len(done["items"])
    assert rec["data"]["flagged"] == sum(1 for i in done["items"] if i["flags"])
    # The campaigns are listed for the administrators who follow them, with their counts.
    listed = sec.get("/api/v1/account-reviews").json()
    assert listed["next"] is None
    c = next(x for x in listed["items"] if x["id"] == rev["id"])
    assert (c["period"], c["items"], c["open"]) == ("2026-11", len(done["items"]), 0)
    assert c["flagged"] == sum(1 for i in done["items"] if i["flags"])
    assert c["completed_at"] == done["completed_at"]
    expect_error(head.get("/api/v1/account-reviews"), 403, "forbidden")
    aud = server.cached_admin("auditadmin")
    assert aud.get("/api/v1/account-reviews").status_code == 200

"""
What the web interface needs from the server: the embedded screens served at / with the
right cache headers (hashed assets for a year, the page revalidated), gzip for browsers that
take it, the page for the interface's own paths; the people directory for pickers; the
password rules and a dry-run check for the change screen; notifications rendered in the
reader's language; a record's history from the audit trail; a department head's view of the
department's deadlines.
"""
import gzip
import re

import pytest

from conftest import strong
from test_demo import demo  # noqa: F401  (the demo organization, module-scoped)
from test_demo import login as first_login

_sessions = {}


def login(s, name):
    """The person's session, logging in (and changing the one-time password) only once."""
    if name not in _sessions:
        _sessions[name] = first_login(s, name)
    return _sessions[name]


def test_the_page_and_its_assets(demo):  # noqa: F811
    c = demo.client()
    r = c.get("/")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-cache"
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    etag = r.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert '<div id="app"></div>' in r.text
    scripts = re.findall(r'src="/(assets/[^"]+\.js)"', r.text)
    assert scripts, r.text
    # Revalidation: the same page answers 304 without a body.
    r = c.get("/", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    # A hashed asset is cached for a year, compressed for browsers that accept gzip, and
    # the compressed body is the same file.
    plain = c.get("/" + scripts[0], headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert "Content-Encoding" not in plain.headers
    raw = c.get("/" + scripts[0], headers={"Accept-Encoding": "gzip"}, stream=True)
    body = raw.raw.read(decode_content=False)
    assert raw.headers["Content-Encoding"] == "gzip"
    assert raw.headers["Vary"] == "Accept-Encoding"
    assert raw.headers["ETag"] != plain.headers["ETag"]
    assert gzip.decompress(body) == plain.content
    assert len(body) < len(plain.content) / 2


def test_interface_paths_get_the_page_and_missing_files_a_404(demo):  # noqa: F811
    c = demo.client()
    page = c.get("/").text
    for path in ["/login", "/registers/complaint", "/requests/12", "/admin/users"]:
        r = c.get(path)
        assert r.status_code == 200 and r.text == page, path
    for path in ["/assets/nope.js", "/favicon.ico.map", "/x/../../etc/passwd.txt"]:
        r = c.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"
    # The API keeps its own answers; other methods than GET and HEAD are not served.
    assert c.get("/api/v1/nothing").json()["error"]["code"] == "not_found"
    assert c.post("/", json={}).status_code == 404
    assert c.head("/").status_code == 200


def test_the_people_directory(demo):  # noqa: F811
    c = login(demo, "sunli")
    r = c.get("/api/v1/directory", params={"limit": 500})
    assert r.status_code == 200, r.text
    people = {p["username"]: p for p in r.json()["items"]}
    assert {"zhangwei", "wangfang", "sunli", "sysadmin"} <= set(people)
    assert set(people["wangfang"]) == {"id", "username", "display_name", "department_id",
                                       "disabled"}
    assert people["wangfang"]["display_name"] == "王芳"
    # Search by name, and by department.
    found = c.get("/api/v1/directory", params={"q": "王"}).json()["items"]
    assert [p["username"] for p in found] == ["wangfang"]
    dept = people["wangfang"]["department_id"]
    same = c.get("/api/v1/directory", params={"department_id": dept}).json()["items"]
    assert {p["username"] for p in same} == {"wangfang", "liuyang"}
    assert c.get("/api/v1/directory", params={"q": "x" * 65}).json()["error"]["field"] == "q"
    # Paging.
    one = c.get("/api/v1/directory", params={"limit": 1}).json()
    assert len(one["items"]) == 1 and one["next"]
    assert demo.client().get("/api/v1/directory").status_code == 401


def test_password_rules_and_the_dry_run_check(demo):  # noqa: F811
    c = demo.client()
    c.login("wujun", demo.passwords["wujun"])
    # Both are open while the password must still be changed (the change screen uses them).
    r = c.get("/api/v1/me/password-policy")
    assert r.status_code == 200, r.text
    assert r.json() == {"profile": "dengbao", "min_length": 8, "min_classes": 3, "history": 5,
                        "max_age_days": 90}
    check = lambda pw: c.post("/api/v1/me/password/check", json={"new_password": pw})  # noqa
    for pw, why in [("Ab1!", "at least 8"), ("abcdefgh", "at least 3"),
                    ("Password1!", "common|dictionary"), ("Wujun#2026x", "login name"),
                    ("医保办Abc#2026", "organization|department")]:
        r = check(pw)
        assert r.status_code == 200, pw
        assert r.json()["ok"] is False and r.json()["message"] == "密码不符合安全策略"
        assert re.search(why, r.json()["detail"]), (pw, r.json())
    good = strong()
    assert check(good).json() == {"ok": True}
    # Nothing changed: the one-time password still works, the checked one does not.
    assert demo.client().login("wujun", good, expect=401).status_code == 401
    assert check("").status_code == 400
    assert c.post("/api/v1/me/password/check", json={"new_password": 5}).json()["error"][
        "field"] == "new_password"
    assert c.post("/api/v1/me/password/check", json={"new_password": good, "x": 1}).json()[
        "error"]["code"] == "unknown_field"
    r = c.post("/api/v1/me/password", json={"old_password": demo.passwords["wujun"],
                                            "new_password": good})
    assert r.status_code == 200, r.text


def test_notifications_in_the_reader_language(demo):  # noqa: F811
    c = login(demo, "zhaolei")
    items = c.get("/api/v1/me/notifications").json()["items"]
    escalated = [n for n in items if n["kind"] == "deadline.escalated"]
    assert escalated, items
    assert "投诉" in escalated[0]["subject"] and escalated[0]["body"]
    en = c.get("/api/v1/me/notifications", headers={"Accept-Language": "en"}).json()["items"]
    e = [n for n in en if n["id"] == escalated[0]["id"]][0]
    assert re.search(r"[A-Za-z]", e["subject"]) and not re.search(r"[\u4e00-\u9fff]{4}",
                                                                  e["subject"]), e
    changed = [n for n in items if n["kind"] == "password_changed"][0]
    assert "密码" in changed["subject"]


def test_record_history_for_its_readers_only(demo):  # noqa: F811
    it = login(demo, "lina")
    loans = it.get("/api/v1/records", params={"type": "document_loan"}).json()["items"]
    rec = loans[0]
    r = it.patch(f"/api/v1/records/{rec['id']}",
                 json={"version": rec["version"], "data": {"due_note": "出差带走，次日归还"}})
    assert r.status_code == 200, r.text
    h = it.get(f"/api/v1/records/{rec['id']}/history")
    assert h.status_code == 200, h.text
    entries = h.json()["items"]
    assert [e["action"] for e in entries] == ["record.update", "record.create"], entries
    assert entries[0]["actor"] == "lina"
    assert entries[0]["after"]["data"]["due_note"] == "出差带走，次日归还" or \
        "due_note" in str(entries[0].get("after")), entries[0]
    assert all("source" not in e for e in entries)
    # The borrower reads it; someone outside does not learn it exists.
    borrower = login(demo, "liuyang")
    assert borrower.get(f"/api/v1/records/{rec['id']}/history").status_code == 200
    outsider = login(demo, "sunli")
    r = outsider.get(f"/api/v1/records/{rec['id']}/history")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_a_head_sees_the_departments_deadlines(demo):  # noqa: F811
    # The demo's account application by liuyang (医保办) has a deadline; wangfang heads
    # 医保办, and 王芳 also approves it. 赵磊 heads 客服中心, where the complaint is.
    head = login(demo, "zhaolei")
    items = head.get("/api/v1/deadlines").json()["items"]
    rules = {d["rule"] for d in items}
    assert "complaint_forward" in rules, items
    complaint = [d for d in items if d["rule"] == "complaint_forward"][0]
    depts = {d["name"]: d["id"] for d in head.get("/api/v1/departments").json()["items"]}
    assert complaint["department_id"] == depts["客服中心"]
    # Another head does not see them.
    other = login(demo, "chenjing")
    assert not [d for d in other.get("/api/v1/deadlines").json()["items"]
                if d["rule"].startswith("complaint")]


def test_a_download_link_names_its_language(demo):  # noqa: F811
    c = login(demo, "lina")
    zh = c.get("/api/v1/records/export", params={"type": "document_loan", "format": "csv"},
               headers={"Accept-Language": "en"})
    assert zh.status_code == 200
    assert "Technical" in zh.headers["Content-Disposition"]
    r = c.get("/api/v1/records/export",
              params={"type": "document_loan", "format": "csv", "lang": "zh-CN"},
              headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.text
    assert "%E6%8A%80%E6%9C%AF" in r.headers["Content-Disposition"]  # 技术…
    assert "借阅" in r.content.decode("utf-8-sig").splitlines()[0]
    r = c.get("/api/v1/nothing", params={"lang": "en"})
    assert r.json()["error"]["message"] == "Not found"


def test_the_root_is_the_page_for_get_only(demo):  # noqa: F811
    c = login(demo, "lina")
    assert c.get("/").headers["Content-Type"].startswith("text/html")
    for method in ("post", "put", "delete", "patch"):
        r = getattr(c, method)("/", json={})
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", method


def test_the_account_list_says_which_are_locked(demo):  # noqa: F811
    uid, initial = demo.user("lock.me", "锁定测试")
    for expect in (401, 401, 423):
        demo.client().login("lock.me", "wrong-" + initial, expect=expect)
    sa = demo.cached_admin("sysadmin")
    listed = {u["username"]: u for u in sa.get("/api/v1/users", params={"limit": 500}).json()[
        "items"]}
    assert listed["lock.me"]["locked"] is True
    assert listed["lock.me"]["locked_until"] == sa.get(f"/api/v1/users/{uid}").json()["user"][
        "locked_until"]
    assert listed["wangfang"]["locked"] is False and listed["wangfang"]["locked_until"] is None

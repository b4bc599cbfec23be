"""
Named permissions (DESIGN "Permissions", issue "module table"): every route of the modules'
tables names the permission it needs; roles are data (policy/roles.json) and the pack check
refuses a role set that breaks the three-administrator rule (三员分立); GET /api/v1/me says
what the caller may do; GET /api/v1/permissions is the roles x permissions matrix with the
people holding each role (JSON, XLSX, CSV).
"""
import io
import json
import os
import re
import subprocess

import openpyxl
import pytest

from conftest import ISMS, ROOT, sanitizer_report

ROLES = os.path.join(ROOT, "policy", "roles.json")
L = {"zh-CN": "测试", "en": "Test"}


def isms(*args, timeout=120):
    r = subprocess.run([ISMS, *args], capture_output=True, text=True, timeout=timeout)
    assert not sanitizer_report(r.stdout + r.stderr), r.stderr[-4000:]
    return r


def route_table():
    """[(method, pattern, permission or None, module)] from `isms routes --permissions`."""
    out = isms("routes", "--permissions").stdout
    rows = []
    for line in out.splitlines():
        method, pattern, perm, module = line.split()
        rows.append((method, pattern, None if perm == "public" else perm, module))
    return rows


def classes():
    """{permission: class} from `isms policy permissions`."""
    out = isms("policy", "permissions").stdout
    return {line.split()[0]: line.split()[1] for line in out.splitlines() if line.strip()}


def held(role_ids):
    """The permissions an account holding role_ids holds (the server's rule, restated):
    everyone's and its roles'; an administrator account (a role holding a system, security
    or audit permission) none of the business ones."""
    with open(ROLES, encoding="utf-8") as f:
        roles = {r["id"]: r for r in json.load(f)["roles"]}
    cls = classes()

    def names(rid):
        return {p if isinstance(p, str) else p["name"] for p in roles[rid]["permissions"]}
    mine = set()
    for rid in role_ids:
        mine |= names(rid)
    admin = any(cls[p] in ("system", "security", "audit") for p in mine)
    base = {p for p in names("everyone") if not (admin and cls[p] == "business")}
    return mine | base


def test_every_route_names_a_known_permission():
    cls = classes()
    rows = route_table()
    assert len(rows) > 90
    for method, pattern, perm, module in rows:
        if perm is None:
            assert (method, pattern) in {("GET", "/api/v1/health"), ("POST", "/api/v1/session")}
            continue
        assert perm in cls, (method, pattern, perm)
        # A module routes under its own permissions (the module that owns them declares them).
        assert module, (method, pattern)


@pytest.fixture(scope="module")
def people(server):
    """One logged-in account per built-in role, and one with no role."""
    c = {"sys_admin": server.cached_admin("sysadmin"),
         "security_admin": server.cached_admin("secadmin"),
         "audit_admin": server.cached_admin("auditadmin")}
    for role in ("it_staff", "leader", "general_manager", "finance_head", "assessor"):
        c[role] = server.staff("perm-" + role.replace("_", "-"), role)
    c["nobody"] = server.staff("perm-nobody")
    return c


def test_me_returns_the_callers_permissions(server, people):
    for role, c in people.items():
        me = c.get("/api/v1/me").json()
        want = held([] if role == "nobody" else [role])
        assert set(me["permissions"]) == want, role
        assert me["department_permissions"] == [], role
    # The administrators hold no business permission; everyone else does.
    assert "requests.approve" not in people["security_admin"].get("/api/v1/me").json()["permissions"]
    assert "requests.approve" in people["nobody"].get("/api/v1/me").json()["permissions"]


def test_router_table_every_route_403_without_its_permission_and_not_with_it(server, people):
    """For every route: an account without the route's permission gets 403 forbidden naming
    the permission; an account with it is let through the gate (whatever the verb answers
    then: 404 for the made-up id, 400 for the empty body...)."""
    perms = {role: held([] if role == "nobody" else [role]) for role in people}
    # Ending sessions and logging out go last, so the other calls keep their sessions.
    rows = sorted(route_table(), key=lambda r: (r[0] == "DELETE" and "session" in r[1], r[1]))
    checked_with = checked_without = 0
    for method, pattern, perm, _ in rows:
        if perm is None:
            continue
        path = re.sub(r"\{\w+\}", "999999", pattern)
        holders = [r for r in people if perm in perms[r]]
        others = [r for r in people if perm not in perms[r]]
        assert holders, "nobody holds %s (%s %s)" % (perm, method, pattern)
        for role in others:
            r = people[role].request(method, path, json={})
            assert r.status_code == 403, (method, pattern, role, r.status_code, r.text)
            e = r.json()["error"]
            assert e["code"] == "forbidden" and perm in e.get("detail", ""), (method, pattern, e)
            checked_without += 1
        role = holders[0]
        if method == "DELETE" and "session" in pattern:
            c = server.relogin(people[role]) if hasattr(people[role], "username") \
                else server.admin({"sys_admin": "sysadmin", "security_admin": "secadmin",
                                   "audit_admin": "auditadmin"}[role])
        else:
            c = people[role]
        r = c.request(method, path, json={})
        gate = r.status_code == 403 and "needs the permission" in r.json()["error"].get("detail", "")
        assert not gate, (method, pattern, role, r.text)
        assert r.status_code < 500, (method, pattern, role, r.status_code, r.text)
        checked_with += 1
    assert checked_with > 90 and checked_without > 300


def test_permissions_matrix_json_xlsx_csv(server, people):
    sec = server.cached_admin("secadmin")
    m = sec.get("/api/v1/permissions").json()
    names = {p["name"] for p in m["permissions"]}
    assert {"vault.reveal", "audit.verify", "users.grant", "records.use"} <= names
    for p in m["permissions"]:
        assert p["module"] and p["class"] and p["title_zh"] and p["title_en"], p
    roles = {r["id"]: r for r in m["roles"]}
    assert roles["everyone"]["everyone"] is True
    assert roles["audit_admin"]["administrator"] is True
    assert roles["it_staff"]["administrator"] is False
    assert {"name": "audit.verify", "scope": "all"} in roles["audit_admin"]["permissions"]
    assert "perm-it-staff" in {h["username"] for h in roles["it_staff"]["holders"]}
    assert "secadmin" in {h["username"] for h in roles["security_admin"]["holders"]}
    # The assessor reads it too (evidence for 等保 8.1.7.3); a plain account does not.
    assert people["assessor"].get("/api/v1/permissions").status_code == 200
    assert people["nobody"].get("/api/v1/permissions").status_code == 403
    r = sec.get("/api/v1/permissions", params={"format": "xlsx"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = rows[0]
    assert header[0] == "权限" and "审计管理员" in header
    verify = next(row for row in rows if row[0] == "audit.verify")
    assert verify[header.index("审计管理员")] == "✓"
    assert verify[header.index("系统管理员")] in (None, "")
    assert any("perm-it-staff" in (cell or "") for cell in rows[-1])
    r = sec.get("/api/v1/permissions", params={"format": "csv"}, headers={"Accept-Language": "en"})
    assert r.status_code == 200 and "Permission" in r.content.decode("utf-8-sig").splitlines()[0]
    r = sec.get("/api/v1/permissions", params={"format": "pdf"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "format"


def write_roles(tmp_path, roles):
    d = tmp_path / "policy"
    d.mkdir(exist_ok=True)
    (d / "roles.json").write_text(json.dumps({"roles": roles}, ensure_ascii=False))
    return str(d)


@pytest.mark.parametrize("perms,words", [
    (["users.manage", "audit.read"], ["system administrator", "audit administrator",
                                      "users.manage", "audit.read", "三员分立"]),
    (["users.grant", "audit.verify"], ["security administrator", "audit administrator"]),
    (["audit.read", "requests.approve"], ["business permission", "requests.approve"]),
])
def test_pack_check_refuses_a_role_that_breaks_separation(tmp_path, perms, words):
    d = write_roles(tmp_path, [{"id": "night_admin", "label": L, "permissions": perms}])
    r = isms("policy", "check", "--dir", d)
    assert r.returncode == 1, r.stdout
    line = next(x for x in r.stdout.splitlines() if "roles[0].permissions" in x)
    assert line.startswith(d + "/roles.json: roles[0].permissions: holds "), line
    for w in words:
        assert w in line, line


def test_pack_check_refuses_admin_permissions_for_everyone_and_unknown_names(tmp_path):
    d = write_roles(tmp_path, [
        {"id": "everyone", "label": L, "permissions": ["self", "audit.read"]},
        {"id": "clerk", "label": L, "permissions": ["records.usee",
                                                   {"name": "records.use", "scope": "floor"}]}])
    r = isms("policy", "check", "--dir", d)
    assert r.returncode == 1
    assert "roles[0].permissions: gives every account the audit administrator's permission " \
           "\"audit.read\"" in r.stdout, r.stdout
    assert "roles[1].permissions[0]: unknown permission \"records.usee\"" in r.stdout
    assert "roles[1].permissions[1]: \"scope\" must be \"all\" or \"department\"" in r.stdout


def test_builtin_roles_pass_the_check():
    r = isms("policy", "check")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"request types, 9 roles", r.stdout), r.stdout


def test_an_organization_adds_a_role(fresh_server, tmp_path):
    """等保 8.1.7.3: an organization defines its own posts. A role added in DIR/policy/ is
    granted like any other and gives exactly its permissions."""
    s = fresh_server
    s.stop()
    d = os.path.join(s.data, "policy")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "roles.json"), "w", encoding="utf-8") as f:
        json.dump({"roles": [{"id": "backup_clerk",
                              "label": {"zh-CN": "备份登记员", "en": "Backup clerk"},
                              "permissions": ["backup_jobs.read", "backup_jobs.write"]}]}, f)
    s.start()
    s.relax_rate_limit()
    clerk = s.staff("clerk1")
    sec = s.cached_admin("secadmin")
    roles = {r["name"]: r for r in sec.get("/api/v1/roles").json()["items"]}
    assert roles["backup_clerk"]["title_zh"] == "备份登记员"
    assert roles["backup_clerk"]["administrator"] is False
    assert clerk.get("/api/v1/backup-jobs").status_code == 403
    s.grant(clerk, "backup_clerk")
    clerk = s.relogin(clerk)
    assert clerk.get("/api/v1/backup-jobs").status_code == 200
    me = clerk.get("/api/v1/me").json()
    assert {"backup_jobs.read", "backup_jobs.write"} <= set(me["permissions"])
    assert "vault.read" not in me["permissions"]
    assert clerk.get("/api/v1/vault/entries").status_code == 403
    m = sec.get("/api/v1/permissions").json()
    row = next(r for r in m["roles"] if r["id"] == "backup_clerk")
    assert [h["username"] for h in row["holders"]] == ["clerk1"]

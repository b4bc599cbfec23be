"""
The policy pack's seed forms, registers (台账) and request types (申请 → 审批 → 执行 → 登记),
each exercised through the API (docs/policy-pack.md): every register is filled by a writer
with valid data generated from its form definition, read back, edited with its version and
refused on bad input; every request type is filed and walked through its whole approval chain
(self-approval refused, each step's approver acting in turn, the action's effect visible),
then filed again and rejected, and refused on bad input. The tests are parametrized over the
pack the binary carries, so a new pack entry is tested without a new test.
"""
import datetime
import json
import math
import subprocess
from types import SimpleNamespace

import pytest

from apihelp import RFC3339_UTC, all_pages, expect_error, new_user
from conftest import ISMS, ROOT, strong

EXPECTED_REGISTERS = {
    "machine_room_inspection", "system_account", "database_backup", "visitor_work",
    "terminal_change", "repair_ticket", "violation", "fax_register", "print_log",
    "removable_media_log", "sealed_chassis_check", "handover", "account_review"}
EXPECTED_REQUESTS = {
    "account", "permission_change", "departure", "internet_access", "software_install",
    "removable_media", "data_export", "document_copy", "external_repair", "equipment_scrap",
    "hardware_purchase", "print_approval", "fax_sending", "publication_review",
    "backend_maintenance", "vendor_account", "admin_account"}
ADMIN_ACCOUNTS = {"sys_admin": "sysadmin", "security_admin": "secadmin",
                  "audit_admin": "auditadmin"}
PDF = b"%PDF-1.4\n% isms pack-forms test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DT_IN = "2026-11-21T09:30:00+08:00"  # a local time, as people type it
BIG_ID = 2 ** 40                     # no such user or department


def load_pack():
    """The pack the binary carries (built-in, no overrides): what the server serves."""
    try:
        r = subprocess.run([ISMS, "policy", "show"], capture_output=True, text=True,
                           timeout=60)
        if r.returncode == 0:
            return json.loads(r.stdout)
    except OSError:
        pass
    pack = {}
    for name in ("forms", "registers", "requests"):
        with open("%s/policy/%s.json" % (ROOT, name), encoding="utf-8") as f:
            pack[name] = json.load(f)[name]
    return pack


PACK = load_pack()
REGISTER_IDS = [g["id"] for g in PACK["registers"]]
REQUEST_IDS = [q["id"] for q in PACK["requests"]]


# --- values from form definitions -------------------------------------------------------------

def utc(text):
    """An RFC 3339 time as the server stores it: UTC, whole seconds, "Z"."""
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339(epoch, tz_hours=8):
    tz = datetime.timezone(datetime.timedelta(hours=tz_hours))
    return datetime.datetime.fromtimestamp(int(epoch), tz).isoformat()


def number_value(fd):
    """Inside the normal range when the field has one, else inside min/max."""
    if "normal" in fd:
        lo, hi = fd["normal"]["min"], fd["normal"]["max"]
    else:
        lo, hi = fd.get("min"), fd.get("max")
        if lo is None and hi is None:
            lo, hi = 1, 1
        elif lo is None:
            lo = hi - 1
        elif hi is None:
            hi = lo + 2
    v = (lo + hi) / 2
    if fd.get("integer"):
        v = math.ceil(v) if math.ceil(v) <= hi else math.floor(v)
    assert fd.get("min", -math.inf) <= v <= fd.get("max", math.inf), fd
    return v


def valid_value(fd, ctx, token):
    t = fd["type"]
    if t == "text":
        return ("测试" + token + " 文本")[:fd.get("max_length", 500)]
    if t == "asset":
        return "ZC-" + token
    if t == "number":
        return number_value(fd)
    if t == "date":
        return "2026-11-21"
    if t == "datetime":
        return DT_IN
    if t == "enum":
        first = fd["values"][0]["id"]
        return [first] if fd.get("multiple") else first
    if t == "user":
        return ctx.bystander
    if t == "department":
        return ctx.dept
    if t == "file":
        return ctx.sha
    if t == "bool":
        return True
    raise AssertionError("a field type the generator does not know: %r" % fd)


def wrong_value(fd):
    """A value of the wrong type (or no such thing) for the field."""
    return {"text": 12345, "asset": 12345, "number": "12", "date": "2026-02-30",
            "datetime": "2026-11-21 09:30", "enum": "no_such_value", "user": BIG_ID,
            "department": BIG_ID, "file": "0" * 64, "bool": "true"}[fd["type"]]


def form_data(form, ctx, token):
    """Every field of the form filled with a valid value of its type."""
    return {fd["id"]: valid_value(fd, ctx, token) for fd in form["fields"]}


def stored(form, data):
    """data as the server keeps it: datetimes in UTC, empty values dropped."""
    types = {fd["id"]: fd["type"] for fd in form["fields"]}
    out = {}
    for k, v in data.items():
        if v is None or v == "" or v == []:
            continue
        out[k] = utc(v) if types[k] == "datetime" else v
    return out


def when_holds(when, data):
    if not when:
        return True
    v = data.get(when["field"])
    if "equals" in when:
        return v == when["equals"]
    if "includes" in when:
        return isinstance(v, list) and when["includes"] in v
    return (v is True) == (when["true"] is True)


# --- the organization ---------------------------------------------------------------------------

def person(server, sa, username, dept=None):
    """An ordinary account (in dept), logged in with its one-time password changed."""
    fields = {"department_id": dept} if dept else {}
    uid, initial = new_user(sa, username, **fields)
    c = server.client()
    c.login(username, initial)
    pw = strong()
    r = c.post("/api/v1/me/password", json={"old_password": initial, "new_password": pw})
    assert r.status_code == 200, r.text
    c.uid, c.username, c.pw = uid, username, pw
    return c


def pack_roles():
    """Every role the pack names: in approval chains, and as writers or readers."""
    roles = set()
    for q in PACK["requests"]:
        for s in q["steps"]:
            if s["approver"].startswith("role:"):
                roles.add(s["approver"][5:])
    for g in PACK["registers"]:
        roles.update(g.get("writers") or [], g.get("readers") or [])
    return roles


@pytest.fixture(scope="module")
def org(server):
    """A department with a head, one holder per role (separate accounts; the administrator
    roles are the three built-in administrators), an applicant in the department, a
    bystander (for user fields), an outsider, and an uploaded PDF (for file fields)."""
    sa = server.cached_admin("sysadmin")
    sec = server.cached_admin("secadmin")
    o = SimpleNamespace(server=server, seq=0, clients={}, holders={})
    r = sa.post("/api/v1/departments", json={"name": "制度包测试科"})
    assert r.status_code == 201, r.text
    d = r.json()["department"]
    o.dept = d["id"]
    o.head = person(server, sa, "pf-head", o.dept)
    o.applicant = person(server, sa, "pf-applicant", o.dept)
    o.outsider = person(server, sa, "pf-outsider")
    o.stranger = person(server, sa, "pf-stranger")
    o.bystander, _ = new_user(sa, "pf-bystander", department_id=o.dept)
    r = sa.patch("/api/v1/departments/%d" % o.dept,
                 json={"version": d["version"], "head_user_id": o.head.uid})
    assert r.status_code == 200 and r.json()["department"]["head_user_id"] == o.head.uid, r.text
    server.enrol_totp(o.head)  # department heads approve: two-factor login
    roles = pack_roles() | {"general_manager", "finance_head", "leader", "it_staff",
                             "assessor"}
    for role in sorted(roles):
        if role in ADMIN_ACCOUNTS:
            name = ADMIN_ACCOUNTS[role]
            uid = server.cached_admin(name).get("/api/v1/me").json()["user"]["id"]
            o.holders[role] = uid
            o.clients[uid] = name
            continue
        c = person(server, sa, "pf-" + role.replace("_", "-"))
        server.grant(c, role)  # and its second factor, where the policy asks for it
        assert sa.get("/api/v1/users/%d" % c.uid).json()["user"]["roles"] == [role]
        o.holders[role] = c.uid
        o.clients[c.uid] = c
    for c in (o.head, o.applicant, o.outsider, o.stranger):
        o.clients[c.uid] = c
    r = o.applicant.post("/api/v1/files", params={"name": "附件.pdf"}, data=PDF,
                         headers={"Content-Type": "application/pdf"})
    assert r.status_code == 201, r.text
    o.sha = r.json()["sha256"]
    # A file is attached only by someone who may read it: each account that fills forms
    # here uploads the same content (the same hash) itself.
    for uid in list(o.clients):
        c = client_of(o, uid)
        r = c.post("/api/v1/files", params={"name": "附件.pdf"}, data=PDF,
                   headers={"Content-Type": "application/pdf"})
        assert r.status_code == 201 and r.json()["sha256"] == o.sha, r.text
    return o


def client_of(o, uid):
    c = o.clients[uid]
    return o.server.cached_admin(c) if isinstance(c, str) else c


def holder(o, role):
    return client_of(o, o.holders[role])


def token(o):
    o.seq += 1
    return "pf%03d" % o.seq


# --- the pack as served ---------------------------------------------------------------------------

def test_meta_serves_the_pack_with_every_seed_form_register_and_request_type(server, org):
    c = org.applicant
    r = c.get("/api/v1/meta/forms")
    assert r.status_code == 200, r.text
    meta = r.json()
    assert set(meta) == {"forms", "registers"}
    assert meta["forms"] == PACK["forms"] and meta["registers"] == PACK["registers"]
    r = c.get("/api/v1/meta/requests")
    assert r.status_code == 200 and r.json() == {"requests": PACK["requests"]}, r.text[:300]
    # The tests below are parametrized over exactly what the server serves.
    assert [g["id"] for g in meta["registers"]] == REGISTER_IDS
    assert [q["id"] for q in r.json()["requests"]] == REQUEST_IDS
    assert EXPECTED_REGISTERS <= set(REGISTER_IDS), EXPECTED_REGISTERS - set(REGISTER_IDS)
    assert EXPECTED_REQUESTS <= set(REQUEST_IDS), EXPECTED_REQUESTS - set(REQUEST_IDS)
    forms = {f["id"] for f in meta["forms"]}
    assert all(g["form"] in forms for g in meta["registers"])
    assert all(q["form"] in forms for q in r.json()["requests"])
    # Every seed item has both languages.
    for item in meta["forms"] + meta["registers"] + r.json()["requests"]:
        assert item["label"]["zh-CN"] and item["label"]["en"], item["id"]
    expect_error(server.client().get("/api/v1/meta/forms"), 401, "unauthenticated")


# --- registers ----------------------------------------------------------------------------------

def meta_form(o, form_id):
    return next(f for f in PACK["forms"] if f["id"] == form_id)


def register(reg_id):
    return next(g for g in PACK["registers"] if g["id"] == reg_id)


def writer_of(o, g):
    """A writer: an employee given the register's first writer role (the administrator
    roles are the built-in administrators'); every account when the register has none (then
    an account other than the outsider, who must not read what others wrote)."""
    writers = g.get("writers") or []
    return holder(o, writers[0]) if writers else o.stranger


def reader_of(o, g):
    """Someone who reads every record but is not a writer, if the register has one."""
    writers = set(g.get("writers") or [])
    readers = [x for x in g.get("readers") or [] if x not in writers]
    plain = [x for x in readers if x not in ADMIN_ACCOUNTS]
    role = (plain or readers or [None])[0]
    return holder(o, role) if role else None


def count(client, type_):
    return len(all_pages(client, "/api/v1/records", type=type_))


def create(client, type_, data, expect=201):
    r = client.post("/api/v1/records", json={"type": type_, "data": data})
    assert r.status_code == expect, r.text
    return r.json()


@pytest.mark.parametrize("reg_id", REGISTER_IDS)
def test_register_filled_read_edited_and_refused(org, reg_id):
    g = register(reg_id)
    form = meta_form(org, g["form"])
    w = writer_of(org, g)
    me = w.get("/api/v1/me").json()["user"]["id"]
    tok = token(org)
    data = form_data(form, org, tok)
    before = count(w, reg_id)

    # Created by a writer: data echoed (datetimes normalized to UTC), owner and department
    # taken from the register's fields, the first status, version 1.
    rec = create(w, reg_id, data)
    assert set(rec) >= {"id", "type", "status", "department_id", "owner_id", "request_id",
                        "data", "flags", "created_at", "created_by", "updated_at",
                        "updated_by", "version"}, rec
    assert rec["type"] == reg_id and rec["data"] == stored(form, data), rec
    assert rec["status"] == (g.get("statuses") or [{"id": "open"}])[0]["id"]
    assert rec["flags"] == [] and rec["request_id"] is None and rec["created_by"] == me
    assert RFC3339_UTC.match(rec["created_at"]) and RFC3339_UTC.match(rec["updated_at"])
    for fd in form["fields"]:
        if fd["type"] == "datetime":
            assert RFC3339_UTC.match(rec["data"][fd["id"]]), rec["data"]
    if g.get("owner_field"):
        assert rec["owner_id"] == data[g["owner_field"]]
    if g.get("department_field"):
        assert rec["department_id"] == data[g["department_field"]] == org.dept
    version = rec["version"]
    assert isinstance(version, int)

    # Read back, alone and in the register's lists and filters.
    r = w.get("/api/v1/records/%d" % rec["id"])
    assert r.status_code == 200 and r.json() == rec, r.text
    assert count(w, reg_id) == before + 1
    assert rec["id"] in [x["id"] for x in all_pages(w, "/api/v1/records", type=reg_id,
                                                    status=rec["status"])]
    if g.get("owner_field"):
        assert rec["id"] in [x["id"] for x in all_pages(w, "/api/v1/records", type=reg_id,
                                                        owner_id=rec["owner_id"])]
    if g.get("department_field"):
        assert rec["id"] in [x["id"] for x in all_pages(w, "/api/v1/records", type=reg_id,
                                                        department_id=org.dept)]
    texts = [fd["id"] for fd in form["fields"] if fd["type"] == "text"
             and fd.get("max_length", 500) >= len(data[fd["id"]])
             and tok in data[fd["id"]]]
    if texts:
        found = all_pages(w, "/api/v1/records", type=reg_id, q=tok)
        assert [x["id"] for x in found] == [rec["id"]], found
    enums = [fd for fd in form["fields"] if fd["type"] == "enum" and not fd.get("multiple")]
    if enums:
        found = all_pages(w, "/api/v1/records", type=reg_id,
                          **{"f." + enums[0]["id"]: data[enums[0]["id"]]})
        assert rec["id"] in [x["id"] for x in found]

    # Edited with the version read: a partial change, null deleting an optional key.
    optional = [fd["id"] for fd in form["fields"] if not fd.get("required")]
    text = next(fd["id"] for fd in form["fields"] if fd["type"] == "text")
    change = {text: "改" + tok}
    if optional and optional[-1] != text:
        change[optional[-1]] = None
    statuses = [x["id"] for x in g.get("statuses") or [{"id": "open"}, {"id": "closed"}]]
    body = {"version": version, "data": change, "status": statuses[-1]}
    expect_error(w.patch("/api/v1/records/%d" % rec["id"], json=dict(body, type="x")), 400,
                 "unknown_field")
    expect_error(w.patch("/api/v1/records/%d" % rec["id"], json=dict(body, created_by=1)),
                 400, "unknown_field")
    r = w.patch("/api/v1/records/%d" % rec["id"], json=body)
    assert r.status_code == 200, r.text
    edited = r.json()
    want = dict(rec["data"], **{k: v for k, v in change.items() if v is not None})
    for k, v in change.items():
        if v is None:
            want.pop(k, None)
    assert edited["data"] == want and edited["version"] == version + 1, edited
    assert edited["status"] == statuses[-1] and edited["type"] == reg_id
    assert edited["updated_by"] == me and edited["created_by"] == me
    assert edited["created_at"] == rec["created_at"] and edited["id"] == rec["id"]
    assert w.get("/api/v1/records/%d" % rec["id"]).json() == edited
    assert rec["id"] in [x["id"] for x in all_pages(w, "/api/v1/records", type=reg_id,
                                                    status=statuses[-1])]
    found = all_pages(w, "/api/v1/records", type=reg_id, q="改" + tok)
    assert [x["id"] for x in found] == [rec["id"]], found

    # A stale version is refused and changes nothing.
    expect_error(w.patch("/api/v1/records/%d" % rec["id"],
                         json={"version": version, "data": {text: "旧版本"}}),
                 409, "stale_version")

    # Refused inputs name the first bad value; nothing is written.
    required = [fd["id"] for fd in form["fields"] if fd.get("required")]
    first = form["fields"][0]
    if required:
        bad = dict(data)
        del bad[required[0]]
        expect_error(w.post("/api/v1/records", json={"type": reg_id, "data": bad}), 400,
                     "invalid", "data." + required[0])
        expect_error(w.patch("/api/v1/records/%d" % rec["id"],
                             json={"version": version + 1, "data": {required[0]: None}}),
                     400, "invalid", "data." + required[0])
    expect_error(w.post("/api/v1/records",
                        json={"type": reg_id, "data": dict(data, **{first["id"]:
                                                                    wrong_value(first)})}),
                 400, "invalid", "data." + first["id"])
    expect_error(w.post("/api/v1/records", json={"type": reg_id,
                                                 "data": dict(data, nosuch="x")}),
                 400, "invalid", "data.nosuch")
    expect_error(w.patch("/api/v1/records/%d" % rec["id"],
                         json={"version": version + 1,
                               "data": {first["id"]: wrong_value(first)}}),
                 400, "invalid", "data." + first["id"])
    expect_error(w.patch("/api/v1/records/%d" % rec["id"],
                         json={"version": version + 1, "status": "no_such_status"}),
                 400, "invalid", "status")
    # Every type's wrong value is refused, field by field.
    for fd in form["fields"]:
        expect_error(w.post("/api/v1/records", json={
            "type": reg_id, "data": dict(data, **{fd["id"]: wrong_value(fd)})}),
            400, "invalid", "data." + fd["id"])
        if fd["type"] in ("text", "asset"):
            long = "长" * (fd.get("max_length", 500 if fd["type"] == "text" else 64) + 1)
            expect_error(w.post("/api/v1/records", json={
                "type": reg_id, "data": dict(data, **{fd["id"]: long})}),
                400, "invalid", "data." + fd["id"])
            if not fd.get("multiline"):
                expect_error(w.post("/api/v1/records", json={
                    "type": reg_id, "data": dict(data, **{fd["id"]: "第一行\n第二行"})}),
                    400, "invalid", "data." + fd["id"])
        if fd["type"] == "number" and "max" in fd:
            expect_error(w.post("/api/v1/records", json={
                "type": reg_id, "data": dict(data, **{fd["id"]: fd["max"] + 1})}),
                400, "invalid", "data." + fd["id"])
        if fd["type"] == "number" and "min" in fd:
            expect_error(w.post("/api/v1/records", json={
                "type": reg_id, "data": dict(data, **{fd["id"]: fd["min"] - 1})}),
                400, "invalid", "data." + fd["id"])
        if fd["type"] == "number" and fd.get("integer"):
            expect_error(w.post("/api/v1/records", json={
                "type": reg_id, "data": dict(data, **{fd["id"]: number_value(fd) + 0.5})}),
                400, "invalid", "data." + fd["id"])
    assert count(w, reg_id) == before + 1
    assert w.get("/api/v1/records/%d" % rec["id"]).json() == edited

    # Others see only what they created or own, or (a department head) their department's.
    expect_error(org.outsider.get("/api/v1/records/%d" % rec["id"]), 404, "not_found")
    assert rec["id"] not in [x["id"] for x in all_pages(org.outsider, "/api/v1/records",
                                                        type=reg_id)]
    if g.get("department_field"):
        r = org.head.get("/api/v1/records/%d" % rec["id"])
        assert r.status_code == 200 and r.json() == edited, r.text
        assert rec["id"] in [x["id"] for x in all_pages(org.head, "/api/v1/records",
                                                        type=reg_id)]

    # Only the register's writers write; its readers read.
    if g.get("writers"):
        outsider = org.outsider
        expect_error(outsider.post("/api/v1/records", json={"type": reg_id, "data": data}),
                     403, "forbidden")
        reader = reader_of(org, g)
        if reader is not None:
            r = reader.get("/api/v1/records/%d" % rec["id"])
            assert r.status_code == 200 and r.json() == edited, r.text
            expect_error(reader.patch("/api/v1/records/%d" % rec["id"],
                                      json={"version": version + 1,
                                            "data": {text: "读者改"}}), 403, "forbidden")
            expect_error(reader.post("/api/v1/records", json={"type": reg_id, "data": data}),
                         403, "forbidden")
        assert count(w, reg_id) == before + 1
        assert w.get("/api/v1/records/%d" % rec["id"]).json() == edited

    # Lengths count characters, not bytes; multi-line text keeps its lines.
    fd = next(fd for fd in form["fields"] if fd["type"] == "text")
    full = ("第一行\n" if fd.get("multiline") else "") + "长" * fd.get("max_length", 500)
    full = full[:fd.get("max_length", 500)]
    r = w.patch("/api/v1/records/%d" % rec["id"],
                json={"version": edited["version"], "data": {fd["id"]: full}})
    assert r.status_code == 200 and r.json()["data"][fd["id"]] == full, r.text[:300]
    assert r.json()["version"] == edited["version"] + 1


def test_machine_room_temperature_outside_normal_is_flagged_outside_limits_refused(org):
    g = register("machine_room_inspection")
    form = meta_form(org, g["form"])
    w = writer_of(org, g)
    data = form_data(form, org, token(org))
    assert (data["temperature"], data["humidity"]) == (18, 50)
    before = count(w, g["id"])
    rec = create(w, g["id"], dict(data, temperature=26))
    assert rec["flags"] == ["temperature"] and rec["data"]["temperature"] == 26
    both = create(w, g["id"], dict(data, temperature=12.5, humidity=60))
    assert both["flags"] == ["temperature", "humidity"]
    ok = create(w, g["id"], dict(data, temperature=23, humidity=45))  # the limits are normal
    assert ok["flags"] == []
    flagged = all_pages(w, "/api/v1/records", type=g["id"], flagged="true")
    assert {rec["id"], both["id"]} <= {x["id"] for x in flagged}
    assert ok["id"] not in {x["id"] for x in flagged}
    refused(w, g["id"], data, "temperature", (70, 60.5, -21, "26", None))
    # Back to normal on edit: the flag goes.
    r = w.patch("/api/v1/records/%d" % rec["id"],
                json={"version": rec["version"], "data": {"temperature": 20}})
    assert r.status_code == 200 and r.json()["flags"] == [], r.text
    assert count(w, g["id"]) == before + 3


def refused(w, type_, data, field, values):
    """Each value of field is refused with 400 invalid naming data.<field>."""
    for bad in values:
        expect_error(w.post("/api/v1/records", json={"type": type_, "data": dict(
            data, **{field: bad})}), 400, "invalid", "data." + field)


def test_violation_penalty_between_50_and_500_yuan_and_real_dates(org):
    g = register("violation")
    form = meta_form(org, g["form"])
    w = writer_of(org, g)
    data = form_data(form, org, token(org))
    before = count(w, g["id"])
    refused(w, g["id"], data, "penalty_yuan", (600, 49, 501, 200.5))
    refused(w, g["id"], data, "occurred_on",
            ("2026-02-30", "2026-13-01", "2026-2-3", "2026-11-21T00:00:00Z", "1899-12-31"))
    assert count(w, g["id"]) == before
    rec = create(w, g["id"], dict(data, penalty_yuan=200, occurred_on="2028-02-29"))
    assert rec["data"]["penalty_yuan"] == 200 and rec["data"]["occurred_on"] == "2028-02-29"
    for edge in (50, 500):
        assert create(w, g["id"], dict(data, penalty_yuan=edge))["data"]["penalty_yuan"] == edge
    assert count(w, g["id"]) == before + 3


def test_datetimes_are_stored_in_utc(org):
    g = register("machine_room_inspection")
    form = meta_form(org, g["form"])
    w = writer_of(org, g)
    data = form_data(form, org, token(org))
    for given, kept in (("2026-11-21T09:30:00+08:00", "2026-11-21T01:30:00Z"),
                        ("2026-01-01T07:59:59+08:00", "2025-12-31T23:59:59Z"),
                        ("2026-11-21T01:30:00Z", "2026-11-21T01:30:00Z")):
        rec = create(w, g["id"], dict(data, inspected_at=given))
        assert rec["data"]["inspected_at"] == kept, rec
    for bad in ("2026-11-21", "2026-11-21 09:30", "2026-02-30T09:00:00Z", "昨天", 1763688600):
        expect_error(w.post("/api/v1/records", json={
            "type": g["id"], "data": dict(data, inspected_at=bad)}), 400, "invalid",
            "data.inspected_at")


def test_datetime_outside_years_0000_to_9999_is_refused_not_stored_as_1970(org):
    """A time whose UTC value has no four-digit year cannot be kept as RFC 3339: refused,
    like a date outside 1900-9999 (it used to be stored as 1970-01-01T00:00:00Z)."""
    g = register("machine_room_inspection")
    form = meta_form(org, g["form"])
    w = writer_of(org, g)
    data = form_data(form, org, token(org))
    before = count(w, g["id"])
    for bad in ("9999-12-31T23:30:00-08:00", "0000-01-01T00:00:00+08:00"):
        r = w.post("/api/v1/records", json={"type": g["id"],
                                            "data": dict(data, inspected_at=bad)})
        assert r.status_code != 201, "%s accepted and stored as %s" % (
            bad, r.json()["data"]["inspected_at"])
        expect_error(r, 400, "invalid", "data.inspected_at")
    assert count(w, g["id"]) == before


def test_enum_values_multiple_and_references_are_checked(org):
    """The value checks of enum (multiple: no duplicates), user, department and file fields,
    on the account application's form."""
    q = next(x for x in PACK["requests"] if x["id"] == "account")
    form = meta_form(org, q["form"])
    a = org.applicant
    data = request_data(org, q, token(org))
    before = len(all_pages(a, "/api/v1/requests"))
    for systems, field in ((["oa", "oa"], "data.systems[1]"), (["oa", "nosuch"],
                                                                "data.systems[1]"),
                           ("oa", "data.systems"), ([1], "data.systems[0]")):
        expect_error(a.post("/api/v1/requests", json={
            "type": "account", "data": dict(data, systems=systems)}), 400, "invalid", field)
    for dept in (BIG_ID, "1", 0, -1, 1.5):
        expect_error(a.post("/api/v1/requests", json={
            "type": "account", "data": dict(data, department=dept)}), 400, "invalid",
            "data.department")
    expect_error(a.post("/api/v1/requests", json={"type": "no_such_type", "data": data}),
                 400, "invalid", "type")
    expect_error(a.post("/api/v1/requests", json={"type": "account", "data": [data]}),
                 400, "invalid", "data")
    assert len(all_pages(a, "/api/v1/requests")) == before
    assert form["id"] == "account_form"
    pub = next(x for x in PACK["requests"] if x["id"] == "publication_review")
    pdata = request_data(org, pub, token(org))
    for bad in ("0" * 64, org.sha.upper(), org.sha[:63]):
        expect_error(a.post("/api/v1/requests", json={
            "type": "publication_review", "data": dict(pdata, attachment=bad)}), 400,
            "invalid", "data.attachment")
    assert len(all_pages(a, "/api/v1/requests")) == before


# --- requests -------------------------------------------------------------------------------

def reqtype(type_id):
    return next(q for q in PACK["requests"] if q["id"] == type_id)


def request_data(o, q, tok):
    """Valid data for request type q; for the types with an action, data that makes the
    action succeed (unique usernames, a separate subject in the department)."""
    form = meta_form(o, q["form"])
    data = form_data(form, o, tok)
    action = q.get("action")
    if action in ("create_account", "vendor_account"):
        data["username"] = "pf-new-" + tok
        data["display_name"] = "新同事 " + tok
    if action in ("change_permissions", "departure", "admin_account"):
        data["subject"], _ = new_user(o.server.cached_admin("sysadmin"), "pf-subj-" + tok,
                                      department_id=o.dept)
    if action == "change_permissions":
        data["grant"] = ["leader"]
        data.pop("revoke", None)
    if action == "admin_account":
        data["admin_role"] = "audit_admin"
    if action == "vendor_account":
        data["expires_at"] = rfc3339(o.server.now() + 7 * 86400)
    if action == "departure":
        data["effective_at"] = rfc3339(o.server.now() - 3600)
    if action == "data_cleanup":
        # BAK-4: a system with a backup job, and a verified backup of it just reported.
        data["system"] = "erp"
        r = holder(o, "it_staff").post("/api/v1/backup-runs", json={
            "job": "erp_daily", "status": "ok", "size": 1, "sha256": "ab" * 32,
            "location": "nas:/erp/" + tok, "verified": True})
        assert r.status_code == 201, r.text
    return data


def file_request(client, type_id, data, expect=201, **extra):
    r = client.post("/api/v1/requests", json=dict({"type": type_id, "data": data}, **extra))
    assert r.status_code == expect, r.text
    return r.json()


def act(client, rid, verb, expect=200, **body):
    r = client.post("/api/v1/requests/%d/%s" % (rid, verb), json=body)
    assert r.status_code == expect, r.text
    return r.json()


def inbox(client):
    return {x["id"]: x for x in all_pages(client, "/api/v1/approvals/inbox")}


def expected_assignee(o, step, data):
    """Who a step of a request filed by the applicant must go to (one known person)."""
    ap = step["approver"]
    if ap == "department_head":
        return o.head.uid
    if ap.startswith("department_head:"):
        return o.head.uid  # the seeds' fields name people of the department
    if ap.startswith("role:"):
        return o.holders[ap[5:]]
    if ap.startswith("user:"):
        return data[ap[5:]]
    raise AssertionError(ap)


def pick(o, step):
    """An assignee of the step that the tests can log in as."""
    known = [u for u in step["assignees"] if u in o.clients]
    assert known, step
    return known[0], client_of(o, known[0])


def check_laid_out(o, q, req, applicant, data):
    """The chain as filed: one step per definition, conditional ones skipped, the first that
    applies pending and current, the rest waiting; the applicant never an assignee."""
    steps = req["steps"]
    assert [s["id"] for s in steps] == [s["id"] for s in q["steps"]]
    assert [s["seq"] for s in steps] == list(range(1, len(steps) + 1))
    active = []
    for i, (s, d) in enumerate(zip(steps, q["steps"])):
        assert s["kind"] == d.get("kind", "approve") and s["approver"] == d["approver"], s
        assert s["label"] == d["label"]["zh-CN"], s
        assert applicant.uid not in s["assignees"], s
        if not when_holds(d.get("when"), data):
            assert s["status"] == "skipped", s
            continue
        assert s["assignees"], s
        assert expected_assignee(o, d, data) in s["assignees"], (s, d)
        if d["approver"] == "department_head" or d["approver"].startswith("department_head:"):
            assert s["assignees"] == [o.head.uid], s
        assert s["status"] == ("waiting" if active else "pending"), s
        assert s.get("current", False) is (not active), s
        assert s["acted_by"] is None and s["acted_at"] is None, s
        active.append(i)
    return active


def walk(o, q, req, applicant, data):
    """Walks the whole chain: the applicant's approval refused, someone of a later step
    refused, each step's assignee approving in turn (the inbox showing it first)."""
    rid = req["id"]
    active = check_laid_out(o, q, req, applicant, data)
    assert req["status"] == "pending" and req["applicant_id"] == applicant.uid
    expect_error(applicant.post("/api/v1/requests/%d/approve" % rid, json={}), 403,
                 "self_approval")
    expect_error(applicant.post("/api/v1/requests/%d/reject" % rid, json={}), 403,
                 "self_approval")
    expect_error(o.outsider.post("/api/v1/requests/%d/approve" % rid, json={}), 404,
                 "not_found")
    for n, i in enumerate(active):
        cur = req["steps"][i]
        assert cur["status"] == "pending" and cur.get("current") is True, cur
        # Someone assigned to a later step only is not the one this step waits for.
        later = [u for j in active[n + 1:] for u in req["steps"][j]["assignees"]
                 if u in o.clients and u not in cur["assignees"]]
        if later:
            expect_error(client_of(o, later[0]).post("/api/v1/requests/%d/approve" % rid,
                                                     json={}), 403, "not_your_step")
        uid, c = pick(o, cur)
        item = inbox(c).get(rid)
        assert item is not None and item["step"] == cur["id"], (cur, item)
        assert item["step_kind"] == cur["kind"] and item["type"] == q["id"], item
        req = act(c, rid, "approve", comment="同意 %s" % cur["id"])
        got = req["steps"][i]
        assert got["status"] == "approved" and got["acted_by"] == uid, got
        assert got["comment"] == "同意 %s" % cur["id"] and RFC3339_UTC.match(got["acted_at"])
        assert [s["status"] for s in req["steps"][:i]] == \
            [("approved" if j in active else "skipped") for j in range(i)]
        if n + 1 < len(active):
            assert req["status"] == "pending", req
            nxt = req["steps"][active[n + 1]]
            assert nxt["status"] == "pending" and nxt.get("current") is True, nxt
            if uid not in nxt["assignees"]:
                assert rid not in inbox(c)
    last_kind = q["steps"][active[-1]].get("kind", "approve") if active else "approve"
    assert req["status"] == ("completed" if last_kind == "execute" else "approved"), req
    assert req["closed_at"] and not any(s.get("current") for s in req["steps"])
    for s in req["steps"]:
        assert s["status"] in ("approved", "skipped"), s
    assert all(rid not in inbox(client_of(o, u)) for u in set(o.clients))
    # Closed: nobody acts on it any more.
    uid, c = pick(o, req["steps"][active[0]])
    expect_error(c.post("/api/v1/requests/%d/approve" % rid, json={}), 409, "not_pending")
    expect_error(applicant.post("/api/v1/requests/%d/withdraw" % rid, json={}), 409,
                 "not_pending")
    return req


def check_effect(o, q, req, data):
    """The visible effect of the type's action, if it has one."""
    action = q.get("action")
    sa = o.server.cached_admin("sysadmin")
    result = req.get("result")
    if action:
        assert result["action"] == action, result
    else:
        assert result in (None, {"action": "none"}), result
    if action in ("create_account", "vendor_account"):
        secret = req["secret"]
        assert secret["username"] == data["username"], secret
        assert len(secret["initial_password"]) >= 12
        u = sa.get("/api/v1/users/%d" % result["user_id"]).json()["user"]
        assert u["username"] == data["username"] and u["display_name"] == data["display_name"]
        assert u["must_change_password"] is True and u["disabled"] is False
        if action == "create_account":
            assert u["department_id"] == data["department"]
            lines = all_pages(holder(o, "it_staff"), "/api/v1/records", type="system_account",
                              owner_id=result["user_id"])
            assert sorted(x["data"]["system"] for x in lines) == sorted(data["systems"])
        else:
            assert u["expires_at"] == utc(data["expires_at"])
        # The one-time password is shown once: not in the stored request.
        again = o.applicant.get("/api/v1/requests/%d" % req["id"]).json()
        assert "secret" not in again and secret["initial_password"] not in json.dumps(again)
    else:
        assert "secret" not in req
    if action == "change_permissions":
        u = sa.get("/api/v1/users/%d" % data["subject"]).json()["user"]
        assert u["roles"] == ["leader"], u
    if action == "admin_account":
        u = sa.get("/api/v1/users/%d" % data["subject"]).json()["user"]
        assert u["roles"] == ["audit_admin"], u
        assert result["granted"] == "audit_admin"
    if action == "departure":
        u = sa.get("/api/v1/users/%d" % data["subject"]).json()["user"]
        assert u["disabled"] is True or u["expires_at"], u
        assert u["disabled"] is True  # the effective time was an hour ago
        h = holder(o, "it_staff").get("/api/v1/records/%d" % result["handover_record"]).json()
        assert h["type"] == "handover" and h["data"]["subject"] == data["subject"], h


@pytest.mark.parametrize("type_id", REQUEST_IDS)
def test_request_type_walks_its_chain_and_is_rejected_and_refused(org, type_id):
    q = reqtype(type_id)
    form = meta_form(org, q["form"])
    a = org.applicant
    mine = len(all_pages(a, "/api/v1/requests"))

    # Filed, walked to the end, the action done.
    data = request_data(org, q, token(org))
    req = file_request(a, type_id, data, comment="请审批")
    assert req["type"] == type_id and req["data"] == stored(form, data), req
    assert req["department_id"] == org.dept and req["applicant_id"] == a.uid
    assert [(e["action"], e["user_id"], e["comment"]) for e in req["events"]] == \
        [("file", a.uid, "请审批")]
    done = walk(org, q, req, a, data)
    check_effect(org, q, done, data)
    got = a.get("/api/v1/requests/%d" % req["id"]).json()
    assert got["status"] == done["status"] and got["steps"] == done["steps"]
    assert req["id"] in [x["id"] for x in all_pages(a, "/api/v1/requests")]

    # Filed again and rejected at the first step: closed, nobody approves it later.
    data = request_data(org, q, token(org))
    req = file_request(a, type_id, data)
    active = check_laid_out(org, q, req, a, data)
    first = req["steps"][active[0]]
    uid, c = pick(org, first)
    expect_error(a.post("/api/v1/requests/%d/reject" % req["id"], json={}), 403,
                 "self_approval")
    rej = act(c, req["id"], "reject", comment="不同意")
    assert rej["status"] == "rejected" and rej["closed_at"], rej
    assert rej["steps"][active[0]]["status"] == "rejected"
    assert rej["steps"][active[0]]["acted_by"] == uid
    assert all(rej["steps"][i]["status"] == "waiting" for i in active[1:]), rej["steps"]
    assert rej.get("result") is None and "secret" not in rej
    expect_error(c.post("/api/v1/requests/%d/approve" % req["id"], json={}), 409, "not_pending")
    for i in active[1:]:
        later_uid, later = pick(org, rej["steps"][i])
        expect_error(later.post("/api/v1/requests/%d/approve" % req["id"], json={}), 409,
                     "not_pending")
    assert a.get("/api/v1/requests/%d" % req["id"]).json()["status"] == "rejected"
    if q.get("action") in ("create_account", "vendor_account"):
        sa = org.server.cached_admin("sysadmin")
        assert data["username"] not in [u["username"] for u in
                                        all_pages(sa, "/api/v1/users")]
    if q.get("action") in ("change_permissions", "admin_account", "departure"):
        u = org.server.cached_admin("sysadmin").get(
            "/api/v1/users/%d" % data["subject"]).json()["user"]
        assert u["roles"] == [] and u["disabled"] is False and u["expires_at"] is None, u

    # Refused inputs: a required field missing, the first field of the wrong type, an
    # unknown field. Nothing is filed.
    n = len(all_pages(a, "/api/v1/requests"))
    assert n == mine + 2
    required = [fd["id"] for fd in form["fields"] if fd.get("required")]
    assert required, "every seed request form has a required field"
    bad = dict(data)
    del bad[required[0]]
    expect_error(a.post("/api/v1/requests", json={"type": type_id, "data": bad}), 400,
                 "invalid", "data." + required[0])
    bad = dict(data, **{required[-1]: ""})
    expect_error(a.post("/api/v1/requests", json={"type": type_id, "data": bad}), 400,
                 "invalid", "data." + required[-1])
    first = form["fields"][0]
    expect_error(a.post("/api/v1/requests", json={
        "type": type_id, "data": dict(data, **{first["id"]: wrong_value(first)})}), 400,
        "invalid", "data." + first["id"])
    expect_error(a.post("/api/v1/requests", json={"type": type_id,
                                                  "data": dict(data, nosuch=1)}),
                 400, "invalid", "data.nosuch")
    expect_error(a.post("/api/v1/requests", json={"type": type_id, "data": data,
                                                  "attachments": ["0" * 64]}),
                 400, "invalid", "attachments[0]")
    assert len(all_pages(a, "/api/v1/requests")) == n


def account_data(o, systems):
    data = request_data(o, reqtype("account"), token(o))
    data["systems"] = systems
    return data


def test_account_finance_head_step_only_when_finance_is_asked_for(org):
    q = reqtype("account")
    a, head, it = org.applicant, org.head, holder(org, "it_staff")
    fin = holder(org, "finance_head")

    data = account_data(org, ["oa", "his"])
    req = file_request(a, "account", data)
    assert [s["status"] for s in req["steps"]] == ["pending", "skipped", "waiting"]
    req = act(head, req["id"], "approve")
    assert [s["status"] for s in req["steps"]] == ["approved", "skipped", "pending"]
    # The finance head has no part in this request: it is not even visible to them.
    assert req["id"] not in inbox(fin)
    expect_error(fin.post("/api/v1/requests/%d/approve" % req["id"], json={}), 404,
                 "not_found")
    req = act(it, req["id"], "approve")
    assert req["status"] == "completed" and req["secret"]["username"] == data["username"]

    data = account_data(org, ["finance", "oa"])
    req = file_request(a, "account", data)
    assert [s["status"] for s in req["steps"]] == ["pending", "waiting", "waiting"]
    assert req["steps"][1]["assignees"] == [org.holders["finance_head"]]
    req = act(head, req["id"], "approve")
    assert [s["status"] for s in req["steps"]] == ["approved", "pending", "waiting"]
    assert req["id"] in inbox(fin) and req["id"] not in inbox(it)
    expect_error(it.post("/api/v1/requests/%d/approve" % req["id"], json={}), 403,
                 "not_your_step")
    req = act(fin, req["id"], "approve", comment="财务同意")
    assert [s["status"] for s in req["steps"]] == ["approved", "approved", "pending"]
    assert req["status"] == "pending" and req["id"] in inbox(it)
    req = act(it, req["id"], "approve")
    assert req["status"] == "completed" and len(req["result"]["records"]) == 2, req
    check_effect(org, q, req, data)


def test_print_approval_needs_the_department_head_only_when_the_printout_leaves(org):
    q = reqtype("print_approval")
    a, head, it = org.applicant, org.head, holder(org, "it_staff")
    for take_out in (False, None):
        data = request_data(org, q, token(org))
        if take_out is None:
            del data["take_out"]
        else:
            data["take_out"] = take_out
        req = file_request(a, q["id"], data)
        assert [s["status"] for s in req["steps"]] == ["skipped", "pending"], req["steps"]
        assert req["steps"][0]["assignees"] == [] and req["steps"][1].get("current") is True
        assert req["id"] in inbox(it) and req["id"] not in inbox(head)
        done = walk(org, q, req, a, data)
        assert done["status"] == "completed"


def test_return_resubmit_restarts_the_chain(org):
    q = reqtype("internet_access")
    a, head, leader = org.applicant, org.head, holder(org, "leader")
    data = request_data(org, q, token(org))
    req = file_request(a, q["id"], data)
    rid = req["id"]
    expect_error(a.post("/api/v1/requests/%d/resubmit" % rid, json={}), 409, "not_pending")
    act(head, rid, "approve")
    expect_error(a.post("/api/v1/requests/%d/return" % rid, json={}), 403, "self_approval")
    req = act(leader, rid, "return", comment="请写明用途")
    assert req["status"] == "returned" and req["closed_at"] is None, req
    assert [s["status"] for s in req["steps"]] == ["approved", "returned", "waiting"]
    expect_error(leader.post("/api/v1/requests/%d/approve" % rid, json={}), 409, "not_pending")
    expect_error(head.post("/api/v1/requests/%d/resubmit" % rid, json={}), 403, "forbidden")
    # A resubmission with bad data is refused and leaves it returned.
    expect_error(a.post("/api/v1/requests/%d/resubmit" % rid,
                        json={"data": dict(data, purpose="")}), 400, "invalid", "data.purpose")
    assert a.get("/api/v1/requests/%d" % rid).json()["status"] == "returned"
    changed = dict(data, purpose="查询医保政策（已补充）", antivirus=True)
    req = act(a, rid, "resubmit", data=changed, comment="已补充")
    assert req["status"] == "pending" and req["data"] == stored(meta_form(org, q["form"]),
                                                                changed), req
    # The whole chain again, from the first step.
    assert [s["status"] for s in req["steps"]] == ["pending", "waiting", "waiting"]
    assert all(s["acted_by"] is None for s in req["steps"]), req["steps"]
    assert rid in inbox(head) and rid not in inbox(leader)
    assert [e["action"] for e in req["events"]] == ["file", "approve", "return", "resubmit"]
    done = walk(org, q, req, a, changed)
    assert done["status"] == "completed"


def test_withdraw_only_by_the_applicant(org):
    q = reqtype("software_install")
    a, head = org.applicant, org.head
    req = file_request(a, q["id"], request_data(org, q, token(org)))
    rid = req["id"]
    expect_error(head.post("/api/v1/requests/%d/withdraw" % rid, json={}), 403, "forbidden")
    expect_error(org.outsider.post("/api/v1/requests/%d/withdraw" % rid, json={}), 404,
                 "not_found")
    assert a.get("/api/v1/requests/%d" % rid).json()["status"] == "pending"
    req = act(a, rid, "withdraw", comment="不需要了")
    assert req["status"] == "withdrawn" and req["closed_at"], req
    assert rid not in inbox(head)
    expect_error(head.post("/api/v1/requests/%d/approve" % rid, json={}), 409, "not_pending")
    expect_error(a.post("/api/v1/requests/%d/withdraw" % rid, json={}), 409, "not_pending")
    # A returned request may be withdrawn too.
    req = file_request(a, q["id"], request_data(org, q, token(org)))
    act(head, req["id"], "return")
    assert act(a, req["id"], "withdraw")["status"] == "withdrawn"


def test_department_head_missing_or_applying_goes_to_the_general_manager(org):
    q = reqtype("fax_sending")
    gm = org.holders["general_manager"]
    req = file_request(org.head, q["id"], request_data(org, q, token(org)))
    assert req["steps"][0]["assignees"] == [gm], req["steps"]
    expect_error(org.head.post("/api/v1/requests/%d/approve" % req["id"], json={}), 403,
                 "self_approval")
    # Someone without a department: no head at all.
    req2 = file_request(org.outsider, q["id"], request_data(org, q, token(org)))
    assert req2["steps"][0]["assignees"] == [gm], req2["steps"]
    c = holder(org, "general_manager")
    assert {req["id"], req2["id"]} <= set(inbox(c))
    for r in (req, req2):
        assert act(c, r["id"], "approve")["steps"][1]["status"] == "pending"


def test_a_step_nobody_can_act_on_is_refused(org):
    sec = org.server.cached_admin("secadmin")
    fin = org.holders["finance_head"]
    a = org.applicant
    before = len(all_pages(a, "/api/v1/requests"))
    r = sec.post("/api/v1/users/%d/roles" % fin, json={"roles": []})
    assert r.status_code == 200, r.text
    try:
        expect_error(a.post("/api/v1/requests", json={
            "type": "account", "data": account_data(org, ["finance"])}), 409, "no_approver",
            "steps[1]")
        # Without finance the finance head is not needed.
        file_request(a, "account", account_data(org, ["oa"]))
        # The only IT member applying: nobody else can execute it.
        it = holder(org, "it_staff")
        q = reqtype("software_install")
        n = len(all_pages(it, "/api/v1/requests"))
        expect_error(it.post("/api/v1/requests", json={
            "type": q["id"], "data": request_data(org, q, token(org))}), 409, "no_approver",
            "steps[%d]" % [s["id"] for s in q["steps"]].index("it"))
        assert len(all_pages(it, "/api/v1/requests")) == n
    finally:
        r = sec.post("/api/v1/users/%d/roles" % fin, json={"roles": ["finance_head"]})
        assert r.status_code == 200, r.text
    assert len(all_pages(a, "/api/v1/requests")) == before + 1

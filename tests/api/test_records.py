"""
Registers (台账, SPEC REC-1, REC-2): export to XLSX and CSV with the form's Chinese column
titles and formula injection neutralized, bulk import with a dry run that names every bad row
and cell before anything is written, full-text search, filters and cursor pagination.
"""
import csv
import io

import openpyxl
import pytest

from apihelp import expect_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPE = "machine_room_inspection"


@pytest.fixture(scope="module")
def it(server):
    """An IT staff member (the writers of the machine-room log) and the department."""
    sa = server.cached_admin("sysadmin")
    r = sa.post("/api/v1/departments", json={"name": "信息中心-台账"})
    assert r.status_code == 201, r.text
    dept = r.json()["department"]["id"]
    c = server.staff("it-records", "it_staff")
    c.dept = dept
    return c


def form(client, register):
    meta = client.get("/api/v1/meta/forms").json()
    reg = next(g for g in meta["registers"] if g["id"] == register)
    return next(f for f in meta["forms"] if f["id"] == reg["form"]), reg


def required_defaults(client, uid):
    """Valid values for the required fields the tests do not care about."""
    f, _ = form(client, TYPE)
    out = {}
    for fd in f["fields"]:
        if not fd.get("required"):
            continue
        if fd["type"] == "enum":
            out[fd["id"]] = fd["values"][0]["id"]
        elif fd["type"] == "user":
            out[fd["id"]] = uid
        elif fd["type"] == "number":
            out[fd["id"]] = (fd.get("normal") or {}).get("min", fd.get("min", 0))
        elif fd["type"] == "datetime":
            out[fd["id"]] = "2026-11-01T00:00:00Z"
    return out


def record(client, **data):
    body = dict(required_defaults(client, client.uid), **data)
    r = client.post("/api/v1/records", json={"type": TYPE, "data": body})
    assert r.status_code == 201, r.text
    return r.json()


def count(client, type_, **filters):
    n, after = 0, None
    while True:
        q = dict(filters, type=type_, limit=500)
        if after:
            q["after"] = after
        r = client.get("/api/v1/records", params=q)
        assert r.status_code == 200, r.text
        n += len(r.json()["items"])
        after = r.json()["next"]
        if not after:
            return n


def workbook(header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, body, dry_run, type_=TYPE):
    return client.post("/api/v1/records/import", params={"type": type_,
                                                         "dry_run": "true" if dry_run else "false"},
                       data=body, headers={"Content-Type": "application/octet-stream"})


def test_import_1000_rows_with_five_bad_rows_writes_nothing_then_imports_corrected(it):
    f, _ = form(it, TYPE)
    labels = {fd["id"]: fd["label"]["zh-CN"] for fd in f["fields"]}
    assert labels["inspected_at"] == "巡检时间" and labels["temperature"] == "温度", labels
    enums = [fd for fd in f["fields"] if fd["type"] == "enum" and fd.get("required")]
    header = ["巡检时间", "巡检人", "温度", labels["humidity"]] + [fd["label"]["zh-CN"] for fd in enums]
    # People are named as they are in the sheets: by login name or display name.
    rows = [["2025-%02d-%02d 09:%02d" % (1 + i % 12, 1 + i % 28, i % 60), "it-records",
             18 + i % 5, 48 + i % 5] + [fd["values"][0]["label"]["zh-CN"] for fd in enums]
            for i in range(1000)]
    bad = {17: (2, "很热", "温度"),            # not a number
           250: (3, 150, labels["humidity"]),  # above the form's maximum
           499: (0, "2025-02-30 09:00", "巡检时间"),  # no such day
           777: (4, "也许", enums[0]["label"]["zh-CN"]),  # not a value of the enum
           998: (1, "nobody-such", "巡检人")}   # no such person
    broken = [list(r) for r in rows]
    for i, (col, value, _) in bad.items():
        broken[i][col] = value
    before = count(it, TYPE)

    for dry in (True, False):
        r = upload(it, workbook(header, broken), dry)
        err = expect_error(r, 400, "import_invalid", "file")
        report = err["report"]
        assert report["rows"] == 1000 and report["valid"] == 995, report
        assert report["invalid_rows"] == 5 and report["created"] == 0, report
        got = sorted((e["row"], e["column"]) for e in report["errors"])
        # Spreadsheet rows: the title is row 1, data row i is row i + 2.
        assert got == sorted((i + 2, title) for i, (_, _, title) in bad.items()), got
        assert all(e["message"] for e in report["errors"])
    assert count(it, TYPE) == before, "a refused import wrote records"

    r = upload(it, workbook(header, rows), True)
    assert r.status_code == 200, r.text
    assert r.json()["valid"] == 1000 and r.json()["created"] == 0 and r.json()["errors"] == []
    assert count(it, TYPE) == before
    r = upload(it, workbook(header, rows), False)
    assert r.status_code == 201, r.text
    assert r.json()["created"] == 1000, r.json()
    assert count(it, TYPE) == before + 1000
    # Local times of the sheet are the organization's (UTC+8), stored in UTC.
    page1 = it.get("/api/v1/records", params={"type": TYPE, "limit": 500}).json()
    page2 = it.get("/api/v1/records", params={"type": TYPE, "limit": 500,
                                              "after": page1["next"]}).json()
    first = page2["items"][-1]  # newest first: the sheet's first row is the oldest
    assert first["data"]["inspected_at"] == "2025-01-01T01:00:00Z", first


def test_import_unknown_column_and_csv(it):
    r = upload(it, workbook(["巡检时间", "温度", "备注不存在的列"],
                            [["2025-03-01 08:00", 20, "x"]]), True)
    err = expect_error(r, 400, "import_invalid", "file")
    assert err["report"]["errors"][0]["row"] == 1
    assert err["report"]["errors"][0]["column"] == "备注不存在的列"
    f, _ = form(it, TYPE)
    req = [fd for fd in f["fields"] if fd.get("required")]
    values = {"inspected_at": "2025-03-02 08:00", "inspector": "it-records", "temperature": "21.5",
              "humidity": "50"}
    header = ",".join(fd["label"]["zh-CN"] for fd in req)
    line = ",".join(values.get(fd["id"], fd.get("values", [{}])[0].get("label", {}).get("zh-CN", ""))
                    for fd in req)
    body = ("\ufeff" + header + "\r\n" + line + "\r\n").encode()
    r = upload(it, body, False)
    assert r.status_code == 201, r.text
    assert r.json()["created"] == 1


@pytest.mark.parametrize("body", [b"", b"PK\x03\x04garbage", b"\xff\xfe\x00bad,utf8\n"])
def test_import_malformed_file_refused(it, body):
    before = count(it, TYPE)
    r = upload(it, body, False)
    assert r.status_code == 400, r.text
    assert count(it, TYPE) == before


def test_import_needs_a_writer(server):
    c, _ = server.employee("not-it-import")
    r = upload(c, workbook(["巡检时间"], [["2025-03-01 08:00"]]), True)
    expect_error(r, 403, "forbidden")


def test_export_xlsx_has_chinese_headers_and_rows(it):
    rec = record(it, inspected_at="2026-11-20T01:30:00Z", temperature=26, humidity=50,
                 notes="=HYPERLINK(\"http://evil\")")
    assert rec["flags"] == ["temperature"]
    rid = rec["id"]
    f, reg = form(it, TYPE)
    r = it.get("/api/v1/records/export", params={"type": TYPE, "format": "xlsx"})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == XLSX
    assert "attachment" in r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    titles = {fd["id"]: fd["label"]["zh-CN"] for fd in f["fields"]}
    assert header[0] == "编号" and header[-1] == "状态", header
    for col in reg.get("columns", []):
        assert titles[col] in header, (titles[col], header)
    assert header[1:1 + len(reg.get("columns", []))] == [titles[c] for c in reg.get("columns", [])]
    mine = next(row for row in rows[1:] if row[0] == rid)
    row = dict(zip(header, mine))
    assert row["温度"] == 26
    assert row["巡检时间"] == "2026-11-20 09:30:00"  # the organization's local time
    notes = row[titles["notes"]]
    assert notes.startswith("=HYPERLINK"), notes  # kept as text, not a formula
    for cell in ws[1 + rows[1:].index(mine) + 1]:
        assert cell.data_type != "f", cell
    # An export is audited and only writers/readers see every record.
    assert len(rows) - 1 == count(it, TYPE)


def test_export_csv_neutralizes_formulas(it):
    r = it.get("/api/v1/records/export", params={"type": TYPE, "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff编号,"), text[:50]
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = [c for row in rows for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert not any(c.startswith("=") for c in cells)


def test_export_refuses_bad_format_and_unknown_type(it):
    expect_error(it.get("/api/v1/records/export", params={"type": TYPE, "format": "pdf"}),
                 400, "invalid", "format")
    expect_error(it.get("/api/v1/records/export", params={"type": "nope"}), 400, "invalid",
                 "type")


def test_search_filters_and_pages(it):
    for i in range(7):
        record(it, inspected_at="2026-11-0%dT01:00:00Z" % (i + 1), temperature=20, humidity=50,
               notes="空调漏水第%d次" % i if i % 2 else "一切正常")
    r = it.get("/api/v1/records", params={"type": TYPE, "q": "空调漏水"})
    assert r.status_code == 200
    assert len(r.json()["items"]) == 3, r.json()
    assert all("空调漏水" in x["data"]["notes"] for x in r.json()["items"])
    # Two-character Chinese search works too.
    assert len(it.get("/api/v1/records", params={"type": TYPE, "q": "漏水"}).json()["items"]) == 3
    flagged = it.get("/api/v1/records", params={"type": TYPE, "flagged": "true"}).json()["items"]
    assert flagged and all(x["flags"] for x in flagged)
    seen, after = [], None
    while True:
        q = {"type": TYPE, "limit": 3, "q": "漏水"}
        if after:
            q["after"] = after
        page = it.get("/api/v1/records", params=q).json()
        seen += [x["id"] for x in page["items"]]
        after = page["next"]
        if not after:
            break
    assert len(seen) == len(set(seen)) == 3 and seen == sorted(seen, reverse=True)
    expect_error(it.get("/api/v1/records", params={"type": TYPE, "f.notes": "x"}), 400,
                 "invalid", "f.notes")
    expect_error(it.get("/api/v1/records"), 400, "invalid", "type")


def test_key_filter_on_enum_field(it):
    f, _ = form(it, TYPE)
    result = next(fd for fd in f["fields"] if fd["id"] == "result")
    fault = result["values"][-1]["id"]
    rec = record(it, inspected_at="2026-11-11T01:00:00Z", result=fault)
    items = it.get("/api/v1/records", params={"type": TYPE, "f.result": fault}).json()["items"]
    assert rec["id"] in [x["id"] for x in items]
    assert all(x["data"]["result"] == fault for x in items)


def test_update_versions_and_audit(it, server):
    rec = record(it, inspected_at="2026-11-12T01:00:00Z", temperature=19)
    r = it.patch("/api/v1/records/%d" % rec["id"], json={"version": rec["version"],
                                                        "data": {"temperature": 24}})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == rec["version"] + 1 and r.json()["flags"] == ["temperature"]
    r2 = it.patch("/api/v1/records/%d" % rec["id"], json={"version": rec["version"],
                                                         "data": {"temperature": 20}})
    expect_error(r2, 409, "stale_version", "version")
    assert it.get("/api/v1/records/%d" % rec["id"]).json()["data"]["temperature"] == 24
    r = server.cached_admin("auditadmin").get("/api/v1/audit",
                                               params={"object": "record:%d" % rec["id"]})
    assert r.status_code == 200, r.text
    actions = [e["action"] for e in r.json()["items"]]
    assert "record.create" in actions and "record.update" in actions, actions


def test_records_of_others_are_not_readable(it, server):
    rid = record(it, inspected_at="2026-11-13T01:00:00Z")["id"]
    c, _ = server.employee("nosy-records")
    expect_error(c.get("/api/v1/records/%d" % rid), 404, "not_found")
    assert rid not in [x["id"] for x in
                       c.get("/api/v1/records", params={"type": TYPE}).json()["items"]]

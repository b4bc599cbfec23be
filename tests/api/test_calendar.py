"""
The working-day calendar (SPEC SLA): everyone reads it; the system administrator edits it
(versioned, audited) and imports public holidays and 调休 make-up days from an iCalendar file.
"""
import pytest

from apihelp import expect_error

ICS = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//isms test//CN",
    "BEGIN:VEVENT", "UID:gq-2026@test", "DTSTART;VALUE=DATE:20261001",
    "DTEND;VALUE=DATE:20261008", "SUMMARY:国庆节 休", "END:VEVENT",
    "BEGIN:VEVENT", "UID:gq-ban-2026@test", "DTSTART;VALUE=DATE:20261010",
    "DTEND;VALUE=DATE:20261011", "SUMMARY:国庆节 补班", "END:VEVENT",
    "END:VCALENDAR", ""]).encode()


@pytest.fixture(scope="module")
def sa(server):
    return server.cached_admin("sysadmin")


def put(c, body):
    return c.put("/api/v1/calendar", json=body)


def test_default_calendar_is_readable_by_everyone(server):
    c, _ = server.employee("cal-reader")
    r = c.get("/api/v1/calendar")
    assert r.status_code == 200, r.text
    cal = r.json()
    assert cal["time_zone"] == "Asia/Shanghai" and cal["utc_offset"] == "+08:00"
    assert cal["working_hours"] == [{"start": "08:30", "end": "12:00"},
                                    {"start": "13:30", "end": "17:30"}]
    assert cal["weekend"] == ["sunday", "saturday"]
    expect_error(put(c, dict(cal)), 403, "forbidden")


def test_edit_is_versioned_and_audited(server, sa):
    cal = sa.get("/api/v1/calendar").json()
    body = dict(cal, working_hours=[{"start": "08:00", "end": "12:00"},
                                    {"start": "14:00", "end": "17:30"}],
                holidays=["2027-01-01"], workdays=["2027-01-02"])
    r = put(sa, body)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == cal["version"] + 1
    assert r.json()["holidays"] == ["2027-01-01"] and r.json()["workdays"] == ["2027-01-02"]
    expect_error(put(sa, body), 409, "stale_version", "version")
    r = server.cached_admin("auditadmin").get("/api/v1/audit",
                                               params={"action": "calendar.update"})
    assert r.status_code == 200 and r.json()["items"], r.text
    e = r.json()["items"][0]
    assert e["after"]["working_hours"][0]["start"] == "08:00"


@pytest.mark.parametrize("change, field", [
    ({"working_hours": [{"start": "12:00", "end": "08:30"}]}, "working_hours[0]"),
    ({"working_hours": [{"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]},
     "working_hours[1]"),
    ({"working_hours": []}, "working_hours"),
    ({"working_hours": [{"start": "8:00", "end": "12:00"}]}, "working_hours[0]"),
    ({"weekend": ["sunday", "funday"]}, "weekend[1]"),
    ({"weekend": ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
                  "saturday"]}, "weekend"),
    ({"holidays": ["2026-02-30"]}, "holidays[0]"),
    ({"workdays": "2026-10-10"}, "workdays"),
    ({"utc_offset": "+25:00"}, "utc_offset"),
    ({"time_zone": "Asia/Shang hai"}, "time_zone"),
])
def test_bad_calendars_refused_and_nothing_changes(sa, change, field):
    cal = sa.get("/api/v1/calendar").json()
    expect_error(put(sa, dict(cal, **change)), 400, "invalid", field)
    assert sa.get("/api/v1/calendar").json() == cal


def test_unknown_key_refused(sa):
    cal = sa.get("/api/v1/calendar").json()
    expect_error(put(sa, dict(cal, lunch="12:00")), 400, "unknown_field", "lunch")


def test_import_ics_holidays_and_make_up_days(sa):
    before = sa.get("/api/v1/calendar").json()
    r = sa.post("/api/v1/calendar/import", params={"dry_run": "true"}, data=ICS,
                headers={"Content-Type": "text/calendar"})
    assert r.status_code == 200, r.text
    assert r.json()["holidays"] == 7 and r.json()["workdays"] == 1 and r.json()["events"] == 2
    assert sa.get("/api/v1/calendar").json() == before  # a dry run stores nothing
    r = sa.post("/api/v1/calendar/import", data=ICS, headers={"Content-Type": "text/calendar"})
    assert r.status_code == 200, r.text
    cal = sa.get("/api/v1/calendar").json()
    assert cal["version"] == before["version"] + 1
    assert ["2026-10-0%d" % d for d in range(1, 8)] == [
        d for d in cal["holidays"] if d.startswith("2026-10")]
    assert "2026-10-10" in cal["workdays"]


@pytest.mark.parametrize("body", [b"", b"hello", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                  b"\x00\x01"])
def test_import_refuses_what_is_not_a_calendar(sa, body):
    before = sa.get("/api/v1/calendar").json()
    r = sa.post("/api/v1/calendar/import", data=body, headers={"Content-Type": "text/calendar"})
    expect_error(r, 400, "invalid", "file")
    assert sa.get("/api/v1/calendar").json() == before


def test_import_needs_the_system_administrator(server):
    c, _ = server.employee("cal-importer")
    r = c.post("/api/v1/calendar/import", data=ICS, headers={"Content-Type": "text/calendar"})
    expect_error(r, 403, "forbidden")

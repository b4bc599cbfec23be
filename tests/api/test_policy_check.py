"""
`isms policy check|show` and the server's refusal of a broken pack (docs/policy-pack.md): the
built-in pack passes; an organization's override files merge by id (replace, add, remove);
every problem of a broken pack is printed as "FILE: JSON-PATH: PROBLEM" and the exit status is
1; `isms serve` will not start on a broken pack and prints the same errors.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import ISMS, sanitizer_report

L = {"zh-CN": "测试", "en": "Test"}
OK = re.compile(r"^policy pack OK: (\d+) forms, (\d+) registers, (\d+) request types")


def isms(*args, timeout=120):
    r = subprocess.run([ISMS, *args], capture_output=True, text=True, timeout=timeout)
    assert not sanitizer_report(r.stdout + r.stderr), r.stderr[-4000:]
    return r


def field(id_, type_="text", **kw):
    return dict({"id": id_, "type": type_, "label": L}, **kw)


def step(id_, approver, **kw):
    return dict({"id": id_, "approver": approver, "label": L}, **kw)


def reqtype(id_, steps, form="fax_sending_form", **kw):
    return dict({"id": id_, "form": form, "label": L, "steps": steps}, **kw)


@pytest.fixture
def packdir():
    d = tempfile.mkdtemp(prefix="isms-pack-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def write(d, name, content):
    path = os.path.join(d, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False))
    return path


@pytest.fixture(scope="module")
def builtin():
    r = isms("policy", "show")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def ids(pack, kind):
    return [x["id"] for x in pack[kind]]


def check_fails(d):
    """Runs `policy check --dir d`; returns its stdout lines (exit status 1)."""
    r = isms("policy", "check", "--dir", d)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    lines = r.stdout.splitlines()
    assert lines, r.stderr
    assert "%d error(s)" % len(lines) in r.stderr, r.stderr
    # show refuses the same pack with the same errors.
    s = isms("policy", "show", "--dir", d)
    assert s.returncode == 1 and s.stdout.splitlines() == lines, s.stdout
    return lines


# --- the built-in pack ------------------------------------------------------------------------

def test_builtin_pack_passes(builtin, packdir):
    r = isms("policy", "check")
    assert r.returncode == 0, r.stdout + r.stderr
    m = OK.match(r.stdout)
    assert m, r.stdout
    assert [int(x) for x in m.groups()] == [len(builtin["forms"]), len(builtin["registers"]),
                                            len(builtin["requests"])]
    assert len(builtin["registers"]) >= 13 and len(builtin["requests"]) >= 17
    assert set(builtin) == {"roles", "forms", "registers", "requests", "notifications",
                            "deadlines", "duties", "backup_jobs"}
    assert len(builtin["deadlines"]) >= 7 and len(builtin["duties"]) >= 11
    # The built-in pack is the source tree's policy/*.json, compiled in.
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = {"forms": "forms", "registers": "registers", "requests": "requests",
             "notifications": "notifications", "deadlines": "sla", "duties": "sla",
             "backup_jobs": "backup"}
    for kind, name in files.items():
        with open(os.path.join(root, "policy", name + ".json"), encoding="utf-8") as f:
            assert json.load(f)[kind] == builtin[kind], kind
    # An empty override folder changes nothing; other files and hidden ones are not read.
    write(packdir, "notes.txt", "not a pack {")
    write(packdir, ".draft.json", "not a pack {")
    write(packdir, "x.json.bak", "not a pack {")
    r = isms("policy", "check", "--dir", packdir)
    assert r.returncode == 0 and OK.match(r.stdout), r.stdout + r.stderr
    assert "with overrides from %s" % packdir in r.stdout
    assert OK.match(r.stdout).groups() == m.groups()
    r = isms("policy", "show", "--dir", packdir)
    assert r.returncode == 0 and json.loads(r.stdout) == builtin


def test_missing_override_folder_is_an_error(packdir):
    r = isms("policy", "check", "--dir", os.path.join(packdir, "nosuch"))
    assert r.returncode == 1 and "nosuch" in r.stderr, r.stderr
    r = isms("policy", "frobnicate")
    assert r.returncode == 2 and "usage" in r.stderr


# --- broken packs: the precise location of each problem -----------------------------------------

FAX = "fax_sending_form"
BROKEN = {
    "unknown_field_type": (
        {"forms": [{"id": "f1", "label": L, "fields": [field("a", "money")]}]},
        ['forms[0].fields[0].type: unknown field type "money"']),
    "field_label_missing": (
        {"forms": [{"id": "f1", "label": L, "fields": [{"id": "a", "type": "text"}]}]},
        ["forms[0].fields[0].label: missing"]),
    "english_label_missing": (
        {"forms": [{"id": "f1", "label": {"zh-CN": "表"}, "fields": [field("a")]}]},
        ["forms[0].label.en: missing or empty English text"]),
    "english_label_empty": (
        {"registers": [{"id": "g1", "form": "fax_register", "label": {"zh-CN": "表", "en": ""}}]},
        ["registers[0].label.en: missing or empty English text"]),
    "chain_unknown_role": (
        {"requests": [reqtype("r1", [step("a", "department_head"),
                                     step("b", "role:finance_boss")])]},
        ['requests[0].steps[1].approver: unknown role "finance_boss"']),
    "chain_unknown_role_second_item": (
        {"requests": [reqtype("r0", [step("a", "department_head")]),
                      reqtype("r1", [step("a", "department_head"),
                                     step("b", "role:finance_boss")])]},
        ['requests[1].steps[1].approver: unknown role "finance_boss"']),
    "duplicate_id_in_file": (
        {"forms": [{"id": "x", "label": L, "fields": [field("a")]},
                   {"id": "x", "label": L, "fields": [field("b")]}]},
        ['forms[1]: duplicate id "x" in this file']),
    "register_unknown_form": (
        {"registers": [{"id": "g1", "form": "nosuch", "label": L}]},
        ['registers[0].form: unknown form "nosuch"']),
    "register_unknown_writer": (
        {"registers": [{"id": "g1", "form": "fax_register", "label": L,
                        "writers": ["it_staff", "boss"]}]},
        ['registers[0].writers[1]: unknown role "boss"']),
    "when_missing_field": (
        {"requests": [reqtype("r1", [step("a", "department_head",
                                          when={"field": "nosuch", "true": True})])]},
        ['requests[0].steps[0].when.field: names no field of form "%s"' % FAX]),
    "execute_step_not_last": (
        {"requests": [reqtype("r1", [step("a", "role:it_staff", kind="execute"),
                                     step("b", "department_head")])]},
        ["requests[0].steps[0].kind: an execute step must be the last step"]),
    "remove_unknown": (
        {"requests": [{"id": "nosuch", "remove": True}]},
        ['requests[0]: removes "nosuch", which no earlier file defines']),
    "bad_id": (
        {"forms": [{"id": "Bad-Id", "label": L, "fields": [field("a")]}]},
        ["forms[0]: \"id\" must be 1-48 characters"]),
    "invalid_json": (
        '{\n  "forms": [\n    {"id": "x",, "label": {}}\n  ]\n}\n',
        ["(file): not valid JSON at line 3, column "]),
    "not_an_object": ("[]", ["(file): must be a JSON object"]),
    "deadline_bad_duration": (
        {"deadlines": [{"id": "d1", "label": L, "register": "complaint", "within": "8 hours",
                        "until": {"field": "forwarded_at"}, "escalate": [{"to": "assignee"}]}]},
        ["deadlines[0].within: must be a duration"]),
    "deadline_start_not_datetime": (
        {"deadlines": [{"id": "d1", "label": L, "register": "complaint", "start": "complainant",
                        "within": "1h", "until": {"field": "forwarded_at"},
                        "escalate": [{"to": "assignee"}]}]},
        ['deadlines[0].start: field "complainant" must be of type datetime']),
    "deadline_unknown_status": (
        {"deadlines": [{"id": "d1", "label": L, "register": "complaint", "within": "3wd",
                        "until": {"status": ["closed_forever"]},
                        "escalate": [{"to": "assignee"}]}]},
        ['deadlines[0].until.status[0]: "closed_forever" is not a status of the register']),
    "deadline_register_and_request": (
        {"deadlines": [{"id": "d1", "label": L, "register": "complaint", "request": "account",
                        "within": "1h", "until": {"field": "forwarded_at"},
                        "escalate": [{"to": "assignee"}]}]},
        ['deadlines[0]: names either a "register" or a "request" type']),
    "deadline_escalates_to_unknown_role": (
        {"deadlines": [{"id": "d1", "label": L, "request": "account", "within": "1wd",
                        "until": {"status": ["approved"]},
                        "escalate": [{"to": "assignee"}, {"to": "role:boss", "after": "1h"}]}]},
        ['deadlines[0].escalate[1].to: unknown role "boss"']),
    "duty_bad_schedule": (
        {"duties": [{"id": "u1", "label": L, "schedule": "0 25 * * *", "within": "1d",
                     "register": "duty_log", "owner": "role:it_staff"}]},
        ["duties[0].schedule: must be a cron schedule"]),
    "duty_unknown_register": (
        {"duties": [{"id": "u1", "label": L, "schedule": "@daily", "within": "1d",
                     "register": "nosuch", "owner": "role:it_staff"}]},
        ['duties[0].register: unknown register "nosuch"']),
    "duty_owner_not_a_role": (
        {"duties": [{"id": "u1", "label": L, "schedule": "@weekly", "within": "1wd",
                     "register": "duty_log", "owner": "zhangsan"}]},
        ["duties[0].owner: must be role:NAME of a known role"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_pack_names_file_path_and_problem(packdir, case):
    content, expected = BROKEN[case]
    path = write(packdir, "bad.json", content)
    lines = check_fails(packdir)
    assert len(lines) == len(expected), lines
    for line, want in zip(lines, expected):
        assert line.startswith("%s: %s" % (path, want)), (line, want)


def test_every_problem_of_every_file_is_reported(packdir):
    a = write(packdir, "a.json", {"forms": [
        {"id": "f1", "label": L, "fields": [field("a", "money"), field("a")]}]})
    b = write(packdir, "b.json", {"requests": [
        reqtype("r1", [step("a", "role:finance_boss")], form="nosuch")]})
    lines = check_fails(packdir)
    assert lines[0].startswith(a + ': forms[0].fields[0].type: unknown field type "money"')
    assert lines[1] == a + ': forms[0].fields[1].id: duplicate field id "a"'
    assert lines[2] == b + ': requests[0].form: unknown form "nosuch"'
    assert lines[3] == b + ': requests[0].steps[0].approver: unknown role "finance_boss"'
    assert len(lines) == 4, lines


def test_an_override_that_breaks_a_builtin_reference_names_the_builtin_item(packdir, builtin):
    # The account request's action needs a "username" text field in its form.
    i = ids(builtin, "requests").index("account")
    write(packdir, "forms.json", {"forms": [
        {"id": "account_form", "label": L, "fields": [
            f for f in next(x for x in builtin["forms"] if x["id"] == "account_form")["fields"]
            if f["id"] != "username"]}]})
    lines = check_fails(packdir)
    assert lines == ['policy/requests.json: requests[%d].action: "create_account" needs a text '
                     'field "username" in form "account_form"' % i], lines
    # Removing a form a built-in register still uses.
    os.unlink(os.path.join(packdir, "forms.json"))
    write(packdir, "forms.json", {"forms": [{"id": "violation", "remove": True}]})
    i = ids(builtin, "registers").index("violation")
    assert check_fails(packdir) == ['policy/registers.json: registers[%d].form: unknown form '
                                    '"violation"' % i]


# --- overrides that pass ------------------------------------------------------------------------

def test_override_replaces_a_builtin_form_by_id(packdir, builtin):
    form = {"id": FAX, "label": {"zh-CN": "传真发送（本院）", "en": "Fax (ours)"},
            "fields": [field("recipient", required=True, max_length=100),
                       field("fax_number", required=True),
                       field("document", required=True),
                       field("pages", "number", integer=True, min=1, max=50),
                       field("urgent", "bool")]}
    write(packdir, "10-forms.json", {"forms": [form]})
    r = isms("policy", "check", "--dir", packdir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert OK.match(r.stdout).group(1) == str(len(builtin["forms"]))
    r = isms("policy", "show", "--dir", packdir)
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    # Replaced whole, in its place; everything else as built in.
    assert ids(shown, "forms") == ids(builtin, "forms")
    assert next(f for f in shown["forms"] if f["id"] == FAX) == form
    assert [f for f in shown["forms"] if f["id"] != FAX] == \
        [f for f in builtin["forms"] if f["id"] != FAX]
    assert shown["registers"] == builtin["registers"]
    assert shown["requests"] == builtin["requests"]


def test_override_removes_a_request_type_and_adds_one(packdir, builtin):
    new = reqtype("fax_international", [step("head", "department_head"),
                                        step("gm", "role:general_manager"),
                                        step("it", "role:it_staff", kind="execute")])
    write(packdir, "20-requests.json", {"requests": [{"id": "fax_sending", "remove": True},
                                                     new]})
    r = isms("policy", "check", "--dir", packdir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert OK.match(r.stdout).group(3) == str(len(builtin["requests"]))
    shown = json.loads(isms("policy", "show", "--dir", packdir).stdout)
    want = [x for x in ids(builtin, "requests") if x != "fax_sending"] + ["fax_international"]
    assert ids(shown, "requests") == want
    assert shown["requests"][-1] == new
    assert shown["forms"] == builtin["forms"] and shown["registers"] == builtin["registers"]
    # Only the removal: one request type fewer.
    os.unlink(os.path.join(packdir, "20-requests.json"))
    write(packdir, "20-requests.json", '{"requests":[{"id":"fax_sending","remove":true}]}')
    r = isms("policy", "check", "--dir", packdir)
    assert r.returncode == 0 and OK.match(r.stdout).group(3) == \
        str(len(builtin["requests"]) - 1), r.stdout
    shown = json.loads(isms("policy", "show", "--dir", packdir).stdout)
    assert "fax_sending" not in ids(shown, "requests")


def test_files_merge_in_name_order(packdir, builtin):
    """A later file replaces or removes what an earlier one added; the reverse order is an
    error (the removal names nothing defined before it)."""
    first = reqtype("local_req", [step("head", "department_head")])
    second = dict(first, label={"zh-CN": "本地申请（修订）", "en": "Local request (revised)"})
    write(packdir, "a.json", {"requests": [first]})
    write(packdir, "b.json", {"requests": [second]})
    shown = json.loads(isms("policy", "show", "--dir", packdir).stdout)
    assert next(q for q in shown["requests"] if q["id"] == "local_req") == second
    write(packdir, "c.json", {"requests": [{"id": "local_req", "remove": True}]})
    shown = json.loads(isms("policy", "show", "--dir", packdir).stdout)
    assert ids(shown, "requests") == ids(builtin, "requests")
    os.rename(os.path.join(packdir, "c.json"), os.path.join(packdir, "0.json"))
    assert check_fails(packdir) == [
        os.path.join(packdir, "0.json") + ': requests[0]: removes "local_req", which no '
        'earlier file defines']


# --- the server refuses a broken pack -----------------------------------------------------------

@pytest.fixture(scope="module")
def datadir():
    tmp = tempfile.mkdtemp(prefix="isms-pack-serve-")
    data = os.path.join(tmp, "data")
    r = isms("init", "--data", data, "--password-file", os.path.join(tmp, "passwords"))
    assert r.returncode == 0, r.stderr
    os.makedirs(os.path.join(data, "policy"), exist_ok=True)
    yield data
    shutil.rmtree(tmp, ignore_errors=True)


def test_serve_refuses_a_broken_pack_and_prints_the_errors(datadir):
    path = write(os.path.join(datadir, "policy"), "x.json", {"requests": [
        reqtype("fax_sending", [step("head", "department_head"),
                                step("fin", "role:finance_boss")])]})
    try:
        check = isms("policy", "check", "--data", datadir)
        assert check.returncode == 1, check.stdout
        assert check.stdout.splitlines() == [
            path + ': requests[0].steps[1].approver: unknown role "finance_boss"']
        r = isms("serve", "--data", datadir, "--listen", "127.0.0.1:0", timeout=60)
        assert r.returncode != 0, r.stdout + r.stderr
        assert "listening" not in r.stdout, r.stdout
        out = r.stdout + r.stderr
        for line in check.stdout.splitlines():
            assert line in out, out
    finally:
        os.unlink(path)
    # Fixed: the same data folder passes again.
    r = isms("policy", "check", "--data", datadir)
    assert r.returncode == 0 and OK.match(r.stdout), r.stdout + r.stderr

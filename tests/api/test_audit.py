"""
The audit trail (SPEC AUD-1..AUD-4; SECURITY.md F2, F3, F4, F6; DESIGN "Audit trail"):
every change leaves exactly one entry saying who, when, from where, what, on what, with
what result and before/after; the audit administrator searches it; the server's C2SP
checkpoints, RFC 9162 inclusion and consistency proofs verify here, in Python, with code
independent of the server's; a direct SQLite edit or a truncation of the trail is detected
by `isms audit verify`; and no secret of the test run is found in the trail, the log or
the database files.
"""
import base64
import calendar
import hashlib
import json
import os
import shutil
import sqlite3
import time

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from apihelp import (RFC3339_UTC, all_pages, audit, audit_max_seq, audit_since, expect_error,
                     isms, new_employee, new_user)
from conftest import strong

# --- RFC 9162 and C2SP signed notes, written from the specifications ---------------------------


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf_hash(entry):
    return sha256(b"\x00" + entry)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def mth(leaves):
    """RFC 9162 2.1.1: the Merkle Tree Hash of a list of leaf hashes."""
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(leaf_index, tree_size, leaf, proof, root):
    """RFC 9162 2.1.3.2."""
    if leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    """RFC 9162 2.1.4.2."""
    if first > second or first == 0:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    if first & (first - 1) == 0:  # an exact power of two
        proof = [first_root] + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def parse_verifier_key(vkey):
    """A signed-note verifier key "<name>+<hex key id>+<base64(0x01 || ed25519 pk)>"."""
    name, hexid, b64 = vkey.strip().split("+", 2)
    blob = base64.b64decode(b64, validate=True)
    assert len(blob) == 33 and blob[0] == 0x01, vkey
    pk = blob[1:]
    key_id = sha256(name.encode() + b"\n\x01" + pk)[:4]
    assert key_id.hex() == hexid, "the key id is SHA-256(name \\n 0x01 key)[:4]"
    return name, key_id, Ed25519PublicKey.from_public_bytes(pk)


def open_checkpoint(note, vkey):
    """Verifies a C2SP signed note with the verifier key; returns (origin, size, root)."""
    name, key_id, pk = parse_verifier_key(vkey)
    text, sep, sigs = note.partition("\n\n")
    assert sep, note
    text += "\n"
    good = 0
    for line in sigs.splitlines():
        assert line.startswith("\u2014 "), line
        sig_name, b64 = line[2:].split(" ")
        blob = base64.b64decode(b64, validate=True)
        if sig_name != name or blob[:4] != key_id:
            continue
        pk.verify(blob[4:], text.encode())  # raises InvalidSignature
        good += 1
    assert good == 1, note
    origin, size, root_b64 = text.rstrip("\n").split("\n")
    root = base64.b64decode(root_b64, validate=True)
    assert len(root) == 32 and origin == name and str(int(size)) == size
    return origin, int(size), root


def b64(s):
    return base64.b64decode(s, validate=True)


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse_time(s):
    assert RFC3339_UTC.match(s), s
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


# --- the module's people ------------------------------------------------------------------


@pytest.fixture(scope="module")
def trail(server):
    class T:
        pass
    t = T()
    t.server = server
    t.sa = server.cached_admin("sysadmin")
    t.sec = server.cached_admin("secadmin")
    t.au = server.cached_admin("auditadmin")
    t.emp = new_employee(server, t.sa, "chen.jing")
    t.uid, pw = new_user(t.sa, "liu.yang", display_name="刘洋", email="ly@example.cn")
    # What must never show up in the trail, the log or the database.
    t.secrets = {"chen.jing one-time password": t.emp.initial,
                 "chen.jing password": t.emp.password, "liu.yang one-time password": pw}
    return t


def admin(t, name):
    return t.server.cached_admin(name)


def one_entry(t, since, actor, action, obj, outcome="success"):
    """The mutation since `since` left exactly one entry, and it says who, when, from where,
    what, on what and with what result (GB/T 22239 8.1.4.3 b; ASVS F2)."""
    new = audit_since(admin(t, "auditadmin"), since)
    assert len(new) == 1, new
    e = new[0]
    assert e["action"] == action and e["object"] == obj and e["outcome"] == outcome, e
    assert e["actor"] == actor and isinstance(e["actor_id"], int) and e["actor_id"] > 0, e
    assert e["source"] == "127.0.0.1", e
    assert abs(parse_time(e["time"]) - t.server.now()) < 30, (e["time"], t.server.now())
    assert e["seq"] == since + 1
    return e


# --- AUD-1 / F2 / F3: one entry per change, with before and after ---------------------------

def test_AUD1_user_create_recorded(trail):
    since = audit_max_seq(admin(trail, "auditadmin"))
    uid, pw = new_user(admin(trail, "sysadmin"), "xu.tao", display_name="徐涛",
                       email="xt@example.cn")
    trail.secrets["xu.tao one-time password"] = pw
    e = one_entry(trail, since, "sysadmin", "user.create", "user:%d" % uid)
    assert e["after"]["username"] == "xu.tao" and e["after"]["display_name"] == "徐涛"
    assert e["after"]["email"] == "xt@example.cn" and e["after"]["roles"] == []
    assert e["after"]["id"] == uid and "before" not in e


def test_AUD1_user_update_recorded(trail):
    sa = admin(trail, "sysadmin")
    u = sa.get("/api/v1/users/%d" % trail.uid).json()["user"]
    new_name = u["display_name"] + "改"
    since = audit_max_seq(admin(trail, "auditadmin"))
    r = sa.patch("/api/v1/users/%d" % trail.uid,
                 json={"version": u["version"], "display_name": new_name})
    assert r.status_code == 200, r.text
    e = one_entry(trail, since, "sysadmin", "user.update", "user:%d" % trail.uid)
    assert e["before"]["display_name"] == u["display_name"]
    assert e["after"]["display_name"] == new_name
    assert e["after"]["version"] == e["before"]["version"] + 1
    changed = {k for k in e["after"] if e["after"][k] != e["before"].get(k)}
    assert changed == {"display_name", "version"}, changed


def test_AUD1_user_disable_and_enable_recorded(trail):
    sa = admin(trail, "sysadmin")
    for path, action, before, after in (("disable", "user.disable", False, True),
                                        ("enable", "user.enable", True, False)):
        since = audit_max_seq(admin(trail, "auditadmin"))
        r = sa.post("/api/v1/users/%d/%s" % (trail.uid, path))
        assert r.status_code == 200 and r.json()["user"]["disabled"] is after, r.text
        e = one_entry(trail, since, "sysadmin", action, "user:%d" % trail.uid)
        assert e["before"] == {"disabled": before} and e["after"] == {"disabled": after}


def test_AUD1_role_grant_and_revoke_recorded(trail):
    sec = admin(trail, "secadmin")
    for roles, before in ((["leader", "it_staff"], []), ([], ["it_staff", "leader"])):
        since = audit_max_seq(admin(trail, "auditadmin"))
        r = sec.post("/api/v1/users/%d/roles" % trail.uid, json={"roles": roles})
        assert r.status_code == 200, r.text
        e = one_entry(trail, since, "secadmin", "user.roles", "user:%d" % trail.uid)
        assert sorted(e["before"]["roles"]) == before
        assert sorted(e["after"]["roles"]) == sorted(roles)


def test_AUD1_department_changes_recorded(trail):
    sa, au = admin(trail, "sysadmin"), admin(trail, "auditadmin")
    since = audit_max_seq(au)
    r = sa.post("/api/v1/departments", json={"name": "审计科"})
    assert r.status_code == 201, r.text
    d = r.json()["department"]
    e = one_entry(trail, since, "sysadmin", "department.create", "department:%d" % d["id"])
    assert e["after"]["name"] == "审计科" and "before" not in e
    since = audit_max_seq(au)
    r = sa.patch("/api/v1/departments/%d" % d["id"],
                 json={"version": d["version"], "name": "内审科", "head_user_id": trail.uid})
    assert r.status_code == 200, r.text
    e = one_entry(trail, since, "sysadmin", "department.update", "department:%d" % d["id"])
    assert e["before"]["name"] == "审计科" and e["after"]["name"] == "内审科"
    assert e["before"]["head_user_id"] is None and e["after"]["head_user_id"] == trail.uid


def test_AUD1_policy_change_recorded(trail):
    sec, au = admin(trail, "secadmin"), admin(trail, "auditadmin")
    old = sec.get("/api/v1/security/policy").json()
    since = audit_max_seq(au)
    # Long sessions for the rest of the module, whose clock moves by hours.
    change = {"password_history": old["password_history"] + 1, "session_idle": 86400,
              "session_absolute": 7 * 86400}
    r = sec.patch("/api/v1/security/policy", json=change)
    assert r.status_code == 200, r.text
    e = one_entry(trail, since, "secadmin", "policy.update", "security_policy")
    for k, v in change.items():
        assert e["before"][k] == old[k] and e["after"][k] == v, k
    assert {k for k in e["after"] if e["after"][k] != e["before"][k]} == set(change)


def test_AUD1_refused_change_leaves_no_change_entry(trail):
    """A refused change leaves its refusal, never a success entry for the change."""
    sa, au = admin(trail, "sysadmin"), admin(trail, "auditadmin")
    since = audit_max_seq(au)
    expect_error(sa.post("/api/v1/departments", json={"name": "内审科"}), 409, "name_taken")
    expect_error(sa.post("/api/v1/users/%d/roles" % trail.uid, json={"roles": ["leader"]}),
                 403, "forbidden")
    new = audit_since(au, since)
    assert [e["action"] for e in new] == ["access.denied"], new
    assert new[0]["outcome"] == "denied" and new[0]["actor"] == "sysadmin"


def test_ASVS_F3_logins_recorded(trail):
    server, au = trail.server, admin(trail, "auditadmin")
    wrong = "Wrong-" + strong()
    trail.secrets["typed wrong password"] = wrong
    since = audit_max_seq(au)
    c = server.client()
    c.login("chen.jing", wrong, expect=401)
    e = one_entry(trail, since, "chen.jing", "login.failure", "user:%d" % trail.emp.uid,
                  outcome="failure")
    assert e["detail"]["factor"] == "password"
    since = audit_max_seq(au)
    c.login("chen.jing", trail.emp.password)
    e = one_entry(trail, since, "chen.jing", "login.success", "user:%d" % trail.emp.uid)
    assert "password" in e["detail"]["factors"]
    since = audit_max_seq(au)
    assert c.delete("/api/v1/session").status_code == 200
    one_entry(trail, since, "chen.jing", "logout", "user:%d" % trail.emp.uid)
    # The employee's first session ended with the new login (single session): go on with a
    # new one.
    c.login("chen.jing", trail.emp.password)
    c.uid, c.password = trail.emp.uid, trail.emp.password
    trail.emp = c


def test_ASVS_F3_password_reset_recorded(trail):
    sa, au = admin(trail, "sysadmin"), admin(trail, "auditadmin")
    since = audit_max_seq(au)
    r = sa.post("/api/v1/users/%d/reset-password" % trail.uid)
    assert r.status_code == 200, r.text
    trail.secrets["reset password"] = r.json()["initial_password"]
    e = one_entry(trail, since, "sysadmin", "password.reset", "user:%d" % trail.uid)
    assert r.json()["initial_password"] not in json.dumps(e)


# --- AUD-4: search ------------------------------------------------------------------------------

def test_AUD4_filters(trail):
    au = admin(trail, "auditadmin")
    every = audit(au)
    assert every and [e["seq"] for e in every] == sorted((e["seq"] for e in every), reverse=True)
    assert [e["seq"] for e in every] == list(range(every[0]["seq"], 0, -1))
    cases = {
        (("actor", "secadmin"),): lambda e: e["actor"] == "secadmin",
        (("action", "user.create"),): lambda e: e["action"] == "user.create",
        (("action", "user."),): lambda e: e["action"].startswith("user."),
        (("object", "user:%d" % trail.uid),): lambda e: e["object"] == "user:%d" % trail.uid,
        (("outcome", "denied"),): lambda e: e["outcome"] == "denied",
        (("actor", "sysadmin"), ("action", "user.")):
            lambda e: e["actor"] == "sysadmin" and e["action"].startswith("user."),
        (("object", "user:%d" % trail.uid), ("action", "user.create")):
            lambda e: e["object"] == "user:%d" % trail.uid and e["action"] == "user.create",
    }
    for params, pred in cases.items():
        want = [e for e in every if pred(e)]
        got = audit(au, **dict(params))
        assert want and got == want, params
        # and page by page, in pages of two
        assert all_pages(au, "/api/v1/audit", limit=2, **dict(params)) == want, params
    assert audit(au, actor="nobody") == []
    assert audit(au, action="no.such.action") == []
    # Times: both bounds inclusive.
    t = every[len(every) // 2]["time"]
    assert audit(au, **{"from": t, "to": t}) == [e for e in every if e["time"] == t]
    assert audit(au, **{"from": t}) == [e for e in every if e["time"] >= t]
    assert audit(au, to=t) == [e for e in every if e["time"] <= t]


def test_AUD4_time_window(trail):
    """Move the server's clock two hours on; entries then fall in their own window."""
    server = trail.server
    au = admin(trail, "auditadmin")
    boundary = server.now() + 3600
    server.advance(7200)
    sa = admin(trail, "sysadmin")
    r = sa.post("/api/v1/departments", json={"name": "两小时后"})
    assert r.status_code == 201, r.text
    obj = "department:%d" % r.json()["department"]["id"]
    au = admin(trail, "auditadmin")
    later = audit(au, **{"from": rfc3339(boundary)})
    assert obj in [e["object"] for e in later]
    assert all(parse_time(e["time"]) >= boundary for e in later)
    earlier = audit(au, to=rfc3339(boundary))
    assert earlier and obj not in [e["object"] for e in earlier]
    assert all(parse_time(e["time"]) <= boundary for e in earlier)
    assert len(earlier) + len(later) == len(audit(au))
    assert audit(au, **{"from": rfc3339(boundary), "to": rfc3339(boundary - 60)}) == []


@pytest.mark.parametrize("query,field", [
    ("from=yesterday", "from"), ("to=2026-13-01T00:00:00Z", "to"), ("from=1700000000", "from"),
    ("limit=0", "limit"), ("limit=501", "limit"), ("after=x", "after"),
    ("actor=" + "a" * 201, "actor"), ("object=%ff", "object"),
])
def test_AUD4_bad_filters_refused(trail, query, field):
    expect_error(admin(trail, "auditadmin").get("/api/v1/audit?" + query), 400, "invalid", field)


def test_AUD3_only_the_audit_admin_reads_the_trail(trail):
    for c in (admin(trail, "sysadmin"), admin(trail, "secadmin"), trail.emp):
        for path in ("/api/v1/audit", "/api/v1/audit/verify", "/api/v1/audit/checkpoint",
                     "/api/v1/audit/1/proof", "/api/v1/audit/consistency?first=1"):
            expect_error(c.get(path), 403, "forbidden")
    # and nobody can change it through the product: there is no such route
    au = admin(trail, "auditadmin")
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        expect_error(au.request(method, "/api/v1/audit"), 405, "method_not_allowed")
        expect_error(au.request(method, "/api/v1/audit/1/proof"), 405, "method_not_allowed")


# --- AUD-2: verification, checkpoints and proofs ------------------------------------------------

def test_AUD2_verify_reports_intact_trail(trail):
    au = admin(trail, "auditadmin")
    n = audit_max_seq(au)
    r = au.get("/api/v1/audit/verify")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and body["entries"] == n and body["checkpoints"] >= 1, body
    # Verifying is itself recorded.
    e = audit(au, action="audit.verify")[0]
    assert e["seq"] == n + 1 and e["actor"] == "auditadmin"
    assert e["detail"] == {"ok": True, "entries": n}


def checkpoint(t):
    r = admin(t, "auditadmin").get("/api/v1/audit/checkpoint")
    assert r.status_code == 200, r.text
    body = r.json()
    origin, size, root = open_checkpoint(body["checkpoint"], body["verifier_key"])
    return body, size, root


def test_AUD2_checkpoint_is_a_signed_note(trail):
    au = admin(trail, "auditadmin")
    n = audit_max_seq(au)
    body, size, root = checkpoint(trail)
    assert size == n, "a checkpoint covers the whole log at the time it is made"
    with open(os.path.join(trail.server.data, "keys", "audit.pub")) as f:
        assert f.read().strip() == body["verifier_key"]
    # The verifier here is not a yes-man: a changed size or root does not verify.
    note = body["checkpoint"]
    lines = note.split("\n")
    for forged in ("\n".join([lines[0], str(size + 1)] + lines[2:]),
                   "\n".join(lines[:2] + [base64.b64encode(b"\0" * 32).decode()] + lines[3:])):
        with pytest.raises(InvalidSignature):
            open_checkpoint(forged, body["verifier_key"])
    assert audit(au, action="audit.checkpoint_export")[0]["actor"] == "auditadmin"


def test_AUD2_inclusion_proofs_verify(trail):
    au = admin(trail, "auditadmin")
    body, size, root = checkpoint(trail)
    listed = {e["seq"]: e for e in audit(au)}
    leaves = []
    for seq in range(1, size + 1):
        r = au.get("/api/v1/audit/%d/proof" % seq)
        assert r.status_code == 200, r.text
        p = r.json()
        assert p["seq"] == seq and p["leaf_index"] == seq - 1 and p["tree_size"] == size
        assert p["checkpoint"] == body["checkpoint"] and b64(p["root"]) == root
        entry = p["entry"].encode()
        assert b64(p["leaf_hash"]) == leaf_hash(entry)
        assert json.loads(entry) == listed[seq], "the search shows the hashed bytes"
        proof = [b64(x) for x in p["proof"]]
        assert verify_inclusion(seq - 1, size, leaf_hash(entry), proof, root), seq
        if proof:  # and a wrong proof does not verify
            assert not verify_inclusion(seq - 1, size, leaf_hash(entry + b" "), proof, root)
            bad = list(proof)
            bad[0] = sha256(bad[0])
            assert not verify_inclusion(seq - 1, size, leaf_hash(entry), bad, root)
        leaves.append(leaf_hash(entry))
    # The root signed by the server is the Merkle Tree Hash of exactly these entries.
    assert mth(leaves) == root
    # Proofs in an older tree: their roots are the roots of the log's prefixes.
    for k in (1, 2, 3, 7, 8, size // 2, size - 1):
        r = au.get("/api/v1/audit/1/proof", params={"size": k})
        assert r.status_code == 200, r.text
        p = r.json()
        assert p["tree_size"] == k and b64(p["root"]) == mth(leaves[:k])
        assert verify_inclusion(0, k, leaves[0], [b64(x) for x in p["proof"]], mth(leaves[:k]))


def test_AUD2_proof_errors(trail):
    au = admin(trail, "auditadmin")
    n = audit_max_seq(au)
    expect_error(au.get("/api/v1/audit/%d/proof" % (n + 1000)), 404, "not_found")
    expect_error(au.get("/api/v1/audit/0/proof"), 404, "not_found")
    expect_error(au.get("/api/v1/audit/5/proof", params={"size": 3}), 404, "not_found")
    expect_error(au.get("/api/v1/audit/1/proof", params={"size": "abc"}), 400, "invalid", "size")
    expect_error(au.get("/api/v1/audit/1/proof", params={"size": n + 1000}), 404, "not_found")
    expect_error(au.get("/api/v1/audit/consistency"), 400, "invalid", "first")
    expect_error(au.get("/api/v1/audit/consistency", params={"first": 0}), 400, "invalid",
                 "first")
    expect_error(au.get("/api/v1/audit/consistency", params={"first": 5, "second": 3}), 400,
                 "invalid", "second")
    expect_error(au.get("/api/v1/audit/consistency", params={"first": "x"}), 400, "invalid",
                 "first")
    expect_error(au.get("/api/v1/audit/consistency", params={"first": 1, "second": n + 1000}),
                 400, "invalid", "second")


def test_AUD2_consistency_proofs_verify(trail):
    au = admin(trail, "auditadmin")
    _, size1, root1 = checkpoint(trail)
    # The log grows.
    sa = admin(trail, "sysadmin")
    for i in range(5):
        assert sa.post("/api/v1/departments", json={"name": "增长%d" % i}).status_code == 201
    _, size2, root2 = checkpoint(trail)
    assert size2 > size1
    r = au.get("/api/v1/audit/consistency", params={"first": size1, "second": size2})
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["first"] == size1 and p["second"] == size2
    assert b64(p["first_root"]) == root1 and b64(p["second_root"]) == root2
    proof = [b64(x) for x in p["proof"]]
    assert verify_consistency(size1, size2, root1, root2, proof)
    assert not verify_consistency(size1, size2, sha256(root1), root2, proof)
    assert not verify_consistency(size1, size2, root1, sha256(root2), proof)
    # Every older size is consistent with the newest checkpoint (includes powers of two, the
    # first == second case, and the sizes whose proofs need the most nodes).
    roots = {}
    for first in range(1, size2 + 1):
        r = au.get("/api/v1/audit/consistency", params={"first": first, "second": size2})
        assert r.status_code == 200, r.text
        p = r.json()
        assert b64(p["second_root"]) == root2
        roots[first] = b64(p["first_root"])
        assert verify_consistency(first, size2, roots[first], root2,
                                  [b64(x) for x in p["proof"]]), first
    assert roots[size1] == root1 and roots[size2] == root2
    # Without "second": up to the current log.
    r = au.get("/api/v1/audit/consistency", params={"first": size1})
    assert r.status_code == 200 and r.json()["second"] >= size2


# --- F6: tampering with the database is detected ------------------------------------------------

def tamper(db, *sql):
    con = sqlite3.connect(db)
    try:
        con.executescript(";\n".join(("BEGIN",) + sql + ("COMMIT",)))
    finally:
        con.close()


def verify_cli(data, *extra):
    return isms("audit", "verify", "--data", data, *extra)


def make_history(s):
    """A few changes of every kind on a fresh server; returns the seq of one of them."""
    sa = s.admin("sysadmin")
    for name in ("信息中心", "财务部", "人事部", "后勤部", "设备科"):
        assert sa.post("/api/v1/departments", json={"name": name}).status_code == 201
    uid, _ = new_user(sa, "wu.gang")
    r = sa.get("/api/v1/users/%d" % uid).json()["user"]
    assert sa.patch("/api/v1/users/%d" % uid, json={"version": r["version"],
                                                    "display_name": "吴刚"}).status_code == 200


def rows(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def seq_of(db, action, text):
    return rows(db, "SELECT seq FROM audit_log WHERE action = ? AND instr(entry, ?) > 0",
                action, text)[0][0]


def recompute_tree(db):
    """What a careful attacker does after editing entries: recompute every stored node."""
    entries = [r[0].encode() for r in rows(db, "SELECT entry FROM audit_log ORDER BY seq")]
    level, nodes, stmts = 0, [leaf_hash(e) for e in entries], []
    while nodes:
        for i, h in enumerate(nodes):
            stmts.append("UPDATE audit_tree SET hash = x'%s' WHERE level = %d AND idx = %d"
                         % (h.hex(), level, i))
        nodes = [node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
        level += 1
    return stmts


DROP_TRIGGERS = ("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
                 "DROP TRIGGER audit_tree_no_update", "DROP TRIGGER audit_tree_no_delete",
                 "DROP TRIGGER audit_checkpoints_no_update",
                 "DROP TRIGGER audit_checkpoints_no_delete")


def test_ASVS_F6_direct_sqlite_edit_detected(fresh_server, tmp_path):
    s = fresh_server
    s.admin("auditadmin")
    make_history(s)
    assert s.stop() == 0
    db = os.path.join(s.data, "isms.db")
    r = verify_cli(s.data)
    assert r.returncode == 0 and r.stdout.startswith("ok:"), r.stdout + r.stderr

    # The triggers refuse edits through SQL as it stands.
    for sql in ("UPDATE audit_log SET entry = entry WHERE seq = 1",
                "DELETE FROM audit_log WHERE seq = 1", "DELETE FROM audit_tree",
                "DELETE FROM audit_checkpoints"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            tamper(db, sql)

    # Variants, each on its own copy of the data folder.
    k = seq_of(db, "department.create", "财务部")
    variants = {
        "entry": ["UPDATE audit_log SET entry = replace(entry, '财务部', '小金库') WHERE seq = %d"
                  % k],
        "entry_and_tree": ["UPDATE audit_log SET entry = replace(entry, '财务部', '小金库') "
                           "WHERE seq = %d" % k, "RECOMPUTE"],
        "deleted_entry": ["DELETE FROM audit_log WHERE seq = %d" % k],
        "checkpoint_root": ["UPDATE audit_checkpoints SET root = zeroblob(32)"],
        "tree_node": ["UPDATE audit_tree SET hash = zeroblob(32) WHERE level = 1 AND idx = 0"],
    }
    expect = {"entry": "entry %d" % k, "entry_and_tree": "checkpoint",
              "deleted_entry": "entry %d is missing" % k, "checkpoint_root": "checkpoint",
              "tree_node": "entries 1..2"}
    for name, sql in variants.items():
        copy = str(tmp_path / name)
        shutil.copytree(s.data, copy)
        cdb = os.path.join(copy, "isms.db")
        tamper(cdb, *DROP_TRIGGERS)
        if sql[-1] == "RECOMPUTE":
            tamper(cdb, sql[0])
            tamper(cdb, *recompute_tree(cdb))
        else:
            tamper(cdb, *sql)
        r = verify_cli(copy)
        assert r.returncode == 1, (name, r.stdout, r.stderr)
        assert "damaged" in r.stderr and expect[name] in r.stderr, (name, r.stderr)
        assert not r.stdout.startswith("ok"), name

    # The server's own answer turns too (entry edited in place, server restarted).
    tamper(db, "DROP TRIGGER audit_log_no_update", variants["entry"][0])
    s.start()
    au = s.admin("auditadmin")
    r = au.get("/api/v1/audit/verify")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is False and body["first_bad_seq"] == k, body
    assert ("entry %d" % k) in body["message"]
    r = verify_cli(s.data)
    assert r.returncode == 1 and ("entry %d" % k) in r.stderr, r.stderr


def test_ASVS_F6_truncation_detected_against_exported_checkpoint(fresh_server, tmp_path):
    s = fresh_server
    make_history(s)
    assert s.stop() == 0
    r = isms("audit", "checkpoint", "--data", s.data)
    assert r.returncode == 0, r.stderr
    cp = tmp_path / "checkpoint"
    cp.write_text(r.stdout)
    with open(os.path.join(s.data, "keys", "audit.pub")) as f:
        _, size, _ = open_checkpoint(r.stdout, f.read())
    db = os.path.join(s.data, "isms.db")
    assert rows(db, "SELECT max(seq) FROM audit_log")[0][0] == size

    r = verify_cli(s.data, "--checkpoint", str(cp))
    assert r.returncode == 0 and r.stdout.startswith("ok:"), r.stdout + r.stderr

    # Remove the newest three entries cleanly: their rows, every tree node that covers
    # them, and every checkpoint that includes them.
    keep = size - 3
    tamper(db, *DROP_TRIGGERS)
    tamper(db, "DELETE FROM audit_log WHERE seq > %d" % keep,
           "DELETE FROM audit_tree WHERE ((idx + 1) << level) > %d" % keep,
           "DELETE FROM audit_checkpoints WHERE size > %d" % keep)
    r = verify_cli(s.data, "--checkpoint", str(cp))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "missing" in r.stderr and str(keep + 1) in r.stderr, r.stderr


# --- F4: no secret in the trail, the log or the database ----------------------------------------

def test_ASVS_F4_no_secrets_in_trail_log_or_database(trail):
    server = trail.server
    sa = admin(trail, "sysadmin")
    r = sa.post("/api/v1/me/tokens", json={"name": "f4", "scopes": ["read"]})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    r = sa.delete("/api/v1/me/tokens/%d" % r.json()["id"])
    assert r.status_code == 200, r.text

    secrets_ = dict(trail.secrets)
    secrets_["api token"] = token
    for name, pw in server.passwords.items():
        secrets_[name + " one-time password"] = pw
    for name, a in server.admins.items():
        secrets_[name + " password"] = a["password"]
        secrets_[name + " TOTP secret"] = a["secret"]
        for i, code in enumerate(a["recovery"]):
            secrets_["%s recovery code %d" % (name, i)] = code
    clients = [admin(trail, n) for n in ("sysadmin", "secadmin", "auditadmin")] + [trail.emp]
    for i, c in enumerate(clients):
        secrets_["csrf %d" % i] = c.csrf
        secrets_["session %d" % i] = c.cookies.get("isms_session")
    secrets_ = {k: v for k, v in secrets_.items() if v}
    assert len(secrets_) >= 20 and all(len(v) >= 8 for v in secrets_.values()), secrets_

    au = admin(trail, "auditadmin")
    trail_text = json.dumps(audit(au), ensure_ascii=False)
    log = server.stderr()
    files = {}
    for f in ("isms.db", "isms.db-wal"):
        p = os.path.join(server.data, f)
        if os.path.exists(p):
            with open(p, "rb") as fh:
                files[f] = fh.read()
    assert files["isms.db"]
    found = []
    for what, value in secrets_.items():
        variants = {value, value.upper(), value.lower()} if "recovery" in what or \
            "TOTP" in what else {value}
        for v in variants:
            if v in trail_text:
                found.append((what, "audit trail"))
            if v in log:
                found.append((what, "server log"))
            for f, data in files.items():
                if v.encode() in data:
                    found.append((what, f))
        if "TOTP" in what:  # not even the raw key bytes
            raw = base64.b32decode(value + "=" * (-len(value) % 8))
            for f, data in files.items():
                if raw in data:
                    found.append((what + " (raw)", f))
    assert not found, found

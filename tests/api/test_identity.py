"""
Identity API tests: password policy (SPEC ID-2; SECURITY.md A1, A2, A4, A5), the first-login
and after-reset password change (ID-3; A7, A10), lockout with pam_faillock semantics (ID-4;
A6 cases a-h, A14), API tokens (ID-9), and the audit trail of logins with no secret in the
audit trail, the server log or the data folder (ID-8; F3, F4).

Every refused request asserts the status, the error code and that nothing changed.
"""
import datetime
import json
import secrets
import sqlite3
import time

import pytest

from authkit import (Account, Secrets, admin, attempt, audit, bare, create_user, data_folder_bytes,
                     employee, err, login, new_password, notifications, set_policy)

S = Secrets()  # every secret this module handles; the last test greps for them


def ts(text):
    """Unix seconds of an RFC 3339 UTC time such as 2026-11-21T08:00:00Z."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def wrong():
    """A wrong password (planted: it must never appear anywhere either)."""
    w = "Wrong#" + secrets.token_hex(6)
    S.add(w)
    return w


def user_view(server, uid):
    r = admin(server, "sysadmin").get("/api/v1/users/%d" % uid)
    assert r.status_code == 200, r.text
    return r.json()["user"]


def lock(acct):
    """Three wrong passwords: two 401s, then 423 account_locked; returns the error."""
    for _ in range(2):
        err(acct.attempt(wrong()), 401, "bad_credentials")
    return err(acct.attempt(wrong()), 423, "account_locked")


# --- A7: no default accounts --------------------------------------------------------------


def test_ASVS_A7_no_default_accounts(server):
    # isms init made exactly the three named administrators, with distinct random passwords
    assert set(server.passwords) == {"sysadmin", "secadmin", "auditadmin"}
    assert len(set(server.passwords.values())) == 3
    for pw in server.passwords.values():
        S.add(pw)
        assert len(pw) >= 16
    for name in ("admin", "root", "sa", "administrator", "isms", "guest"):
        for pw in (name, "123456"):
            err(attempt(server, name, pw), 401, "bad_credentials")
    names = {u["username"] for u in
             admin(server, "sysadmin").get("/api/v1/users", params={"limit": 500}).json()["items"]}
    assert not names & {"admin", "root", "sa", "administrator", "isms", "guest"}, names
    # an administrator whose one-time password is still unchanged must change it first
    pending = [n for n in ("auditadmin", "sysadmin", "secadmin") if n not in server.admins]
    if pending:
        name = pending[0]
        c, r = login(server, name, server.passwords[name], secrets_=S)
        assert r.json()["must_change_password"] is True
        err(c.get("/api/v1/users"), 403, "password_change_required")


# --- ID-2: password quality ---------------------------------------------------------------


@pytest.fixture(scope="module")
def pw_acct(server):
    """The account whose password the ID-2 tests try to change."""
    return employee(server, "lihua", display_name="Zhao Leiting", secrets_=S)


def change(acct, new):
    S.add(new)
    return acct.client.post("/api/v1/me/password",
                            json={"old_password": acct.password, "new_password": new})


def accepted(acct, new):
    r = change(acct, new)
    assert r.status_code == 200, r.text
    acct.password = new
    # the new password is the one that works now
    acct.login(secrets_=S)


def refused(acct, new, detail, try_login=True):
    """A refused change: 400 weak_password on new_password with a reason the user
    understands, and nothing changed: the refused password does not log in, the current
    one still does."""
    r = change(acct, new)
    e = err(r, 400, "weak_password", field="new_password")
    assert detail in e.get("detail", ""), e
    if try_login:
        err(acct.attempt(new), 401, "bad_credentials")
    acct.login(secrets_=S)
    return e


def test_ID2_ASVS_A1_too_short_refused(pw_acct):
    refused(pw_acct, "Kq7#vR2", "at least 8 characters")


def test_ID2_ASVS_A1_length_counted_in_code_points(pw_acct):
    # 7 CJK characters are 21 bytes: still too short (libpwquality alone would count bytes)
    refused(pw_acct, "天地玄黄宇宙洪", "at least 8 characters")
    # 8 code points, 4 classes (CJK counts as "other"): accepted
    accepted(pw_acct, "Qz7天地玄黄宇")


def test_ID2_three_classes_required_under_dengbao(pw_acct):
    refused(pw_acct, "harbourlanterndrift", "use at least 3 of")
    refused(pw_acct, "Harbourlanterndrift", "use at least 3 of")


@pytest.mark.parametrize("weak,detail", [
    ("Aa123456", "is too common"),
    ("Woaini1314", "is too common"),
    ("Woaini1314!", "common password with digits or symbols added"),
    ("P@ssw0rd1", "is too common"),
    ("Qwerty123!", "common password with digits or symbols added"),
    ("Ab19900101", "looks like a date"),
])
def test_ID2_ASVS_A4_common_passwords_refused(pw_acct, weak, detail):
    refused(pw_acct, weak, detail)


def test_ID2_ASVS_A4_login_name_refused(pw_acct):
    refused(pw_acct, "Lihua#2024xQ", "must not contain the login name")


def test_ID2_ASVS_A4_display_name_refused(pw_acct):
    refused(pw_acct, "Leiting#7xQ!z", "must not contain your name")


def test_ID2_ASVS_A4_context_words_refused(pw_acct):
    refused(pw_acct, "Isms#Secure2024", "must not contain the name of the organization")


def test_ID2_same_as_current_refused(pw_acct):
    refused(pw_acct, pw_acct.password, "must differ from the current password",
            try_login=False)


def test_ID2_good_password_accepted(pw_acct):
    old = pw_acct.password
    accepted(pw_acct, new_password())
    err(pw_acct.attempt(old), 401, "bad_credentials")
    pw_acct.login(secrets_=S)


def test_ID2_history_last_five_refused_sixth_allowed(server):
    uid, p0 = create_user(server, "history1", secrets_=S)
    c, _ = login(server, "history1", p0, secrets_=S)
    acct = Account(server, uid, "history1", p0, c)
    used = [p0]
    for _ in range(5):
        p = new_password()
        accepted(acct, p)
        used.append(p)
    # the last 5 are used[1..5] (used[5] is the current one): the oldest of them is refused
    refused(acct, used[1], "must not be one of your last 5 passwords")
    refused(acct, used[3], "must not be one of your last 5 passwords")
    # the one before them (the one-time password) is no longer remembered
    accepted(acct, used[0])


def test_ID2_nist_profile_accepts_passphrase_dengbao_refuses(server, pw_acct):
    phrase = "lanterns drift over the quiet harbour"
    refused(pw_acct, phrase, "use at least 3 of")
    old = set_policy(server, password_profile="nist")
    try:
        pol = admin(server, "secadmin").get("/api/v1/security/policy").json()
        assert (pol["password_profile"], pol["password_min_classes"],
                pol["password_max_age_days"]) == ("nist", 0, 0)
        accepted(pw_acct, phrase)
        # nist keeps the blocklist and the minimum length
        refused(pw_acct, "woaini1314", "is too common")
        refused(pw_acct, "天地玄黄宇宙洪", "at least 8 characters")
    finally:
        set_policy(server, password_profile=old["password_profile"])
    pol = admin(server, "secadmin").get("/api/v1/security/policy").json()
    assert (pol["password_profile"], pol["password_min_classes"], pol["password_history"],
            pol["password_max_age_days"]) == ("dengbao", 3, 5, 90)
    refused(pw_acct, "harbourlanterndrift", "use at least 3 of")


def test_ID2_password_policy_only_security_admin(server):
    before = admin(server, "secadmin").get("/api/v1/security/policy").json()
    r = admin(server, "sysadmin").patch("/api/v1/security/policy",
                                        json={"password_profile": "nist"})
    err(r, 403, "forbidden")
    assert admin(server, "secadmin").get("/api/v1/security/policy").json() == before


def test_ID2_password_expires_after_90_days_under_dengbao(fresh_server):
    s = fresh_server
    c, _ = login(s, "sysadmin", s.passwords["sysadmin"])
    pw = new_password()
    r = c.post("/api/v1/me/password",
               json={"old_password": s.passwords["sysadmin"], "new_password": pw})
    assert r.status_code == 200, r.text
    s.advance(89 * 86400)
    c, r = login(s, "sysadmin", pw)
    assert r.json()["must_change_password"] is False
    err(c.get("/api/v1/users"), 403, "totp_enrollment_required")
    s.advance(2 * 86400)
    c, r = login(s, "sysadmin", pw)
    assert r.json()["must_change_password"] is True
    err(c.get("/api/v1/users"), 403, "password_change_required")
    new = new_password()
    r = c.post("/api/v1/me/password", json={"old_password": pw, "new_password": new})
    assert r.status_code == 200, r.text
    assert c.get("/api/v1/me").json()["must_change_password"] is False


def test_ASVS_A2_long_passwords_accepted_up_to_128(pw_acct):
    p64 = new_password(64)
    accepted(pw_acct, p64)
    # verified exactly as typed: no truncation
    err(pw_acct.attempt(p64[:-1]), 401, "bad_credentials")
    pw_acct.login(secrets_=S)
    refused(pw_acct, new_password(129), "at most 128 characters")
    accepted(pw_acct, new_password(128))


def test_ASVS_A5_change_needs_current_password(pw_acct):
    new = new_password()
    S.add(new)
    r = pw_acct.client.post("/api/v1/me/password",
                            json={"old_password": wrong(), "new_password": new})
    err(r, 403, "bad_credentials", field="old_password")
    r = pw_acct.client.post("/api/v1/me/password", json={"new_password": new})
    err(r, 400, "invalid", field="old_password")
    # nothing changed: the new password does not log in, the current one does
    err(pw_acct.attempt(new), 401, "bad_credentials")
    pw_acct.login(secrets_=S)


# --- ID-3: change at first login and after a reset -----------------------------------------

PW_CHANGE_REFUSED = [
    ("GET", "/api/v1/users", None),
    ("GET", "/api/v1/users/{uid}", None),
    ("PATCH", "/api/v1/users/{uid}", {"display_name": "Changed"}),
    ("GET", "/api/v1/departments", None),
    ("POST", "/api/v1/departments", {"name": "Shadow dept"}),
    ("GET", "/api/v1/roles", None),
    ("GET", "/api/v1/security/policy", None),
    ("GET", "/api/v1/me/notifications", None),
    ("GET", "/api/v1/me/tokens", None),
    ("POST", "/api/v1/me/tokens", {"name": "early", "scopes": ["read"]}),
    ("POST", "/api/v1/me/totp", None),
    ("POST", "/api/v1/me/totp/confirm", {"code": "123456"}),
    ("GET", "/api/v1/audit", None),
]


def assert_change_required_everywhere(c, uid):
    for method, path, body in PW_CHANGE_REFUSED:
        r = c.request(method, path.format(uid=uid), json=body)
        err(r, 403, "password_change_required")
    r = c.get("/api/v1/me")
    assert r.status_code == 200, r.text
    assert r.json()["must_change_password"] is True


def test_ID3_ASVS_A7_new_account_must_change_password_first(server):
    uid, initial = create_user(server, "newcomer", display_name="New Comer", secrets_=S)
    c, r = login(server, "newcomer", initial, secrets_=S)
    assert r.json()["must_change_password"] is True
    assert_change_required_everywhere(c, uid)
    # logging out is allowed too
    cookie = c.cookies.get("isms_session")
    r = c.delete("/api/v1/session")
    assert r.status_code == 200, r.text
    err(bare(server, "GET", "/api/v1/me", cookie=cookie), 401, "unauthenticated")
    c, r = login(server, "newcomer", initial, secrets_=S)
    new = new_password()
    S.add(new)
    r = c.post("/api/v1/me/password", json={"old_password": initial, "new_password": new})
    assert r.status_code == 200, r.text
    # the same session goes on, now unrestricted
    me = c.get("/api/v1/me").json()
    assert me["must_change_password"] is False
    # nothing the refused requests asked for happened
    assert me["user"]["display_name"] == "New Comer"
    assert c.get("/api/v1/me/tokens").json()["items"] == []
    depts = admin(server, "sysadmin").get("/api/v1/departments").json()["items"]
    assert "Shadow dept" not in [d["name"] for d in depts]
    assert "password_changed" in [n["kind"] for n in notifications(c)]
    # the one-time password is single-use
    err(attempt(server, "newcomer", initial), 401, "bad_credentials")
    login(server, "newcomer", new, secrets_=S)


def test_ID3_ASVS_A10_admin_reset_requires_change_and_is_single_use(server):
    acct = employee(server, "resetme", secrets_=S)
    old_cookie = acct.client.cookies.get("isms_session")
    # only the system administrator resets passwords; a refusal changes nothing
    err(admin(server, "secadmin").post("/api/v1/users/%d/reset-password" % acct.uid), 403,
        "forbidden")
    assert acct.client.get("/api/v1/me").status_code == 200
    r = admin(server, "sysadmin").post("/api/v1/users/%d/reset-password" % acct.uid)
    assert r.status_code == 200, r.text
    temp = r.json()["initial_password"]
    S.add(temp)
    assert len(temp) >= 12 and r.json()["user"]["must_change_password"] is True
    # the reset ends the account's sessions and the old password
    err(bare(server, "GET", "/api/v1/me", cookie=old_cookie), 401, "unauthenticated")
    err(acct.attempt(), 401, "bad_credentials")
    c, r = login(server, "resetme", temp, secrets_=S)
    assert r.json()["must_change_password"] is True
    assert_change_required_everywhere(c, acct.uid)
    new = new_password()
    S.add(new)
    r = c.post("/api/v1/me/password", json={"old_password": temp, "new_password": new})
    assert r.status_code == 200, r.text
    kinds = [n["kind"] for n in notifications(c)]
    assert "password_reset" in kinds and "password_changed" in kinds, kinds
    err(attempt(server, "resetme", temp), 401, "bad_credentials")
    login(server, "resetme", new, secrets_=S)
    entries = audit(server, action="password.reset", object="user:%d" % acct.uid)
    assert [(e["actor"], e["outcome"]) for e in entries] == [("sysadmin", "success")]


# --- ID-4: lockout (SECURITY.md pam_faillock cases a-h) ------------------------------------


def test_ID4_ASVS_A6_third_failure_locks(server):
    acct = employee(server, "lock_a", secrets_=S)
    e = lock(acct)
    assert e["unlock_at"] is not None
    assert abs(ts(e["unlock_at"]) - (server.now() + 900)) <= 5, e
    # (a) the correct password is refused during the lock
    e2 = err(acct.attempt(), 423, "account_locked")
    assert e2["unlock_at"] == e["unlock_at"]
    u = user_view(server, acct.uid)
    assert u["locked"] is True and u["locked_until"] == e["unlock_at"]


def test_ID4_ASVS_A6_lock_runs_from_last_failure_then_expires(server):
    acct = employee(server, "lock_b", secrets_=S)
    err(acct.attempt(wrong()), 401, "bad_credentials")
    server.advance(300)
    err(acct.attempt(wrong()), 401, "bad_credentials")
    server.advance(300)
    t3 = server.now()
    e = err(acct.attempt(wrong()), 423, "account_locked")
    assert abs(ts(e["unlock_at"]) - (t3 + 900)) <= 3, e
    # 600 s later a lock counted from the first failure would be over; this one is not, and
    # attempts during the lock (right or wrong) do not extend it
    server.advance(600)
    err(acct.attempt(wrong()), 423, "account_locked")
    err(acct.attempt(), 423, "account_locked")
    server.advance(ts(e["unlock_at"]) - server.now() + 1)
    # after the unlock time a fresh count starts: one failure does not lock again
    err(acct.attempt(wrong()), 401, "bad_credentials")
    r = acct.login(secrets_=S)
    assert r.status_code == 200
    entries = audit(server, action="account.unlock", object="user:%d" % acct.uid)
    assert [e["detail"]["reason"] for e in entries] == ["unlock_time_passed"]


def test_ID4_failures_further_apart_than_interval_do_not_lock(server):
    acct = employee(server, "lock_c", secrets_=S)
    err(acct.attempt(wrong()), 401, "bad_credentials")
    server.advance(500)
    err(acct.attempt(wrong()), 401, "bad_credentials")
    server.advance(500)
    # the first failure is 1000 s before the third: outside the 900 s window
    err(acct.attempt(wrong()), 401, "bad_credentials")
    acct.login(secrets_=S)
    assert user_view(server, acct.uid)["locked"] is False


def test_ID4_success_resets_the_count(server):
    acct = employee(server, "lock_d", secrets_=S)
    err(acct.attempt(wrong()), 401, "bad_credentials")
    err(acct.attempt(wrong()), 401, "bad_credentials")
    acct.login(secrets_=S)
    err(acct.attempt(wrong()), 401, "bad_credentials")
    err(acct.attempt(wrong()), 401, "bad_credentials")
    acct.login(secrets_=S)


def test_ID4_ASVS_A6_administrator_unlock_is_audited(server):
    acct = employee(server, "lock_e", secrets_=S)
    lock(acct)
    # only the system administrator unlocks; a refusal changes nothing
    err(admin(server, "secadmin").post("/api/v1/users/%d/unlock" % acct.uid), 403, "forbidden")
    err(acct.attempt(), 423, "account_locked")
    r = admin(server, "sysadmin").post("/api/v1/users/%d/unlock" % acct.uid)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["locked"] is False
    acct.login(secrets_=S)
    entries = audit(server, action="account.unlock", object="user:%d" % acct.uid)
    assert len(entries) == 1, entries
    e = entries[0]
    assert (e["actor"], e["outcome"], e["source"]) == ("sysadmin", "success", "127.0.0.1")
    assert e["detail"]["reason"] == "administrator"
    assert e["before"]["failures"] == 3


def test_ID4_ASVS_A14_lock_notifies_user_and_security_admin(server):
    acct = employee(server, "lock_n", secrets_=S)
    e = lock(acct)
    r = admin(server, "sysadmin").post("/api/v1/users/%d/unlock" % acct.uid)
    assert r.status_code == 200, r.text
    acct.login(secrets_=S)
    mine = [n for n in notifications(acct.client) if n["kind"] == "account_locked"]
    assert len(mine) == 1, mine
    assert mine[0]["params"]["until"] == e["unlock_at"]
    assert mine[0]["params"]["source"] == "127.0.0.1"
    sec = [n for n in notifications(admin(server, "secadmin"))
           if n["kind"] == "account_locked" and n["params"].get("username") == "lock_n"]
    assert len(sec) == 1, sec
    assert "account_unlocked" in [n["kind"] for n in notifications(acct.client)]


def locked_until_an_administrator(server, acct, wait):
    """After `wait` seconds the account is still locked, even with the right password, with
    no unlock time; an administrator's unlock lets it log in again."""
    server.advance(wait)
    e = err(acct.attempt(), 423, "account_locked")
    assert e["unlock_at"] is None
    r = admin(server, "sysadmin").post("/api/v1/users/%d/unlock" % acct.uid)
    assert r.status_code == 200, r.text
    acct.login(secrets_=S)


def test_ID4_unlock_time_zero_means_until_an_administrator(server):
    acct = employee(server, "lock_f", secrets_=S)
    old = set_policy(server, lockout_unlock_time=0)
    try:
        e = lock(acct)
        assert e["unlock_at"] is None
        locked_until_an_administrator(server, acct, 2 * 3600)
    finally:
        set_policy(server, **old)


def test_ID4_ASVS_A6_guessing_the_current_password_locks_too(server):
    """A live session must not become a way around the lockout: the old password asked by
    the change endpoint is a credential like the login's."""
    acct = employee(server, "lock_guess", secrets_=S)
    c = acct.client
    new = new_password()
    S.add(new)

    def change_with(old):
        return c.post("/api/v1/me/password", json={"old_password": old, "new_password": new})

    for _ in range(2):
        err(change_with(wrong()), 403, "bad_credentials", field="old_password")
    e = err(change_with(wrong()), 423, "account_locked")
    assert e["unlock_at"] is not None
    # the right current password is refused while locked, and nothing changed
    e = err(change_with(acct.password), 423, "account_locked")
    err(acct.attempt(), 423, "account_locked")
    assert user_view(server, acct.uid)["locked"] is True
    r = admin(server, "sysadmin").post("/api/v1/users/%d/unlock" % acct.uid)
    assert r.status_code == 200, r.text
    err(attempt(server, acct.username, new), 401, "bad_credentials")
    acct.login(secrets_=S)
    denied = audit(server, action="password.change", object="user:%d" % acct.uid,
                   outcome="denied")
    assert [(d["actor"], d["detail"]["reason"]) for d in denied] == \
        [("lock_guess", "account_locked")]


def test_ID4_ASVS_A6_unknown_user_and_wrong_password_same_answer(server):
    acct = employee(server, "lock_g", secrets_=S)
    strip = lambda e: {k: v for k, v in e.items() if k != "request_id"}  # noqa: E731

    def timed(f):
        t = time.monotonic()
        e = err(f(), 401, "bad_credentials")
        return e, time.monotonic() - t

    (known, t1), (_, t2) = [timed(lambda: acct.attempt(wrong())) for _ in range(2)]
    (unknown, u1), (_, u2) = [timed(lambda: attempt(server, "no_such_user_g", wrong()))
                              for _ in range(2)]
    assert strip(known) == strip(unknown)
    assert set(known) == {"code", "message", "request_id"}
    # the unknown user costs a password hash too (no timing oracle of that size)
    assert min(u1, u2) > 0.25 * min(t1, t2), (u1, u2, t1, t2)
    # a disabled account answers the same even with the right password
    acct.login(secrets_=S)
    r = admin(server, "sysadmin").post("/api/v1/users/%d/disable" % acct.uid)
    assert r.status_code == 200, r.text
    assert strip(err(acct.attempt(), 401, "bad_credentials")) == strip(unknown)
    r = admin(server, "sysadmin").post("/api/v1/users/%d/enable" % acct.uid)
    assert r.status_code == 200, r.text
    acct.login(secrets_=S)


def test_ID4_ASVS_A6_hard_ceiling_only_an_administrator_lifts(server):
    acct = employee(server, "lock_h", secrets_=S)
    old = set_policy(server, lockout_deny=3, lockout_ceiling=6)
    try:
        e = lock(acct)  # failures 1-3: a timed lock
        assert e["unlock_at"] is not None
        server.advance(ts(e["unlock_at"]) - server.now() + 1)
        err(acct.attempt(wrong()), 401, "bad_credentials")  # 4
        err(acct.attempt(wrong()), 401, "bad_credentials")  # 5
        e = err(acct.attempt(wrong()), 423, "account_locked")  # 6: the ceiling
        assert e["unlock_at"] is None, e
        u = user_view(server, acct.uid)
        assert u["locked"] is True and u["locked_until"] is None
        locked_until_an_administrator(server, acct, 86400)
    finally:
        set_policy(server, **old)
    entries = audit(server, action="account.lock_hard", object="user:%d" % acct.uid)
    assert len(entries) == 1, entries


def test_ID4_policy_refuses_ceiling_below_deny(server):
    before = admin(server, "secadmin").get("/api/v1/security/policy").json()
    r = admin(server, "secadmin").patch("/api/v1/security/policy",
                                        json={"lockout_deny": 5, "lockout_ceiling": 4})
    err(r, 400, "invalid", field="lockout_ceiling")
    assert admin(server, "secadmin").get("/api/v1/security/policy").json() == before


# --- F3: every authentication leaves an audit entry ---------------------------------------


def test_F3_login_success_failure_and_lock_audited(server):
    acct = employee(server, "audited1", secrets_=S)  # one successful login
    obj = "user:%d" % acct.uid
    lock(acct)
    err(acct.attempt(), 423, "account_locked")
    err(attempt(server, "ghost_f3", wrong()), 401, "bad_credentials")

    ok = audit(server, action="login.success", object=obj)
    assert len(ok) == 1, ok
    assert (ok[0]["actor"], ok[0]["source"], ok[0]["outcome"]) == \
        ("audited1", "127.0.0.1", "success")
    assert ok[0]["detail"]["factors"] == ["password"]
    assert ok[0]["time"].endswith("Z")

    fails = audit(server, action="login.failure", object=obj)
    assert [(f["actor"], f["source"], f["outcome"], f["detail"]["reason"],
             f["detail"]["failures"]) for f in fails] == \
        [("audited1", "127.0.0.1", "failure", "bad_password", n) for n in (1, 2, 3)]
    locks = audit(server, action="account.lock", object=obj)
    assert len(locks) == 1 and locks[0]["source"] == "127.0.0.1", locks
    denied = audit(server, action="login.denied", object=obj)
    assert [(d["outcome"], d["detail"]["reason"]) for d in denied] == \
        [("denied", "account_locked")]
    ghost = audit(server, action="login.failure", actor="ghost_f3")
    assert [(g["outcome"], g["detail"]["reason"], g["source"]) for g in ghost] == \
        [("failure", "unknown_user", "127.0.0.1")]
    changes = audit(server, action="password.change", object=obj)
    assert [(c["actor"], c["outcome"]) for c in changes] == [("audited1", "success")]


# --- ID-9: API tokens ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tok_acct(server):
    return employee(server, "sensor_owner", secrets_=S)


def make_token(acct, scopes, days=1, name="sensor"):
    r = acct.client.post("/api/v1/me/tokens",
                         json={"name": name, "scopes": scopes, "expires_in_days": days})
    assert r.status_code == 201, r.text
    tok = r.json()
    S.add(tok["token"])
    return tok


def test_ID9_token_shown_once_and_works_without_csrf(server, tok_acct):
    t0 = tok_acct.server.now()
    tok = make_token(tok_acct, ["read"])
    assert tok["token"].startswith("isms_") and len(tok["token"]) >= 45
    assert tok["scopes"] == ["read"] and tok["name"] == "sensor"
    assert abs(ts(tok["expires_at"]) - (t0 + 86400)) <= 5
    listed = tok_acct.client.get("/api/v1/me/tokens")
    assert listed.status_code == 200
    assert tok["id"] in [t["id"] for t in listed.json()["items"]]
    assert tok["token"] not in listed.text and "token_hash" not in listed.text
    r = bare(server, "GET", "/api/v1/me", bearer=tok["token"])
    assert r.status_code == 200, r.text
    assert r.json()["via_token"] is True and r.json()["user"]["username"] == "sensor_owner"
    entries = audit(server, action="token.create", object="token:%d" % tok["id"])
    assert [e["actor"] for e in entries] == ["sensor_owner"]
    # looked up by its SHA-256: the token is not in the database or its WAL in clear
    for path, data in data_folder_bytes(server):
        assert tok["token"].encode() not in data, path
        assert tok["token"][5:].encode() not in data, path


def test_ID9_token_refused_inputs_create_nothing(tok_acct):
    before = tok_acct.client.get("/api/v1/me/tokens").json()["items"]
    for body, field in [({"name": "x", "scopes": ["read"], "expires_in_days": 0},
                         "expires_in_days"),
                        ({"name": "x", "scopes": ["read"], "expires_in_days": 366},
                         "expires_in_days"),
                        ({"name": "x", "scopes": ["admin"]}, "scopes"),
                        ({"name": "x", "scopes": []}, "scopes"),
                        ({"name": "", "scopes": ["read"]}, "name")]:
        err(tok_acct.client.post("/api/v1/me/tokens", json=body), 400, "invalid", field=field)
    assert tok_acct.client.get("/api/v1/me/tokens").json()["items"] == before


def test_ID9_read_token_cannot_write(server, tok_acct):
    ro = make_token(tok_acct, ["read"])
    unread = [n for n in notifications(tok_acct.client) if n["read_at"] is None]
    assert unread, "the account should have an unread notification"
    nid = unread[0]["id"]
    r = bare(server, "POST", "/api/v1/me/notifications/%d/read" % nid, bearer=ro["token"])
    err(r, 403, "forbidden")
    assert [n["read_at"] for n in notifications(tok_acct.client) if n["id"] == nid] == [None]
    rw = make_token(tok_acct, ["read", "write"], name="writer")
    r = bare(server, "POST", "/api/v1/me/notifications/%d/read" % nid, bearer=rw["token"])
    assert r.status_code == 200, r.text
    assert [n["read_at"] for n in notifications(tok_acct.client) if n["id"] == nid] != [None]


def test_ID9_tokens_cannot_manage_credentials(server, tok_acct):
    rw = make_token(tok_acct, ["read", "write"], name="limited")
    state = lambda: [(t["id"], t["name"], t["scopes"], t["expires_at"], t["revoked_at"])  # noqa
                     for t in tok_acct.client.get("/api/v1/me/tokens").json()["items"]]
    before = state()
    new = new_password()
    S.add(new)
    for method, path, body in [
            ("POST", "/api/v1/me/password",
             {"old_password": tok_acct.password, "new_password": new}),
            ("GET", "/api/v1/me/tokens", None),
            ("POST", "/api/v1/me/tokens", {"name": "child", "scopes": ["read", "write"]}),
            ("DELETE", "/api/v1/me/tokens/%d" % rw["id"], None),
            ("POST", "/api/v1/me/totp", None),
            ("DELETE", "/api/v1/session", None)]:
        err(bare(server, method, path, bearer=rw["token"], json=body), 403, "forbidden")
    # nothing changed
    assert state() == before
    assert bare(server, "GET", "/api/v1/me", bearer=rw["token"]).status_code == 200
    err(attempt(server, tok_acct.username, new), 401, "bad_credentials")
    tok_acct.login(secrets_=S)
    assert tok_acct.client.get("/api/v1/me").json()["user"]["totp_enabled"] is False


def test_ID9_revoked_token_refused(server, tok_acct):
    tok = make_token(tok_acct, ["read"], name="to-revoke")
    assert bare(server, "GET", "/api/v1/me", bearer=tok["token"]).status_code == 200
    # somebody else cannot revoke it
    other = employee(server, "not_owner", secrets_=S)
    err(other.client.delete("/api/v1/me/tokens/%d" % tok["id"]), 404, "not_found")
    assert bare(server, "GET", "/api/v1/me", bearer=tok["token"]).status_code == 200
    r = tok_acct.client.delete("/api/v1/me/tokens/%d" % tok["id"])
    assert r.status_code == 200, r.text
    err(bare(server, "GET", "/api/v1/me", bearer=tok["token"]), 401, "unauthenticated")
    entries = audit(server, action="token.revoke", object="token:%d" % tok["id"])
    assert [e["actor"] for e in entries] == ["sensor_owner"]
    # a made-up token of the right shape is refused the same way
    err(bare(server, "GET", "/api/v1/me", bearer="isms_" + secrets.token_urlsafe(32)), 401,
        "unauthenticated")


def test_ID9_expired_token_refused(server, tok_acct):
    tok = make_token(tok_acct, ["read"], days=1, name="short-lived")
    assert bare(server, "GET", "/api/v1/me", bearer=tok["token"]).status_code == 200
    server.advance(2 * 86400)
    err(bare(server, "GET", "/api/v1/me", bearer=tok["token"]), 401, "unauthenticated")


# --- ID-8 / F4: no secret anywhere --------------------------------------------------------


def test_ID8_ASVS_F4_no_secret_in_audit_log_or_data_folder(server):
    for a in server.admins.values():
        S.add(a["password"], a["secret"], *a["recovery"])
    assert len(S.values) > 50
    entries = audit(server)
    text = json.dumps(entries, ensure_ascii=False)
    assert len(entries) > 100
    assert S.found_in(text) == []
    assert S.found_in(server.stderr()) == []
    for path, data in data_folder_bytes(server):
        assert S.found_in(data) == [], path
    # the stored password hashes are argon2id with their parameters (E1)
    db = sqlite3.connect("file:%s/isms.db?mode=ro" % server.data, uri=True)
    try:
        hashes = [h for (h,) in db.execute("SELECT pw_hash FROM users")]
        hashes += [h for (h,) in db.execute("SELECT pw_hash FROM password_history")]
    finally:
        db.close()
    assert hashes and all(h.startswith("$argon2id$v=19$m=") for h in hashes), hashes[:3]


def test_F4_password_typed_as_login_name_not_recorded(server):
    """A password typed into the name field never reaches the audit trail; a plausible
    unknown login name is recorded so that guessing of names stays visible."""
    typed = "Zq8#" + new_password()
    err(attempt(server, typed, wrong()), 401, "bad_credentials")
    err(attempt(server, "nobody.f4", wrong()), 401, "bad_credentials")
    fails = [f for f in audit(server, action="login.failure")
             if f["detail"].get("reason") == "unknown_user"]
    actors = [f["actor"] for f in fails]
    assert "nobody.f4" in actors
    assert "(not a login name)" in actors
    assert not any(typed in json.dumps(f, ensure_ascii=False) for f in fails)


def test_ASVS_A10_unused_one_time_password_expires(server):
    """A one-time password not used within one_time_password_days (7) is refused; the
    administrator's reset issues a fresh one that works."""
    uid, initial = server.user("expiring.a10")
    server.advance(8 * 86400)
    try:
        err(attempt(server, "expiring.a10", initial), 401, "one_time_password_expired")
        denied = audit(server, action="login.denied", object="user:%d" % uid)
        assert denied and denied[-1]["detail"]["reason"] == "one_time_password_expired"
        r = admin(server, "sysadmin").post("/api/v1/users/%d/reset-password" % uid)
        assert r.status_code == 200, r.text
        fresh = r.json()["initial_password"]
        assert attempt(server, "expiring.a10", fresh).status_code == 200
    finally:
        server.advance(-8 * 86400)

"""
Two-factor login API tests (SPEC ID-5; SECURITY.md A8, A11, A12, A14): enrolment required
for administrators, QR enrolment and recovery codes, codes accepted once, +-1 step of drift,
password reset keeping TOTP, the security administrator's TOTP reset, "2FA for everyone",
second-factor failures counting toward the lockout, and no TOTP seed or recovery code in the
audit trail, the log or the data folder.

A client whose clock is k steps off sends the code of step now + k; the tests compute those
codes against the server's (movable) clock.
"""
import base64
import concurrent.futures
import json
from urllib.parse import parse_qs, unquote, urlparse

from authkit import (Secrets, admin, audit, code_at, data_folder_bytes, employee, err,
                     forget_admin, login, mid_step, new_password, next_step, notifications,
                     set_policy, step_of)
from conftest import totp

S = Secrets()


def enrol(server, client):
    """Enrols TOTP through the API; returns (secret, recovery codes)."""
    r = client.post("/api/v1/me/totp")
    assert r.status_code == 200, r.text
    secret = r.json()["secret"]
    mid_step(server)
    r = client.post("/api/v1/me/totp/confirm", json={"code": code_at(secret, server)})
    assert r.status_code == 200, r.text
    codes = r.json()["recovery_codes"]
    S.add(secret, *codes)
    return secret, codes


def enrolled(server, username):
    acct = employee(server, username, secrets_=S)
    acct.secret, acct.recovery = enrol(server, acct.client)
    return acct


def not_a_code(secret, server):
    """A six-digit code that is wrong for every step in the window."""
    valid = {code_at(secret, server, k) for k in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "123456", "654321") if c not in valid)


# --- A8: administrators must enrol ----------------------------------------------------------

ENROLMENT_REFUSED = [
    ("GET", "/api/v1/users", None),
    ("POST", "/api/v1/users", {"username": "made_before_2fa", "display_name": "Early"}),
    ("GET", "/api/v1/users/1", None),
    ("POST", "/api/v1/users/2/unlock", None),
    ("GET", "/api/v1/departments", None),
    ("POST", "/api/v1/departments", {"name": "Made before 2FA"}),
    ("GET", "/api/v1/roles", None),
    ("GET", "/api/v1/security/policy", None),
    ("GET", "/api/v1/me/notifications", None),
    ("GET", "/api/v1/me/tokens", None),
    ("POST", "/api/v1/me/tokens", {"name": "early", "scopes": ["read", "write"]}),
]


def test_ID5_ASVS_A8_administrator_must_enrol_before_anything_else(server):
    name = "sysadmin"
    assert name not in server.admins
    pol = admin(server, "secadmin").get("/api/v1/security/policy").json()
    # The administrators, and every role that approves or may reveal a secret (the attack
    # pass: a password the system administrator reset must not be enough to act as them).
    assert pol["totp_required_roles"] == ["sys_admin", "security_admin", "audit_admin",
                                          "it_staff", "leader", "general_manager",
                                          "finance_head"]
    assert pol["totp_required_department_heads"] is True
    assert pol["totp_required_everyone"] is False
    c, r = login(server, name, server.passwords[name], secrets_=S)
    assert r.json()["totp_enrollment_required"] is True
    new = new_password()
    S.add(new)
    r = c.post("/api/v1/me/password",
               json={"old_password": server.passwords[name], "new_password": new})
    assert r.status_code == 200, r.text
    me = c.get("/api/v1/me").json()
    assert (me["must_change_password"], me["totp_enrollment_required"]) == (False, True)
    for method, path, body in ENROLMENT_REFUSED:
        err(c.request(method, path, json=body), 403, "totp_enrollment_required")
    # logging out is allowed
    r = c.delete("/api/v1/session")
    assert r.status_code == 200, r.text
    c, r = login(server, name, new, secrets_=S)
    assert r.json()["totp_enrollment_required"] is True

    r = c.post("/api/v1/me/totp")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"secret", "uri", "qr_svg"}
    secret = body["secret"]
    S.add(secret)
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) == 20  # 160 bits
    uri = urlparse(body["uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path).endswith(":" + name)
    q = parse_qs(uri.query)
    assert q["secret"] == [secret] and q["issuer"]
    assert "<svg" in body["qr_svg"]
    # a wrong code does not enrol
    mid_step(server)
    err(c.post("/api/v1/me/totp/confirm", json={"code": not_a_code(secret, server)}), 400,
        "bad_otp", field="code")
    err(c.get("/api/v1/users"), 403, "totp_enrollment_required")
    r = c.post("/api/v1/me/totp/confirm", json={"code": code_at(secret, server)})
    assert r.status_code == 200, r.text
    codes = r.json()["recovery_codes"]
    S.add(*codes)
    assert len(codes) >= 8 and len(set(codes)) == len(codes)
    assert all(len(x) >= 13 for x in codes)
    server.admins[name] = {"password": new, "secret": secret, "last": step_of(server),
                           "recovery": codes}
    # enrolled: the same session may now do its work
    users = c.get("/api/v1/users", params={"limit": 500})
    assert users.status_code == 200
    # nothing the refused requests asked for happened
    assert "made_before_2fa" not in [u["username"] for u in users.json()["items"]]
    assert "Made before 2FA" not in [d["name"] for d in
                                     c.get("/api/v1/departments").json()["items"]]
    assert c.get("/api/v1/me/tokens").json()["items"] == []
    assert "totp_enabled" in [n["kind"] for n in notifications(c)]
    # a second enrolment is refused: only the security administrator resets TOTP
    err(c.post("/api/v1/me/totp"), 409, "totp_already_enabled")
    uid = c.get("/api/v1/me").json()["user"]["id"]
    entries = audit(server, action="totp.enable", object="user:%d" % uid)
    assert [e["actor"] for e in entries] == [name]


# --- logins with a second factor ------------------------------------------------------------


def test_ID5_login_needs_the_code_once_enrolled(server):
    acct = enrolled(server, "otp_login")
    next_step(server)
    for body in ({}, {"otp": ""}):
        r = acct.client.post("/api/v1/session",
                             json=dict(username=acct.username, password=acct.password, **body))
        err(r, 401, "otp_required", field="otp")
        assert "Set-Cookie" not in r.headers  # no session before the second factor
    r = acct.attempt(otp=not_a_code(acct.secret, server))
    err(r, 401, "bad_otp", field="otp")
    assert "Set-Cookie" not in r.headers
    # a wrong password with the right code says nothing about the code
    err(acct.attempt(password="Wrong#" + acct.password, otp=code_at(acct.secret, server)), 401,
        "bad_credentials")
    r = acct.login(otp=code_at(acct.secret, server), secrets_=S)
    assert r.json()["totp_enrollment_required"] is False
    ok = audit(server, action="login.success", object="user:%d" % acct.uid)
    assert ok[-1]["detail"]["factors"] == ["password", "totp"]
    fails = audit(server, action="login.failure", object="user:%d" % acct.uid)
    assert [(f["detail"]["factor"], f["detail"]["reason"]) for f in fails] == \
        [("totp", "bad_code"), ("password", "bad_password")]


def test_ID5_ASVS_A12_same_code_refused_the_second_time(server):
    acct = enrolled(server, "otp_replay")
    next_step(server)
    code = code_at(acct.secret, server)
    acct.login(otp=code, secrets_=S)
    first = acct.client
    # the same code again, within the same 30 s step
    err(acct.attempt(otp=code), 401, "bad_otp")
    # the previous step's code (inside the drift window) is older than the used one
    err(acct.attempt(otp=code_at(acct.secret, server, -1)), 401, "bad_otp")
    assert first.get("/api/v1/me").status_code == 200  # the refused replay ended nothing
    entries = audit(server, action="totp.replay", object="user:%d" % acct.uid)
    assert len(entries) == 2, entries
    assert all(e["outcome"] == "denied" and e["source"] == "127.0.0.1" for e in entries)
    alerts = [n for n in notifications(admin(server, "secadmin"))
              if n["kind"] == "second_factor_failure" and n["params"]["username"] == "otp_replay"]
    assert [n["params"]["reason"] for n in alerts] == ["replayed_code", "replayed_code"]
    # the next step's code works
    next_step(server)
    acct.login(otp=code_at(acct.secret, server), secrets_=S)


def test_ID5_drift_of_one_step_accepted_two_refused(server):
    acct = enrolled(server, "otp_drift")
    next_step(server, steps=3)  # every code below is newer than the enrolment's
    err(acct.attempt(otp=code_at(acct.secret, server, -2)), 401, "bad_otp")
    acct.login(otp=code_at(acct.secret, server, -1), secrets_=S)
    err(acct.attempt(otp=code_at(acct.secret, server, +2)), 401, "bad_otp")
    acct.login(otp=code_at(acct.secret, server, +1), secrets_=S)
    # after the code of step now+1, the current step's code is an older one: refused
    err(acct.attempt(otp=code_at(acct.secret, server, 0)), 401, "bad_otp")


def test_ASVS_A12_recovery_code_works_once(server):
    acct = enrolled(server, "otp_recover")
    code = acct.recovery[0]
    r = acct.login(otp=code, secrets_=S)
    assert r.status_code == 200
    ok = audit(server, action="login.success", object="user:%d" % acct.uid)
    assert ok[-1]["detail"]["factors"] == ["password", "recovery"]
    assert len(audit(server, action="recovery_code.use", object="user:%d" % acct.uid)) == 1
    assert "recovery_code_used" in [n["kind"] for n in notifications(acct.client)]
    err(acct.attempt(otp=code), 401, "bad_otp")
    acct.login(otp=acct.recovery[1], secrets_=S)
    err(acct.attempt(otp=acct.recovery[1]), 401, "bad_otp")


def test_ASVS_A12_parallel_logins_with_one_code_only_one_succeeds(server):
    acct = enrolled(server, "otp_race")

    def race(otp):
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            rs = list(pool.map(lambda _: acct.attempt(otp=otp), range(3)))
        assert sorted(r.status_code for r in rs) == [200, 401, 401], [r.text for r in rs]
        for r in rs:
            if r.status_code != 200:
                err(r, 401, "bad_otp")

    next_step(server)
    race(code_at(acct.secret, server))
    next_step(server)
    acct.login(otp=code_at(acct.secret, server), secrets_=S)  # clears the two failures
    race(acct.recovery[0])


def test_ID4_ID5_second_factor_failures_count_toward_the_lockout(server):
    acct = enrolled(server, "otp_lock")
    next_step(server)
    wrong = not_a_code(acct.secret, server)
    err(acct.attempt(otp=wrong), 401, "bad_otp")
    err(acct.attempt(otp=wrong), 401, "bad_otp")
    e = err(acct.attempt(otp=wrong), 423, "account_locked")
    assert e["unlock_at"]
    # the right password and code are refused during the lock, and not used up
    code = code_at(acct.secret, server)
    err(acct.attempt(otp=code), 423, "account_locked")
    r = admin(server, "sysadmin").post("/api/v1/users/%d/unlock" % acct.uid)
    assert r.status_code == 200, r.text
    acct.login(otp=code, secrets_=S)


# --- A11: resets ----------------------------------------------------------------------------


def test_ID5_ASVS_A11_password_reset_keeps_totp(server):
    acct = enrolled(server, "otp_pwreset")
    r = admin(server, "sysadmin").post("/api/v1/users/%d/reset-password" % acct.uid)
    assert r.status_code == 200, r.text
    temp = r.json()["initial_password"]
    S.add(temp)
    assert r.json()["user"]["totp_enabled"] is True
    next_step(server)
    err(acct.attempt(password=temp), 401, "otp_required")
    c, r = login(server, acct.username, temp, otp=code_at(acct.secret, server), secrets_=S)
    assert r.json()["must_change_password"] is True
    new = new_password()
    S.add(new)
    r = c.post("/api/v1/me/password", json={"old_password": temp, "new_password": new})
    assert r.status_code == 200, r.text
    acct.password = new
    next_step(server)
    err(acct.attempt(), 401, "otp_required")
    acct.login(otp=code_at(acct.secret, server), secrets_=S)


def test_ID5_ASVS_A11_security_admin_resets_totp_and_the_user_reenrols(server):
    name = "auditadmin"
    aud = admin(server, name)
    old = server.admins[name]
    uid = aud.get("/api/v1/me").json()["user"]["id"]
    sec_uid = admin(server, "secadmin").get("/api/v1/me").json()["user"]["id"]
    # only the security administrator, and not on their own account
    err(admin(server, "sysadmin").post("/api/v1/users/%d/reset-totp" % uid), 403, "forbidden")
    err(admin(server, "secadmin").post("/api/v1/users/%d/reset-totp" % sec_uid), 403,
        "forbidden")
    assert aud.get("/api/v1/me").json()["user"]["totp_enabled"] is True
    err(login(server, name, old["password"], expect=401)[1], 401, "otp_required")

    r = admin(server, "secadmin").post("/api/v1/users/%d/reset-totp" % uid)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["totp_enabled"] is False
    err(aud.get("/api/v1/me"), 401, "unauthenticated")  # its sessions ended
    forget_admin(server, name)
    c, r = login(server, name, old["password"], secrets_=S)
    assert r.json()["totp_enrollment_required"] is True
    err(c.get("/api/v1/audit"), 403, "totp_enrollment_required")
    secret, codes = enrol(server, c)
    assert secret != old["secret"]
    assert "totp_reset" in [n["kind"] for n in notifications(c)]  # A14
    server.admins[name] = {"password": old["password"], "secret": secret,
                           "last": step_of(server), "recovery": codes}
    # the old factor is gone: neither its codes nor its recovery codes work
    next_step(server)
    if totp(old["secret"], server.now()) != code_at(secret, server):
        err(login(server, name, old["password"], otp=totp(old["secret"], server.now()),
                  expect=401)[1], 401, "bad_otp")
    err(login(server, name, old["password"], otp=old["recovery"][-1], expect=401)[1], 401,
        "bad_otp")
    entries = audit(server, action="totp.reset", object="user:%d" % uid)
    assert [(e["actor"], e["before"]["totp_enabled"]) for e in entries] == [("secadmin", True)]


def test_ID5_ASVS_A8_policy_can_require_totp_for_everyone(server):
    acct = employee(server, "otp_everyone", secrets_=S)
    old = set_policy(server, totp_required_everyone=True)
    try:
        r = acct.login(secrets_=S)
        assert r.json()["totp_enrollment_required"] is True
        err(acct.client.get("/api/v1/me/notifications"), 403, "totp_enrollment_required")
        err(acct.client.post("/api/v1/me/tokens", json={"name": "t", "scopes": ["read"]}), 403,
            "totp_enrollment_required")
        assert acct.client.get("/api/v1/me").json()["totp_enrollment_required"] is True
    finally:
        set_policy(server, **old)
    # the policy applies to live sessions at once, both ways
    assert acct.client.get("/api/v1/me/notifications").status_code == 200
    assert acct.client.get("/api/v1/me/tokens").json()["items"] == []


# --- F4 -------------------------------------------------------------------------------------


def test_ID8_ASVS_F4_no_totp_seed_or_recovery_code_stored_or_logged(server):
    for a in server.admins.values():
        S.add(a["password"], a["secret"], *a["recovery"])
    assert len(S.values) > 60
    assert S.found_in(json.dumps(audit(server), ensure_ascii=False)) == []
    assert S.found_in(server.stderr()) == []
    for path, data in data_folder_bytes(server):
        assert S.found_in(data) == [], path
        # nor the seeds in their raw (base32-decoded) form
        for a in server.admins.values():
            raw = base64.b32decode(a["secret"] + "=" * (-len(a["secret"]) % 8))
            assert raw not in data, path

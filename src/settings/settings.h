/*
 * settings.h: the security policy that the security administrator sets at run time
 * (SPEC: "configurable" means changed at run time and recorded in the audit trail).
 * Stored as JSON values in table settings; every change goes through settings_update,
 * which writes the audit entry (before/after) in the same transaction.
 */
#ifndef ISMS_APP_SETTINGS_H
#define ISMS_APP_SETTINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto/lockout.h"
#include "crypto/password.h"

struct store;
struct actor;
struct problem;

struct security_policy {
	struct password_policy password;
	struct lockout_policy lockout;
	int64_t session_idle;     /* seconds, default 900 (15 min) */
	int64_t session_absolute; /* seconds, default 43200 (12 h) */
	bool single_session;      /* default true: a new login ends the older session */
	/* ROLE_* bits whose members must use 2FA; default the administrators and every role
	 * that approves or may reveal a secret (IT staff, leadership, general manager, finance
	 * head), so that a password an administrator reset is not enough to act as them. */
	unsigned totp_roles;
	bool totp_heads;            /* 2FA for department heads (they approve), default true */
	bool totp_everyone;         /* 2FA for every account */
	int login_rate_per_minute;  /* per client address and login name, default 30 */
	int login_rate_per_address; /* per client address, whatever the name, default 300 */
	int one_time_password_days; /* an unused one-time password expires after this (7) */
	char org_name[128];         /* a context word for passwords and the TOTP issuer */
};

void security_policy_defaults(struct security_policy *ret);
/* Reads the policy (defaults for missing keys). */
int settings_load(struct store *st, struct security_policy *ret);
/* The policy as the JSON object of GET /api/v1/security/policy; new reference. */
json_t *settings_to_json(const struct security_policy *pol);
/*
 * Applies a partial JSON object of policy fields (only the documented keys; unknown keys,
 * wrong types and out-of-range values are -ERR_INVALID with p->field). Only the security
 * administrator may call it (-ERR_FORBIDDEN otherwise). Writes the rows and one audit
 * entry "policy.update" with before/after in one transaction.
 */
int settings_update(struct store *st, const struct actor *actor, json_t *changes,
                    struct problem *p);

/* Sets the organization's name at creation time (isms init), before any actor exists. */
int settings_set_org_name(struct store *st, const char *org);

/* A copy of the running instance's security policy (app/app.c implements it, core/host.h). */
struct app;
void app_policy(struct app *a, struct security_policy *ret);

#endif

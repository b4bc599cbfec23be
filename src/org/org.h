/*
 * org.h: the organization (SPEC ACC-1, ACC-2): departments with heads, user accounts and
 * their roles. Permission checks are made here, in the domain, not only in the routes:
 *
 *   sys_admin       creates and edits accounts and departments, disables and enables them;
 *                   may not read the audit trail or grant roles;
 *   security_admin  grants and revokes roles (never its own), sets the security policy;
 *   audit_admin     reads and verifies the audit trail; changes nothing else;
 *   no account holds two of these three roles (also enforced by a database trigger).
 *
 * Every change writes its audit entry (before/after) in the same transaction.
 */
#ifndef ISMS_ORG_ORG_H
#define ISMS_ORG_ORG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/common.h"

struct store;
struct actor;
struct problem;

#define USERNAME_MAX     64
#define DISPLAY_NAME_MAX 64 /* code points */

struct user {
	int64_t id;
	char username[USERNAME_MAX + 1];
	char *display_name;
	int64_t department_id; /* 0 = none */
	char *email;           /* NULL = none */
	char pw_hash[128];
	int64_t pw_changed_at;
	bool must_change_pw;
	bool disabled;
	int64_t fail_reset_at;
	int fails_since_success;
	bool hard_locked;
	unsigned char *totp_secret; /* sealed blob or NULL */
	size_t totp_secret_len;
	unsigned char *totp_pending;
	size_t totp_pending_len;
	int64_t totp_last_counter;
	int64_t last_login_at;
	int64_t created_at;
	int64_t version;
	unsigned roles;        /* ROLE_* bits */
	int64_t expires_at;    /* 0 = no end; past it the account counts as disabled */
	char locale[8];        /* the language of the person's messages: "zh-CN" or "en" */
	bool heads_department; /* the head of at least one department */
};

void user_release(struct user *u);

/* Loads a user by id or (case-insensitive) login name; -ERR_NOT_FOUND. */
int org_user_load(struct store *st, int64_t id, struct user *ret);
int org_user_load_by_name(struct store *st, const char *username, struct user *ret);
/* The public view of a user (no hash, no secrets); new reference. */
json_t *org_user_json(const struct user *u);

struct user_input {
	const char *username;
	const char *display_name;
	int64_t department_id; /* 0 = none */
	const char *email;     /* NULL = none */
};

/* Checks a login name: 2..64 of [a-z0-9._-], starting with a letter or digit. */
bool org_username_valid(const char *s);

/*
 * Creates an account with a one-time password that must be changed at first login
 * (SPEC ID-3). sys_admin only (or the local operator, user_id 0). *ret_password receives
 * the one-time password (caller frees, and wipes it); it is never stored or logged.
 * 409 "username_taken" when the login name exists.
 */
int org_user_create(struct store *st, const struct actor *a, const struct user_input *in,
                    unsigned roles, int64_t *ret_id, char **ret_password, struct problem *p);
/* Updates display_name, department_id and/or email from a JSON object; the "version" must
 * match (409 "stale_version"). sys_admin only. Other keys are refused (mass assignment). */
int org_user_update(struct store *st, const struct actor *a, int64_t id, json_t *changes,
                    struct problem *p);
/* The language of one's own messages and texts: "zh-CN" or "en"; audited "user.locale".
 * *ret = the account's view. */
bool org_locale_valid(const char *s);
int org_user_set_locale(struct store *st, const struct actor *a, const char *locale, json_t **ret,
                        struct problem *p);
/* Disables (and ends every session and API token use of) or re-enables an account. */
int org_user_set_disabled(struct store *st, const struct actor *a, int64_t id, bool disabled,
                          struct problem *p);
/* Sets (expires_at > 0) or clears the time an account stops working: a vendor's temporary
 * account (ACC-6), a departure's effective time (ACC-5). A time already past also ends the
 * account's sessions at once. sys_admin only. */
int org_user_set_expiry(struct store *st, const struct actor *a, int64_t id, int64_t expires_at,
                        struct problem *p);
/* Replaces the roles of an account. security_admin only, never on itself; 409
 * "admin_separation" when the result would hold two administrator roles. Takes effect at
 * once for live sessions (roles are read on every request). */
int org_user_set_roles(struct store *st, const struct actor *a, int64_t id, unsigned roles,
                       struct problem *p);

/*
 * The three-administrator rule (三员分立, separation.c), asked by every path that changes
 * roles, department heads, approvers or executors. An account that holds an administrator
 * role holds that one role and no other, heads no department, and acts on no step of a
 * request but the steps of its own administrator role.
 */
struct duties {
	unsigned roles;        /* the roles the account holds, or is about to hold */
	bool heads_department; /* it heads, or is about to head, a department */
	bool step;             /* it is about to approve or execute a step of a request */
	unsigned step_role;    /* that step's role (role:…), 0 for a department head or a
	                        * person named in the form */
};
/* 0, or -ERR_CONFLICT "admin_separation" (two administrator roles) or "admin_exclusive"
 * (an administrator role with anything else), the field and a detail set in p. */
int org_separation_check(const struct duties *d, struct problem *p);
/* The roles an account acts with: its roles, or its administrator role alone when it
 * holds one (an account that broke the rule before it was enforced gains nothing by it). */
unsigned org_effective_roles(const struct user *u);
/* Does the account, as stored, break the rule? */
bool org_user_breaks_separation(const struct user *u);
/* Every account that breaks the rule as stored: [{user_id, username, roles,
 * heads_department, problem}], for `isms policy check`, the server's start and the account
 * review. */
int org_separation_report(struct store *st, json_t **ret_items);

struct user_filter {
	int64_t department_id; /* 0 = any */
	const char *q;         /* substring of login or display name, NULL = any */
	int64_t after;         /* cursor: id > after */
	int limit;
};
/* Lists accounts (sys_admin, security_admin, audit_admin). */
int org_user_list(struct store *st, const struct actor *a, const struct user_filter *f,
                  json_t **ret_items, int64_t *ret_next, struct problem *p);
/* The people directory (通讯录) for pickers and names: id, login, name, department and whether
 * the account is out of use; every logged-in person may read it. */
int org_directory(struct store *st, const struct user_filter *f, json_t **ret_items,
                  int64_t *ret_next);
/* May the actor read this account? (itself, or one of the three administrators) */
bool org_may_read_user(const struct actor *a, int64_t id);

/* Departments: anyone logged in reads; sys_admin creates and edits. */
int org_department_list(struct store *st, int64_t after, int limit, json_t **ret_items,
                        int64_t *ret_next);
int org_department_get(struct store *st, int64_t id, json_t **ret);
/* {"name", "parent_id"?, "head_user_id"?} */
int org_department_create(struct store *st, const struct actor *a, json_t *in, int64_t *ret_id,
                          struct problem *p);
/* {"version", "name"?, "parent_id"?, "head_user_id"?} */
int org_department_update(struct store *st, const struct actor *a, int64_t id, json_t *changes,
                          struct problem *p);

/* A user's department and a department's head (0 = none), for the engines that route work. */
int64_t org_user_department(struct store *st, int64_t user_id);
int64_t org_department_head(struct store *st, int64_t department_id);

/* Roles with their titles. */
/* A role of the policy pack as a row of roles (the built-in eight are there from the first
 * migration): admin when its permissions are an administrator's. */
int org_role_upsert(struct store *st, const char *name, bool admin, const char *title_zh,
                    const char *title_en);
int org_role_list(struct store *st, json_t **ret_items);

/* Writes an in-app notification for a user (ID-4: "the user is notified"); must run in
 * the caller's transaction. The delivery channels arrive with the notification engine. */
int org_notify(struct store *st, int64_t user_id, const char *kind, json_t *params);
/* Called after each in-app notification is written (same transaction): the application
 * routes it to the outside channels (e-mail, chat robots). NULL: in-app only. */
typedef int (*org_notify_hook)(struct store *st, int64_t notification_id, int64_t user_id,
                               const char *kind, json_t *params);
void org_set_notify_hook(org_notify_hook hook);
/* Notifies every holder of the given role bits. */
int org_notify_role(struct store *st, unsigned roles, const char *kind, json_t *params);
/* The enabled holders of one role at now (not disabled, not past their end), by id, as a
 * JSON array. */
int org_role_holders(struct store *st, unsigned role, int64_t now, json_t **ret_ids);
/* Notifies the head of every department. */
int org_notify_department_heads(struct store *st, const char *kind, json_t *params);
/* The caller's notifications, newest first. */
int org_notifications(struct store *st, int64_t user_id, int64_t after, int limit,
                      json_t **ret_items, int64_t *ret_next);
int org_notification_read(struct store *st, int64_t user_id, int64_t id);

#endif

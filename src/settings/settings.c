/*
 * settings.c: the security policy rows (table settings), their defaults, validation and
 * audited updates. The keys and ranges below are the documented policy surface
 * (docs/admin-guide.md); anything else is refused.
 */
#include "core/common.h"
#include "core/perm.h"
#include "core/actor.h"
#include "core/util.h"
#include "settings/settings.h"
#include "audit/audit.h"
#include "settings/settings_int.h"
#include "store/store.h"

enum kind { K_INT, K_BOOL, K_PROFILE, K_ROLES, K_TEXT };

struct key {
	const char *name;
	enum kind kind;
	int64_t min, max;
	size_t off, size; /* where the value lives in struct security_policy */
};

#define AT(field)                                                                                  \
 offsetof(struct security_policy, field), sizeof(((struct security_policy *)0)->field)

/* The whole policy surface: each key once, with its range and its field. */
static const struct key keys[] = {
	{ "password_profile", K_PROFILE, 0, 0, AT(password.profile) },
	{ "password_min_length", K_INT, 8, 64, AT(password.min_length) },
	{ "password_min_classes", K_INT, 0, 4, AT(password.min_classes) },
	{ "password_history", K_INT, 0, 24, AT(password.history) },
	{ "password_max_age_days", K_INT, 0, 3650, AT(password.max_age_days) },
	{ "lockout_deny", K_INT, 1, 100, AT(lockout.deny) },
	{ "lockout_fail_interval", K_INT, 60, 86400, AT(lockout.fail_interval) },
	{ "lockout_unlock_time", K_INT, 0, 86400, AT(lockout.unlock_time) },
	{ "lockout_ceiling", K_INT, 3, 100, AT(lockout.ceiling) },
	{ "session_idle", K_INT, 60, 86400, AT(session_idle) },
	{ "session_absolute", K_INT, 600, 7 * 86400, AT(session_absolute) },
	{ "single_session", K_BOOL, 0, 0, AT(single_session) },
	{ "totp_required_roles", K_ROLES, 0, 0, AT(totp_roles) },
	{ "totp_required_department_heads", K_BOOL, 0, 0, AT(totp_heads) },
	{ "totp_required_everyone", K_BOOL, 0, 0, AT(totp_everyone) },
	{ "login_rate_per_minute", K_INT, 1, 100000, AT(login_rate_per_minute) },
	{ "login_rate_per_address", K_INT, 1, 1000000, AT(login_rate_per_address) },
	{ "one_time_password_days", K_INT, 1, 90, AT(one_time_password_days) },
	{ "org_name", K_TEXT, 0, 100, AT(org_name) },
};

void security_policy_defaults(struct security_policy *ret)
{
	memset(ret, 0, sizeof(*ret));
	password_policy_defaults(PASSWORD_DENGBAO, &ret->password);
	lockout_policy_defaults(&ret->lockout);
	ret->session_idle = 900;
	ret->session_absolute = 12 * 3600;
	ret->single_session = true;
	ret->totp_roles = ROLE_ADMIN_MASK | ROLE_IT_STAFF | ROLE_LEADER | ROLE_GENERAL_MANAGER |
	                  ROLE_FINANCE_HEAD;
	ret->totp_heads = true;
	ret->totp_everyone = false;
	ret->login_rate_per_minute = 30;
	ret->login_rate_per_address = 300;
	ret->one_time_password_days = 7;
	(void)snprintf(ret->org_name, sizeof(ret->org_name), "%s", "");
}

/* Integer fields are int or int64_t; the table knows which. */
static int64_t get_int(const struct security_policy *p, const struct key *k)
{
	const char *at = (const char *)p + k->off;
	int v;
	int64_t w;

	if (k->size == sizeof(int)) {
		memcpy(&v, at, sizeof(v));
		return v;
	}
	memcpy(&w, at, sizeof(w));
	return w;
}

static void set_int(struct security_policy *p, const struct key *k, int64_t v)
{
	char *at = (char *)p + k->off;
	int n = (int)v;

	if (k->size == sizeof(int))
		memcpy(at, &n, sizeof(n));
	else
		memcpy(at, &v, sizeof(v));
}

static bool *bool_at(struct security_policy *p, const struct key *k)
{
	return (bool *)((char *)p + k->off);
}

/* Applies one validated-or-not value; -ERR_INVALID with p->field on a bad value. */
static int apply(struct security_policy *pol, const struct key *k, json_t *v, struct problem *p)
{
	bool *b;
	size_t i;
	json_t *e;

	switch (k->kind) {
	case K_INT:
		if (!json_is_integer(v) || json_integer_value(v) < k->min ||
		    json_integer_value(v) > k->max)
			return problem_setf(p, ERR_INVALID, "invalid", k->name,
			                    "must be a whole number from %" PRId64 " to %" PRId64,
			                    k->min, k->max);
		set_int(pol, k, json_integer_value(v));
		return 0;
	case K_BOOL:
		if (!json_is_boolean(v))
			return problem_setf(p, ERR_INVALID, "invalid", k->name,
			                    "must be true or false");
		b = bool_at(pol, k);
		*b = json_is_true(v);
		return 0;
	case K_PROFILE:
		if (!json_is_string(v) ||
		    password_profile_from_string(json_string_value(v), &pol->password.profile) < 0)
			return problem_setf(p, ERR_INVALID, "invalid", k->name,
			                    "must be \"dengbao\" or \"nist\"");
		return 0;
	case K_ROLES:
		if (!json_is_array(v))
			return problem_setf(p, ERR_INVALID, "invalid", k->name,
			                    "must be a list of role names");
		pol->totp_roles = 0;
		json_array_foreach(v, i, e) {
			unsigned bit = json_is_string(e) ? role_from_name(json_string_value(e)) : 0;

			if (!bit)
				return problem_setf(p, ERR_INVALID, "invalid", k->name,
				                    "unknown role at position %zu", i);
			pol->totp_roles |= bit;
		}
		return 0;
	case K_TEXT:
		if (!json_is_string(v) ||
		    !utf8_valid(json_string_value(v), json_string_length(v), false) ||
		    utf8_count(json_string_value(v)) > (size_t)k->max ||
		    json_string_length(v) >= sizeof(pol->org_name))
			return problem_setf(p, ERR_INVALID, "invalid", k->name,
			                    "must be text of at most %" PRId64 " characters",
			                    k->max);
		(void)snprintf(pol->org_name, sizeof(pol->org_name), "%s", json_string_value(v));
		return 0;
	}
	return problem_set(p, ERR_INTERNAL, NULL, k->name);
}

static const struct key *find_key(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (STREQ(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* Profile first: choosing a profile resets the password fields to its defaults, then
 * any explicit password_* keys apply on top. */
static int apply_all(struct security_policy *pol, json_t *obj, struct problem *p)
{
	json_t *prof = json_object_get(obj, "password_profile");
	const char *name;
	json_t *v;
	int r;

	if (prof) {
		r = apply(pol, find_key("password_profile"), prof, p);
		if (r < 0)
			return r;
		password_policy_defaults(pol->password.profile, &pol->password);
	}
	json_object_foreach(obj, name, v) {
		const struct key *k = find_key(name);

		if (!k)
			return problem_setf(p, ERR_INVALID, "unknown_field", NULL,
			                    "'%s' is not a policy setting", name);
		if (k->kind == K_PROFILE)
			continue;
		r = apply(pol, k, v, p);
		if (r < 0) {
			p->field = k->name;
			return r;
		}
	}
	if (pol->lockout.ceiling < pol->lockout.deny)
		return problem_setf(p, ERR_INVALID, "invalid", "lockout_ceiling",
		                    "must not be smaller than lockout_deny");
	if (pol->login_rate_per_address < pol->login_rate_per_minute)
		return problem_setf(p, ERR_INVALID, "invalid", "login_rate_per_address",
		                    "must not be smaller than login_rate_per_minute");
	if (pol->session_absolute < pol->session_idle)
		return problem_setf(p, ERR_INVALID, "invalid", "session_absolute",
		                    "must not be shorter than session_idle");
	return 0;
}

json_t *settings_to_json(const struct security_policy *pol)
{
	json_t *out = json_object(), *roles;
	unsigned r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct key *k = &keys[i];
		json_t *v = NULL;

		switch (k->kind) {
		case K_INT:
			v = json_integer(get_int(pol, k));
			break;
		case K_BOOL:
			v = json_boolean(*(const bool *)((const char *)pol + k->off));
			break;
		case K_PROFILE:
			v = json_string(password_profile_name(pol->password.profile));
			break;
		case K_ROLES:
			roles = json_array();
			for (r = 0; role_names[r]; r++)
				if (pol->totp_roles & (1u << r))
					json_array_append_new(roles, json_string(role_names[r]));
			v = roles;
			break;
		case K_TEXT:
			v = json_string((const char *)pol + k->off);
			break;
		}
		json_object_set_new(out, k->name, v);
	}
	return out;
}

int settings_load(struct store *st, struct security_policy *ret)
{
	struct security_policy pol;
	json_t *obj = NULL;
	struct problem p;
	int r;

	security_policy_defaults(&pol);
	r = settings_store_all(st, &obj);
	if (r < 0)
		goto out;
	/* Stored rows are the full picture: apply them without the profile reset. */
	{
		const char *name;
		json_t *v;

		json_object_foreach(obj, name, v) {
			const struct key *k = find_key(name);

			if (k)
				(void)apply(&pol, k, v, &p);
		}
	}
	*ret = pol;
	r = 0;
out:
	json_decref(obj);
	return r;
}

int settings_update(struct store *st, const struct actor *actor, json_t *changes, struct problem *p)
{
	struct security_policy before, after;
	json_t *jb = NULL, *ja = NULL, *v;
	const char *name;
	int r;

	if (!perm_check(actor, "policy.write", 0))
		return problem_set(p, ERR_FORBIDDEN, "forbidden", NULL);
	if (!json_is_object(changes) || json_object_size(changes) == 0)
		return problem_setf(p, ERR_INVALID, "invalid", NULL,
		                    "send an object with the settings to change");
	r = store_begin(st);
	if (r < 0)
		return r;
	r = settings_load(st, &before);
	if (r < 0)
		goto end;
	after = before;
	r = apply_all(&after, changes, p);
	if (r < 0)
		goto end;
	jb = settings_to_json(&before);
	ja = settings_to_json(&after);
	json_object_foreach(ja, name, v) {
		char *text;

		if (json_equal(v, json_object_get(jb, name)) &&
		    !json_object_get(changes, "password_profile"))
			continue;
		text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		r = settings_store_put(st, name, text);
		free(text);
		if (r < 0)
			goto end;
	}
	r = audit_append(st, &(struct audit_event){ .actor = actor,
	                                            .action = "policy.update",
	                                            .object = "security_policy",
	                                            .before = jb,
	                                            .after = ja });
end:
	r = store_end(st, r);
	json_decref(jb);
	json_decref(ja);
	return r;
}

int settings_set_org_name(struct store *st, const char *org)
{
	json_t *v = json_string(org);
	char *text = json_dumps(v, JSON_ENCODE_ANY);
	int r = settings_store_put(st, "org_name", text);

	free(text);
	json_decref(v);
	return r;
}

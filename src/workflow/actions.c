/*
 * actions.c: what executing an approved request does (docs/policy-pack.md, "action"). Each
 * action runs inside the approving transaction through the organization's and the registers'
 * own verbs, so every change leaves its own audit entry; the actor is the executor, acting
 * with the authority the approved chain gave (ACC-3…ACC-7).
 */
#include "core/common.h"

#include <sodium.h>

#include "core/actor.h"
#include "core/perm.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "forms/forms.h"
#include "org/org.h"
#include "store/store.h"
#include "workflow/workflow_int.h"

/* The executor, with the powers the approved request grants for this one action. */
static struct actor authority(const struct actor *a, unsigned roles, const struct request_row *r)
{
	struct actor x = *a;

	x.roles |= roles;
	x.request_id = r->id;
	return x;
}

static const char *text(json_t *data, const char *key)
{
	return json_string_value(json_object_get(data, key));
}

static int64_t integer(json_t *data, const char *key)
{
	return json_integer_value(json_object_get(data, key));
}

/* Today in the organization's time zone (UTC+8), "YYYY-MM-DD". */
static void today(char out[RFC3339_LEN])
{
	time_format_rfc3339(clock_now() + 8 * 3600, out);
	out[10] = '\0';
}

/* Sets key in o when the register's form has that field (packs may rename fields). */
static void put(const struct reg *g, json_t *o, const char *key, json_t *v)
{
	if (v && form_field(g->form, key))
		json_object_set(o, key, v);
	json_decref(v);
}

/* Creates the isms account of the request; *ret_secret gets the one-time password. */
static int new_account(struct store *st, const struct actor *a, const struct request_row *req,
                       int64_t *ret_id, json_t **ret_secret, struct problem *p)
{
	struct actor x = authority(a, ROLE_SYS_ADMIN, req);
	json_t *data = req->data;
	struct user_input in = {
		.username = text(data, "username"),
		.display_name = text(data, "display_name"),
		.department_id = integer(data, "department"),
		.email = text(data, "email"),
	};
	char *pw = NULL;
	int r;

	r = org_user_create(st, &x, &in, 0, ret_id, &pw, p);
	if (r == -ERR_CONFLICT || r == -ERR_INVALID) {
		/* The account's fields are the form's: name them as such. */
		char name[48];

		if (p->field && strcmp(p->field, "department_id") == 0) {
			p->field = "data.department";
		} else if (p->field) {
			(void)snprintf(name, sizeof(name), "%s",
			               p->field); /* may be p->path itself */
			p->field = problem_path(p, "data.%s", name);
		}
	}
	if (r < 0)
		return r;
	*ret_secret = json_pack("{s:s, s:s}", "username", in.username, "initial_password", pw);
	sodium_memzero(pw, strlen(pw));
	free(pw);
	return 0;
}

static int create_account(struct store *st, const struct pack *pk, const struct actor *a,
                          const struct request_row *r, json_t *result, json_t **ret_secret,
                          struct problem *p)
{
	const struct reg *g = pack_reg(pk, "system_account");
	json_t *systems = json_object_get(r->data, "systems"), *e, *records = json_array();
	struct actor x = authority(a, g ? g->writers : 0, r);
	char day[RFC3339_LEN];
	int64_t uid = 0, rid;
	size_t i;
	int rc;

	rc = new_account(st, a, r, &uid, ret_secret, p);
	if (rc < 0) {
		json_decref(records);
		return rc;
	}
	json_object_set_new(result, "user_id", json_integer(uid));
	json_object_set_new(result, "username", json_string(text(r->data, "username")));
	/* One line of 《信息中心用户账号登记表》 per external system asked for (ACC-9). */
	today(day);
	json_array_foreach(g ? systems : NULL, i, e) {
		json_t *d = json_object();

		put(g, d, "system", json_incref(e));
		put(g, d, "account_name", json_string(text(r->data, "username")));
		put(g, d, "holder", json_integer(uid));
		put(g, d, "department", json_incref(json_object_get(r->data, "department")));
		put(g, d, "rights", json_incref(json_object_get(r->data, "rights")));
		put(g, d, "opened_on", json_string(day));
		rc = record_create(st, pk, &x, "system_account", d, r->id, &rid, p);
		json_decref(d);
		if (rc < 0)
			break;
		json_array_append_new(records, json_integer(rid));
	}
	json_object_set_new(result, "records", records);
	return rc;
}

static int change_permissions(struct store *st, const struct actor *a, const struct request_row *r,
                              json_t *result, struct problem *p)
{
	struct actor x = authority(a, ROLE_SECURITY_ADMIN, r);
	struct user u = { 0 };
	unsigned grant = 0, revoke = 0, roles;
	json_t *e;
	size_t i;
	int rc = org_user_load(st, integer(r->data, "subject"), &u);

	if (rc < 0)
		return problem_setf(p, ERR_CONFLICT, "conflict", "data.subject", "no such account");
	json_array_foreach(json_object_get(r->data, "grant"), i, e) {
		grant |= role_from_name(json_string_value(e));
	}
	json_array_foreach(json_object_get(r->data, "revoke"), i, e) {
		revoke |= role_from_name(json_string_value(e));
	}
	roles = (u.roles | grant) & ~revoke;
	rc = org_user_set_roles(st, &x, u.id, roles, p);
	if (rc == 0) {
		json_object_set_new(result, "user_id", json_integer(u.id));
		json_object_set_new(result, "roles_before", json_integer(u.roles));
		json_object_set_new(result, "roles_after", json_integer(roles));
	}
	user_release(&u);
	return rc;
}

static int admin_account(struct store *st, const struct actor *a, const struct request_row *r,
                         json_t *result, struct problem *p)
{
	struct actor x = authority(a, ROLE_SECURITY_ADMIN, r);
	struct user u = { 0 };
	unsigned bit = role_from_name(text(r->data, "admin_role"));
	int rc = org_user_load(st, integer(r->data, "subject"), &u);

	if (rc < 0)
		return problem_setf(p, ERR_CONFLICT, "conflict", "data.subject", "no such account");
	if (!bit || !perm_roles_admin(bit)) {
		user_release(&u);
		return problem_setf(p, ERR_INVALID, "invalid", "data.admin_role",
		                    "one of sys_admin, security_admin, audit_admin");
	}
	rc = org_user_set_roles(st, &x, u.id, u.roles | bit, p);
	if (rc == 0) {
		json_object_set_new(result, "user_id", json_integer(u.id));
		json_object_set_new(result, "granted", json_string(role_name(bit)));
	}
	user_release(&u);
	return rc;
}

/* The person's open lines in the external-systems account register. */
static int open_accounts(struct store *st, const struct pack *pk, int64_t subject,
                         json_t **ret_items)
{
	struct actor sys = { .user_id = 0, .username = "system", .source = "isms" };
	struct record_filter f = { .type = "system_account", .status = "open", .limit = 500 };
	char id[24];
	int64_t next;

	if (!pack_reg(pk, "system_account") ||
	    !form_field(pack_reg(pk, "system_account")->form, "holder")) {
		*ret_items = json_array();
		return 0;
	}
	(void)snprintf(id, sizeof(id), "%" PRId64, subject);
	f.key_field[0] = "holder";
	f.key_value[0] = id;
	return record_list(st, pk, &sys, &f, ret_items, &next, NULL);
}

static int departure(struct store *st, const struct pack *pk, const struct actor *a,
                     const struct request_row *r, json_t *result, struct problem *p)
{
	const struct reg *g = pack_reg(pk, "handover");
	struct actor x = authority(a, ROLE_SYS_ADMIN | (g ? g->writers : 0), r);
	int64_t subject = integer(r->data, "subject"), at, hid = 0;
	json_t *accounts = NULL, *ids = json_array(), *e, *d;
	struct buf notes = BUF_INIT(BUF_NOMAX);
	size_t i;
	int rc;

	if (time_parse_rfc3339(text(r->data, "effective_at"), &at) < 0)
		at = clock_now();
	if (subject == a->user_id)
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", "data.subject",
		                    "nobody executes their own departure");
	/* Disabled at the effective time: now, or by expiry when it is still ahead. */
	if (at <= clock_now())
		rc = org_user_set_disabled(st, &x, subject, true, p);
	else
		rc = org_user_set_expiry(st, &x, subject, at, p);
	if (rc < 0)
		goto out;
	rc = open_accounts(st, pk, subject, &accounts);
	if (rc < 0)
		goto out;
	json_array_foreach(accounts, i, e) {
		json_t *data = json_object_get(e, "data");

		json_array_append(ids, json_object_get(e, "id"));
		(void)buf_addf(&notes, "%s %s (#%" JSON_INTEGER_FORMAT ")\n",
		               text(data, "system") ? text(data, "system") : "",
		               text(data, "account_name") ? text(data, "account_name") : "",
		               json_integer_value(json_object_get(e, "id")));
	}
	json_object_set_new(result, "user_id", json_integer(subject));
	json_object_set_new(result, "disabled_at", json_string(text(r->data, "effective_at")));
	json_object_set_new(result, "external_accounts", json_incref(ids));
	if (g) {
		/* The handover checklist (交接清单): data backed up, accounts closed, equipment. */
		d = json_object();
		put(g, d, "subject", json_integer(subject));
		put(g, d, "effective_at", json_incref(json_object_get(r->data, "effective_at")));
		put(g, d, "department",
		    json_integer_value(json_object_get(r->data, "department"))
		            ? json_incref(json_object_get(r->data, "department"))
		            : NULL);
		put(g, d, "computer_name", json_incref(json_object_get(r->data, "computer_name")));
		put(g, d, "ip", json_incref(json_object_get(r->data, "ip")));
		put(g, d, "data_backed_up", json_false());
		put(g, d, "external_accounts_closed", json_boolean(json_array_size(ids) == 0));
		if (notes.len)
			put(g, d, "platform_info", json_string(notes.data));
		rc = record_create(st, pk, &x, "handover", d, r->id, &hid, p);
		json_decref(d);
		if (rc == 0)
			json_object_set_new(result, "handover_record", json_integer(hid));
	}
out:
	json_decref(accounts);
	json_decref(ids);
	buf_release(&notes);
	return rc;
}

static int vendor_account(struct store *st, const struct actor *a, const struct request_row *r,
                          json_t *result, json_t **ret_secret, struct problem *p)
{
	struct actor x = authority(a, ROLE_SYS_ADMIN, r);
	int64_t uid = 0, until;
	int rc;

	if (time_parse_rfc3339(text(r->data, "expires_at"), &until) < 0 || until <= clock_now())
		return problem_setf(p, ERR_CONFLICT, "conflict", "data.expires_at",
		                    "the account would already have expired: return the request "
		                    "for a new end time");
	rc = new_account(st, a, r, &uid, ret_secret, p);
	if (rc == 0)
		rc = org_user_set_expiry(st, &x, uid, until, p);
	if (rc == 0) {
		json_object_set_new(result, "user_id", json_integer(uid));
		json_object_set_new(result, "username", json_string(text(r->data, "username")));
		json_object_set_new(result, "expires_at", json_string(text(r->data, "expires_at")));
	}
	return rc;
}

#define ACTIONS_MAX 32

static const struct request_action *registered[ACTIONS_MAX];
static size_t nregistered;

int wf_actions_register(const struct request_action *a, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nregistered; j++)
			if (STREQ(registered[j]->name, a[i].name))
				return -1;
		if (nregistered >= ACTIONS_MAX)
			return -1;
		registered[nregistered++] = &a[i];
	}
	return 0;
}

static const struct request_action *lookup(enum action act)
{
	const char *name = action_name(act);
	size_t i;

	for (i = 0; i < nregistered; i++)
		if (STREQ(registered[i]->name, name))
			return registered[i];
	return NULL;
}

int wf_precheck(struct store *st, const struct reqtype *q, json_t *data, struct problem *p)
{
	const struct request_action *ra = lookup(q->action);

	return ra && ra->precheck ? ra->precheck(st, data, p) : 0;
}

int wf_execute(struct store *st, const struct pack *pk, const struct actor *a,
               const struct reqtype *q, const struct request_row *r, json_t **ret_result,
               json_t **ret_secret, struct problem *p)
{
	json_t *result = json_pack("{s:s}", "action", action_name(q->action));
	int rc = 0;

	*ret_secret = NULL;
	switch (q->action) {
	case ACT_NONE:
		break;
	case ACT_CREATE_ACCOUNT:
		rc = create_account(st, pk, a, r, result, ret_secret, p);
		break;
	case ACT_CHANGE_PERMISSIONS:
		rc = change_permissions(st, a, r, result, p);
		break;
	case ACT_DEPARTURE:
		rc = departure(st, pk, a, r, result, p);
		break;
	case ACT_VENDOR_ACCOUNT:
		rc = vendor_account(st, a, r, result, ret_secret, p);
		break;
	case ACT_ADMIN_ACCOUNT:
		rc = admin_account(st, a, r, result, p);
		break;
	default: {
		const struct request_action *ra = lookup(q->action);
		struct action_run x = { .st = st,
			                .pk = pk,
			                .actor = a,
			                .request_id = r->id,
			                .data = r->data,
			                .result = result,
			                .secret = ret_secret,
			                .p = p };

		if (!ra) {
			rc = problem_setf(p, ERR_INTERNAL, "internal", NULL,
			                  "no module carries out the action \"%s\"",
			                  action_name(q->action));
			break;
		}
		rc = ra->run(&x);
		break;
	}
	}
	if (rc < 0) {
		json_decref(result);
		json_decref(*ret_secret);
		*ret_secret = NULL;
		return rc;
	}
	*ret_result = result;
	return 0;
}

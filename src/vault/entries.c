/*
 * entries.c: the vault's entries (vault.h): the checks of their input, the API's view of a
 * row, and list, read, create and update (metadata and reveal roles); the shared checks of
 * the verbs that act on an entry (its holders, its version, a new secret).
 */
#include "core/common.h"
#include "audit/audit.h"
#include "core/perm.h"
#include "vault/vault_int.h"

#include "crypto/password.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/util.h"
#include "store/store.h"

#include <sodium.h>

#define NAME_MAX_CP     100
#define SYSTEM_MAX_CP   100
#define HOST_MAX_CP     253
#define USERNAME_MAX_CP 128
#define NOTES_MAX_CP    2000

static const char *const kinds[] = { "server",    "firewall", "router", "switch",
	                             "erp_admin", "oa_admin", "domain", "mail",
	                             "database",  "other",    NULL };

/* --- the view of an entry ------------------------------------------------------------ */

/* Same UTC day and time a calendar year later; 29 February becomes 28 February. */
int64_t vault_add_year(int64_t t)
{
	int32_t day = (int32_t)((t >= 0 ? t : t - 86399) / 86400);
	int64_t sec = t - (int64_t)day * 86400;
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return (int64_t)days_from_civil(y + 1, m, d) * 86400 + sec;
}

static int64_t notice_of(const char *reason)
{
	return strcmp(reason, "vendor_access") == 0 ? VAULT_VENDOR_DUE : VAULT_NOTICE_YEARLY;
}

/* The API's view of a raw entry row (consumes row). */
json_t *vault_entry_view(json_t *row, int64_t now)
{
	static const char *const times[] = { "rotated_at", "rotate_due_at", "vendor_access_at",
		                             "created_at", NULL };
	int64_t due = json_integer_value(json_object_get(row, "rotate_due_at"));
	const char *reason = json_string_value(json_object_get(row, "rotate_reason"));
	const char *const *k;

	json_object_set_new(row, "rotation_status",
	                    json_string(now >= due                                     ? "overdue"
	                                : due - now <= notice_of(reason ? reason : "") ? "due_soon"
	                                                                               : "ok"));
	for (k = times; *k; k++)
		json_object_set_new(row, *k,
		                    vault_time_json(json_integer_value(json_object_get(row, *k))));
	json_object_del(row, "remind_level");
	json_object_del(row, "next_remind_at");
	return row;
}

int vault_audit_entry(struct store *st, const struct actor *a, const char *action, int64_t id,
                      json_t *before_row, json_t *after_row, int64_t now, json_t *detail)
{
	char object[40];

	vault_object_of(id, object);
	return audit_change(
	        st, (struct audit_event){
	                    .actor = a,
	                    .action = action,
	                    .object = object,
	                    .before = before_row ? vault_entry_view(json_deep_copy(before_row), now)
	                                         : NULL,
	                    .after = vault_entry_view(json_deep_copy(after_row), now),
	                    .detail = detail });
}

/* --- input ------------------------------------------------------------------------------- */

static bool key_allowed(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(*allowed, key) == 0)
			return true;
	return false;
}

int vault_only(json_t *in, const char *const *allowed, struct problem *p)
{
	const char *key;
	json_t *v;

	if (!json_is_object(in))
		return problem_setf(p, ERR_INVALID, "invalid_json", NULL, "send a JSON object");
	json_object_foreach(in, key, v) {
		if (!key_allowed(key, allowed))
			return problem_setf(p, ERR_INVALID, "unknown_field", NULL,
			                    "'%.60s' is not accepted here", key);
	}
	return 0;
}

/* A text member of at most max code points (required: at least one). multiline allows
 * tab, CR and LF. *ret is borrowed (NULL when absent and not required). */
int vault_text(json_t *in, const char *key, bool required, size_t max, bool multiline,
               const char **ret, struct problem *p)
{
	json_t *v = json_object_get(in, key);
	const char *s;
	size_t n;

	*ret = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return problem_setf(p, ERR_INVALID, "invalid", key, "required");
		return 0;
	}
	if (!json_is_string(v))
		return problem_setf(p, ERR_INVALID, "invalid", key, "must be text");
	s = json_string_value(v);
	n = json_string_length(v);
	if (strlen(s) != n || !utf8_valid(s, n, multiline))
		return problem_setf(p, ERR_INVALID, "invalid", key,
		                    "must be text without control characters");
	if (required && n == 0)
		return problem_setf(p, ERR_INVALID, "invalid", key, "must not be empty");
	if (utf8_count(s) > max)
		return problem_setf(p, ERR_INVALID, "invalid", key, "at most %zu characters", max);
	*ret = s;
	return 0;
}

static int kind_check(const char *kind, struct problem *p)
{
	const char *const *k;

	for (k = kinds; *k; k++)
		if (strcmp(*k, kind) == 0)
			return 0;
	return problem_setf(p, ERR_INVALID, "invalid", "kind",
	                    "one of server, firewall, router, switch, erp_admin, oa_admin, "
	                    "domain, mail, database, other");
}

/* The entry's text fields: on create all of them (name and kind required), on an update
 * those given (name and kind then not empty), f keeping the others; then the kind is checked. */
static const struct {
	const char *key;
	size_t max;
	bool required, multiline;
	size_t at;
} entry_texts[] = {
	{ "name", NAME_MAX_CP, true, false, offsetof(struct vault_entry_fields, name) },
	{ "kind", 32, true, false, offsetof(struct vault_entry_fields, kind) },
	{ "system", SYSTEM_MAX_CP, false, false, offsetof(struct vault_entry_fields, system) },
	{ "host", HOST_MAX_CP, false, false, offsetof(struct vault_entry_fields, host) },
	{ "username", USERNAME_MAX_CP, false, false,
	  offsetof(struct vault_entry_fields, username) },
	{ "notes", NOTES_MAX_CP, false, true, offsetof(struct vault_entry_fields, notes) },
};

static int entry_text_fields(json_t *in, bool create, struct vault_entry_fields *f,
                             struct problem *p)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(entry_texts); i++) {
		const char *key = entry_texts[i].key, *s;
		bool required = entry_texts[i].required && (create || json_object_get(in, key));
		int r = vault_text(in, key, required, entry_texts[i].max, entry_texts[i].multiline,
		                   &s, p);

		if (r < 0)
			return r;
		if (create || s)
			*(const char **)((char *)f + entry_texts[i].at) = s;
	}
	return kind_check(f->kind, p);
}

/* reveal_roles: 1..3 distinct names of it_staff, sys_admin, security_admin. *ret_text is the
 * canonical JSON array (caller frees), *ret_bits the ROLE_* bits. */
static int roles_parse(json_t *v, char **ret_text, unsigned *ret_bits, struct problem *p)
{
	unsigned bits = 0, b;
	json_t *arr, *e;
	size_t i;

	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 3)
		goto bad;
	json_array_foreach(v, i, e) {
		b = json_is_string(e) ? role_from_name(json_string_value(e)) : 0;
		if (!(b & REVEAL_ROLES) || (bits & b))
			goto bad;
		bits |= b;
	}
	arr = json_array();
	for (b = 1; b && b <= REVEAL_ROLES; b <<= 1)
		if (bits & b)
			json_array_append_new(arr, json_string(role_name(b)));
	*ret_text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	*ret_bits = bits;
	return 0;
bad:
	return problem_setf(p, ERR_INVALID, "invalid", "reveal_roles",
	                    "1 to 3 different roles of it_staff, sys_admin, security_admin");
}

/*
 * The new secret of a create or rotate: {"secret": "..."} (checked like a password) or
 * {"generate": {"length"?}}. *ret_secret (caller wipes and frees), *ret_generated.
 */
int vault_secret_input(const struct password_policy *pol, json_t *in, const char *username,
                       char **ret_secret, bool *ret_generated, struct problem *p)
{
	json_t *sv = json_object_get(in, "secret"), *gv = json_object_get(in, "generate"), *lv;
	static const char *const gen_keys[] = { "length", NULL };
	const char *s;
	json_int_t len;
	int r;

	if (sv && json_is_null(sv))
		sv = NULL;
	if (gv && json_is_null(gv))
		gv = NULL;
	if ((sv == NULL) == (gv == NULL))
		return problem_setf(p, ERR_INVALID, "invalid", "secret",
		                    "give either \"secret\" or \"generate\"");
	if (gv) {
		if (!json_is_object(gv))
			return problem_setf(p, ERR_INVALID, "invalid", "generate",
			                    "an object {\"length\"?}");
		r = vault_only(gv, gen_keys, p);
		if (r < 0) {
			if (p)
				p->field = "generate";
			return r;
		}
		lv = json_object_get(gv, "length");
		if (lv && !json_is_integer(lv))
			return problem_setf(p, ERR_INVALID, "invalid", "generate.length",
			                    "a whole number from %d to %d", VAULT_GENERATE_MIN,
			                    VAULT_GENERATE_MAX);
		len = lv ? json_integer_value(lv) : VAULT_GENERATE_DEFAULT;
		if (len < VAULT_GENERATE_MIN || len > VAULT_GENERATE_MAX)
			return problem_setf(p, ERR_INVALID, "invalid", "generate.length",
			                    "a whole number from %d to %d", VAULT_GENERATE_MIN,
			                    VAULT_GENERATE_MAX);
		r = vault_generate(pol, (int)len, ret_secret, p);
		if (r == 0)
			*ret_generated = true;
		return r;
	}
	r = vault_text(in, "secret", true, VAULT_SECRET_MAX, false, &s, p);
	if (r < 0)
		return r;
	r = password_check(pol, s, &(struct password_context){ .username = username }, p);
	if (r < 0) {
		if (p)
			p->field = "secret";
		return r;
	}
	*ret_secret = xstrdup(s);
	*ret_generated = false;
	return 0;
}

/* Wipes a secret member of a request body once it has been read (jansson's copy). */
void vault_wipe_member(json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);

	if (json_is_string(v))
		sodium_memzero((char *)(uintptr_t)json_string_value(v), json_string_length(v));
}

/* --- entries ----------------------------------------------------------------------------- */

int vault_entry_list(struct store *st, const struct actor *a, const char *kind, int64_t after,
                     int limit, json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *rows = NULL, *e, *items;
	int64_t now = clock_now();
	size_t i;
	int r;

	if (a->user_id != 0 && !perm_check(a, "vault.read", 0))
		return vault_forbidden(p);
	if (kind && kind_check(kind, p) < 0)
		return -ERR_INVALID;
	if (limit < 1 || limit > 500)
		limit = 50;
	r = vault_store_entry_list(st, kind, after, limit, &rows);
	if (r < 0)
		return r;
	items = json_array();
	json_array_foreach(rows, i, e) {
		json_array_append_new(items, vault_entry_view(json_incref(e), now));
	}
	*ret_next = json_array_size(rows) == (size_t)limit
	                    ? json_integer_value(json_object_get(json_array_get(rows, i - 1), "id"))
	                    : 0;
	json_decref(rows);
	*ret_items = items;
	return 0;
}

int vault_entry_get(struct store *st, const struct actor *a, int64_t id, json_t **ret,
                    struct problem *p)
{
	struct vault_entry e = { 0 };
	int r;

	if (a->user_id != 0 && !perm_check(a, "vault.read", 0))
		return vault_forbidden(p);
	r = vault_store_entry_load(st, id, &e);
	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r < 0)
		return r;
	*ret = vault_entry_view(json_incref(e.row), clock_now());
	vault_entry_release(&e);
	return 0;
}

/* Checks that no entry (other than none) already has this secret: 409 secret_reused. */
int vault_unique_secret(struct store *st, const unsigned char mac[VAULT_MAC_LEN], struct problem *p)
{
	int64_t owner = 0;
	int r = vault_store_mac_owner(st, mac, &owner);

	if (r < 0)
		return r;
	if (r > 0)
		return problem_setf(p, ERR_CONFLICT, "secret_reused", "secret",
		                    "another vault entry (or this one) already has this password: "
		                    "use a new one");
	return 0;
}

static int name_free(struct store *st, const char *name, int64_t self, struct problem *p)
{
	int64_t owner = 0;
	int r = vault_store_name_owner(st, name, &owner);

	if (r < 0)
		return r;
	if (r > 0 && owner != self)
		return problem_setf(p, ERR_CONFLICT, "name_taken", "name",
		                    "a vault entry with this name exists");
	return 0;
}

/* {"entry": view, "secret": s (only when generated)}; consumes row. */
json_t *vault_answer(json_t *row, const char *generated)
{
	json_t *o = json_pack("{s:o}", "entry", vault_entry_view(row, clock_now()));

	if (generated)
		json_object_set_new(o, "secret", json_string(generated));
	return o;
}

int vault_entry_create(struct vault *v, struct store *st, const struct actor *a,
                       const struct password_policy *pol, json_t *in, json_t **ret,
                       struct problem *p)
{
	static const char *const allowed[] = { "name",  "kind",     "system",
		                               "host",  "username", "reveal_roles",
		                               "notes", "secret",   "generate",
		                               NULL };
	struct vault_entry_fields f = { 0 };
	struct vault_entry e = { 0 };
	unsigned char mac[VAULT_MAC_LEN], *blob = NULL;
	const unsigned char *key = NULL;
	char *roles = NULL, *secret = NULL;
	bool generated = false, keyed = false, began = false, refused = false;
	int64_t now = clock_now(), due, id = 0;
	unsigned bits = 0;
	size_t blen = 0;
	int r;

	if (a->user_id == 0 || !perm_check(a, "vault.write", 0))
		return vault_forbidden(p);
	r = vault_only(in, allowed, p);
	if (r == 0)
		r = entry_text_fields(in, true, &f, p);
	if (r == 0)
		r = roles_parse(json_object_get(in, "reveal_roles"), &roles, &bits, p);
	if (r < 0)
		goto out;
	f.reveal_roles = roles;
	if (!vault_is_unsealed(v)) {
		r = vault_sealed(p);
		goto out;
	}
	r = vault_secret_input(pol, in, f.username, &secret, &generated, p);
	if (r < 0)
		goto out;
	r = vault_key_acquire(v, &key, p);
	if (r < 0)
		goto out;
	keyed = true;
	vault_secret_mac(key, secret, strlen(secret), mac);
	r = store_begin(st);
	if (r < 0)
		goto out;
	began = true;
	r = name_free(st, f.name, 0, p);
	if (r == 0) {
		r = vault_unique_secret(st, mac, p);
		refused = r < 0;
	}
	if (r < 0)
		goto out;
	due = vault_add_year(now);
	r = vault_store_entry_insert(st, &f, mac, now, due, due - VAULT_NOTICE_YEARLY, a->user_id,
	                             &id);
	if (r < 0)
		goto out;
	vault_secret_seal(key, id, secret, strlen(secret), &blob, &blen);
	r = vault_store_entry_set_secret(st, id, blob, blen);
	if (r == 0)
		r = vault_store_entry_load(st, id, &e);
	if (r < 0)
		goto out;
	r = vault_audit_entry(st, a, "vault.entry_create", id, NULL, e.row, now,
	                      json_pack("{s:b}", "generated", generated));
out:
	if (began)
		r = store_end(st, r);
	if (keyed)
		vault_key_release(v);
	if (refused)
		vault_audit_refusal(
		        st, a, "vault.entry_create", NULL, "denied",
		        json_pack("{s:s, s:s}", "code", "secret_reused", "name", f.name));
	if (r == 0)
		*ret = vault_answer(json_incref(e.row), generated ? secret : NULL);
	vault_wipe_member(in, "secret");
	vault_free_secret(secret);
	free(blob);
	free(roles);
	vault_entry_release(&e);
	return r;
}

/* Loads an entry that the actor may act on as one of its reveal roles. */
int vault_load_for_holder(struct store *st, const struct actor *a, int64_t id,
                          struct vault_entry *ret, struct problem *p)
{
	int r = vault_store_entry_load(st, id, ret);

	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r < 0)
		return r;
	if (!(a->roles & ret->roles)) {
		vault_entry_release(ret);
		return problem_setf(p, ERR_FORBIDDEN, "forbidden", NULL,
		                    "only the roles named on the entry may do this");
	}
	return 0;
}

int vault_version_of(json_t *in, int64_t *ret, struct problem *p)
{
	json_t *v = json_object_get(in, "version");

	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return problem_setf(p, ERR_INVALID, "invalid", "version",
		                    "the entry's version, as read");
	*ret = json_integer_value(v);
	return 0;
}

int vault_stale(struct problem *p)
{
	return problem_set(p, ERR_CONFLICT, "stale_version", "version");
}

int vault_entry_update(struct store *st, const struct actor *a, int64_t id, json_t *in,
                       json_t **ret, struct problem *p)
{
	static const char *const allowed[] = { "version",      "name",  "kind",
		                               "system",       "host",  "username",
		                               "reveal_roles", "notes", NULL };
	struct vault_entry e = { 0 }, after = { 0 };
	struct vault_entry_fields f = { 0 };
	char *roles = NULL;
	int64_t version = 0, now = clock_now();
	unsigned bits = 0;
	json_t *rv;
	int r;

	if (a->user_id == 0 || !perm_check(a, "vault.write", 0))
		return vault_forbidden(p);
	r = vault_only(in, allowed, p);
	if (r == 0)
		r = vault_version_of(in, &version, p);
	if (r == 0)
		r = vault_load_for_holder(st, a, id, &e, p);
	if (r < 0)
		return r;
	f.name = json_string_value(json_object_get(e.row, "name"));
	f.kind = json_string_value(json_object_get(e.row, "kind"));
	f.system = json_string_value(json_object_get(e.row, "system"));
	f.host = json_string_value(json_object_get(e.row, "host"));
	f.username = json_string_value(json_object_get(e.row, "username"));
	f.notes = json_string_value(json_object_get(e.row, "notes"));
	r = entry_text_fields(in, false, &f, p);
	rv = json_object_get(in, "reveal_roles");
	if (r == 0)
		r = roles_parse(rv ? rv : json_object_get(e.row, "reveal_roles"), &roles, &bits, p);
	if (r < 0)
		goto out;
	f.reveal_roles = roles;
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = name_free(st, f.name, id, p);
	if (r == 0) {
		r = vault_store_entry_update(st, id, version, &f);
		if (r == -ERR_CONFLICT)
			r = vault_stale(p);
	}
	if (r == 0)
		r = vault_store_entry_load(st, id, &after);
	if (r == 0) {
		r = vault_audit_entry(st, a, "vault.entry_update", id, e.row, after.row, now, NULL);
	}
	r = store_end(st, r);
	if (r == 0)
		*ret = vault_entry_view(json_incref(after.row), now);
out:
	free(roles);
	vault_entry_release(&e);
	vault_entry_release(&after);
	return r;
}

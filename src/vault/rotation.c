/*
 * rotation.c: an entry's secret replaced (by hand; due again a year later), a vendor's remote
 * access that makes it due within the hour, and the clock tick that reminds the holders of
 * the entry's reveal roles when a rotation is due or overdue.
 */
#include "core/common.h"
#include "vault/vault_int.h"

#include "audit/audit.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "org/org.h"
#include "store/calendar_store.h"
#include "store/store.h"

#define REMIND_BATCH  200
#define VENDOR_MAX_CP 100
#define NOTE_MAX_CP   500

static const struct actor tick_actor = { .user_id = 0, .username = "system", .source = "vault" };

/* --- rotation and vendor access -------------------------------------------------------- */

int vault_entry_rotate(struct vault *v, struct store *st, const struct actor *a,
                       const struct password_policy *pol, int64_t id, json_t *in, json_t **ret,
                       struct problem *p)
{
	static const char *const allowed[] = { "version", "secret", "generate", NULL };
	struct vault_entry e = { 0 }, after = { 0 };
	unsigned char mac[VAULT_MAC_LEN], *blob = NULL;
	const unsigned char *key = NULL;
	char *secret = NULL, object[40];
	bool generated = false, keyed = false, began = false, refused = false;
	int64_t version = 0, now = clock_now(), due;
	size_t blen = 0;
	int r;

	r = vault_only(in, allowed, p);
	if (r == 0)
		r = vault_version_of(in, &version, p);
	if (r == 0)
		r = vault_load_for_holder(st, a, id, &e, p);
	if (r < 0)
		goto out;
	if (!vault_is_unsealed(v)) {
		r = vault_sealed(p);
		goto out;
	}
	r = vault_secret_input(pol, in, json_string_value(json_object_get(e.row, "username")),
	                       &secret, &generated, p);
	if (r < 0)
		goto out;
	r = vault_key_acquire(v, &key, p);
	if (r < 0)
		goto out;
	keyed = true;
	vault_secret_mac(key, secret, strlen(secret), mac);
	vault_secret_seal(key, id, secret, strlen(secret), &blob, &blen);
	r = store_begin(st);
	if (r < 0)
		goto out;
	began = true;
	r = vault_unique_secret(st, mac, p);
	refused = r < 0;
	if (r < 0)
		goto out;
	due = vault_add_year(now);
	r = vault_store_entry_rotate(st, id, version, blob, blen, mac, now, due,
	                             due - VAULT_NOTICE_YEARLY);
	if (r == -ERR_CONFLICT)
		r = vault_stale(p);
	if (r == 0)
		r = vault_store_entry_load(st, id, &after);
	if (r < 0)
		goto out;
	r = vault_audit_entry(st, a, "vault.rotate", id, e.row, after.row, now,
	                      json_pack("{s:b}", "generated", generated));
out:
	if (began)
		r = store_end(st, r);
	if (keyed)
		vault_key_release(v);
	if (refused) {
		vault_object_of(id, object);
		vault_audit_refusal(st, a, "vault.rotate", object, "denied",
		                    json_pack("{s:s}", "code", "secret_reused"));
	}
	if (r == 0)
		*ret = vault_answer(json_incref(after.row), generated ? secret : NULL);
	if (in)
		vault_wipe_member(in, "secret");
	vault_free_secret(secret);
	free(blob);
	vault_entry_release(&e);
	vault_entry_release(&after);
	return r;
}

int vault_entry_vendor_access(struct store *st, const struct actor *a, int64_t id, json_t *in,
                              json_t **ret, struct problem *p)
{
	static const char *const allowed[] = { "vendor", "note", NULL };
	struct vault_entry e = { 0 }, after = { 0 };
	const char *vendor = NULL, *note = NULL, *reason;
	int64_t now = clock_now(), due, next;
	int level, r;

	r = vault_only(in, allowed, p);
	if (r == 0)
		r = vault_text(in, "vendor", true, VENDOR_MAX_CP, false, &vendor, p);
	if (r == 0)
		r = vault_text(in, "note", false, NOTE_MAX_CP, true, &note, p);
	if (r == 0)
		r = vault_load_for_holder(st, a, id, &e, p);
	if (r < 0)
		return r;
	r = store_begin(st);
	if (r < 0)
		goto out;
	/* Re-read inside the transaction: the due time is decided on the current row. */
	vault_entry_release(&e);
	r = vault_store_entry_load(st, id, &e);
	if (r < 0)
		goto end;
	due = e.rotate_due_at;
	reason = json_string_value(json_object_get(e.row, "rotate_reason"));
	level = e.remind_level;
	next = e.next_remind_at;
	/* Within the hour, unless it was due earlier still (never later than it was). */
	if (now + VAULT_VENDOR_DUE < due) {
		due = now + VAULT_VENDOR_DUE;
		reason = "vendor_access";
		level = 0;
		next = now; /* the "rotate within the hour" reminder goes out at the next tick */
	}
	r = vault_store_entry_vendor(st, id, vendor, note, now, due, reason, level, next);
	if (r == 0)
		r = vault_store_entry_load(st, id, &after);
	if (r == 0) {
		r = vault_audit_entry(st, a, "vault.vendor_access", id, e.row, after.row, now,
		                      NULL);
	}
end:
	r = store_end(st, r);
	if (r == 0)
		*ret = vault_entry_view(json_incref(after.row), now);
out:
	vault_entry_release(&e);
	vault_entry_release(&after);
	return r;
}

/* --- rotation reminders ---------------------------------------------------------------- */

/* The enabled holders of the entry's reveal roles, each once. */
static int holders(struct store *st, unsigned roles, int64_t now, json_t **ret)
{
	json_t *to = json_array(), *ids = NULL, *v, *w;
	unsigned b;
	size_t i, j;
	int r = 0;

	for (b = 1; r == 0 && b && b <= REVEAL_ROLES; b <<= 1) {
		if (!(roles & b))
			continue;
		r = org_role_holders(st, b, now, &ids);
		json_array_foreach(ids, i, v) {
			bool seen = false;

			json_array_foreach(to, j, w) {
				if (json_integer_value(w) == json_integer_value(v))
					seen = true;
			}
			if (!seen)
				json_array_append(to, v);
		}
		json_decref(ids);
		ids = NULL;
	}
	if (r < 0) {
		json_decref(to);
		return r;
	}
	*ret = to;
	return 0;
}

static int remind_one(struct store *st, int utc_offset, int64_t id, int64_t now, json_t *report)
{
	struct vault_entry e = { 0 };
	json_t *to = NULL, *params = NULL, *detail = NULL, *u;
	const char *kind, *reason;
	char due[LOCAL_TIME_LEN], due_utc[RFC3339_LEN], object[40];
	int64_t next;
	size_t i;
	int level, r;

	r = store_begin(st);
	if (r < 0)
		return r;
	r = vault_store_entry_load(st, id, &e);
	if (r == -ERR_NOT_FOUND) {
		r = 0;
		goto out;
	}
	if (r < 0 || e.next_remind_at > now)
		goto out; /* another tick was first */
	if (now < e.rotate_due_at) {
		kind = "vault.rotation_due";
		level = 1;
		next = e.rotate_due_at;
	} else {
		kind = "vault.rotation_overdue";
		level = e.remind_level < 1 ? 2 : e.remind_level + 1;
		next = now + VAULT_REMIND_EVERY;
	}
	r = vault_store_remind_set(st, id, e.next_remind_at, level, next);
	if (r <= 0)
		goto out;
	r = holders(st, e.roles, now, &to);
	if (r < 0)
		goto out;
	reason = json_string_value(json_object_get(e.row, "rotate_reason"));
	time_format_local(e.rotate_due_at, utc_offset, due);
	time_format_rfc3339(e.rotate_due_at, due_utc);
	params = json_pack(
	        "{s:I, s:O, s:O, s:O, s:s, s:s, s:s, s:O}", "entry_id", (json_int_t)id, "name",
	        json_object_get(e.row, "name"), "system", json_object_get(e.row, "system"), "host",
	        json_object_get(e.row, "host"), "due", due, "reason",
	        strcmp(reason, "vendor_access") == 0 ? "厂商远程维护后 1 小时内须更换" : "每年更换",
	        "reason_en",
	        strcmp(reason, "vendor_access") == 0 ? "within 1 hour after a vendor's access"
	                                             : "yearly rotation",
	        "vendor", json_object_get(e.row, "vendor"));
	json_array_foreach(to, i, u) {
		if (r == 0)
			r = org_notify(st, json_integer_value(u), kind, params);
	}
	if (r < 0)
		goto out;
	detail =
	        json_pack("{s:s, s:I, s:s, s:s, s:i, s:O}", "event",
	                  level == 1 ? "vault_rotation_due" : "vault_rotation_overdue", "entry_id",
	                  (json_int_t)id, "name", json_string_value(json_object_get(e.row, "name")),
	                  "due_at", due_utc, "level", level, "to", to);
	vault_object_of(id, object);
	r = audit_append(st, &(struct audit_event){ .actor = &tick_actor,
	                                            .action = "vault.rotation_reminder",
	                                            .object = object,
	                                            .detail = detail });
	if (r == 0 && report)
		json_array_append(report, detail);
out:
	r = store_end(st, r < 0 ? r : 0);
	json_decref(detail);
	json_decref(params);
	json_decref(to);
	vault_entry_release(&e);
	return r;
}

int vault_tick(struct store *st, int64_t now, json_t **ret_report)
{
	struct calendar cal;
	json_t *report = json_array(), *ids = NULL, *v;
	size_t i;
	int batches, r;

	if (!st) {
		json_decref(report);
		return -ERR_INTERNAL;
	}
	r = calendar_load(st, &cal, NULL);
	if (r < 0) {
		json_decref(report);
		return r;
	}
	/* Each row handled moves its next_remind_at past now, so the batches end. */
	for (batches = 0; r == 0 && batches < 50; batches++) {
		size_t n;

		r = vault_store_remind_due(st, now, REMIND_BATCH, &ids);
		if (r < 0)
			break;
		n = json_array_size(ids);
		json_array_foreach(ids, i, v) {
			if (r == 0)
				r = remind_one(st, cal.utc_offset, json_integer_value(v), now,
				               report);
		}
		json_decref(ids);
		ids = NULL;
		if (n < REMIND_BATCH)
			break;
	}
	calendar_release(&cal);
	if (r < 0) {
		json_decref(report);
		return r;
	}
	if (ret_report)
		*ret_report = report;
	else
		json_decref(report);
	return 0;
}

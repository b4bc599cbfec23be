/*
 * reveal.c: an entry's secret shown to a holder of its reveal roles, with the reason recorded
 * and audited (never the secret itself), and the record of reveals.
 */
#include "core/common.h"
#include "audit/audit.h"
#include "core/perm.h"
#include "vault/vault_int.h"

#include "core/actor.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "store/store.h"

/* --- reveals ------------------------------------------------------------------------- */

int vault_entry_reveal(struct vault *v, struct store *st, const struct actor *a, int64_t id,
                       const char *reason, char **ret_secret, struct problem *p)
{
	struct vault_entry e = { 0 };
	const unsigned char *key = NULL;
	char *secret = NULL, object[40];
	int64_t now = clock_now();
	size_t n;
	int r;

	r = vault_load_for_holder(st, a, id, &e, p);
	if (r < 0)
		return r;
	vault_object_of(id, object);
	n = reason ? strlen(reason) : 0;
	if (!reason || !utf8_valid(reason, n, true) || utf8_count(reason) < VAULT_REASON_MIN ||
	    utf8_count(reason) > VAULT_REASON_MAX) {
		r = problem_setf(p, ERR_INVALID, "invalid", "reason",
		                 "say why, in %d to %d characters", VAULT_REASON_MIN,
		                 VAULT_REASON_MAX);
		goto out;
	}
	r = vault_key_acquire(v, &key, p);
	if (r < 0)
		goto out;
	r = vault_secret_open(key, id, e.secret, e.secret_len, &secret);
	vault_key_release(v);
	if (r < 0) {
		log_error("vault entry %" PRId64 " cannot be opened: its sealed secret is damaged "
		          "or was moved from another entry",
		          id);
		vault_audit_refusal(st, a, "vault.reveal", object, "failure",
		                    json_pack("{s:s, s:s}", "reason", reason, "error", "damaged"));
		r = -ERR_INTERNAL;
		goto out;
	}
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = vault_store_reveal_insert(st, id, a->user_id, a->username, reason, a->source, now);
	if (r == 0)
		r = audit_change(st,
		                 (struct audit_event){
		                         .actor = a,
		                         .action = "vault.reveal",
		                         .object = object,
		                         .before = NULL,
		                         .after = NULL,
		                         .detail = json_pack("{s:s, s:I, s:O}", "reason", reason,
		                                             "entry_id", (json_int_t)id, "name",
		                                             json_object_get(e.row, "name")) });
	r = store_end(st, r);
	if (r == 0) {
		*ret_secret = secret;
		secret = NULL;
	}
out:
	vault_free_secret(secret);
	vault_entry_release(&e);
	return r;
}

int vault_reveal_list(struct store *st, const struct actor *a, int64_t entry_id, int64_t after,
                      int limit, json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *rows = NULL, *e;
	size_t i;
	int r;

	if (a->user_id != 0 && !perm_check(a, "vault.reveals.read", 0))
		return vault_forbidden(p);
	if (limit < 1 || limit > 500)
		limit = 50;
	r = vault_store_reveal_list(st, entry_id, after, limit, &rows);
	if (r < 0)
		return r;
	json_array_foreach(rows, i, e) {
		json_object_set_new(e, "at",
		                    vault_time_json(json_integer_value(json_object_get(e, "at"))));
	}
	*ret_next = json_array_size(rows) == (size_t)limit
	                    ? json_integer_value(json_object_get(json_array_get(rows, i - 1), "id"))
	                    : 0;
	*ret_items = rows;
	return 0;
}

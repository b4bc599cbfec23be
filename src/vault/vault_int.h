/*
 * vault_int.h: what the files of src/vault share: the store functions (all SQL of the vault
 * is in vault_store.c, tables of migrations/0007_vault.sql), the role sets of the rules and
 * the helpers of the verbs.
 */
#ifndef ISMS_VAULT_VAULT_INT_H
#define ISMS_VAULT_VAULT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "vault/vault.h"

#define VAULT_MAC_LEN 32

/* The vault_meta row. */
struct vault_meta {
	char key_id[2 * 32 + 1]; /* hex BLAKE2b-256 of DIR/keys/vault.key */
	int64_t created_at;
	int failures;
	int64_t last_failure_at; /* 0 = none */
	int64_t locked_until;    /* 0 = not locked */
};

/* -ERR_NOT_FOUND while the vault is uninitialized. */
int vault_store_meta_load(struct store *st, struct vault_meta *ret);
int vault_store_meta_insert(struct store *st, const char *key_id, int64_t now,
                            const char *created_by);
/* Sets the failure count and lock (0 = NULL). */
int vault_store_meta_failures(struct store *st, int failures, int64_t last_failure_at,
                              int64_t locked_until);
/* Number of entries. */
int vault_store_entry_count(struct store *st, int64_t *ret);

/* One entry as loaded: the raw row (every column but the secret and its MAC; times as
 * integers, reveal_roles parsed) and what the rules need. */
struct vault_entry {
	json_t *row;
	int64_t id, version, rotate_due_at, next_remind_at;
	int remind_level;
	unsigned roles;        /* the reveal roles as ROLE_* bits */
	unsigned char *secret; /* the sealed blob */
	size_t secret_len;
};
void vault_entry_release(struct vault_entry *e);

/* -ERR_NOT_FOUND. */
int vault_store_entry_load(struct store *st, int64_t id, struct vault_entry *ret);

struct vault_entry_fields {
	const char *name, *kind, *system, *host, *username, *notes;
	const char *reveal_roles; /* JSON array text */
};

/* Inserts with an empty secret (sealed next, once the id is known); -ERR_CONFLICT when the
 * name or the MAC is taken. */
int vault_store_entry_insert(struct store *st, const struct vault_entry_fields *f,
                             const unsigned char mac[VAULT_MAC_LEN], int64_t now, int64_t due,
                             int64_t next_remind_at, int64_t created_by, int64_t *ret_id);
int vault_store_entry_set_secret(struct store *st, int64_t id, const unsigned char *blob,
                                 size_t len);
/* Metadata; bumps the version; -ERR_CONFLICT when version is stale (or the name taken:
 * the caller checks the name first). */
int vault_store_entry_update(struct store *st, int64_t id, int64_t version,
                             const struct vault_entry_fields *f);
/* A new secret: rotated now, due again at due, reason "yearly", reminders reset. */
int vault_store_entry_rotate(struct store *st, int64_t id, int64_t version,
                             const unsigned char *blob, size_t len,
                             const unsigned char mac[VAULT_MAC_LEN], int64_t now, int64_t due,
                             int64_t next_remind_at);
/* A vendor access record: due, reason and the reminder state as given. */
int vault_store_entry_vendor(struct store *st, int64_t id, const char *vendor, const char *note,
                             int64_t at, int64_t due, const char *reason, int remind_level,
                             int64_t next_remind_at);
/* The id of the entry whose secret has this MAC: 1 and *ret_id, 0 when none. */
int vault_store_mac_owner(struct store *st, const unsigned char mac[VAULT_MAC_LEN],
                          int64_t *ret_id);
/* The id of the entry of this name (case as stored): 1 and *ret_id, 0 when none. */
int vault_store_name_owner(struct store *st, const char *name, int64_t *ret_id);
/* Raw rows (as vault_entry.row) by id, after the cursor, at most limit; kind NULL = any. */
int vault_store_entry_list(struct store *st, const char *kind, int64_t after, int limit,
                           json_t **ret_rows);

int vault_store_reveal_insert(struct store *st, int64_t entry_id, int64_t user_id,
                              const char *username, const char *reason, const char *source,
                              int64_t at);
/* Newest first, id < after (0 = from the newest); entry_id 0 = every entry. */
int vault_store_reveal_list(struct store *st, int64_t entry_id, int64_t after, int limit,
                            json_t **ret_rows);

/* Ids of entries with next_remind_at <= now, soonest first, at most limit. */
int vault_store_remind_due(struct store *st, int64_t now, int limit, json_t **ret_ids);
/* Advances the reminder state of entry id, only if next_remind_at is still old_next:
 * returns 1 when it did, 0 when another tick got there first. */
int vault_store_remind_set(struct store *st, int64_t id, int64_t old_next, int level,
                           int64_t next_at);

/* --- shared by the files of src/vault ----------------------------------------------- */

/* Roles that may be named as an entry's reveal roles. */
#define REVEAL_ROLES (ROLE_IT_STAFF | ROLE_SYS_ADMIN | ROLE_SECURITY_ADMIN)

struct actor;
struct password_policy;
struct problem;
struct store;

/* vault.c: the key in memory, and what every verb needs. */

/* 409 vault_sealed. */
int vault_sealed(struct problem *p);
/* Takes the read lock and returns the key, or 409 vault_sealed (lock not held). The key is
 * valid until vault_key_release. */
int vault_key_acquire(struct vault *v, const unsigned char **ret_key, struct problem *p);
void vault_key_release(struct vault *v);
/* 403 forbidden. */
int vault_forbidden(struct problem *p);
/* The audit object of an entry: "vault_entry:ID". */
void vault_object_of(int64_t id, char out[40]);
json_t *vault_time_json(int64_t t);
/* Appends an audit entry in the caller's transaction; consumes the JSON values. */
/* Audits a refused or failed vault operation in its own transaction. */
void vault_audit_refusal(struct store *st, const struct actor *a, const char *action,
                         const char *object, const char *outcome, json_t *detail_take);

/* crypto.c */

/* Wipes and frees a secret string; NULL is a no-op. */
void vault_free_secret(char *s);
/* The passphrase as the KDF sees it (NFKC), or NULL for text that cannot be a passphrase.
 * The caller frees it with vault_free_secret. */
char *vault_passphrase_norm(const char *pw);

/* entries.c: the view of an entry, and the checks of the verbs that act on one. */

/* Same UTC day and time a calendar year later; 29 February becomes 28 February. */
int64_t vault_add_year(int64_t t);
/* The API's view of a raw entry row (consumes row). */
json_t *vault_entry_view(json_t *row, int64_t now);
/* Audits a change to entry id: its views before (NULL: created) and after, and detail
 * (taken), inside the caller's transaction. */
int vault_audit_entry(struct store *st, const struct actor *a, const char *action, int64_t id,
                      json_t *before_row, json_t *after_row, int64_t now, json_t *detail);
/* 400 invalid_json unless in is an object, unknown_field for a key not in allowed. */
int vault_only(json_t *in, const char *const *allowed, struct problem *p);
/* A text member of at most max code points (required: at least one). multiline allows
 * tab, CR and LF. *ret is borrowed (NULL when absent and not required). */
int vault_text(json_t *in, const char *key, bool required, size_t max, bool multiline,
               const char **ret, struct problem *p);
/* The new secret of a create or rotate: {"secret": "..."} (checked like a password) or
 * {"generate": {"length"?}}. *ret_secret (caller wipes and frees), *ret_generated. */
int vault_secret_input(const struct password_policy *pol, json_t *in, const char *username,
                       char **ret_secret, bool *ret_generated, struct problem *p);
/* Wipes a secret member of a request body once it has been read (jansson's copy). */
void vault_wipe_member(json_t *in, const char *key);
/* Checks that no entry (other than none) already has this secret: 409 secret_reused. */
int vault_unique_secret(struct store *st, const unsigned char mac[VAULT_MAC_LEN],
                        struct problem *p);
/* {"entry": view, "secret": s (only when generated)}; consumes row. */
json_t *vault_answer(json_t *row, const char *generated);
/* Loads an entry that the actor may act on as one of its reveal roles (404, 403). */
int vault_load_for_holder(struct store *st, const struct actor *a, int64_t id,
                          struct vault_entry *ret, struct problem *p);
/* The entry's version as the request gives it (400 invalid). */
int vault_version_of(json_t *in, int64_t *ret, struct problem *p);
/* 409 stale_version. */
int vault_stale(struct problem *p);

#endif

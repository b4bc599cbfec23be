/*
 * vault_int.h: what the files of src/vault share: the store functions (all SQL of the vault
 * is in vault_store.c, tables of migrations/0007_vault.sql).
 */
#ifndef ISMS_VAULT_VAULT_INT_H
#define ISMS_VAULT_VAULT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif

/*
 * audit_int.h: shared inside src/audit: the store functions (audit_store.c holds the
 * module's only SQL) and the signer's body.
 *
 * Tables (migrations/0001_core.sql): audit_log(seq, entry), audit_tree(level, idx, hash),
 * audit_checkpoints(size, root, note, created_at); all append-only by trigger.
 */
#ifndef ISMS_AUDIT_AUDIT_INT_H
#define ISMS_AUDIT_AUDIT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"

struct stmt;
#include "audit/merkle.h"
#include "audit/note.h"

struct store;

struct audit_signer {
	struct note_signer key;
	char *verifier;
};

/* Largest seq (0 for an empty log). */
int audit_store_size(struct store *st, int64_t *ret_size);
int audit_store_entry_put(struct store *st, int64_t seq, const char *entry, size_t len);
/* The entry text of seq (caller frees); -ERR_NOT_FOUND. */
int audit_store_entry_get(struct store *st, int64_t seq, char **ret_entry, size_t *ret_len);
/* Hash of the tree node (level, idx); -ERR_NOT_FOUND. */
int audit_store_node_get(struct store *st, unsigned level, uint64_t idx,
                         unsigned char out[MERKLE_HASH_LEN]);
int audit_store_node_put(struct store *st, unsigned level, uint64_t idx,
                         const unsigned char h[MERKLE_HASH_LEN]);
/* True (1) when a node exists at level with an index >= idx, 0 when none. */
int audit_store_node_exists_from(struct store *st, unsigned level, uint64_t idx);
/* A merkle_nodes source reading audit_tree through st. */
struct merkle_nodes audit_store_nodes(struct store *st);

/* The newest checkpoint; -ERR_NOT_FOUND when there is none. Any out-pointer may be NULL;
 * *ret_note is the caller's to free. */
int audit_store_checkpoint_latest(struct store *st, int64_t *ret_size,
                                  unsigned char ret_root[MERKLE_HASH_LEN], char **ret_note);
/* The note of the checkpoint at exactly size (caller frees); -ERR_NOT_FOUND. */
int audit_store_checkpoint_at(struct store *st, int64_t size, char **ret_note);
int audit_store_checkpoint_put(struct store *st, int64_t size,
                               const unsigned char root[MERKLE_HASH_LEN], const char *note,
                               int64_t created_at);

/*
 * Cursors for the streaming verifier: cached statements the caller steps with store_step
 * and must store_reset() when done.
 *   entries:      (seq INTEGER, entry TEXT) ordered by seq
 *   level(l):     (idx INTEGER, hash BLOB) of tree level l ordered by idx (l < MERKLE_MAX_LEVELS)
 *   checkpoints:  (size INTEGER, root BLOB, note TEXT) ordered by size
 */
struct stmt *audit_store_scan_entries(struct store *st);
struct stmt *audit_store_scan_level(struct store *st, unsigned level);
struct stmt *audit_store_scan_checkpoints(struct store *st);

/* One page of audit_list: (seq, entry) rows newest first, at most limit + 1 of them; the
 * caller steps and resets the returned statement. */
int audit_store_list(struct store *st, const struct audit_filter *f, struct stmt **ret_stmt);

#endif

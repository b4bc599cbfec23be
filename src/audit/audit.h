/*
 * audit.h: the tamper-evident audit trail (SPEC AUD-1..4, DESIGN "Audit trail").
 *
 * Every entry is one row of audit_log: `entry` is canonical JSON (sorted keys, compact,
 * UTF-8) with the fields
 *   seq (int), time (RFC 3339 UTC), actor (string), actor_id (int), source (string),
 *   action (string, e.g. "user.create"), object (string, e.g. "user:12"),
 *   outcome ("success" | "failure" | "denied"), and optionally before/after/detail (objects).
 * The entry bytes are leaf seq-1 of an RFC 9162 Merkle tree (leaf hash SHA-256(0x00||entry),
 * node hash SHA-256(0x01||l||r)); the perfect-subtree hashes live in audit_tree. Checkpoints
 * of the tree are C2SP signed notes (Ed25519):
 *
 *   <origin>\n<size>\n<base64 root>\n\n— <key name> <base64(key id[4] || sig[64])>\n
 *
 * Secrets never enter an entry: callers pass only what may be shown to the audit admin.
 */
#ifndef ISMS_AUDIT_AUDIT_H
#define ISMS_AUDIT_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/common.h"

struct store;
struct actor;

struct audit_event {
	const struct actor *actor;
	const char *action;  /* "login.success", "user.create", ... */
	const char *object;  /* "user:12", "department:3", "session", NULL */
	const char *outcome; /* "success" (default when NULL), "failure", "denied" */
	json_t *before;      /* borrowed, may be NULL */
	json_t *after;       /* borrowed, may be NULL */
	json_t *detail;      /* borrowed, may be NULL */
};

/*
 * Appends one entry and updates the tree. Must run inside the caller's store transaction
 * (store_begin) so the change and its entry commit or roll back together; returns
 * -ERR_INTERNAL when called outside one. Time comes from clock_now().
 */
MUST_CHECK int audit_append(struct store *st, const struct audit_event *ev);
/*
 * Records a change, inside the caller's transaction: who (ev.actor) did what (ev.action) to
 * which object ("kind:id", audit_object), from what (ev.before) to what (ev.after) and why
 * (ev.detail); ev.outcome NULL is a success. It takes the event's JSON (before, after and
 * detail are released here, NULL allowed), so callers build them inline. The one way a
 * module audits what it changes.
 */
MUST_CHECK int audit_change(struct store *st, struct audit_event ev);
/* "kind:id" in buf (AUDIT_OBJECT_MAX bytes), for an event's object; returns buf. */
#define AUDIT_OBJECT_MAX 64
const char *audit_object(char *buf, const char *kind, int64_t id);
/* The same in a buffer of the enclosing block: audit_change(st, (struct audit_event){
 * .object = AUDIT_OBJ("task", id), … }). */
#define AUDIT_OBJ(kind, id) audit_object((char[AUDIT_OBJECT_MAX]){ 0 }, (kind), (id))
/* Convenience: begin, append, commit (for events that change nothing else, e.g. a
 * failed login or a refused request). */
MUST_CHECK int audit_record(struct store *st, const struct audit_event *ev);

/* Number of entries (the tree size). */
int audit_size(struct store *st, int64_t *ret_size);

/* --- keys and checkpoints --------------------------------------------------------- */

struct audit_signer;

/*
 * Creates the audit signing key under keys_dir: audit.key (mode 0600: the signed-note
 * "PRIVATE+KEY+<name>+<hash>+<b64>" encoding) and audit.pub (the verifier key
 * "<name>+<hash hex>+<b64(0x01||pk)>"). name is the log origin, e.g. "isms.local/3f9a…".
 */
int audit_keys_create(const char *keys_dir, const char *name);
int audit_signer_load(const char *keys_dir, struct audit_signer **ret_sg);
/* The signing key from a file anywhere (mode 0600, else -ERR_FORBIDDEN) or from a file
 * descriptor (read to its end and closed), so that it need not lie beside the log it signs:
 * with file access to the data folder alone one can then no longer re-sign a rewritten log. */
int audit_signer_load_file(const char *path, struct audit_signer **ret_sg);
int audit_signer_load_fd(int fd, struct audit_signer **ret_sg);
/* The verifier key of keys_dir/audit.pub (caller frees); -ERR_NOT_FOUND, -ERR_INVALID. */
int audit_verifier_load(const char *keys_dir, char **ret_verifier);
void audit_signer_free(struct audit_signer *sg);
/* The verifier key string (borrowed). */
const char *audit_signer_verifier(const struct audit_signer *sg);

/*
 * Signs and stores a checkpoint of the current tree when it has grown since the last
 * one (in its own transaction; sg NULL: signs nothing), then returns the newest checkpoint
 * note (caller frees).
 * With an empty log, signs size 0 (root = SHA-256 of the empty string).
 */
int audit_checkpoint(struct store *st, struct audit_signer *sg, char **ret_note);
/* The newest stored checkpoint note, or -ERR_NOT_FOUND. */
int audit_checkpoint_latest(struct store *st, char **ret_note);

/* --- verification and proofs ------------------------------------------------------- */

struct audit_verify_result {
	int64_t entries;       /* entries read */
	int64_t checkpoints;   /* checkpoints (stored and external) checked */
	int64_t first_bad_seq; /* 0 when none can be named */
	uint64_t bytes_hashed; /* leaf and node input bytes, for the benchmark */
	char message[512];     /* human description of the first problem, "" when intact */
};

/*
 * Recomputes every leaf hash and the tree, compares them with audit_tree and with every
 * stored checkpoint (whose signatures are checked with verifier), and, when
 * external_note is given (an exported checkpoint), checks its signature and that the
 * current log is a consistent extension of it (a log shorter than that checkpoint, or
 * with a different root at its size, fails). Returns 0 when intact, -ERR_CONFLICT when
 * tampering is found (res->message names the first bad entry), other -ERR_* on errors.
 */
int audit_verify(struct store *st, const char *verifier, const char *external_note,
                 struct audit_verify_result *res);

/*
 * Inclusion proof of entry seq in the tree of the given size (0 = the newest checkpoint's
 * size). *ret is {"seq","leaf_index","tree_size","leaf_hash","root","proof":[b64...],
 * "checkpoint": note or null}. -ERR_NOT_FOUND for a seq outside the tree.
 */
int audit_inclusion_proof(struct store *st, int64_t seq, int64_t tree_size, json_t **ret);
/* Consistency proof between sizes first <= second: {"first","second","proof":[b64...]}. */
int audit_consistency_proof(struct store *st, int64_t first, int64_t second, json_t **ret);

/* --- search ----------------------------------------------------------------------- */

struct audit_filter {
	const char *actor, *action, *object, *outcome; /* exact match, NULL = any; action also
	                                                  accepts a prefix ending in '.' */
	int64_t from, to;                              /* unix seconds; 0 = open */
	int64_t after;                                 /* cursor: entries with seq < after */
	int limit;                                     /* 1..500 */
};

/* Newest first. *ret_items is an array of entry objects (each with "seq"); *ret_next is the
 * cursor for the next page (0 = no more). */
int audit_list(struct store *st, const struct audit_filter *f, json_t **ret_items,
               int64_t *ret_next);

#endif

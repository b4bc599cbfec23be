/*
 * vault.h: the credential vault (SPEC VLT-1..3; 服务器密码登记 / 网络设备密码登记): the
 * passwords of servers, firewalls, routers, switches, ERP/OA administrators, the domain and
 * mail, kept encrypted, revealed only to the IT roles named on each entry with a reason,
 * rotated yearly and within an hour after a vendor was given one.
 *
 * Keys (libsodium only):
 *   data key   32 random bytes; each entry's secret is sealed with XChaCha20-Poly1305
 *              (auth/seal.h: 0x01 || nonce[24] || ciphertext || tag[16]) under it, with the
 *              associated data "isms-vault:entry:<id>" so a blob moved to another entry
 *              does not open. A keyed BLAKE2b of each secret under a subkey of the data key
 *              finds a secret reused by another entry without decrypting anything.
 *   vault.key  DIR/keys/vault.key (0600): the data key wrapped (seal()) under a key derived
 *              from the vault passphrase with argon2id (crypto_pwhash, random salt, the
 *              opslimit/memlimit stored next to it, at least libsodium's INTERACTIVE):
 *
 *                "ISMSVK" | version 0x01 | kdf 0x01 (argon2id v1.3) | opslimit u64 LE |
 *                memlimit u64 LE | salt[16] | seal() blob of the data key (73 bytes)
 *
 *              the wrap's associated data names the header (version, kdf, limits, salt),
 *              so none of it can be changed unnoticed. The database keeps the BLAKE2b-256
 *              of the whole file (vault_meta.key_id) to recognize a replaced or damaged file.
 *   The passphrase and the unwrapped keys are never stored, logged or sent anywhere; every
 *   buffer that held them is wiped (sodium_memzero), and the data key of an unsealed vault
 *   lives in guarded, locked memory (sodium_malloc), read-only while unsealed and
 *   inaccessible while sealed.
 *
 * States (per process: a restart seals it):
 *
 *   uninitialized --init--> unsealed --seal--> sealed --unseal(passphrase)--> unsealed
 *                                              sealed <--start of any process
 *
 * Unseal: a wrong passphrase is 403 "wrong_passphrase" (detail: attempts left) and changes
 * nothing but the persistent failure count; the 5th in a row locks the vault for 15 minutes
 * (423 "vault_locked", p->until), audited "vault.locked", the security administrators
 * notified ("vault.locked"); while locked even the right passphrase is refused and not
 * counted (pam_faillock semantics). Success resets the count ("vault.unseal").
 *
 * Who: init security_admin; unseal and seal security_admin or it_staff; status and the
 * metadata of entries it_staff, sys_admin, security_admin, audit_admin; create and patch
 * it_staff or sys_admin (patch: a holder of one of the entry's reveal roles); reveal, rotate
 * and vendor access only a holder of one of the entry's reveal roles (it_staff, sys_admin or
 * security_admin as listed on the entry; audit_admin never reveals, it reads the record);
 * the reveal record security_admin and audit_admin. The local operator (user_id 0, the CLI
 * and the control socket) may init, unseal, seal and read the status, never reveal.
 *
 * Every change writes its audit entry in the same transaction; no entry, log line, error or
 * notification ever carries a secret or the passphrase.
 */
#ifndef ISMS_VAULT_VAULT_H
#define ISMS_VAULT_VAULT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/common.h"

struct store;
struct actor;
struct problem;
struct password_policy;

#define VAULT_KEY_LEN          32
#define VAULT_KEY_FILE         "vault.key"
#define VAULT_KEY_FILE_LEN     113
#define VAULT_PASSPHRASE_MIN   16  /* code points */
#define VAULT_MAX_FAILURES     5   /* wrong passphrases in a row before the lock */
#define VAULT_LOCK_SECONDS     900 /* 15 minutes */
#define VAULT_GENERATE_MIN     16
#define VAULT_GENERATE_MAX     64
#define VAULT_GENERATE_DEFAULT 20
#define VAULT_SECRET_MAX       128 /* code points of a stored secret */
#define VAULT_REASON_MIN       4   /* code points of a reveal reason */
#define VAULT_REASON_MAX       500
#define VAULT_HIDE_AFTER       30           /* seconds the web interface shows a revealed secret */
#define VAULT_VENDOR_DUE       3600         /* rotate within 1 hour after vendor access */
#define VAULT_NOTICE_YEARLY    (14 * 86400) /* "due soon" reminder before a yearly due */
#define VAULT_REMIND_EVERY     86400        /* overdue reminders: daily */

/* The generator's alphabet, by class: no look-alikes (I l O 0 1 o) and no character that a
 * shell, a device's command line (Cisco's "?"), a URL or a CSV file treats specially. */
#define VAULT_ALPHA_UPPER "ABCDEFGHJKLMNPQRSTUVWXYZ"
#define VAULT_ALPHA_LOWER "abcdefghijkmnpqrstuvwxyz"
#define VAULT_ALPHA_DIGIT "23456789"
#define VAULT_ALPHA_OTHER "!#%*+-=@^_~"

struct vault;

/* The process's vault state for the key folder keys_dir (sealed). Never NULL. */
struct vault *vault_new(const char *keys_dir);
/* Seals (wipes the key) and frees; NULL is a no-op. */
void vault_free(struct vault *v);
/* True while the data key is in memory. */
bool vault_is_unsealed(struct vault *v);
/* For tests: true when the key memory holds only zeros (after seal). */
bool vault_key_wiped(struct vault *v);

/*
 * The status: {"state": "uninitialized"|"sealed"|"unsealed", "unsealed_at", "unsealed_by",
 * "failures", "locked_until", "initialized_at"} (times RFC 3339 or null). *ret is new.
 */
int vault_status(struct vault *v, struct store *st, const struct actor *a, json_t **ret,
                 struct problem *p);
/*
 * Creates the data key and DIR/keys/vault.key under passphrase (>= 16 code points, and it
 * passes the password-quality check of pol: 400 "weak_password" field "passphrase").
 * Leaves this process's vault unsealed. 409 "vault_initialized" when it exists; 409
 * "vault_key_invalid" when entries exist but their key is gone. Audited "vault.init".
 */
int vault_init(struct vault *v, struct store *st, const struct actor *a,
               const struct password_policy *pol, const char *passphrase, json_t **ret_status,
               struct problem *p);
/* See the header comment: 403 wrong_passphrase, 423 vault_locked, 409 vault_uninitialized,
 * 409 vault_key_invalid (vault.key missing, damaged or not the one of this database). */
int vault_unseal(struct vault *v, struct store *st, const struct actor *a, const char *passphrase,
                 json_t **ret_status, struct problem *p);
/* Wipes the data key from memory. Audited "vault.seal". */
int vault_seal(struct vault *v, struct store *st, const struct actor *a, json_t **ret_status,
               struct problem *p);

/*
 * Entries. The API's view never has the secret:
 *   {id, name, kind, system, host, username, reveal_roles, notes, rotated_at, rotate_due_at,
 *    rotate_reason, vendor_access_at, vendor, vendor_note, rotation_status ("ok", "due_soon",
 *    "overdue"), version, created_at}
 */
int vault_entry_list(struct store *st, const struct actor *a, const char *kind, int64_t after,
                     int limit, json_t **ret_items, int64_t *ret_next, struct problem *p);
int vault_entry_get(struct store *st, const struct actor *a, int64_t id, json_t **ret,
                    struct problem *p);
/*
 * in: {name, kind, system?, host?, username?, reveal_roles, notes?, secret? | generate:
 * {length?}}. *ret = {"entry": Entry, "secret": the generated password (only then)}.
 * 409 vault_sealed, secret_reused, name_taken; 400 invalid / weak_password (field "secret").
 * Audited "vault.entry_create".
 */
int vault_entry_create(struct vault *v, struct store *st, const struct actor *a,
                       const struct password_policy *pol, json_t *in, json_t **ret,
                       struct problem *p);
/* in: {version, name?, kind?, system?, host?, username?, reveal_roles?, notes?} → Entry.
 * Audited "vault.entry_update" with before/after. */
int vault_entry_update(struct store *st, const struct actor *a, int64_t id, json_t *in,
                       json_t **ret, struct problem *p);
/* in: {version, secret? | generate: {length?}} → {entry, secret?}; rotated_at = now, due a
 * year later. Audited "vault.rotate". */
int vault_entry_rotate(struct vault *v, struct store *st, const struct actor *a,
                       const struct password_policy *pol, int64_t id, json_t *in, json_t **ret,
                       struct problem *p);
/*
 * The secret (caller wipes and frees), for a holder of one of the entry's reveal roles with
 * a reason of 4..500 code points; recorded in vault_reveals and audited "vault.reveal" with
 * the reason (never the secret) before it is returned.
 */
int vault_entry_reveal(struct vault *v, struct store *st, const struct actor *a, int64_t id,
                       const char *reason, char **ret_secret, struct problem *p);
/* in: {vendor, note?}: a vendor was given the password; rotate_due_at = now + 1 h (or the
 * earlier due it had), rotate_reason "vendor_access". Audited "vault.vendor_access". */
int vault_entry_vendor_access(struct store *st, const struct actor *a, int64_t id, json_t *in,
                              json_t **ret, struct problem *p);
/* The reveal record, newest first: {id, entry_id, entry_name, user_id, username, reason,
 * source, at}. security_admin, audit_admin. */
int vault_reveal_list(struct store *st, const struct actor *a, int64_t entry_id, int64_t after,
                      int limit, json_t **ret_items, int64_t *ret_next, struct problem *p);

/*
 * A random password of length 16..64 (0 = 20) over the VAULT_ALPHA_* alphabet with every
 * class present (randombytes_uniform), that passes pol's password-quality check (NULL: the
 * dengbao defaults). The caller wipes and frees. 400 invalid field "length".
 */
int vault_generate(const struct password_policy *pol, int length, char **ret_pw, struct problem *p);

/*
 * The clock tick of rotation reminders, idempotent: for each entry whose next_remind_at has
 * come, notifies the holders of its reveal roles once when it comes due soon ("due soon":
 * 14 days before a yearly due, at once after a vendor access; "vault.rotation_due") and when
 * it is overdue, then daily while it stays overdue ("vault.rotation_overdue"). Each reminder
 * is audited "vault.rotation_reminder" and, when ret_report is given, appended to it as
 * {"event": "vault_rotation_due"|"vault_rotation_overdue", "entry_id", "name", "due_at",
 * "to": [user ids]}. *ret_report (if not NULL) is a new array.
 */
int vault_tick(struct store *st, int64_t now, json_t **ret_report);

/* --- the crypto, exposed for the unit tests ------------------------------------------ */

/* Wraps key under passphrase (NFKC) into a vault.key image (VAULT_KEY_FILE_LEN bytes). */
int vault_key_wrap(const char *passphrase, uint64_t opslimit, size_t memlimit,
                   const unsigned char key[VAULT_KEY_LEN],
                   unsigned char ret_file[VAULT_KEY_FILE_LEN]);
/* Unwraps: 0 and key, -ERR_FORBIDDEN for a wrong passphrase (or a tampered wrap, which
 * cannot be told apart), -ERR_INVALID for a malformed image or limits out of range. */
MUST_CHECK int vault_key_unwrap(const unsigned char *file, size_t len, const char *passphrase,
                                unsigned char key[VAULT_KEY_LEN]);
/* Seals a secret for entry id; *ret_blob (caller frees) has n + SEAL_OVERHEAD bytes. */
void vault_secret_seal(const unsigned char key[VAULT_KEY_LEN], int64_t id, const char *secret,
                       size_t n, unsigned char **ret_blob, size_t *ret_len);
/* Opens an entry's blob into a new NUL-terminated string (caller wipes and frees);
 * -ERR_INVALID when tampered, moved from another entry or of an unknown algorithm. */
MUST_CHECK int vault_secret_open(const unsigned char key[VAULT_KEY_LEN], int64_t id,
                                 const unsigned char *blob, size_t len, char **ret_secret);
/* The keyed BLAKE2b-256 of a secret under the data key's uniqueness subkey. */
void vault_secret_mac(const unsigned char key[VAULT_KEY_LEN], const char *secret, size_t n,
                      unsigned char out[32]);

#endif

/*
 * note.h: C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and the
 * checkpoint body of c2sp.org/tlog-checkpoint. Compatible with golang.org/x/mod/sumdb/note.
 *
 *   key id    first 4 bytes (big-endian) of SHA-256(name || "\n" || 0x01 || public key)
 *   verifier  "<name>+<8 hex key id>+<base64(0x01 || public key)>"
 *   private   "PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>"
 *   note      text (ending in "\n") "\n" then lines "— <name> <base64(key id || sig)>\n"
 *             (U+2014 EM DASH, a space)
 *   body      "<origin>\n<decimal size>\n<base64 root>\n" [extension lines]
 *
 * Notes come from outside (exported checkpoint files): the parsers take a length, refuse
 * anything over NOTE_MAX bytes, invalid UTF-8 and control characters, and never trust a
 * field they have not checked.
 */
#ifndef ISMS_AUDIT_NOTE_H
#define ISMS_AUDIT_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NOTE_MAX         4096 /* bytes of a whole signed note we accept */
#define NOTE_NAME_MAX    255  /* bytes of a key name or checkpoint origin */
#define NOTE_SIG_ED25519 0x01
#define NOTE_PK_LEN      32
#define NOTE_SEED_LEN    32
#define NOTE_SK_LEN      64
#define NOTE_HASH_LEN    32 /* checkpoint root */

struct note_verifier {
	char name[NOTE_NAME_MAX + 1];
	uint32_t id;
	unsigned char pk[NOTE_PK_LEN];
};

struct note_signer {
	char name[NOTE_NAME_MAX + 1];
	uint32_t id;
	unsigned char pk[NOTE_PK_LEN];
	unsigned char sk[NOTE_SK_LEN]; /* secret: wipe with note_signer_wipe() */
};

struct note_checkpoint {
	char origin[NOTE_NAME_MAX + 1];
	uint64_t size;
	unsigned char root[NOTE_HASH_LEN];
};

/* True when name is a valid key name: non-empty, at most NOTE_NAME_MAX bytes of UTF-8,
 * no Unicode space, no '+' and no control character. */
bool note_name_valid(const char *name);
/* The key id of an Ed25519 public key under name. */
uint32_t note_key_id(const char *name, const unsigned char pk[NOTE_PK_LEN]);

/* A signer from a 32-byte seed. -ERR_INVALID for an invalid name. */
int note_signer_from_seed(const char *name, const unsigned char seed[NOTE_SEED_LEN],
                          struct note_signer *ret_sg);
/* Parses the "PRIVATE+KEY+..." string (a trailing newline is allowed). -ERR_INVALID when
 * malformed, of another algorithm, or when the key id does not match. */
int note_signer_parse(const char *skey, struct note_signer *ret_sg);
/* The "PRIVATE+KEY+..." string of sg (caller frees; a secret: wipe before freeing). */
char *note_signer_encode(const struct note_signer *sg);
/* The verifier key string of sg (caller frees). */
char *note_signer_verifier(const struct note_signer *sg);
void note_signer_wipe(struct note_signer *sg);

/* Parses "<name>+<hex id>+<base64>" (a trailing newline is allowed). -ERR_INVALID when
 * malformed, not Ed25519, or when the key id does not match the name and key. */
int note_verifier_parse(const char *vkey, struct note_verifier *ret_v);

/*
 * Signs text (valid UTF-8, no control characters but newlines, ending in "\n") and
 * returns the signed note (caller frees). -ERR_INVALID for an unsuitable text.
 */
int note_sign(const struct note_signer *sg, const char *text, char **ret_note);

/*
 * Opens the signed note msg[0..len) with verifier v. On success *ret_text_len is the length
 * of the signed text (msg[0..*ret_text_len), ending in "\n"). Signatures of other keys are
 * ignored, as the format requires. Errors:
 *   -ERR_TOO_LARGE        longer than NOTE_MAX
 *   -ERR_INVALID          malformed (encoding, layout, signature lines)
 *   -ERR_NOT_FOUND        no signature by v
 *   -ERR_UNAUTHENTICATED  a signature by v that does not verify
 */
int note_open(const char *msg, size_t len, const struct note_verifier *v, size_t *ret_text_len);

/* The checkpoint body "<origin>\n<size>\n<base64 root>\n" (caller frees); NULL when origin
 * is empty or contains a newline. */
char *note_checkpoint_text(const char *origin, uint64_t size,
                           const unsigned char root[NOTE_HASH_LEN]);
/*
 * Parses a checkpoint body text[0..len) (the text of an opened note): origin, size without
 * leading zeros (at most INT64_MAX), a base64 root of 32 bytes, then optional non-empty
 * extension lines, which are ignored. -ERR_INVALID when malformed.
 */
int note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *ret_cp);

#endif

/*
 * password.h: password hashing (argon2id via libsodium crypto_pwhash_str) and the password
 * quality policy (SPEC ID-2, SECURITY.md "pam_pwquality / libpwquality").
 *
 * Every password is NFKC-normalised (libunistring) before hashing and checking (ASVS 6.2.8);
 * lengths are counted in Unicode code points, not bytes. libpwquality does the dictionary
 * (cracklib), user-name, palindrome, repeat, sequence and similarity checks; isms adds the
 * code-point length, the character classes, the embedded common-password blocklists
 * (Openwall's list from Debian's john-data and isms' own Chinese list) and context words.
 */
#ifndef ISMS_AUTH_PASSWORD_H
#define ISMS_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/common.h"

#define PASSWORD_MAX_CODEPOINTS 128 /* documented upper bound (ASVS 6.2.9) */
#define PASSWORD_HASH_MAX       128 /* crypto_pwhash_STRBYTES */

enum password_profile { PASSWORD_DENGBAO, PASSWORD_NIST };

struct password_policy {
	enum password_profile profile;
	int min_length;   /* code points; dengbao default 8, nist default 8 (15 single-factor) */
	int min_classes;  /* dengbao 3 of {digit, upper, lower, other}; nist 0 */
	int history;      /* previous passwords refused; default 5 */
	int max_age_days; /* dengbao 90; nist 0 = no forced rotation */
};

/* The defaults of a profile. */
void password_policy_defaults(enum password_profile p, struct password_policy *ret);
int password_profile_from_string(const char *s, enum password_profile *ret);
const char *password_profile_name(enum password_profile p);

/* Argon2id cost; the default is libsodium INTERACTIVE (t=2, 64 MiB). Set once at start. */
void password_set_cost(uint64_t opslimit, size_t memlimit);
void password_get_cost(uint64_t *ret_ops, size_t *ret_mem);

/*
 * Hashes pw (NFKC first) into out (PASSWORD_HASH_MAX bytes): "$argon2id$v=19$m=65536,t=2,p=1$…".
 * -ERR_INVALID for invalid UTF-8 or a password longer than the bound.
 */
MUST_CHECK int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]);
/* Constant-time verification of pw against a stored hash; false on any error. */
MUST_CHECK bool password_verify(const char *hash, const char *pw);
/* Burns about the time of one verification, for unknown users (same answer, same time). */
void password_verify_dummy(const char *pw);
/* True when the stored hash uses a weaker cost than the current one (rehash on login). */
bool password_needs_rehash(const char *hash);

struct password_context {
	const char *username;
	const char *display_name;
	const char *old_password;         /* the current one when known, for similarity */
	const char *const *context_words; /* NULL-terminated: organization, departments, "isms" */
};

/*
 * Checks a candidate against the policy. On refusal returns -ERR_INVALID with
 * p->code = "weak_password", p->field = "new_password" and p->detail a sentence the user
 * understands (English; the HTTP layer adds the Chinese message), e.g.
 * "at least 8 characters", "use at least 3 of: digits, upper-case, lower-case, other",
 * "too common", "must not contain the login name". History is checked by the caller.
 */
int password_check(const struct password_policy *pol, const char *pw,
                   const struct password_context *ctx, struct problem *p);

/* A random password that satisfies the dengbao profile (for one-time passwords); the
 * caller frees (and should sodium_memzero it). 20 characters. */
char *password_generate(void);

/*
 * Loads the blocklists and libpwquality's settings and makes the dummy hash for the current
 * cost, so the first request does not pay for them (call after password_set_cost; the other
 * functions initialise lazily anyway). -ERR_INTERNAL if the dummy hash cannot be made.
 */
int password_library_init(void);
/* False when cracklib's dictionary could not be loaded: the dictionary check is then off
 * (the embedded blocklists still apply) and the operator should be warned. */
bool password_dictionary_available(void);

#endif

/*
 * note.c: C2SP signed notes with Ed25519 (libsodium), key strings in the encoding of
 * golang.org/x/mod/sumdb/note, and the tlog-checkpoint body. Everything parsed here may
 * come from a file an outsider handed us: lengths are explicit, every field is checked,
 * and nothing is read past len.
 */
#include "core/common.h"
#include "core/util.h"
#include "audit/note.h"

#include <sodium.h>
#include <unictype.h>
#include <unistr.h>

/* "— " : U+2014 EM DASH in UTF-8, then a space. */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN (sizeof(sig_prefix) - 1)
#define MAX_SIGNATURES 100
#define KEY_BLOB_LEN   (1 + NOTE_PK_LEN) /* algorithm byte || key or seed */

/* Valid UTF-8, no NUL, no control characters except newline, no DEL. */
static bool text_valid(const char *p, size_t n)
{
	size_t i;

	if (u8_check((const uint8_t *)p, n) != NULL)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return false;
	}
	return true;
}

static bool name_valid(const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0 || n > NOTE_NAME_MAX || u8_check((const uint8_t *)p, n) != NULL)
		return false;
	while (i < n) {
		ucs4_t c;
		int w = u8_mbtouc(&c, (const uint8_t *)p + i, n - i);

		if (w <= 0 || c < 0x20 || c == 0x7f || c == '+' || uc_is_property_white_space(c))
			return false;
		i += (size_t)w;
	}
	return true;
}

bool note_name_valid(const char *name)
{
	return name && name_valid(name, strlen(name));
}

uint32_t note_key_id(const char *name, const unsigned char pk[NOTE_PK_LEN])
{
	crypto_hash_sha256_state s;
	unsigned char h[crypto_hash_sha256_BYTES];
	const unsigned char sep[2] = { '\n', NOTE_SIG_ED25519 };

	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, (const unsigned char *)name, strlen(name));
	crypto_hash_sha256_update(&s, sep, sizeof(sep));
	crypto_hash_sha256_update(&s, pk, NOTE_PK_LEN);
	crypto_hash_sha256_final(&s, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | (uint32_t)h[3];
}

int note_signer_from_seed(const char *name, const unsigned char seed[NOTE_SEED_LEN],
                          struct note_signer *ret_sg)
{
	struct note_signer sg;

	if (!note_name_valid(name))
		return -ERR_INVALID;
	memset(&sg, 0, sizeof(sg));
	memcpy(sg.name, name, strlen(name) + 1);
	crypto_sign_ed25519_seed_keypair(sg.pk, sg.sk, seed);
	sg.id = note_key_id(sg.name, sg.pk);
	*ret_sg = sg;
	sodium_memzero(&sg, sizeof(sg));
	return 0;
}

/*
 * Splits "<name>+<8 hex>+<base64 of 0x01 || 32 bytes>" (s[0..n)) into its parts. The
 * base64 may itself contain '+', so only the first two '+' separate fields.
 */
static int parse_key_tail(const char *s, size_t n, char name[NOTE_NAME_MAX + 1], uint32_t *ret_id,
                          unsigned char blob[KEY_BLOB_LEN])
{
	const char *plus = memchr(s, '+', n);
	unsigned char idb[4];
	size_t nlen, got = 0;
	const char *end = NULL;
	int r;

	if (!plus)
		return -ERR_INVALID;
	nlen = (size_t)(plus - s);
	if (!name_valid(s, nlen))
		return -ERR_INVALID;
	s += nlen + 1;
	n -= nlen + 1;
	if (n < 9 || s[8] != '+')
		return -ERR_INVALID;
	if (sodium_hex2bin(idb, sizeof(idb), s, 8, NULL, &got, &end) != 0 || got != 4 ||
	    end != s + 8)
		return -ERR_INVALID;
	r = b64_decode(s + 9, n - 9, blob, KEY_BLOB_LEN);
	if (r != KEY_BLOB_LEN || blob[0] != NOTE_SIG_ED25519)
		return -ERR_INVALID;
	memcpy(name, plus - nlen, nlen);
	name[nlen] = '\0';
	*ret_id = (uint32_t)idb[0] << 24 | (uint32_t)idb[1] << 16 | (uint32_t)idb[2] << 8 |
	          (uint32_t)idb[3];
	return 0;
}

/* Length of a key string without one trailing newline; 0 if it holds other controls. */
static size_t key_string_len(const char *s)
{
	size_t n = strlen(s), i;

	if (n > 0 && s[n - 1] == '\n')
		n--;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return n;
}

int note_signer_parse(const char *skey, struct note_signer *ret_sg)
{
	static const char prefix[] = "PRIVATE+KEY+";
	unsigned char blob[KEY_BLOB_LEN];
	char name[NOTE_NAME_MAX + 1];
	struct note_signer sg;
	size_t n = key_string_len(skey);
	uint32_t id;
	int r;

	if (n <= sizeof(prefix) - 1 || memcmp(skey, prefix, sizeof(prefix) - 1) != 0)
		return -ERR_INVALID;
	r = parse_key_tail(skey + sizeof(prefix) - 1, n - (sizeof(prefix) - 1), name, &id, blob);
	if (r < 0)
		goto out;
	r = note_signer_from_seed(name, blob + 1, &sg);
	if (r < 0)
		goto out;
	if (sg.id != id) {
		r = -ERR_INVALID;
		goto out;
	}
	*ret_sg = sg;
out:
	sodium_memzero(blob, sizeof(blob));
	sodium_memzero(&sg, sizeof(sg));
	return r;
}

char *note_signer_encode(const struct note_signer *sg)
{
	unsigned char blob[KEY_BLOB_LEN];
	char *b64, *out;

	blob[0] = NOTE_SIG_ED25519;
	crypto_sign_ed25519_sk_to_seed(blob + 1, sg->sk);
	b64 = b64_encode(blob, sizeof(blob));
	out = xasprintf("PRIVATE+KEY+%s+%08" PRIx32 "+%s", sg->name, sg->id, b64);
	sodium_memzero(blob, sizeof(blob));
	sodium_memzero(b64, strlen(b64));
	free(b64);
	return out;
}

char *note_signer_verifier(const struct note_signer *sg)
{
	unsigned char blob[KEY_BLOB_LEN];
	char *b64, *out;

	blob[0] = NOTE_SIG_ED25519;
	memcpy(blob + 1, sg->pk, NOTE_PK_LEN);
	b64 = b64_encode(blob, sizeof(blob));
	out = xasprintf("%s+%08" PRIx32 "+%s", sg->name, sg->id, b64);
	free(b64);
	return out;
}

void note_signer_wipe(struct note_signer *sg)
{
	sodium_memzero(sg, sizeof(*sg));
}

int note_verifier_parse(const char *vkey, struct note_verifier *ret_v)
{
	unsigned char blob[KEY_BLOB_LEN];
	struct note_verifier v;
	size_t n = key_string_len(vkey);
	int r;

	memset(&v, 0, sizeof(v));
	r = parse_key_tail(vkey, n, v.name, &v.id, blob);
	if (r < 0)
		return r;
	memcpy(v.pk, blob + 1, NOTE_PK_LEN);
	if (note_key_id(v.name, v.pk) != v.id)
		return -ERR_INVALID;
	*ret_v = v;
	return 0;
}

int note_sign(const struct note_signer *sg, const char *text, char **ret_note)
{
	unsigned char sig[4 + crypto_sign_ed25519_BYTES];
	size_t n = strlen(text);
	char *b64;

	if (n == 0 || text[n - 1] != '\n' || n > NOTE_MAX || !text_valid(text, n))
		return -ERR_INVALID;
	sig[0] = (unsigned char)(sg->id >> 24);
	sig[1] = (unsigned char)(sg->id >> 16);
	sig[2] = (unsigned char)(sg->id >> 8);
	sig[3] = (unsigned char)sg->id;
	crypto_sign_ed25519_detached(sig + 4, NULL, (const unsigned char *)text, n, sg->sk);
	b64 = b64_encode(sig, sizeof(sig));
	*ret_note = xasprintf("%s\n%s%s %s\n", text, sig_prefix, sg->name, b64);
	free(b64);
	return 0;
}

/* Index of the last "\n\n" in p[0..n), or -1. */
static ptrdiff_t last_blank_line(const char *p, size_t n)
{
	size_t i;

	for (i = n; i >= 2; i--)
		if (p[i - 2] == '\n' && p[i - 1] == '\n')
			return (ptrdiff_t)(i - 2);
	return -1;
}

int note_open(const char *msg, size_t len, const struct note_verifier *v, size_t *ret_text_len)
{
	unsigned char sig[NOTE_MAX];
	const char *p, *end;
	ptrdiff_t split;
	bool found = false, bad = false;
	int nsigs = 0;

	if (len > NOTE_MAX)
		return -ERR_TOO_LARGE;
	if (len < 2 || msg[len - 1] != '\n' || !text_valid(msg, len))
		return -ERR_INVALID;
	split = last_blank_line(msg, len);
	if (split < 0 || (size_t)split + 2 >= len)
		return -ERR_INVALID;
	p = msg + split + 2;
	end = msg + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *name, *space;
		size_t nlen;
		uint32_t id;
		int slen;

		/* The text ends in '\n', so every signature line has one. */
		if (!nl || ++nsigs > MAX_SIGNATURES)
			return -ERR_INVALID;
		if ((size_t)(nl - p) < SIG_PREFIX_LEN || memcmp(p, sig_prefix, SIG_PREFIX_LEN) != 0)
			return -ERR_INVALID;
		name = p + SIG_PREFIX_LEN;
		space = memchr(name, ' ', (size_t)(nl - name));
		if (!space)
			return -ERR_INVALID;
		nlen = (size_t)(space - name);
		if (!name_valid(name, nlen))
			return -ERR_INVALID;
		slen = b64_decode(space + 1, (size_t)(nl - space - 1), sig, sizeof(sig));
		if (slen < 5)
			return -ERR_INVALID;
		id = (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 | (uint32_t)sig[2] << 8 |
		     (uint32_t)sig[3];
		if (id == v->id && nlen == strlen(v->name) && memcmp(name, v->name, nlen) == 0) {
			/* A known key: its signature must verify (c2sp: reject the note if not). */
			if (slen != 4 + crypto_sign_ed25519_BYTES ||
			    crypto_sign_ed25519_verify_detached(sig + 4, (const unsigned char *)msg,
			                                        (size_t)split + 1, v->pk) != 0)
				bad = true;
			else
				found = true;
		}
		p = nl + 1;
	}
	if (bad)
		return -ERR_UNAUTHENTICATED;
	if (!found)
		return -ERR_NOT_FOUND;
	*ret_text_len = (size_t)split + 1;
	return 0;
}

char *note_checkpoint_text(const char *origin, uint64_t size,
                           const unsigned char root[NOTE_HASH_LEN])
{
	char *b64, *out;

	if (!origin || !*origin || strchr(origin, '\n'))
		return NULL;
	b64 = b64_encode(root, NOTE_HASH_LEN);
	out = xasprintf("%s\n%" PRIu64 "\n%s\n", origin, size, b64);
	free(b64);
	return out;
}

/* Decimal without sign or leading zeros, at most INT64_MAX. */
static int parse_size(const char *p, size_t n, uint64_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 19 || (n > 1 && p[0] == '0'))
		return -ERR_INVALID;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -ERR_INVALID;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return -ERR_INVALID;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*ret = v;
	return 0;
}

int note_checkpoint_parse(const char *text, size_t len, struct note_checkpoint *ret_cp)
{
	struct note_checkpoint cp;
	const char *p = text, *end = text + len, *nl;
	size_t n;
	int r, line;

	if (len > NOTE_MAX || len == 0 || text[len - 1] != '\n' || !text_valid(text, len))
		return -ERR_INVALID;
	memset(&cp, 0, sizeof(cp));
	for (line = 0; p < end; line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -ERR_INVALID;
		n = (size_t)(nl - p);
		if (n == 0) /* every line, extension lines too, is non-empty */
			return -ERR_INVALID;
		if (line == 0) {
			if (n > NOTE_NAME_MAX)
				return -ERR_INVALID;
			memcpy(cp.origin, p, n);
			cp.origin[n] = '\0';
		} else if (line == 1) {
			r = parse_size(p, n, &cp.size);
			if (r < 0)
				return r;
		} else if (line == 2) {
			r = b64_decode(p, n, cp.root, sizeof(cp.root));
			if (r != NOTE_HASH_LEN)
				return -ERR_INVALID;
		}
		p = nl + 1;
	}
	if (line < 3)
		return -ERR_INVALID;
	*ret_cp = cp;
	return 0;
}

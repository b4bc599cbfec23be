/*
 * password.c: argon2id password hashing (libsodium) and the password quality policy of
 * SPEC ID-2.
 *
 * Every password is NFKC-normalised first (ASVS 6.2.8). Length and character classes are
 * counted here in code points, because libpwquality counts bytes. Then, in this order:
 * the embedded blocklists (Openwall's list and isms' Chinese list) with a few computed
 * patterns (dates, mobile numbers, repeats, a common password with digits or symbols
 * around it, "leet" spellings), the context words, and last libpwquality (cracklib
 * dictionary, user name, palindrome, repeats, sequences, similarity to the old password).
 * The first failing rule gives the detail, so the user sees the clearest reason.
 *
 * The blocklists and the pwquality settings are built once (pthread_once). cracklib is not
 * reentrant, so pwquality_check runs under a mutex.
 */
#include "core/common.h"
#include "crypto/password.h"
#include "core/embedded.h"
#include "core/util.h"

#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>
#include <pwquality.h>
#include <sodium.h>
#include <unicase.h>
#include <unistr.h>

#define PASSWORD_MAX_BYTES 1024 /* before NFKC: 128 code points are at most 512 bytes */
#define AFFIX_MAX          6    /* digits or symbols around a common word that still count */
#define PATTERN_PAD_MAX    3    /* other characters around a date or a mobile number */
#define CONTEXT_MIN        3    /* context words shorter than this are not checked */
#define BASE_MIN           4    /* a common word inside affixes must be this long */
#define GENERATE_LEN       20
#define GENERATE_TRIES     1000

#define ALG crypto_pwhash_ALG_ARGON2ID13

static uint64_t cost_ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
static size_t cost_mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;

/* The hash password_verify_dummy() verifies against, made for the current cost. */
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[PASSWORD_HASH_MAX];
static uint64_t dummy_ops;
static size_t dummy_mem;

/* The common-password set: open addressing, lower-case NFKC strings. */
struct wordset {
	char **slot;
	size_t mask;
	size_t count;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static struct wordset common;
static pwquality_settings_t *pwq;
static pthread_mutex_t pwq_lock = PTHREAD_MUTEX_INITIALIZER;
static bool dict_available;

static const char *const profile_names[] = {
	[PASSWORD_DENGBAO] = "dengbao",
	[PASSWORD_NIST] = "nist",
};

void password_policy_defaults(enum password_profile p, struct password_policy *ret)
{
	ret->profile = p;
	ret->min_length = 8;
	ret->history = 5;
	if (p == PASSWORD_NIST) {
		ret->min_classes = 0;
		ret->max_age_days = 0;
	} else {
		ret->min_classes = 3;
		ret->max_age_days = 90;
	}
}

int password_profile_from_string(const char *s, enum password_profile *ret)
{
	size_t i;

	if (!s)
		return -ERR_INVALID;
	for (i = 0; i < ARRAY_SIZE(profile_names); i++) {
		if (STREQ(s, profile_names[i])) {
			*ret = (enum password_profile)i;
			return 0;
		}
	}
	return -ERR_INVALID;
}

const char *password_profile_name(enum password_profile p)
{
	if ((size_t)p >= ARRAY_SIZE(profile_names))
		return NULL;
	return profile_names[p];
}

void password_set_cost(uint64_t opslimit, size_t memlimit)
{
	if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN)
		opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
	if (memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN)
		memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
	cost_ops = opslimit;
	cost_mem = memlimit;
}

void password_get_cost(uint64_t *ret_ops, size_t *ret_mem)
{
	*ret_ops = cost_ops;
	*ret_mem = cost_mem;
}

static void free_secret(char *s)
{
	if (!s)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

/*
 * The NFKC form of pw (caller frees with free_secret). -ERR_INVALID for invalid UTF-8,
 * control characters, or more than PASSWORD_MAX_CODEPOINTS code points; -ERR_TOO_LARGE is
 * not used so that callers need one case only.
 */
static int normalize(const char *pw, char **ret_nfkc)
{
	size_t n;
	char *s;

	if (!pw)
		return -ERR_INVALID;
	n = strnlen(pw, PASSWORD_MAX_BYTES + 1);
	if (n > PASSWORD_MAX_BYTES || !utf8_valid(pw, n, false))
		return -ERR_INVALID;
	s = utf8_nfkc(pw);
	if (!s)
		return -ERR_INVALID;
	if (utf8_count(s) > PASSWORD_MAX_CODEPOINTS) {
		free_secret(s);
		return -ERR_INVALID;
	}
	*ret_nfkc = s;
	return 0;
}

/*
 * At most one argon2id computation per core at a time: more only thrash the caches and
 * memory bus (each takes 64 MiB), so the same work finishes later, and the memory a burst
 * of logins can take stays bounded (cores x 64 MiB rather than threads x 64 MiB).
 */
static sem_t kdf_slots;
static pthread_once_t kdf_once = PTHREAD_ONCE_INIT;

static void kdf_slots_init(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	(void)sem_init(&kdf_slots, 0, (unsigned)(n < 1 ? 1 : n > 64 ? 64 : n));
}

static void kdf_enter(void)
{
	pthread_once(&kdf_once, kdf_slots_init);
	while (sem_wait(&kdf_slots) != 0 && errno == EINTR)
		;
}

static void kdf_leave(void)
{
	(void)sem_post(&kdf_slots);
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	char *s = NULL;
	int r;

	r = normalize(pw, &s);
	if (r < 0)
		goto out;
	if (!*s) {
		r = -ERR_INVALID;
		goto out;
	}
	kdf_enter();
	if (crypto_pwhash_str_alg(out, s, strlen(s), cost_ops, cost_mem, ALG) != 0)
		r = -ERR_INTERNAL;
	kdf_leave();
out:
	free_secret(s);
	return r;
}

static bool verify(const char *hash, const char *pw)
{
	char *s = NULL;
	bool ok = false;

	if (!hash || !*hash)
		return false;
	if (normalize(pw, &s) < 0)
		return false;
	kdf_enter();
	ok = crypto_pwhash_str_verify(hash, s, strlen(s)) == 0;
	kdf_leave();
	free_secret(s);
	return ok;
}

bool password_verify(const char *hash, const char *pw)
{
	return verify(hash, pw);
}

/* Makes the dummy hash for the current cost if it is missing or stale. */
static void dummy_prepare(char ret[PASSWORD_HASH_MAX])
{
	uint64_t ops = cost_ops;
	size_t mem = cost_mem;
	char *secret;

	pthread_mutex_lock(&dummy_lock);
	if (!dummy_hash[0] || dummy_ops != ops || dummy_mem != mem) {
		secret = random_token(32);
		if (crypto_pwhash_str_alg(dummy_hash, secret, strlen(secret), ops, mem, ALG) == 0) {
			dummy_ops = ops;
			dummy_mem = mem;
		} else {
			dummy_hash[0] = '\0';
		}
		free_secret(secret);
	}
	memcpy(ret, dummy_hash, PASSWORD_HASH_MAX);
	pthread_mutex_unlock(&dummy_lock);
}

void password_verify_dummy(const char *pw)
{
	char h[PASSWORD_HASH_MAX];

	dummy_prepare(h);
	if (verify(h, pw))
		sodium_memzero(h, sizeof(h)); /* cannot happen: the dummy password is random */
}

bool password_needs_rehash(const char *hash)
{
	if (!hash)
		return true;
	return crypto_pwhash_str_needs_rehash(hash, cost_ops, cost_mem) != 0;
}

/* ---- blocklists ---- */

/* Lower-case NFKC of n bytes of s (caller frees); NULL if s is not valid UTF-8. */
static char *lower_nfkc(const char *s, size_t n)
{
	uint8_t *r;
	size_t len = 0;
	char *out;

	if (n == 0)
		return xstrdup("");
	r = u8_tolower((const uint8_t *)s, n, NULL, UNINORM_NFKC, NULL, &len);
	if (!r)
		return NULL;
	out = xmalloc(len + 1);
	memcpy(out, r, len);
	out[len] = '\0';
	sodium_memzero(r, len);
	free(r);
	return out;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void wordset_add(struct wordset *ws, char *w_take)
{
	size_t i = (size_t)fnv1a(w_take) & ws->mask;

	while (ws->slot[i]) {
		if (STREQ(ws->slot[i], w_take)) {
			free(w_take);
			return;
		}
		i = (i + 1) & ws->mask;
	}
	ws->slot[i] = w_take;
	ws->count++;
}

static bool wordset_has(const struct wordset *ws, const char *w)
{
	size_t i;

	if (!ws->slot)
		return false;
	i = (size_t)fnv1a(w) & ws->mask;
	while (ws->slot[i]) {
		if (STREQ(ws->slot[i], w))
			return true;
		i = (i + 1) & ws->mask;
	}
	return false;
}

/* Openwall's list marks its comments "#!"; isms' own lists use "#". */
static bool is_comment(const char *file, const char *line, size_t n)
{
	if (STREQ(file, "password.lst"))
		return n >= 2 && line[0] == '#' && line[1] == '!';
	return n >= 1 && line[0] == '#';
}

static void load_wordlists(void)
{
	size_t lines = 0, cap = 16, i;

	for (i = 0; i < embedded_wordlists_count; i++) {
		const struct embedded_file *f = &embedded_wordlists[i];
		size_t k;

		for (k = 0; k < f->len; k++)
			lines += f->data[k] == '\n';
		lines++;
	}
	/* At most half full, so every probe sequence ends at an empty slot. */
	while (cap < 2 * lines)
		cap *= 2;
	common.slot = xcalloc(cap, sizeof(char *));
	common.mask = cap - 1;
	for (i = 0; i < embedded_wordlists_count; i++) {
		const struct embedded_file *f = &embedded_wordlists[i];
		const char *p = f->data, *end = f->data + f->len;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			char *w;

			if (n > 0 && p[n - 1] == '\r')
				n--;
			if (n > 0 && !is_comment(f->name, p, n) && utf8_valid(p, n, false)) {
				w = lower_nfkc(p, n);
				if (w && *w)
					wordset_add(&common, w);
				else
					free(w);
			}
			p = nl ? nl + 1 : end;
		}
	}
}

static void pwq_set(int setting, int value)
{
	if (pwquality_set_int_value(pwq, setting, value) != 0)
		abort(); /* a constant setting libpwquality does not know: a build problem */
}

static void init(void)
{
	void *aux = NULL;
	char msg[256];
	int r;

	load_wordlists();
	pwq = pwquality_default_settings();
	if (!pwq)
		abort();
	/* isms measures length and classes itself, in code points. */
	pwq_set(PWQ_SETTING_MIN_LENGTH, 6);
	pwq_set(PWQ_SETTING_DIG_CREDIT, 0);
	pwq_set(PWQ_SETTING_UP_CREDIT, 0);
	pwq_set(PWQ_SETTING_LOW_CREDIT, 0);
	pwq_set(PWQ_SETTING_OTH_CREDIT, 0);
	pwq_set(PWQ_SETTING_MIN_CLASS, 0);
	pwq_set(PWQ_SETTING_DICT_CHECK, 1);
	pwq_set(PWQ_SETTING_USER_CHECK, 1);
	pwq_set(PWQ_SETTING_USER_SUBSTR, 4);
	pwq_set(PWQ_SETTING_MAX_REPEAT, 3);
	pwq_set(PWQ_SETTING_MAX_SEQUENCE, 4);
	pwq_set(PWQ_SETTING_DIFF_OK, 3);
	/*
	 * Without cracklib's dictionary every check would fail with "error loading
	 * dictionary" and no password could be set: probe with a strong password and fall
	 * back to the embedded lists (password_dictionary_available() tells the operator).
	 */
	r = pwquality_check(pwq, "Kq3#vT9!mZp2&wLx", NULL, NULL, &aux);
	(void)pwquality_strerror(msg, sizeof(msg), r, aux);
	dict_available = r != PWQ_ERROR_CRACKLIB_CHECK;
	if (!dict_available)
		pwq_set(PWQ_SETTING_DICT_CHECK, 0);
}

int password_library_init(void)
{
	char h[PASSWORD_HASH_MAX];

	pthread_once(&init_once, init);
	dummy_prepare(h);
	return h[0] ? 0 : -ERR_INTERNAL;
}

bool password_dictionary_available(void)
{
	pthread_once(&init_once, init);
	return dict_available;
}

static bool is_common(const char *lw)
{
	return wordset_has(&common, lw);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII digits, punctuation and space: what people put around a word. */
static bool is_affix(char c)
{
	return c == ' ' || is_digit(c) || (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	       (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* 8 digits YYYYMMDD with 19xx/20xx and a plausible month and day. */
static bool is_date8(const char *s)
{
	int m = two(s + 4), d = two(s + 6);

	return (two(s) == 19 || two(s) == 20) && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* 11 digits of a mainland-China mobile number: 1[3-9] and 9 more digits. */
static bool is_mobile(const char *s)
{
	return s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
	}
	return true;
}

/* A date or mobile number among at most PATTERN_PAD_MAX other code points. */
static const char *digit_pattern(const char *lw)
{
	size_t cps = utf8_count(lw), i = 0, n = strlen(lw);

	while (i < n) {
		size_t j = i;

		while (j < n && is_digit(lw[j]))
			j++;
		if (j - i == 8 && is_date8(lw + i) && cps - 8 <= PATTERN_PAD_MAX)
			return "looks like a date; dates such as birthdays are easy to guess";
		if (j - i == 11 && is_mobile(lw + i) && cps - 11 <= PATTERN_PAD_MAX)
			return "looks like a mobile phone number, which is easy to guess";
		i = j > i ? j : i + 1;
	}
	return NULL;
}

/* The whole password is one unit of 1 to 3 code points repeated. */
static const char *repeat_pattern(const char *lw)
{
	size_t n = 0, k, i;
	uint32_t *u;
	const char *why = NULL;

	u = u8_to_u32((const uint8_t *)lw, strlen(lw), NULL, &n);
	if (!u)
		return NULL;
	for (k = 1; k <= 3 && !why; k++) {
		if (n < 2 * k || n % k)
			continue;
		for (i = k; i < n && u[i] == u[i % k]; i++)
			;
		if (i == n)
			why = k == 1 ? "is one character repeated" : "repeats a short pattern";
	}
	sodium_memzero(u, n * sizeof(*u));
	free(u);
	return why;
}

/* Common "leet" spellings: p@ssw0rd is password. */
static char *deleet(const char *lw)
{
	static const char from[] = "@4310!$57", to[] = "aaeioisst";
	char *d = xstrdup(lw), *p;

	for (p = d; *p; p++) {
		const char *f = strchr(from, *p);

		if (f)
			*p = to[f - from];
	}
	return d;
}

static bool is_common_or_leet(const char *lw)
{
	char *d;
	bool hit;

	if (is_common(lw))
		return true;
	d = deleet(lw);
	hit = !STREQ(d, lw) && is_common(d);
	free_secret(d);
	return hit;
}

/* An affix that is itself weak: empty, common, a date, a mobile number. */
static bool weak_affix(const char *s, size_t n)
{
	char *a;
	bool weak;

	if (n == 0)
		return true;
	a = xstrndup(s, n);
	weak = is_common(a) || (n == 8 && all_digits(a, 8) && is_date8(a)) ||
	       (n == 11 && all_digits(a, 11) && is_mobile(a));
	free_secret(a);
	return weak;
}

/*
 * A common password with digits, symbols or spaces before or after it ("woaini1314!",
 * "Summer2024!"): the base must be at least BASE_MIN code points, and the affixes short or
 * weak themselves, so that a long random tail still makes a password acceptable.
 */
static const char *affix_pattern(const char *lw)
{
	size_t n = strlen(lw), i = 0, j = n;
	char *base;
	const char *why = NULL;

	while (i < n && is_affix(lw[i]))
		i++;
	while (j > i && is_affix(lw[j - 1]))
		j--;
	if (j - i == n || j == i)
		return NULL;
	base = xstrndup(lw + i, j - i);
	if (utf8_count(base) >= BASE_MIN && is_common_or_leet(base) &&
	    (n - (j - i) <= AFFIX_MAX || (weak_affix(lw, i) && weak_affix(lw + j, n - j))))
		why = "is a common password with digits or symbols added";
	free_secret(base);
	return why;
}

static const char *common_reason(const char *lw)
{
	const char *why;

	if (is_common(lw))
		return "is too common";
	if (is_common_or_leet(lw))
		return "is a common password with letters replaced by digits or symbols";
	why = repeat_pattern(lw);
	if (!why)
		why = digit_pattern(lw);
	if (!why)
		why = affix_pattern(lw);
	return why;
}

/* True when the lower-case word w (if long enough) occurs in the lower-case password. */
static bool contains_word(const char *lpw, const char *w, size_t n)
{
	char *lw;
	bool hit = false;

	if (!w || n == 0)
		return false;
	lw = lower_nfkc(w, n);
	if (lw && utf8_count(lw) >= CONTEXT_MIN)
		hit = strstr(lpw, lw) != NULL;
	free_secret(lw);
	return hit;
}

static bool contains_name(const char *lpw, const char *name)
{
	const char *p, *sp;
	char *joined, *q;
	bool hit;

	if (!name || !*name || !utf8_valid(name, strlen(name), false))
		return false;
	if (contains_word(lpw, name, strlen(name)))
		return true;
	/* "Zhang San" is also "zhangsan", "zhang" and "san". */
	joined = xstrdup(name);
	for (p = name, q = joined; *p; p++) {
		if (*p != ' ')
			*q++ = *p;
	}
	*q = '\0';
	hit = contains_word(lpw, joined, strlen(joined));
	free(joined);
	for (p = name; !hit && *p; p = sp) {
		while (*p == ' ')
			p++;
		sp = strchr(p, ' ');
		if (!sp)
			sp = p + strlen(p);
		hit = contains_word(lpw, p, (size_t)(sp - p));
	}
	return hit;
}

static const char *context_reason(const char *lpw, const struct password_context *ctx)
{
	const char *const *w;

	if (!ctx)
		return NULL;
	if (ctx->username && utf8_valid(ctx->username, strlen(ctx->username), false) &&
	    contains_word(lpw, ctx->username, strlen(ctx->username)))
		return "must not contain the login name";
	if (contains_name(lpw, ctx->display_name))
		return "must not contain your name";
	for (w = ctx->context_words; w && *w; w++) {
		if (utf8_valid(*w, strlen(*w), false) && contains_word(lpw, *w, strlen(*w)))
			return "must not contain the name of the organization, a department or "
			       "the system";
	}
	return NULL;
}

static int classes_of(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	bool digit = false, upper = false, lower = false, other = false;
	ucs4_t c;
	int len;

	while (*p) {
		len = u8_mbtouc(&c, p, u8_strlen(p));
		if (len <= 0)
			break;
		if (c >= '0' && c <= '9')
			digit = true;
		else if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= 'a' && c <= 'z')
			lower = true;
		else
			other = true;
		p += len;
	}
	return digit + upper + lower + other;
}

static int pwq_refusal(int err, void *aux, struct problem *p)
{
	const char *why = NULL;
	char msg[256];

	switch (err) {
	case PWQ_ERROR_SAME_PASSWORD:
		why = "must differ from the current password";
		break;
	case PWQ_ERROR_CASE_CHANGES_ONLY:
		why = "must not only change the case of the current password";
		break;
	case PWQ_ERROR_TOO_SIMILAR:
		why = "is too similar to the current password";
		break;
	case PWQ_ERROR_ROTATED:
		why = "is the current password rotated";
		break;
	case PWQ_ERROR_PALINDROME:
		why = "is a palindrome";
		break;
	case PWQ_ERROR_MAX_CONSECUTIVE:
		why = "repeats the same character more than 3 times in a row";
		break;
	case PWQ_ERROR_MAX_SEQUENCE:
		why = "contains a sequence such as 12345 or abcde";
		break;
	case PWQ_ERROR_USER_CHECK:
		why = "must not contain the login name";
		break;
	case PWQ_ERROR_MIN_LENGTH:
		why = "is too short";
		break;
	case PWQ_ERROR_EMPTY_PASSWORD:
		why = "must not be empty";
		break;
	case PWQ_ERROR_CRACKLIB_CHECK:
		(void)problem_setf(p, ERR_INVALID, "weak_password", "new_password",
		                   "fails the dictionary check (%s)",
		                   aux ? (const char *)aux : "too easy to guess");
		(void)pwquality_strerror(msg, sizeof(msg), err, aux);
		return -ERR_INVALID;
	default:
		break;
	}
	/* pwquality_strerror also releases what the check allocated in aux. */
	(void)pwquality_strerror(msg, sizeof(msg), err, aux);
	return problem_setf(p, ERR_INVALID, "weak_password", "new_password", "%s", why ? why : msg);
}

static int pwq_check(const char *pw, const char *old, const char *user, struct problem *p)
{
	void *aux = NULL;
	int r;

	pthread_mutex_lock(&pwq_lock);
	r = pwquality_check(pwq, pw, old, user, &aux);
	pthread_mutex_unlock(&pwq_lock);
	if (r >= 0)
		return 0;
	return pwq_refusal(r, aux, p);
}

static int refuse(struct problem *p, const char *why)
{
	return problem_setf(p, ERR_INVALID, "weak_password", "new_password", "%s", why);
}

int password_check(const struct password_policy *pol, const char *pw,
                   const struct password_context *ctx, struct problem *p)
{
	struct password_policy def;
	char *s = NULL, *lpw = NULL, *old = NULL;
	const char *why, *user = NULL;
	size_t n, cps;
	int r;

	pthread_once(&init_once, init);
	if (!pol) {
		password_policy_defaults(PASSWORD_DENGBAO, &def);
		pol = &def;
	}
	if (!pw) {
		r = refuse(p, "must not be empty");
		goto out;
	}
	n = strnlen(pw, PASSWORD_MAX_BYTES + 1);
	if (n > PASSWORD_MAX_BYTES) {
		r = problem_setf(p, ERR_INVALID, "weak_password", "new_password",
		                 "at most %d characters", PASSWORD_MAX_CODEPOINTS);
		goto out;
	}
	if (!utf8_valid(pw, n, false)) {
		r = refuse(p, "must be text without control characters");
		goto out;
	}
	s = utf8_nfkc(pw);
	if (!s) {
		r = refuse(p, "must be text without control characters");
		goto out;
	}
	cps = utf8_count(s);
	if (cps > PASSWORD_MAX_CODEPOINTS) {
		r = problem_setf(p, ERR_INVALID, "weak_password", "new_password",
		                 "at most %d characters", PASSWORD_MAX_CODEPOINTS);
		goto out;
	}
	if (cps == 0 || cps < (size_t)(pol->min_length > 0 ? pol->min_length : 1)) {
		r = problem_setf(p, ERR_INVALID, "weak_password", "new_password",
		                 "at least %d characters",
		                 pol->min_length > 0 ? pol->min_length : 1);
		goto out;
	}
	if (classes_of(s) < pol->min_classes) {
		r = problem_setf(p, ERR_INVALID, "weak_password", "new_password",
		                 "use at least %d of: digits, upper-case, lower-case, other",
		                 pol->min_classes);
		goto out;
	}
	lpw = lower_nfkc(s, strlen(s));
	if (!lpw) {
		r = refuse(p, "must be text without control characters");
		goto out;
	}
	why = common_reason(lpw);
	if (!why)
		why = context_reason(lpw, ctx);
	if (why) {
		r = refuse(p, why);
		goto out;
	}
	if (ctx && ctx->old_password && normalize(ctx->old_password, &old) < 0)
		old = NULL;
	if (ctx && ctx->username && *ctx->username)
		user = ctx->username;
	r = pwq_check(s, old, user, p);
out:
	free_secret(s);
	free_secret(lpw);
	free_secret(old);
	return r;
}

char *password_generate(void)
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
	struct password_policy pol;
	struct password_context ctx = { 0 };
	char *pw = xmalloc(GENERATE_LEN + 1);
	int tries, i;

	password_policy_defaults(PASSWORD_DENGBAO, &pol);
	for (tries = 0; tries < GENERATE_TRIES; tries++) {
		for (i = 0; i < GENERATE_LEN; i++)
			pw[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
		pw[GENERATE_LEN] = '\0';
		if (classes_of(pw) == 3 && password_check(&pol, pw, &ctx, NULL) == 0)
			return pw;
	}
	/* 115 bits from the CSPRNG failing a thousand times means the checker is broken. */
	abort();
}

/*
 * test_password.c: password hashing and the password policy (SPEC ID-2; SECURITY.md A1-A4,
 * A10, A13, E1). Most tests lower the argon2id cost to stay fast; E1_default_cost_string
 * checks the real default once.
 */
#include "core/common.h"
#include "crypto/password.h"
#include "core/util.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <time.h>

static void fast_cost(void)
{
	password_set_cost(1, 8192 * 1024);
}

TestSuite(password, .init = fast_cost);

static const char *const context_words[] = { "isms", "Qingdao Central Hospital", "信息中心", NULL };

static struct password_context ctx_of(const char *user, const char *display)
{
	struct password_context c = { .username = user,
		                      .display_name = display,
		                      .context_words = context_words };
	return c;
}

static struct password_policy policy(enum password_profile pr, int min_length)
{
	struct password_policy pol;

	password_policy_defaults(pr, &pol);
	if (min_length > 0)
		pol.min_length = min_length;
	return pol;
}

/* Asserts a refusal with weak_password on new_password whose detail contains want. */
static void refused(const struct password_policy *pol, const char *pw,
                    const struct password_context *ctx, const char *want)
{
	struct problem p = { 0 };
	int r = password_check(pol, pw, ctx, &p);

	cr_assert_eq(r, -ERR_INVALID, "'%s' should be refused (r=%d)", pw, r);
	cr_assert_str_eq(p.code, "weak_password", "'%s'", pw);
	cr_assert_str_eq(p.field, "new_password", "'%s'", pw);
	cr_assert(p.detail[0] != '\0', "'%s' has no detail", pw);
	if (want)
		cr_assert(strstr(p.detail, want), "'%s': detail '%s' lacks '%s'", pw, p.detail,
		          want);
}

static void accepted(const struct password_policy *pol, const char *pw,
                     const struct password_context *ctx)
{
	struct problem p = { 0 };
	int r = password_check(pol, pw, ctx, &p);

	cr_assert_eq(r, 0, "'%s' should be accepted, got '%s'", pw, p.detail);
}

/* A string of n code points cycling through the UTF-8 characters of unit. */
static char *repeat_cp(const char *const *unit, size_t units, size_t n)
{
	char *s = xcalloc(n * 4 + 1, 1);
	size_t i;

	for (i = 0; i < n; i++)
		memcpy(s + strlen(s), unit[i % units], strlen(unit[i % units]) + 1);
	return s;
}

/* ---- policy profiles ---- */

Test(password, profiles_defaults_and_names)
{
	struct password_policy d, n;
	enum password_profile pr;

	password_policy_defaults(PASSWORD_DENGBAO, &d);
	cr_assert_eq(d.min_length, 8);
	cr_assert_eq(d.min_classes, 3);
	cr_assert_eq(d.history, 5);
	cr_assert_eq(d.max_age_days, 90);
	password_policy_defaults(PASSWORD_NIST, &n);
	cr_assert_eq(n.min_length, 8);
	cr_assert_eq(n.min_classes, 0);
	cr_assert_eq(n.max_age_days, 0);
	cr_assert_eq(password_profile_from_string("nist", &pr), 0);
	cr_assert_eq(pr, PASSWORD_NIST);
	cr_assert_eq(password_profile_from_string("dengbao", &pr), 0);
	cr_assert_eq(pr, PASSWORD_DENGBAO);
	cr_assert_eq(password_profile_from_string("NIST", &pr), -ERR_INVALID);
	cr_assert_eq(password_profile_from_string(NULL, &pr), -ERR_INVALID);
	cr_assert_str_eq(password_profile_name(PASSWORD_DENGBAO), "dengbao");
	cr_assert_str_eq(password_profile_name(PASSWORD_NIST), "nist");
}

/* ---- A1: length in code points ---- */

Test(password, A1_length_in_code_points)
{
	struct password_policy nist = policy(PASSWORD_NIST, 0);
	struct password_context ctx = ctx_of("zhangwei", "张伟");
	char *nfkc = utf8_nfkc("密码密码");

	/* 7 CJK characters are 21 bytes, but 7 characters. */
	refused(&nist, "我的新家在青岛", &ctx, "at least 8 characters");
	accepted(&nist, "我的新家在青岛市", &ctx);
	cr_assert_eq(utf8_count(nfkc), 4);
	cr_assert_eq(strlen(nfkc), 12);
	refused(&nist, "密码密码", &ctx, "at least 8 characters");
	free(nfkc);
}

Test(password, A1_length_counted_after_nfkc_in_both_profiles)
{
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zhangwei", NULL);

	/* 7 code points with 3 classes: the length rule speaks first. */
	refused(&dengbao, "青岛Hx7k", &ctx, "at least 8 characters");
	accepted(&dengbao, "青岛Hx7kM2", &ctx);
}

Test(password, A1_admin_can_raise_the_minimum)
{
	struct password_policy nist15 = policy(PASSWORD_NIST, 15);
	struct password_context ctx = ctx_of("zhangwei", NULL);

	refused(&nist15, "Xk7#mq2vN9pLr4", &ctx, "at least 15 characters");
	accepted(&nist15, "Xk7#mq2vN9pLr4w", &ctx);
}

/* ---- A2: long passphrases and the upper bound ---- */

Test(password, A2_64_characters_accepted_129_refused)
{
	static const char *const words[] = { "Lantern", " ", "orbit",  "7", " ", "quiet",
		                             "Harbor",  " ", "mosaic", "!", " " };
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zhangwei", NULL);
	static const char *const cjk[] = { "青", "岛", "海", "风", "山", "川", "林", "石" };
	char pw64[65], h[PASSWORD_HASH_MAX], *p128, *p129;
	size_t i, o = 0;

	for (i = 0; o < 64; i = (i + 1) % ARRAY_SIZE(words)) {
		size_t n = strlen(words[i]);

		if (o + n > 64)
			n = 64 - o;
		memcpy(pw64 + o, words[i], n);
		o += n;
	}
	pw64[64] = '\0';
	cr_assert_eq(utf8_count(pw64), 64);
	accepted(&dengbao, pw64, &ctx);
	cr_assert_eq(password_hash(pw64, h), 0);
	cr_assert(password_verify(h, pw64));

	p128 = repeat_cp(cjk, ARRAY_SIZE(cjk), 128);
	p129 = repeat_cp(cjk, ARRAY_SIZE(cjk), 129);
	cr_assert_eq(password_hash(p128, h), 0, "128 code points (384 bytes) is the bound");
	cr_assert(password_verify(h, p128));
	refused(&dengbao, p129, &ctx, "at most 128 characters");
	cr_assert_eq(password_hash(p129, h), -ERR_INVALID);
	cr_assert_not(password_verify(h, p129));
	free(p128);
	free(p129);
}

/* ---- A3: exactly as typed, after NFKC ---- */

Test(password, A3_nfkc_fullwidth_and_ascii_verify_the_same_hash)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];

	cr_assert_eq(password_hash("Ｐａｓｓｗｏｒｄ１２３", h1), 0);
	cr_assert(password_verify(h1, "Password123"));
	cr_assert(password_verify(h1, "Ｐａｓｓｗｏｒｄ１２３"));
	cr_assert_eq(password_hash("Password123", h2), 0);
	cr_assert(password_verify(h2, "Ｐａｓｓｗｏｒｄ１２３"));
	/* Composed and decomposed forms are one password too. */
	cr_assert_eq(password_hash("Caf\xc3\xa9-au-lait", h1), 0);
	cr_assert(password_verify(h1, "Cafe\xcc\x81-au-lait"));
}

Test(password, A3_no_truncation)
{
	static const char base[] = "a fairly long passphrase typed by a careful user, 2024";
	char h[PASSWORD_HASH_MAX], longer[sizeof(base) + 1], shorter[sizeof(base)];

	memcpy(longer, base, sizeof(base) - 1);
	longer[sizeof(base) - 1] = 'x';
	longer[sizeof(base)] = '\0';
	memcpy(shorter, base, sizeof(base) - 2);
	shorter[sizeof(base) - 2] = '\0';
	cr_assert_eq(password_hash(base, h), 0);
	cr_assert(password_verify(h, base));
	cr_assert_not(password_verify(h, longer));
	cr_assert_not(password_verify(h, shorter));
}

Test(password, A3_case_preserved)
{
	char h[PASSWORD_HASH_MAX];

	cr_assert_eq(password_hash("Password123", h), 0);
	cr_assert_not(password_verify(h, "password123"));
	cr_assert_not(password_verify(h, "PASSWORD123"));
}

Test(password, A3_invalid_input_refused)
{
	struct password_policy nist = policy(PASSWORD_NIST, 0);
	char h[PASSWORD_HASH_MAX];

	cr_assert_eq(password_hash("", h), -ERR_INVALID);
	cr_assert_eq(password_hash(NULL, h), -ERR_INVALID);
	cr_assert_eq(password_hash("bad\xff\xfeutf8", h), -ERR_INVALID);
	cr_assert_eq(password_hash("tab\there-is-long", h), -ERR_INVALID);
	cr_assert_eq(password_hash("Password123", h), 0);
	cr_assert_not(password_verify(h, "bad\xff\xfeutf8"));
	cr_assert_not(password_verify(h, NULL));
	cr_assert_not(password_verify(NULL, "Password123"));
	cr_assert_not(password_verify("$argon2id$garbage", "Password123"));
	cr_assert_not(password_verify("", "Password123"));
	refused(&nist, "bad\xff\xfeutf8-long", NULL, "control characters");
	refused(&nist, NULL, NULL, NULL);
}

/* ---- A4: blocklists, patterns, context ---- */

Test(password, A4_common_passwords_refused)
{
	/* min_length 6 so the blocklist, not the length rule, answers for "123456". */
	struct password_policy nist = policy(PASSWORD_NIST, 6);
	struct password_context ctx = ctx_of("zhangwei", "张伟");
	static const struct {
		const char *pw, *want;
	} cases[] = {
		{ "123456", "too common" },
		{ "password", "too common" },
		{ "iloveyou", "too common" },
		{ "woaini1314", "too common" },
		{ "WoAiNi1314", "too common" },
		{ "ｗｏａｉｎｉ１３１４", "too common" },
		{ "P@ssw0rd1", "common" },
		{ "P@$$w0rd", "letters replaced" },
		{ "qq123456", "too common" },
		{ "5201314", "too common" },
		{ "woaini1314!", "digits or symbols added" },
		{ "Summer2024!", "digits or symbols added" },
		{ "Monkey!23", "digits or symbols added" },
		{ "!!dragon12", "digits or symbols added" },
		{ "19900101", "date" },
		{ "Aa!19900101", "date" },
		{ "20231231", "date" },
		{ "13812345678", "mobile phone number" },
		{ "Zw+19912345678", "mobile phone number" },
		{ "aaaaaaaa", "one character repeated" },
		{ "密密密密密密密密", "one character repeated" },
		{ "abcabcabc", "short pattern" },
		{ "密码密码密码密码", "short pattern" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		refused(&nist, cases[i].pw, &ctx, cases[i].want);
}

Test(password, A4_dengbao_refuses_common_passwords_that_have_three_classes)
{
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zhangwei", NULL);

	/* Composition rules alone produce P@ssw0rd1 (SECURITY.md, conflicts). */
	refused(&dengbao, "P@ssw0rd1", &ctx, "common");
	refused(&dengbao, "Woaini1314!", &ctx, "common");
	refused(&dengbao, "Aa!19900101", &ctx, "date");
	refused(&dengbao, "Summer2024!", &ctx, "common");
}

Test(password, A4_cracklib_and_pwquality_rules)
{
	struct password_policy nist = policy(PASSWORD_NIST, 0);
	struct password_context ctx = ctx_of("zhangwei", NULL);
	struct password_context with_old = ctx_of("zhangwei", NULL);

	refused(&nist, "Kq#abcdefw9", &ctx, "sequence");
	refused(&nist, "Kq#bbbbw9Zx", &ctx, "repeats the same character");
	refused(&nist, "Ab1#xyyx#1bA", &ctx, "palindrome");
	with_old.old_password = "Kq3#vT9!mZp2";
	refused(&nist, "Kq3#vT9!mZp2", &with_old, "differ from the current password");
	refused(&nist, "Kq3#vT9!mZp4", &with_old, "similar");
	accepted(&nist, "Wd8$hN4@cL6r", &with_old);
	if (password_dictionary_available())
		refused(&nist, "Elephants", &ctx, "dictionary");
}

Test(password, A4_login_name_refused)
{
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zhangwei", "Zhang Wei");
	struct password_context short_name = ctx_of("li", NULL);

	refused(&dengbao, "Zhangwei#2024x", &ctx, "login name");
	refused(&dengbao, "xx-ZHANGWEI-77q", &ctx, "login name");
	/* A login name shorter than 3 characters is not a context word. */
	accepted(&dengbao, "Lilac#Harbor47", &short_name);
}

Test(password, A4_display_name_refused)
{
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zw001", "Zhang Wei");

	refused(&dengbao, "ZhangWei#88q", &ctx, "your name");
	refused(&dengbao, "Qx7!zhang-river", &ctx, "your name");
}

Test(password, A4_context_words_refused)
{
	struct password_policy nist = policy(PASSWORD_NIST, 0);
	struct password_context ctx = ctx_of("zw001", NULL);

	refused(&nist, "MyIsms#Pass77", &ctx, "organization");
	refused(&nist, "qingdao central hospital 7", &ctx, "organization");
	refused(&nist, "Xk7!信息中心2024", &ctx, "organization");
}

Test(password, A4_strong_passwords_accepted)
{
	struct password_policy nist = policy(PASSWORD_NIST, 0);
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zhangwei", "Zhang Wei");
	static const char *const strong[] = {
		"xK7$mq2#vN9p",
		"Tr0ub4dor&3xq",
		"Wd8$hN4@cL6r",
		"dragon83749261!!",
		"Lantern orbit 7 quiet Harbor!",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(strong); i++) {
		accepted(&nist, strong[i], &ctx);
		accepted(&dengbao, strong[i], &ctx);
	}
	accepted(&nist, "correct horse battery staple", &ctx);
	accepted(&nist, "我的新家在青岛市", &ctx);
}

Test(password, dengbao_needs_three_classes_nist_does_not)
{
	struct password_policy nist = policy(PASSWORD_NIST, 0);
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zhangwei", NULL);

	refused(&dengbao, "correct horse battery staple", &ctx,
	        "use at least 3 of: digits, upper-case, lower-case, other");
	refused(&dengbao, "lanternharbor47", &ctx, "use at least 3 of");
	accepted(&dengbao, "Lanternharbor47", &ctx);
	accepted(&nist, "lanternharbor47", &ctx);
	accepted(&nist, "correct horse battery staple", &ctx);
}

Test(password, classes_counted_by_code_point)
{
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context ctx = ctx_of("zhangwei", NULL);

	/* A non-ASCII letter is "other": lower + other + digit. */
	accepted(&dengbao, "küchenfenster7", &ctx);
	/* other (CJK) + lower + digit. */
	accepted(&dengbao, "青岛lantern7", &ctx);
	/* Only "other" and lower: two classes, however many UTF-8 bytes. */
	refused(&dengbao, "青岛海风lantern", &ctx, "use at least 3 of");
}

/* ---- A10: generated one-time passwords ---- */

Test(password, A10_generated_passwords_follow_the_policy)
{
	struct password_policy dengbao = policy(PASSWORD_DENGBAO, 0);
	struct password_context empty = { 0 };
	char *seen[20];
	int i, j;

	for (i = 0; i < 20; i++) {
		char *pw = password_generate();
		bool d = false, u = false, l = false;
		const char *c;

		cr_assert_eq(strlen(pw), 20);
		for (c = pw; *c; c++) {
			cr_assert(!strchr("0O1lIio", *c), "look-alike '%c' in %s", *c, pw);
			d |= *c >= '0' && *c <= '9';
			u |= *c >= 'A' && *c <= 'Z';
			l |= *c >= 'a' && *c <= 'z';
		}
		cr_assert(d && u && l, "%s lacks a class", pw);
		accepted(&dengbao, pw, &empty);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(pw, seen[j]);
		seen[i] = pw;
	}
	for (i = 0; i < 20; i++)
		free(seen[i]);
}

/* ---- E1 / A13: the stored hash ---- */

TestSuite(password_cost);

Test(password_cost, E1_A13_default_cost_string)
{
	uint64_t ops = 0;
	size_t mem = 0;
	char h[PASSWORD_HASH_MAX], salt[64];
	unsigned m = 0, t = 0, par = 0, v = 0;
	unsigned char raw[64];
	const char *p;
	int n = 0, got;

	password_get_cost(&ops, &mem);
	cr_assert_eq(ops, 2);
	cr_assert_eq(mem, 64u * 1024 * 1024);
	cr_assert_eq(password_hash("Lantern orbit 7 quiet Harbor!", h), 0);
	cr_assert(strncmp(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0, "%s", h);
	cr_assert_eq(sscanf(h, "$argon2id$v=%u$m=%u,t=%u,p=%u$%n", &v, &m, &t, &par, &n), 4);
	cr_assert_eq(v, 19);
	cr_assert_geq(m, 19456, "ASVS App. C: t=2 needs m >= 19 MiB");
	cr_assert_eq(m, 65536);
	cr_assert_eq(t, 2);
	cr_assert_eq(par, 1);
	/* The salt is the next $-terminated field: unpadded base64 of at least 32 bits. */
	p = strchr(h + n, '$');
	cr_assert_not_null(p);
	cr_assert_lt((size_t)(p - (h + n)), sizeof(salt) - 4);
	memcpy(salt, h + n, (size_t)(p - (h + n)));
	salt[p - (h + n)] = '\0';
	while (strlen(salt) % 4)
		memcpy(salt + strlen(salt), "=", 2);
	got = b64_decode(salt, strlen(salt), raw, sizeof(raw));
	cr_assert_geq(got, 16);
	cr_assert(password_verify(h, "Lantern orbit 7 quiet Harbor!"));
	cr_assert_not(password_needs_rehash(h));
}

Test(password, E1_needs_rehash_when_the_cost_changes)
{
	char h[PASSWORD_HASH_MAX];

	cr_assert_eq(password_hash("Lantern orbit 7", h), 0);
	cr_assert(strncmp(h, "$argon2id$v=19$m=8192,t=1,p=1$", 30) == 0, "%s", h);
	cr_assert_not(password_needs_rehash(h));
	password_set_cost(2, 16384 * 1024);
	cr_assert(password_needs_rehash(h));
	cr_assert(password_verify(h, "Lantern orbit 7"), "old hashes still verify");
	cr_assert(password_needs_rehash("not a hash"));
	cr_assert(password_needs_rehash(NULL));
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(password, dummy_verification_costs_a_verification)
{
	char h[PASSWORD_HASH_MAX];
	double t0, real = 1e9, dummy = 1e9, d;
	int i;

	password_set_cost(2, 32768 * 1024);
	cr_assert_eq(password_library_init(), 0);
	cr_assert_eq(password_hash("Lantern orbit 7", h), 0);
	for (i = 0; i < 3; i++) {
		t0 = seconds();
		cr_assert_not(password_verify(h, "wrong guess"));
		d = seconds() - t0;
		real = d < real ? d : real;
		t0 = seconds();
		password_verify_dummy("wrong guess");
		d = seconds() - t0;
		dummy = d < dummy ? d : dummy;
	}
	cr_assert_gt(dummy, real / 3, "dummy %.4f s, real %.4f s", dummy, real);
	cr_assert_lt(dummy, real * 3, "dummy %.4f s, real %.4f s", dummy, real);
}

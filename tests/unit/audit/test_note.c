/*
 * test_note.c: C2SP signed notes and checkpoints (src/audit/note.c).
 *
 * Known answers: the example of golang.org/x/mod/sumdb/note (PeterNeumann; Ed25519 is
 * deterministic, so signing must reproduce it byte for byte) and the verifier key and
 * note of the c2sp.org/signed-note specification (example.com/foo+530d903a+...).
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "audit/note.h"
#include "core/err.h"
#include "core/util.h"

#define EM_DASH "\xe2\x80\x94"

static const char go_skey[] =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char go_vkey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char go_text[] = "If you think cryptography is the answer to your problem,\n"
                              "then you don't know what your problem is.\n";
static const char go_note[] =
        "If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n"
        "\n" EM_DASH " PeterNeumann "
        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

static const char spec_vkey[] =
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
static const char spec_note[] =
        "This is an example message.\n\n" EM_DASH " example.com/foo "
        "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

static void setup(void)
{
	cr_assert(sodium_init() >= 0);
}

TestSuite(note, .init = setup);

static int open_str(const char *msg, const struct note_verifier *v, size_t *text_len)
{
	return note_open(msg, strlen(msg), v, text_len);
}

Test(note, E5_go_sumdb_vector_signs_byte_for_byte)
{
	struct note_signer sg;
	struct note_verifier v;
	char *note = NULL, *vk, *sk;
	size_t tl = 0;

	cr_assert_eq(note_signer_parse(go_skey, &sg), 0);
	cr_assert_str_eq(sg.name, "PeterNeumann");
	cr_assert_eq(sg.id, 0xc74f20a3u);
	vk = note_signer_verifier(&sg);
	cr_assert_str_eq(vk, go_vkey);
	sk = note_signer_encode(&sg);
	cr_assert_str_eq(sk, go_skey);
	cr_assert_eq(note_sign(&sg, go_text, &note), 0);
	cr_assert_str_eq(note, go_note);
	cr_assert_eq(note_verifier_parse(go_vkey, &v), 0);
	cr_assert_eq(open_str(go_note, &v, &tl), 0);
	cr_assert_eq(tl, strlen(go_text));
	free(note);
	free(vk);
	free(sk);
	note_signer_wipe(&sg);
}

Test(note, c2sp_signed_note_example_verifies)
{
	unsigned char pk[NOTE_PK_LEN];
	struct note_verifier v;
	size_t tl = 0;

	cr_assert_eq(note_verifier_parse(spec_vkey, &v), 0);
	cr_assert_str_eq(v.name, "example.com/foo");
	cr_assert_eq(v.id, 0x530d903au);
	cr_assert_eq(hex_decode("e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4",
	                        pk, sizeof(pk)),
	             0);
	cr_assert_arr_eq(v.pk, pk, sizeof(pk));
	cr_assert_eq(note_key_id("example.com/foo", pk), 0x530d903au);
	cr_assert_eq(open_str(spec_note, &v, &tl), 0);
	cr_assert_eq(tl, strlen("This is an example message.\n"));
}

Test(note, round_trip_with_a_fresh_key_and_foreign_signatures_ignored)
{
	unsigned char seed[NOTE_SEED_LEN];
	struct note_signer a, b;
	struct note_verifier va, vb;
	char *na = NULL, *nb = NULL, *both, *vk;
	size_t tl = 0;

	randombytes_buf(seed, sizeof(seed));
	cr_assert_eq(note_signer_from_seed("isms.test/log", seed, &a), 0);
	randombytes_buf(seed, sizeof(seed));
	cr_assert_eq(note_signer_from_seed("witness.test/w", seed, &b), 0);
	vk = note_signer_verifier(&a);
	cr_assert_eq(note_verifier_parse(vk, &va), 0);
	free(vk);
	vk = note_signer_verifier(&b);
	cr_assert_eq(note_verifier_parse(vk, &vb), 0);
	free(vk);
	cr_assert_eq(note_sign(&a, "hello\n\nworld\n", &na), 0);
	cr_assert_eq(open_str(na, &va, &tl), 0);
	cr_assert_eq(tl, strlen("hello\n\nworld\n"), "the text may hold blank lines");
	cr_assert_eq(open_str(na, &vb, &tl), -ERR_NOT_FOUND, "another key did not sign it");
	/* a note signed by both: each verifier finds its own, ignores the other */
	cr_assert_eq(note_sign(&b, "hello\n\nworld\n", &nb), 0);
	both = malloc(strlen(na) + strlen(nb) + 1);
	strcpy(both, na);
	strcat(both, strstr(nb, "\n\n" EM_DASH) + 2);
	cr_assert_eq(open_str(both, &va, &tl), 0);
	cr_assert_eq(open_str(both, &vb, &tl), 0);
	free(both);
	free(na);
	free(nb);
	note_signer_wipe(&a);
	note_signer_wipe(&b);
}

Test(note, tampered_text_and_signatures_are_rejected)
{
	struct note_verifier v;
	char buf[512];
	size_t tl = 0;

	cr_assert_eq(note_verifier_parse(go_vkey, &v), 0);
	/* one changed letter of the text */
	strcpy(buf, go_note);
	buf[3] = 'X';
	cr_assert_eq(open_str(buf, &v, &tl), -ERR_UNAUTHENTICATED);
	/* one changed character of the signature (still valid base64) */
	strcpy(buf, go_note);
	buf[strlen(buf) - 10] = buf[strlen(buf) - 10] == 'A' ? 'B' : 'A';
	cr_assert_eq(open_str(buf, &v, &tl), -ERR_UNAUTHENTICATED);
	/* a signature by the right name but another key id: unknown key, so not signed */
	cr_assert_eq(
	        open_str(
	                "text\n\n" EM_DASH
	                " PeterNeumann AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
	                &v, &tl),
	        -ERR_NOT_FOUND);
	/* the right name and key id, a short signature */
	cr_assert_eq(open_str("text\n\n" EM_DASH " PeterNeumann x08gowECAwQ=\n", &v, &tl),
	             -ERR_UNAUTHENTICATED);
	/* wrong key */
	cr_assert_eq(note_verifier_parse(spec_vkey, &v), 0);
	cr_assert_eq(open_str(go_note, &v, &tl), -ERR_NOT_FOUND);
}

Test(note, malformed_notes_are_rejected)
{
	static const char *const bad[] = {
		"",
		"\n",
		"text\n",                                              /* no signatures */
		"text\n\n",                                            /* empty signature block */
		"text\n\n" EM_DASH " PeterNeumann x08g\n",             /* too short */
		"text\n\n- PeterNeumann AAAAAAAAAAAA\n",               /* ASCII dash */
		"text\n\n" EM_DASH "PeterNeumann AAAAAAAAAAAA\n",      /* no space */
		"text\n\n" EM_DASH " PeterNeumannAAAAAAAAAAAA\n",      /* no name/sig space */
		"text\n\n" EM_DASH "  AAAAAAAAAAAA\n",                 /* empty name */
		"text\n\n" EM_DASH " Peter+Neumann AAAAAAAAAAAA\n",    /* '+' in name */
		"text\n\n" EM_DASH " PeterNeumann AAAA AAAAAAAA\n",    /* space in signature */
		"text\n\n" EM_DASH " PeterNeumann !!!!!!!!!!!!\n",     /* not base64 */
		"text\n\n" EM_DASH " PeterNeumann AAAAAAAAAAA\n",      /* bad padding */
		"text\n\n" EM_DASH " PeterNeumann AAAAAAAAAAAA",       /* no final newline */
		"te\txt\n\n" EM_DASH " PeterNeumann AAAAAAAAAAAA\n",   /* control character */
		"te\rxt\n\n" EM_DASH " PeterNeumann AAAAAAAAAAAA\n",   /* CR */
		"te\xffxt\n\n" EM_DASH " PeterNeumann AAAAAAAAAAAA\n", /* invalid UTF-8 */
		"text\n\n" EM_DASH " PeterNeumann AAAAAAAAAAAA\n\n",   /* trailing blank line */
	};
	struct note_verifier v;
	size_t i, tl = 0;

	cr_assert_eq(note_verifier_parse(go_vkey, &v), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(open_str(bad[i], &v, &tl), -ERR_INVALID, "case %zu", i);
	/* NUL inside the given length */
	cr_assert_eq(note_open("te\0xt\n\n" EM_DASH " PeterNeumann AAAAAAAAAAAA\n", 30, &v, &tl),
	             -ERR_INVALID);
}

Test(note, oversize_and_too_many_signatures_are_rejected)
{
	struct note_verifier v;
	char *big;
	size_t tl = 0, i, len = 0;

	cr_assert_eq(note_verifier_parse(go_vkey, &v), 0);
	big = malloc(NOTE_MAX + 2);
	memset(big, 'a', NOTE_MAX + 1);
	big[NOTE_MAX + 1] = '\0';
	cr_assert_eq(note_open(big, NOTE_MAX + 1, &v, &tl), -ERR_TOO_LARGE);
	/* 101 well-formed foreign signatures in under 4 KiB */
	len = (size_t)sprintf(big, "t\n\n");
	for (i = 0; i < 101; i++)
		len += (size_t)sprintf(big + len, EM_DASH " a AAAAAAAAAAAAAAAAAAAAAAAA\n");
	cr_assert_lt(len, NOTE_MAX);
	cr_assert_eq(note_open(big, len, &v, &tl), -ERR_INVALID);
	free(big);
}

/* Every truncation and every single-byte change of a key string is refused, as in
 * golang.org/x/mod/sumdb/note TestNewVerifier / TestNewSigner. */
Test(note, mangled_keys_are_rejected)
{
	struct note_verifier v;
	struct note_signer sg;
	char b[128];
	size_t i, j, n;

	n = strlen(go_vkey);
	for (i = 0; i <= n; i++)
		for (j = i + 1; j <= n; j++) {
			if (i == 0 && j == n)
				continue;
			memcpy(b, go_vkey + i, j - i);
			b[j - i] = '\0';
			cr_assert_lt(note_verifier_parse(b, &v), 0, "'%s'", b);
		}
	for (i = 0; i < n; i++) {
		strcpy(b, go_vkey);
		b[i]++;
		cr_assert_lt(note_verifier_parse(b, &v), 0, "'%s'", b);
	}
	/* wrong length key and unknown algorithm, each with a matching key hash */
	cr_assert_lt(
	        note_verifier_parse(
	                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
	                &v),
	        0);
	cr_assert_lt(
	        note_verifier_parse(
	                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", &v),
	        0);
	n = strlen(go_skey);
	for (i = 0; i <= n; i++)
		for (j = i + 1; j <= n; j++) {
			if (i == 0 && j == n)
				continue;
			memcpy(b, go_skey + i, j - i);
			b[j - i] = '\0';
			cr_assert_lt(note_signer_parse(b, &sg), 0, "'%s'", b);
		}
	for (i = 0; i < n; i++) {
		strcpy(b, go_skey);
		b[i]++;
		cr_assert_lt(note_signer_parse(b, &sg), 0, "'%s'", b);
	}
	/* one trailing newline, as key files have, is fine; more is not */
	strcpy(b, go_vkey);
	strcat(b, "\n");
	cr_assert_eq(note_verifier_parse(b, &v), 0);
	strcat(b, "\n");
	cr_assert_lt(note_verifier_parse(b, &v), 0);
}

Test(note, key_names_follow_the_spec)
{
	cr_assert(note_name_valid("isms.local/3f9a"));
	cr_assert(note_name_valid("审计日志"));
	cr_assert_not(note_name_valid(""));
	cr_assert_not(note_name_valid("a b"));
	cr_assert_not(note_name_valid("a+b"));
	cr_assert_not(note_name_valid("a\tb"));
	cr_assert_not(note_name_valid("a\xc2\xa0"
	                              "b")); /* U+00A0 NO-BREAK SPACE */
	cr_assert_not(note_name_valid("a\xe3\x80\x80"
	                              "b")); /* U+3000 IDEOGRAPHIC SPACE */
	cr_assert_not(note_name_valid("a\xe2\x80\xa8"
	                              "b")); /* U+2028 LINE SEPARATOR */
	cr_assert_not(note_name_valid("a\xff"));
}

Test(note, sign_refuses_unsuitable_text)
{
	struct note_signer sg;
	static char untouched[] = "untouched";
	char *note = untouched;

	cr_assert_eq(note_signer_parse(go_skey, &sg), 0);
	cr_assert_eq(note_sign(&sg, "", &note), -ERR_INVALID);
	cr_assert_eq(note_sign(&sg, "no newline", &note), -ERR_INVALID);
	cr_assert_eq(note_sign(&sg, "tab\there\n", &note), -ERR_INVALID);
	cr_assert_eq(note_sign(&sg, "bad \xff utf-8\n", &note), -ERR_INVALID);
	cr_assert_str_eq(note, "untouched");
}

Test(note, checkpoint_text_and_parse_round_trip)
{
	struct note_checkpoint cp;
	unsigned char root[NOTE_HASH_LEN];
	char *t;
	size_t i;

	for (i = 0; i < sizeof(root); i++)
		root[i] = (unsigned char)i;
	t = note_checkpoint_text("isms.test/log", 1234567, root);
	cr_assert_str_eq(t,
	                 "isms.test/log\n1234567\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
	cr_assert_eq(note_checkpoint_parse(t, strlen(t), &cp), 0);
	cr_assert_str_eq(cp.origin, "isms.test/log");
	cr_assert_eq(cp.size, 1234567);
	cr_assert_arr_eq(cp.root, root, sizeof(root));
	free(t);
	cr_assert_null(note_checkpoint_text("", 1, root));
	cr_assert_null(note_checkpoint_text("a\nb", 1, root));
	/* the C2SP tlog-checkpoint example body, with an extension line */
	{
		static const char ex[] = "example.com/behind-the-sofa\n20852163\n"
		                         "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n";

		cr_assert_eq(note_checkpoint_parse(ex, strlen(ex), &cp), 0);
	}
	cr_assert_eq(cp.size, 20852163);
}

Test(note, malformed_checkpoints_are_rejected)
{
	static const char *const bad[] = {
		"",
		"o\n",
		"o\n1\n",
		"o\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",    /* no final newline */
		"\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",   /* empty origin */
		"o\n01\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", /* leading zero */
		"o\n-1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", /* sign */
		"o\n+1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", /* sign */
		"o\n1 \nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", /* space */
		"o\n\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",   /* empty size */
		"o\n9223372036854775808\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", /* >
		                                                                             INT64_MAX
		                                                                           */
		"o\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\n",       /* 31 bytes */
		"o\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==\n",   /* 34 bytes */
		"o\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n",        /* no padding */
		"o\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n",     /* empty extension */
		"o\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nx\ty\n", /* control char */
	};
	struct note_checkpoint cp;
	char origin[400];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(note_checkpoint_parse(bad[i], strlen(bad[i]), &cp), -ERR_INVALID,
		             "case %zu", i);
	cr_assert_eq(
	        note_checkpoint_parse(
	                "o\n9223372036854775807\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
	                67, &cp),
	        0);
	cr_assert_eq(note_checkpoint_parse("o\n0\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
	                                   49, &cp),
	             0);
	memset(origin, 'o', 256);
	strcpy(origin + 256, "\n1\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
	cr_assert_eq(note_checkpoint_parse(origin, strlen(origin), &cp), -ERR_INVALID,
	             "origin over 255 bytes");
}

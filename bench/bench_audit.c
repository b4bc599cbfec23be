/*
 * bench_audit.c: audit append and verify speed against raw SHA-256 over the same bytes.
 *
 *   bench_audit DIR [ENTRIES]
 *
 * Creates DIR (a fresh folder) with isms.db holding ENTRIES audit entries (default 200000)
 * of a realistic shape (a user update with before/after), signs a checkpoint, then times
 * audit_verify and libsodium's SHA-256 over a buffer of as many bytes as verify hashed.
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/util.h"
#include "audit/audit.h"
#include "store/store.h"

#include <sodium.h>
#include <sys/stat.h>
#include <time.h>

#define BATCH 1000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int append_all(struct store *st, uint64_t n)
{
	struct actor a = { .user_id = 7, .username = "zhangsan", .source = "10.1.2.3" };
	uint64_t i;
	int r = 0;

	for (i = 0; i < n && r == 0; i++) {
		json_t *before =
		        json_pack("{s:s, s:I, s:[s]}", "display_name", "张三", "department_id",
		                  (json_int_t)(i % 40), "roles", "it_staff");
		json_t *after =
		        json_pack("{s:s, s:I, s:[s]}", "display_name", "张三丰", "department_id",
		                  (json_int_t)(i % 40 + 1), "roles", "it_staff");
		char obj[32];

		(void)snprintf(obj, sizeof(obj), "user:%llu", (unsigned long long)(i % 5000));
		if (i % BATCH == 0)
			r = store_begin(st);
		if (r == 0)
			r = audit_append(st, &(struct audit_event){ .actor = &a,
			                                            .action = "user.update",
			                                            .object = obj,
			                                            .before = before,
			                                            .after = after });
		if (r == 0 && (i % BATCH == BATCH - 1 || i == n - 1))
			r = store_commit(st);
		json_decref(before);
		json_decref(after);
	}
	return r;
}

int main(int argc, char **argv)
{
	struct audit_verify_result res;
	struct audit_signer *sg = NULL;
	struct store *st = NULL;
	uint64_t n = 200000, v;
	double t0, t_append, t_verify, t_sha;
	char *db, *keys, *note = NULL;
	unsigned char out[32], *blob;
	int r;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_audit DIR [ENTRIES]\n");
		return 2;
	}
	if (argc > 2 && parse_uint(argv[2], 100000000, &v) == 0 && v > 0)
		n = v;
	if (sodium_init() < 0 || mkdir(argv[1], 0700) != 0) {
		fprintf(stderr, "bench_audit: cannot create '%s' (it must not exist)\n", argv[1]);
		return 1;
	}
	db = fs_join(argv[1], "isms.db");
	keys = fs_join(argv[1], "keys");
	r = audit_keys_create(keys, "isms.local/bench");
	if (r == 0)
		r = audit_signer_load(keys, &sg);
	if (r == 0)
		r = store_open(db, true, &st);
	if (r == 0)
		r = store_migrate(st, embedded_migrations, embedded_migrations_count) < 0 ? -1 : 0;
	if (r < 0)
		return 1;
	t0 = now();
	if (append_all(st, n) < 0)
		return 1;
	t_append = now() - t0;
	if (audit_checkpoint(st, sg, &note) < 0)
		return 1;
	memset(&res, 0, sizeof(res));
	t0 = now();
	r = audit_verify(st, audit_signer_verifier(sg), note, &res);
	t_verify = now() - t0;
	if (r != 0) {
		fprintf(stderr, "bench_audit: verify failed: %s\n", res.message);
		return 1;
	}
	blob = xmalloc(res.bytes_hashed);
	randombytes_buf(blob, res.bytes_hashed);
	t0 = now();
	crypto_hash_sha256(out, blob, res.bytes_hashed);
	t_sha = now() - t0;
	printf("entries %llu, bytes hashed %llu\n", (unsigned long long)res.entries,
	       (unsigned long long)res.bytes_hashed);
	printf("append: %.0f entries/s (%.2f s, transactions of %d)\n", (double)n / t_append,
	       t_append, BATCH);
	printf("verify: %.3f s, %.1f MB/s\n", t_verify, (double)res.bytes_hashed / t_verify / 1e6);
	printf("raw sha256 over the same bytes: %.3f s, %.1f MB/s\n", t_sha,
	       (double)res.bytes_hashed / t_sha / 1e6);
	printf("ratio verify/raw: %.2f\n", t_sha / t_verify);
	free(blob);
	free(note);
	free(db);
	free(keys);
	audit_signer_free(sg);
	store_free(st);
	return 0;
}

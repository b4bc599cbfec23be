/*
 * bench_argon2.c: the bare argon2id verification rate at isms' password cost, with one
 * thread per core for a fixed time: the reference for login throughput.
 *
 *   bench_argon2 [SECONDS] [THREADS]
 */
#include "core/common.h"
#include "crypto/password.h"
#include "core/util.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>

static char hash[PASSWORD_HASH_MAX];
static double seconds = 10;
static const char pw[] = "Kq7#vR2!mWx9bench";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
	double end = now() + seconds;
	long *n = arg;

	while (now() < end) {
		if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) != 0)
			abort();
		(*n)++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t ops;
	size_t mem;
	long counts[64] = { 0 }, total = 0;
	pthread_t th[64];
	uint64_t v;
	int threads = 2, i;

	if (sodium_init() < 0)
		return 1;
	if (argc > 1 && parse_uint(argv[1], 3600, &v) == 0)
		seconds = (double)v;
	if (argc > 2 && parse_uint(argv[2], 64, &v) == 0 && v > 0)
		threads = (int)v;
	password_get_cost(&ops, &mem);
	if (crypto_pwhash_str(hash, pw, strlen(pw), ops, mem) != 0)
		return 1;
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, worker, &counts[i]);
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += counts[i];
	}
	printf("argon2id t=%llu m=%zu MiB threads=%d: %.1f verifications/s\n",
	       (unsigned long long)ops, mem >> 20, threads, (double)total / seconds);
	return 0;
}

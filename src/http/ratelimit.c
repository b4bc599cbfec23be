/*
 * ratelimit.c: fixed one-minute windows per key (the client address), in memory.
 * Small and bounded: at most SLOTS keys are tracked; a full table forgets the oldest
 * window first, so a flood of addresses cannot grow memory.
 */
#include "core/common.h"
#include "core/clock.h"
#include "http/http.h"

#include <pthread.h>

#define SLOTS 4096

static struct slot {
	char key[64];
	int64_t minute;
	int count;
} slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* The slot of key: its own, else an empty or stale one among the probes, else the first. */
static struct slot *find(const char *key, int64_t minute)
{
	size_t i = hash(key) % SLOTS, probe;
	struct slot *free_slot = NULL;

	for (probe = 0; probe < 8; probe++) {
		struct slot *s = &slots[(i + probe) % SLOTS];

		if (STREQ(s->key, key))
			return s;
		if (!free_slot && (s->key[0] == '\0' || s->minute != minute))
			free_slot = s;
	}
	return free_slot ? free_slot : &slots[i];
}

bool ratelimit_allow(const char *key, int per_minute)
{
	int64_t minute = clock_mono_ms() / 60000;
	struct slot *s;
	bool ok;

	pthread_mutex_lock(&lock);
	s = find(key, minute);
	if (!STREQ(s->key, key) || s->minute != minute) {
		(void)snprintf(s->key, sizeof(s->key), "%s", key);
		s->minute = minute;
		s->count = 0;
	}
	ok = s->count < per_minute;
	if (ok)
		s->count++;
	pthread_mutex_unlock(&lock);
	return ok;
}

/*
 * ratelimit.c: fixed one-minute windows per key (a scope, the client address and, for
 * logins, the login name), in memory. Small and bounded: at most SLOTS keys are tracked; a
 * full table forgets the oldest window first, so a flood of addresses cannot grow memory.
 *
 * Refusals are not written one by one (a flood would fill the audit trail): each window
 * counts them, and ratelimit_audit writes one entry per key and window with the count, from
 * the server's clock tick and when it stops.
 */
#include "core/common.h"
#include "core/clock.h"
#include "core/log.h"
#include "audit/audit.h"
#include "http/http.h"

#include <pthread.h>

#define SLOTS 4096

static struct slot {
	char scope[16], source[64], name[68];
	int64_t minute;
	int count;
	int denied; /* refusals of this window not yet written to the audit trail */
} slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Refusals of windows that had to make room before they were written (at most SLOTS keys
 * at once): reported as one entry for source "*". */
static int lost_denials;
static int64_t lost_minute;

static size_t hash(const struct ratelimit_key *k)
{
	const char *parts[3] = { k->scope, k->source, k->name ? k->name : "" };
	size_t h = 1469598103934665603ull, i;

	for (i = 0; i < 3; i++) {
		const char *s = parts[i];

		while (*s)
			h = (h ^ (unsigned char)*s++) * 1099511628211ull;
		h = (h ^ 0xff) * 1099511628211ull;
	}
	return h;
}

static bool same(const struct slot *s, const struct ratelimit_key *k)
{
	return STREQ(s->scope, k->scope) && STREQ(s->source, k->source) &&
	       STREQ(s->name, k->name ? k->name : "");
}

/* The slot of key: its own, else an empty or stale one among the probes (one with no
 * refusals still to write first), else the first. */
static struct slot *find(const struct ratelimit_key *k, int64_t minute)
{
	size_t i = hash(k) % SLOTS, probe;
	struct slot *spare = NULL, *busy = NULL;

	for (probe = 0; probe < 8; probe++) {
		struct slot *s = &slots[(i + probe) % SLOTS];

		if (same(s, k))
			return s;
		if (s->scope[0] == '\0' || (s->minute != minute && s->denied == 0)) {
			if (!spare)
				spare = s;
		} else if (!busy && s->minute != minute) {
			busy = s;
		}
	}
	if (spare)
		return spare;
	return busy ? busy : &slots[i];
}

bool ratelimit_allow(const struct ratelimit_key *k, int per_minute)
{
	int64_t minute = clock_mono_ms() / 60000;
	struct slot *s;
	bool ok;

	pthread_mutex_lock(&lock);
	s = find(k, minute);
	if (!same(s, k) || s->minute != minute) {
		if (s->denied > 0 && !same(s, k)) {
			lost_denials += s->denied;
			lost_minute = s->minute;
			s->denied = 0;
		}
		if (!same(s, k)) {
			(void)snprintf(s->scope, sizeof(s->scope), "%s", k->scope);
			(void)snprintf(s->source, sizeof(s->source), "%s", k->source);
			(void)snprintf(s->name, sizeof(s->name), "%s", k->name ? k->name : "");
			s->denied = 0;
		}
		s->minute = minute;
		s->count = 0;
	}
	ok = s->count < per_minute;
	if (ok)
		s->count++;
	else
		s->denied++;
	pthread_mutex_unlock(&lock);
	return ok;
}

struct denial {
	char scope[16], source[64], name[68];
	int64_t minute;
	int count;
};

/* Takes the refusals of finished windows (every window when all) out of the table. */
static size_t take(struct denial *out, size_t max, bool all)
{
	int64_t now = clock_mono_ms() / 60000;
	size_t i, n = 0;

	pthread_mutex_lock(&lock);
	for (i = 0; i < SLOTS && n < max; i++) {
		struct slot *s = &slots[i];

		if (s->denied == 0 || (!all && s->minute == now))
			continue;
		memcpy(out[n].scope, s->scope, sizeof(s->scope));
		memcpy(out[n].source, s->source, sizeof(s->source));
		memcpy(out[n].name, s->name, sizeof(s->name));
		out[n].minute = s->minute;
		out[n].count = s->denied;
		s->denied = 0;
		n++;
	}
	if (lost_denials > 0 && n < max) {
		(void)snprintf(out[n].scope, sizeof(out[n].scope), "login");
		(void)snprintf(out[n].source, sizeof(out[n].source), "*");
		out[n].name[0] = '\0';
		out[n].minute = lost_minute;
		out[n].count = lost_denials;
		lost_denials = 0;
		n++;
	}
	pthread_mutex_unlock(&lock);
	return n;
}

int ratelimit_audit(struct store *st, bool all)
{
	static struct denial batch[256];
	static pthread_mutex_t one = PTHREAD_MUTEX_INITIALIZER;
	int64_t mono_now = clock_mono_ms() / 60000, wall = clock_now();
	size_t n, i;
	int r = 0;

	pthread_mutex_lock(&one);
	do {
		n = take(batch, ARRAY_SIZE(batch), all);
		for (i = 0; i < n && r == 0; i++) {
			struct denial *d = &batch[i];
			struct actor anon = { .username = "anonymous", .source = d->source };
			char from[RFC3339_LEN];
			json_t *detail;

			/* The window's start in wall-clock time (the windows run on the
			 * monotonic clock, which the wall clock may not follow). */
			time_format_rfc3339(wall - (wall % 60) - (mono_now - d->minute) * 60, from);
			detail = json_pack("{s:s, s:s, s:i}", "scope", d->scope, "window_start",
			                   from, "refused", d->count);
			if (d->name[0])
				json_object_set_new(detail, "username", json_string(d->name));
			r = audit_record(st, &(struct audit_event){ .actor = &anon,
			                                            .action = "login.rate_limited",
			                                            .outcome = "denied",
			                                            .detail = detail });
			json_decref(detail);
		}
	} while (r == 0 && n == ARRAY_SIZE(batch));
	pthread_mutex_unlock(&one);
	if (r < 0)
		log_warn("cannot record rate-limited logins in the audit trail");
	return r;
}

/*
 * lockout.c: pam_faillock's arithmetic (SECURITY.md "pam_faillock"), without storage: the
 * caller keeps the failure times, reset_at, the count since the last success and the
 * hard-lock flag, and asks what they mean at `now`.
 *
 *            deny failures within fail_interval           now >= latest + unlock_time
 *   OPEN ------------------------------------------> LOCKED ---------------------------> OPEN
 *     |                                     (unlock_time 0: stays until an administrator)
 *     +-- ceiling failures without a success --> HARD (until an administrator unlocks)
 */
#include "core/common.h"
#include "crypto/lockout.h"

void lockout_policy_defaults(struct lockout_policy *ret)
{
	ret->deny = 3;
	ret->fail_interval = 900;
	ret->unlock_time = 900;
	ret->ceiling = 20;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	return a + b;
}

void lockout_evaluate(const struct lockout_policy *pol, const int64_t *fail_times, size_t n,
                      int64_t reset_at, int fails_since_success, bool hard_locked, int64_t now,
                      struct lockout_status *ret)
{
	struct lockout_status st = { .state = LOCKOUT_OPEN };
	int64_t latest = 0;
	bool any = false;
	size_t i;

	/* pam_faillock's check_tally: the window is anchored at the newest valid failure. */
	for (i = 0; i < n; i++) {
		if (fail_times[i] >= reset_at && (!any || fail_times[i] > latest)) {
			latest = fail_times[i];
			any = true;
		}
	}
	for (i = 0; any && i < n; i++) {
		int64_t f = fail_times[i];

		/* latest >= f, so the unsigned difference is exact even for extreme times. */
		if (f >= reset_at && pol->fail_interval > 0 &&
		    (uint64_t)latest - (uint64_t)f < (uint64_t)pol->fail_interval)
			st.failures++;
	}
	if (hard_locked || (pol->ceiling > 0 && fails_since_success >= pol->ceiling)) {
		st.state = LOCKOUT_HARD;
	} else if (pol->deny > 0 && st.failures >= pol->deny) {
		if (pol->unlock_time <= 0) {
			st.state = LOCKOUT_LOCKED; /* until = 0: only an administrator */
		} else if (now < sat_add(latest, pol->unlock_time)) {
			st.state = LOCKOUT_LOCKED;
			st.until = sat_add(latest, pol->unlock_time);
		} else {
			/* The lock has expired: a fresh count starts from now. */
			st.timed_unlock = true;
			st.failures = 0;
		}
	}
	*ret = st;
}

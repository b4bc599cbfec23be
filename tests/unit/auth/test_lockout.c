/*
 * test_lockout.c: pam_faillock semantics (SPEC ID-4; SECURITY.md A6 and "Lockout and
 * password quality: the reference semantics", cases a-h), then a model-based property
 * test: a straightforward pam_faillock tally model against lockout_evaluate driven the
 * way a caller stores its state, over 10 000 random event sequences.
 */
#include "core/common.h"
#include "crypto/lockout.h"

#include <criterion/criterion.h>

#define T0 1700000000

static struct lockout_policy defaults(void)
{
	struct lockout_policy pol;

	lockout_policy_defaults(&pol);
	return pol;
}

static struct lockout_status eval(const struct lockout_policy *pol, const int64_t *f, size_t n,
                                  int64_t reset_at, int fss, bool hard, int64_t now)
{
	struct lockout_status st;

	memset(&st, 0x5a, sizeof(st));
	lockout_evaluate(pol, f, n, reset_at, fss, hard, now, &st);
	return st;
}

Test(lockout, defaults_follow_spec_id4)
{
	struct lockout_policy pol = defaults();

	cr_assert_eq(pol.deny, 3);
	cr_assert_eq(pol.fail_interval, 900);
	cr_assert_eq(pol.unlock_time, 900);
	cr_assert_eq(pol.ceiling, 20);
}

Test(lockout, no_failures_is_open)
{
	struct lockout_policy pol = defaults();
	struct lockout_status st = eval(&pol, NULL, 0, 0, 0, false, T0);

	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_eq(st.failures, 0);
	cr_assert_eq(st.until, 0);
	cr_assert_not(st.timed_unlock);
}

Test(lockout, A6_a_third_failure_locks)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0, T0 + 10, T0 + 20 };
	struct lockout_status st;

	st = eval(&pol, f, 2, 0, 2, false, T0 + 11);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_eq(st.failures, 2);
	st = eval(&pol, f, 3, 0, 3, false, T0 + 21);
	cr_assert_eq(st.state, LOCKOUT_LOCKED, "locked at the deny-th failure (>=), not after");
	cr_assert_eq(st.failures, 3);
	cr_assert_eq(st.until, T0 + 20 + 900);
	cr_assert_not(st.timed_unlock);
}

Test(lockout, A6_b_unlock_time_counts_from_the_last_failure)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0, T0 + 100, T0 + 800 };
	struct lockout_status st;

	st = eval(&pol, f, 3, 0, 3, false, T0 + 800);
	cr_assert_eq(st.state, LOCKOUT_LOCKED);
	cr_assert_eq(st.until, T0 + 1700);
	st = eval(&pol, f, 3, 0, 3, false, T0 + 1699);
	cr_assert_eq(st.state, LOCKOUT_LOCKED);
	st = eval(&pol, f, 3, 0, 3, false, T0 + 1700);
	cr_assert_eq(st.state, LOCKOUT_OPEN, "until is the first second access returns");
	cr_assert(st.timed_unlock);
	cr_assert_eq(st.failures, 0, "a fresh count starts");
}

Test(lockout, A6_c_failures_outside_the_interval_do_not_add_up)
{
	struct lockout_policy pol = defaults();
	int64_t spread[] = { T0, T0 + 900, T0 + 1800 };
	int64_t close[] = { T0, T0 + 899, T0 + 1798 };
	int64_t many[] = { T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000 };
	struct lockout_status st;

	st = eval(&pol, spread, 3, 0, 3, false, T0 + 1801);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_eq(st.failures, 1, "the window is latest - t < fail_interval");
	st = eval(&pol, close, 3, 0, 3, false, T0 + 1799);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_eq(st.failures, 2);
	st = eval(&pol, many, 5, 0, 5, false, T0 + 4001);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_eq(st.failures, 1);
}

Test(lockout, A6_d_success_resets_the_count)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0, T0 + 10, T0 + 30 };
	struct lockout_status st;

	/* Two failures, a success at T0 + 20 (reset_at), one more failure. */
	st = eval(&pol, f, 3, T0 + 20, 1, false, T0 + 31);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_eq(st.failures, 1);
}

Test(lockout, A6_e_admin_unlock_resets_hard_and_timed_locks)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0, T0 + 10, T0 + 20 };
	struct lockout_status st;

	st = eval(&pol, f, 3, 0, 20, false, T0 + 30);
	cr_assert_eq(st.state, LOCKOUT_HARD);
	/* The administrator clears the flag and the count and moves reset_at. */
	st = eval(&pol, f, 3, T0 + 30, 0, false, T0 + 30);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_eq(st.failures, 0);
	cr_assert_not(st.timed_unlock);
}

Test(lockout, A6_f_unlock_time_zero_means_until_an_administrator)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0, T0 + 10, T0 + 20 };
	struct lockout_status st;

	pol.unlock_time = 0;
	st = eval(&pol, f, 3, 0, 3, false, T0 + 20 + 10LL * 365 * 86400);
	cr_assert_eq(st.state, LOCKOUT_LOCKED);
	cr_assert_eq(st.until, 0);
	cr_assert_not(st.timed_unlock);
	st = eval(&pol, f, 3, T0 + 100, 0, false, T0 + 100);
	cr_assert_eq(st.state, LOCKOUT_OPEN, "an administrator unlock (reset_at) opens it");
}

Test(lockout, A6_h_ceiling_of_failures_without_success_is_hard)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0 };
	struct lockout_status st;

	st = eval(&pol, f, 1, 0, 19, false, T0 + 1);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	st = eval(&pol, f, 1, 0, 20, false, T0 + 1);
	cr_assert_eq(st.state, LOCKOUT_HARD);
	cr_assert_eq(st.until, 0);
	/* Whatever the window: a year later it is still hard-locked. */
	st = eval(&pol, f, 1, 0, 20, false, T0 + 365LL * 86400);
	cr_assert_eq(st.state, LOCKOUT_HARD);
	st = eval(&pol, NULL, 0, 0, 0, true, T0);
	cr_assert_eq(st.state, LOCKOUT_HARD, "the stored hard-lock flag wins");
	pol.ceiling = 0;
	st = eval(&pol, f, 1, 0, 1000, false, T0 + 1);
	cr_assert_eq(st.state, LOCKOUT_OPEN, "ceiling 0 disables the hard cap");
}

Test(lockout, timed_unlock_only_when_a_lock_has_just_expired)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0, T0 + 10, T0 + 20 };
	struct lockout_status st;

	st = eval(&pol, f, 2, 0, 2, false, T0 + 5000);
	cr_assert_not(st.timed_unlock, "never locked");
	st = eval(&pol, f, 3, 0, 3, false, T0 + 920);
	cr_assert(st.timed_unlock);
	/* The caller moved reset_at to now: the next evaluation is plainly open. */
	st = eval(&pol, f, 3, T0 + 920, 3, false, T0 + 921);
	cr_assert_eq(st.state, LOCKOUT_OPEN);
	cr_assert_not(st.timed_unlock);
	cr_assert_eq(st.failures, 0);
}

Test(lockout, failure_times_in_any_order)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0 + 20, T0 - 5000, T0, T0 + 10 };
	struct lockout_status st;

	st = eval(&pol, f, 4, 0, 4, false, T0 + 21);
	cr_assert_eq(st.state, LOCKOUT_LOCKED);
	cr_assert_eq(st.until, T0 + 920);
	cr_assert_eq(st.failures, 3);
}

Test(lockout, a_failure_in_the_second_of_reset_at_counts)
{
	struct lockout_policy pol = defaults();
	int64_t f[] = { T0, T0, T0 };
	struct lockout_status st;

	/* Failures at or after reset_at count, so a burst in the very second of a timed
	 * unlock cannot slip through uncounted. */
	st = eval(&pol, f, 3, T0, 3, false, T0);
	cr_assert_eq(st.state, LOCKOUT_LOCKED);
}

/* ---- model-based property test ---- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t pick(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng() % (uint64_t)(hi - lo + 1));
}

#define MAX_EVENTS 80

/* The reference: pam_faillock's tally file as the man page and pam_faillock.c describe it,
 * plus the isms ceiling. Written without looking at lockout.c. */
struct model {
	int64_t tally[MAX_EVENTS];
	int n;
	int since_success;
	bool hard;
};

enum verdict { V_OPEN, V_LOCKED, V_HARD };

struct model_view {
	enum verdict v;
	int64_t until;
	bool expired;
	int failures;
};

static struct model_view model_look(const struct lockout_policy *pol, const struct model *m,
                                    int64_t now)
{
	struct model_view mv = { V_OPEN, 0, false, 0 };
	int64_t latest = 0;
	int i;

	for (i = 0; i < m->n; i++)
		if (i == 0 || m->tally[i] > latest)
			latest = m->tally[i];
	for (i = 0; i < m->n; i++)
		if (latest - m->tally[i] < pol->fail_interval)
			mv.failures++;
	if (m->hard || m->since_success >= pol->ceiling) {
		mv.v = V_HARD;
		return mv;
	}
	if (mv.failures >= pol->deny) {
		if (pol->unlock_time == 0) {
			mv.v = V_LOCKED;
		} else if (now < latest + pol->unlock_time) {
			mv.v = V_LOCKED;
			mv.until = latest + pol->unlock_time;
		} else {
			mv.expired = true;
			mv.failures = 0;
		}
	}
	return mv;
}

/* A login attempt; returns true when it gets through. */
static bool model_attempt(const struct lockout_policy *pol, struct model *m, int64_t now,
                          bool correct)
{
	struct model_view mv = model_look(pol, m, now);

	if (mv.v != V_OPEN)
		return false; /* refused, even with the right password; nothing recorded */
	if (mv.expired)
		m->n = 0; /* the timed unlock invalidates the old records */
	if (correct) {
		m->n = 0;
		m->since_success = 0;
		return true;
	}
	m->tally[m->n++] = now;
	m->since_success++;
	if (m->since_success >= pol->ceiling)
		m->hard = true;
	return false;
}

static void model_admin_unlock(struct model *m)
{
	m->n = 0;
	m->since_success = 0;
	m->hard = false;
}

/* What a caller (auth.c) keeps: every failure ever, reset_at, the count, the flag. */
struct stored {
	int64_t fails[MAX_EVENTS];
	size_t n;
	int64_t reset_at;
	int since_success;
	bool hard;
};

static bool impl_attempt(const struct lockout_policy *pol, struct stored *s, int64_t now,
                         bool correct)
{
	struct lockout_status st;

	lockout_evaluate(pol, s->fails, s->n, s->reset_at, s->since_success, s->hard, now, &st);
	if (st.state == LOCKOUT_HARD) {
		s->hard = true;
		return false;
	}
	if (st.state == LOCKOUT_LOCKED)
		return false;
	if (st.timed_unlock)
		s->reset_at = now;
	if (correct) {
		s->reset_at = now;
		s->since_success = 0;
		return true;
	}
	s->fails[s->n++] = now;
	s->since_success++;
	return false;
}

static void impl_admin_unlock(struct stored *s, int64_t now)
{
	s->reset_at = now;
	s->since_success = 0;
	s->hard = false;
}

static void random_policy(struct lockout_policy *pol)
{
	lockout_policy_defaults(pol);
	if (rng() % 2)
		return;
	pol->deny = (int)pick(1, 6);
	pol->fail_interval = pick(1, 1200);
	pol->unlock_time = rng() % 5 == 0 ? 0 : pick(1, 1200);
	pol->ceiling = (int)pick(pol->deny, 25);
}

Test(lockout, property_matches_the_pam_faillock_model)
{
	int seq;

	for (seq = 0; seq < 10000; seq++) {
		struct lockout_policy pol;
		struct model m = { .n = 0 };
		struct stored s = { .n = 0 };
		int64_t now = T0 + pick(0, 1000000);
		int ev, events;

		rng_state = 0x15e5ULL * 1000003 + (uint64_t)seq;
		random_policy(&pol);
		events = (int)pick(1, MAX_EVENTS);
		for (ev = 0; ev < events; ev++) {
			uint64_t kind = rng() % 100;
			struct lockout_status st;
			struct model_view mv;
			bool a, b;

			/* Every event happens in a later second than the one before it. */
			if (kind < 40)
				now += pick(1, 30);
			else if (kind < 55)
				now += pick(1, 2 * pol.fail_interval + 2);
			else
				now += pick(1, 2 * pol.unlock_time + 2);
			kind = rng() % 100;
			if (kind < 75) {
				a = model_attempt(&pol, &m, now, false);
				b = impl_attempt(&pol, &s, now, false);
			} else if (kind < 95) {
				a = model_attempt(&pol, &m, now, true);
				b = impl_attempt(&pol, &s, now, true);
			} else {
				model_admin_unlock(&m);
				impl_admin_unlock(&s, now);
				a = b = true;
			}
			cr_assert_eq(a, b, "seq %d event %d: attempt outcome differs", seq, ev);
			/* Look again a random moment later, without acting. */
			{
				int64_t later = now + pick(0, pol.unlock_time + 5);

				mv = model_look(&pol, &m, later);
				lockout_evaluate(&pol, s.fails, s.n, s.reset_at, s.since_success,
				                 s.hard, later, &st);
				cr_assert_eq((int)st.state, (int)mv.v, "seq %d event %d: state",
				             seq, ev);
				cr_assert_eq(st.until, mv.until, "seq %d event %d: until", seq, ev);
				cr_assert_eq(st.timed_unlock, mv.expired, "seq %d event %d: expiry",
				             seq, ev);
				if (mv.v != V_HARD)
					cr_assert_eq(st.failures, mv.failures,
					             "seq %d event %d: failures", seq, ev);
			}
		}
	}
}

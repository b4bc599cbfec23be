/*
 * lockout.h: account lockout with pam_faillock semantics (SPEC ID-4, SECURITY.md
 * "pam_faillock"), as pure arithmetic over the recorded failure times so it can be tested
 * against a model.
 *
 *  - failures count when they are at or after reset_at (a success, a timed unlock or an
 *    administrator unlock moves reset_at to that moment);
 *  - the window is anchored at the newest failure: failures f with latest - f < fail_interval;
 *  - when that count >= deny the account is locked until latest + unlock_time
 *    (unlock_time 0 = until an administrator unlocks);
 *  - failures while locked are not recorded (the caller does not call record);
 *  - a hard ceiling: `ceiling` failures without a success lock until an administrator
 *    unlocks, whatever the window.
 */
#ifndef ISMS_AUTH_LOCKOUT_H
#define ISMS_AUTH_LOCKOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lockout_policy {
	int deny;              /* default 3 */
	int64_t fail_interval; /* seconds, default 900 */
	int64_t unlock_time;   /* seconds, default 900; 0 = administrator only */
	int ceiling;           /* default 20 failures without a success */
};

void lockout_policy_defaults(struct lockout_policy *ret);

enum lockout_state { LOCKOUT_OPEN, LOCKOUT_LOCKED, LOCKOUT_HARD };

struct lockout_status {
	enum lockout_state state;
	int64_t until;     /* LOCKOUT_LOCKED: the first second access returns; 0 otherwise */
	int failures;      /* failures counted in the window */
	bool timed_unlock; /* the lock has just expired: the caller moves reset_at to now */
};

/*
 * Evaluates the state at `now` from the failure times (any order), reset_at, the number of
 * failures since the last success and the hard-lock flag.
 */
void lockout_evaluate(const struct lockout_policy *pol, const int64_t *fail_times, size_t n,
                      int64_t reset_at, int fails_since_success, bool hard_locked, int64_t now,
                      struct lockout_status *ret);

#endif

/*
 * err.h: the only list of failure kinds in isms. Functions that can fail return 0 (or a
 * count) on success and -ERR_x on failure. A struct problem carries the snake_case code the
 * API promises (e.g. "weak_password") and the JSON field it concerns; http/error.c turns
 * kind + code into the status and {"error":{...}} body.
 */
#ifndef ISMS_CORE_ERR_H
#define ISMS_CORE_ERR_H

#include <stdint.h>

enum err {
	ERR_INVALID = 1,     /* 400 */
	ERR_UNAUTHENTICATED, /* 401 */
	ERR_FORBIDDEN,       /* 403 */
	ERR_NOT_FOUND,       /* 404 */
	ERR_CONFLICT,        /* 409 */
	ERR_TOO_LARGE,       /* 413 */
	ERR_LOCKED,          /* 423 */
	ERR_RATE_LIMITED,    /* 429 */
	ERR_INTERNAL,        /* 500 */
	ERR__COUNT
};

#define PROBLEM_DETAIL_MAX 200
#define PROBLEM_PATH_MAX   160
#define PROBLEM_MSG_MAX    240

struct problem {
	const char *code;  /* static string, snake_case; NULL means "use the kind's default" */
	const char *field; /* static or owned by the request; JSON path of the bad input */
	/* Extra human detail (e.g. which password rule failed), never a secret. */
	char detail[PROBLEM_DETAIL_MAX];
	int64_t until; /* for ERR_LOCKED: unix time the lock ends, 0 = only an administrator */
	char path[PROBLEM_PATH_MAX]; /* storage for a computed field path (problem_path) */
	/* A field's problem (core/spec.h): why ("required", "out_of_range", …; NULL: none
	 * given) and what to tell the person, naming the field, in zh-CN and en. */
	const char *reason;
	char msg_zh[PROBLEM_MSG_MAX], msg_en[PROBLEM_MSG_MAX];
};

/* Fills *p (if non-NULL) and returns -kind, so callers can `return problem_set(...)`. */
int problem_set(struct problem *p, enum err kind, const char *code, const char *field);
/* Like problem_set, with a detail message. */
int problem_setf(struct problem *p, enum err kind, const char *code, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Formats a JSON path (e.g. "data.systems[2]") into p->path and returns it, to pass as the
 * field of problem_set/problem_setf; NULL when p is NULL. */
const char *problem_path(struct problem *p, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* The default snake_case code of a kind ("invalid", "not_found", ...). */
const char *err_code(enum err kind);
/* The HTTP status of a kind. */
int err_status(enum err kind);

#endif

/*
 * err.c: problem helpers and the kind -> status / default code table.
 */
#include "core/common.h"

static const struct {
	int status;
	const char *code;
} kinds[ERR__COUNT] = {
	[0] = { 500, "internal" },
	[ERR_INVALID] = { 400, "invalid" },
	[ERR_UNAUTHENTICATED] = { 401, "unauthenticated" },
	[ERR_FORBIDDEN] = { 403, "forbidden" },
	[ERR_NOT_FOUND] = { 404, "not_found" },
	[ERR_CONFLICT] = { 409, "conflict" },
	[ERR_TOO_LARGE] = { 413, "too_large" },
	[ERR_LOCKED] = { 423, "account_locked" },
	[ERR_RATE_LIMITED] = { 429, "rate_limited" },
	[ERR_INTERNAL] = { 500, "internal" },
};

int problem_set(struct problem *p, enum err kind, const char *code, const char *field)
{
	if (p) {
		p->code = code;
		p->field = field;
		p->detail[0] = '\0';
		p->reason = NULL;
		p->msg_zh[0] = p->msg_en[0] = '\0';
	}
	return -(int)kind;
}

int problem_setf(struct problem *p, enum err kind, const char *code, const char *field,
                 const char *fmt, ...)
{
	va_list ap;

	problem_set(p, kind, code, field);
	if (p) {
		va_start(ap, fmt);
		(void)vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
		va_end(ap);
	}
	return -(int)kind;
}

const char *problem_path(struct problem *p, const char *fmt, ...)
{
	va_list ap;

	if (!p)
		return NULL;
	va_start(ap, fmt);
	(void)vsnprintf(p->path, sizeof(p->path), fmt, ap);
	va_end(ap);
	return p->path;
}

const char *err_code(enum err kind)
{
	if ((int)kind <= 0 || kind >= ERR__COUNT)
		return "internal";
	return kinds[kind].code;
}

int err_status(enum err kind)
{
	if ((int)kind <= 0 || kind >= ERR__COUNT)
		return 500;
	return kinds[kind].status;
}

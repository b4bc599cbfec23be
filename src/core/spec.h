/*
 * spec.h: declarative input specs (DESIGN "Input"). A spec lists the fields a JSON object may
 * hold, each with its type, whether it is required, its length in code points, its range, its
 * allowed values, its pattern, or the spec of the object or the array items it holds.
 * spec_check validates a body against it and answers the first problem with the field's JSON
 * path, a reason and a message in zh-CN and en naming the field:
 *
 *     {"error":{"code":"invalid","field":"data.temperature","reason":"out_of_range",
 *               "message":"温度应在 -20 到 60 之间"}}
 *
 * Reasons: required, too_long, too_short, wrong_type, not_in_list, out_of_range, bad_format,
 * unknown_field.
 */
#ifndef ISMS_CORE_SPEC_H
#define ISMS_CORE_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct problem;

enum spec_type {
	SPEC_TEXT,   /* a string: valid UTF-8, no NUL, one line unless SPEC_MULTILINE */
	SPEC_INT,    /* a whole number */
	SPEC_ID,     /* a positive whole number (a row's id) */
	SPEC_NUMBER, /* any finite number */
	SPEC_BOOL,
	SPEC_TIME,   /* an RFC 3339 time as text */
	SPEC_DATE,   /* YYYY-MM-DD */
	SPEC_OBJECT, /* an object checked against .fields */
	SPEC_ARRAY,  /* an array whose items are checked against .items */
	SPEC_ANY,    /* anything: the verb checks it */
};

enum spec_flags {
	SPEC_REQUIRED = 1 << 0,  /* present, not null; text not empty */
	SPEC_NULLABLE = 1 << 1,  /* null is a value (to clear it) */
	SPEC_MULTILINE = 1 << 2, /* text may hold line breaks and tabs */
	SPEC_RANGE = 1 << 3,     /* numbers: min..max apply */
};

struct spec_field;

struct spec {
	const struct spec_field *fields; /* NULL-name terminated */
	bool open;                       /* other keys are let through (the verb checks them) */
};

struct spec_field {
	const char *name;
	enum spec_type type;
	unsigned flags;
	size_t min_len, max_len;        /* text: code points; arrays: items (max 0 = no limit) */
	double min, max;                /* with SPEC_RANGE */
	const char *const *one_of;      /* text: the allowed values, NULL-terminated */
	const char *pattern;            /* text: a POSIX extended regular expression, anchored */
	const struct spec *fields;      /* SPEC_OBJECT */
	const struct spec_field *items; /* SPEC_ARRAY: the spec of each item (its name unused) */
	const char *zh, *en;            /* the field's name in messages ("温度", "temperature") */
};

/*
 * Checks o (an object) against s; prefix ("" or "data") starts the JSON path of the field
 * named in p. 0, or -ERR_INVALID with p's code "invalid", field, reason and messages set.
 */
int spec_check(const struct spec *s, json_t *o, const char *prefix, struct problem *p);

/*
 * Sets p to a field problem with its reason and messages ("%s" in zh / en is replaced by the
 * field's name). For verbs that find a problem only a spec cannot (a taken name, a missing
 * department): the answer looks the same as spec_check's.
 */
int spec_fail(struct problem *p, const char *field, const char *reason, const char *zh,
              const char *en);
/* The same with messages that name the field: zh and en are printf formats whose first "%N"
 * is the field's name (zh_name, en_name); both take the same arguments, which follow. path
 * may be problem_path's result in p. */
int spec_problem(struct problem *p, const char *path, const char *reason, const char *zh_name,
                 const char *en_name, const char *zh, const char *en, ...);

#endif

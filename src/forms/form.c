/*
 * form.c: checking a record's or request's data against its form, and turning spreadsheet
 * cells into field values (for imports of years of Excel 台账).
 */
#include "core/common.h"

#include <math.h>

#include "core/clock.h"
#include "core/spec.h"
#include "core/util.h"
#include "files/files.h"
#include "forms/forms.h"
#include "forms/forms_int.h"

#define DATETIME_MIN (-2208988800LL) /* 1900-01-01T00:00:00Z */
#define DATETIME_MAX 253402300799LL  /* 9999-12-31T23:59:59Z */

/* A field's problem (core/spec.h): its path, why, what to tell the person naming the field
 * by its label (zh and en are formats whose %N is the label), and the English detail. */
static int field_bad(struct problem *p, const char *path, const struct field *fd,
                     const char *reason, const char *zh, const char *en, const char *detail)
{
	json_t *label = json_object_get(fd->def, "label");
	const char *zh_name = json_string_value(json_object_get(label, "zh-CN"));
	const char *en_name = json_string_value(json_object_get(label, "en"));
	int r = spec_problem(p, path, reason, zh_name ? zh_name : fd->id,
	                     en_name ? en_name : fd->id, zh, en);

	if (p)
		(void)snprintf(p->detail, sizeof(p->detail), "%s", detail);
	return r;
}

static int bad(struct problem *p, const char *prefix, const struct field *fd, const char *reason,
               const char *zh, const char *en, const char *msg)
{
	return field_bad(p, problem_path(p, "%s.%s", prefix, fd->id), fd, reason, zh, en, msg);
}

static int check_text(struct problem *p, const char *prefix, const struct field *fd, const char *s,
                      bool multiline)
{
	if (!utf8_valid(s, strlen(s), multiline))
		return bad(p, prefix, fd, "bad_format",
		           multiline ? "%N须为有效的文本" : "%N须为一行有效的文本",
		           multiline ? "%N must be valid text"
		                     : "%N must be valid text on one line",
		           multiline ? "not valid UTF-8 text" : "not valid UTF-8 text on one line");
	if (utf8_count(s) > fd->max_length) {
		char zh[80], en[80], detail[64];

		(void)snprintf(zh, sizeof(zh), "%%N不能超过 %zu 个字符", fd->max_length);
		(void)snprintf(en, sizeof(en), "%%N is longer than %zu characters", fd->max_length);
		(void)snprintf(detail, sizeof(detail), "longer than %zu characters",
		               fd->max_length);
		return bad(p, prefix, fd, "too_long", zh, en, detail);
	}
	return 0;
}

/* Checks one present, non-null value; *ret_norm is the value to store (new reference). */
static int check_value(struct store *st, const struct actor *a, const struct field *fd, json_t *v,
                       const char *prefix, json_t **ret_norm, bool *ret_flag, struct problem *p)
{
	const char *s = json_string_value(v);
	int32_t day;
	int64_t t;
	size_t i;
	json_t *e;
	char out[RFC3339_LEN];
	double x;
	bool multiline = json_is_true(json_object_get(fd->def, "multiline"));

	*ret_flag = false;
	switch (fd->type) {
	case FT_TEXT:
		if (!s)
			return bad(p, prefix, fd, "wrong_type", "%N应为文本", "%N must be text",
			           "must be text");
		if (check_text(p, prefix, fd, s, multiline) < 0)
			return -ERR_INVALID;
		break;
	case FT_ASSET:
		if (!s)
			return bad(p, prefix, fd, "wrong_type", "%N应为资产编号（文本）",
			           "%N must be an asset tag (text)", "must be an asset tag (text)");
		if (check_text(p, prefix, fd, s, false) < 0)
			return -ERR_INVALID;
		break;
	case FT_NUMBER:
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return bad(p, prefix, fd, "wrong_type", "%N应为数字", "%N must be a number",
			           "must be a number");
		x = json_number_value(v);
		if (fd->integer && (x != floor(x) || fabs(x) > 9007199254740991.0))
			return bad(p, prefix, fd, "wrong_type", "%N应为整数",
			           "%N must be a whole number", "must be a whole number");
		if ((fd->has_min && x < fd->min) || (fd->has_max && x > fd->max)) {
			char zh[96], en[96], detail[64];
			double lo = fd->has_min ? fd->min : -INFINITY,
			       hi = fd->has_max ? fd->max : INFINITY;

			if (fd->has_min && fd->has_max) {
				(void)snprintf(zh, sizeof(zh), "%%N应在 %g 到 %g 之间", lo, hi);
				(void)snprintf(en, sizeof(en), "%%N must be from %g to %g", lo, hi);
			} else if (fd->has_min) {
				(void)snprintf(zh, sizeof(zh), "%%N不能小于 %g", lo);
				(void)snprintf(en, sizeof(en), "%%N must be at least %g", lo);
			} else {
				(void)snprintf(zh, sizeof(zh), "%%N不能大于 %g", hi);
				(void)snprintf(en, sizeof(en), "%%N must be at most %g", hi);
			}
			(void)snprintf(detail, sizeof(detail), "must be from %g to %g", lo, hi);
			return bad(p, prefix, fd, "out_of_range", zh, en, detail);
		}
		*ret_flag = fd->has_normal && (x < fd->normal_min || x > fd->normal_max);
		break;
	case FT_DATE:
		if (!s || date_parse(s, &day) < 0)
			return bad(p, prefix, fd, "bad_format", "%N应为日期，例如 2026-11-21",
			           "%N must be a date such as 2026-11-21",
			           "must be a date YYYY-MM-DD");
		break;
	case FT_DATETIME:
		/* Years 1900-9999 in UTC, as dates: nothing stored differs from what was sent. */
		if (!s || time_parse_rfc3339(s, &t) < 0 || t < DATETIME_MIN || t > DATETIME_MAX)
			return bad(
			        p, prefix, fd, "bad_format",
			        "%N应为 1900 到 9999 年间的时间，例如 2026-11-21T09:30:00+08:00",
			        "%N must be a time from 1900 to 9999 such as 2026-11-21T09:30:00+08:00",
			        "must be a time in RFC 3339 from 1900 to 9999, e.g. "
			        "2026-11-21T09:30:00+08:00");
		time_format_rfc3339(t, out);
		*ret_norm = json_string(out);
		return 0;
	case FT_ENUM:
		if (fd->multiple) {
			if (!json_is_array(v))
				return bad(p, prefix, fd, "wrong_type", "%N应为选项的列表",
				           "%N must be a list of values",
				           "must be an array of values");
			json_array_foreach(v, i, e) {
				size_t j;

				if (!json_is_string(e) ||
				    !field_has_value(fd, json_string_value(e)))
					return field_bad(
					        p, problem_path(p, "%s.%s[%zu]", prefix, fd->id, i),
					        fd, "not_in_list", "%N的选项不在可选范围内",
					        "%N holds a value that is not one of its choices",
					        "not one of the allowed values");
				for (j = 0; j < i; j++)
					if (json_equal(json_array_get(v, j), e))
						return field_bad(p,
						                 problem_path(p, "%s.%s[%zu]",
						                              prefix, fd->id, i),
						                 fd, "bad_format", "%N的选项重复",
						                 "%N lists a value twice",
						                 "listed twice");
			}
		} else if (!s || !field_has_value(fd, s)) {
			return bad(p, prefix, fd, "not_in_list", "%N不在可选范围内",
			           "%N is not one of its choices", "not one of the allowed values");
		}
		break;
	case FT_USER:
	case FT_DEPARTMENT:
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return bad(p, prefix, fd, "wrong_type",
			           fd->type == FT_USER ? "%N应为人员" : "%N应为部门",
			           fd->type == FT_USER ? "%N must be a person"
			                               : "%N must be a department",
			           fd->type == FT_USER ? "must be a user id"
			                               : "must be a department id");
		if (forms_store_exists(st, fd->type == FT_USER ? "user" : "department",
		                       json_integer_value(v)) != 1)
			return bad(p, prefix, fd, "not_in_list",
			           fd->type == FT_USER ? "%N：没有这个人员" : "%N：没有这个部门",
			           fd->type == FT_USER ? "%N: no such person"
			                               : "%N: no such department",
			           fd->type == FT_USER ? "no such user" : "no such department");
		break;
	case FT_FILE:
		if (!s || strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64)
			return bad(p, prefix, fd, "bad_format", "%N应为已上传的文件",
			           "%N must be an uploaded file",
			           "must be the SHA-256 of an uploaded file");
		/* Only a file the actor may already read: an unknown hash and someone else's
		 * file answer alike (a hash is not a key to its content). */
		if (!file_may_read(st, a, s))
			return bad(p, prefix, fd, "not_in_list", "%N：没有这个文件，请先上传",
			           "%N: no such file, upload it first",
			           "no such file: upload it first");
		break;
	case FT_BOOL:
		if (!json_is_boolean(v))
			return bad(p, prefix, fd, "wrong_type", "%N应为是或否",
			           "%N must be true or false", "must be true or false");
		break;
	}
	*ret_norm = json_incref(v);
	return 0;
}

static bool empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0) ||
	       (json_is_array(v) && json_array_size(v) == 0);
}

int form_validate(struct store *st, const struct actor *a, const struct form *f, json_t *data,
                  const char *prefix, json_t **ret, json_t **ret_flags, struct problem *p)
{
	json_t *out, *flags, *v, *norm = NULL;
	const char *key;
	size_t i;
	bool flag;
	int r;

	if (!json_is_object(data))
		return problem_setf(p, ERR_INVALID, "invalid", prefix,
		                    "must be an object of fields");
	json_object_foreach(data, key, v) {
		if (!form_field(f, key))
			return problem_setf(p, ERR_INVALID, "invalid",
			                    problem_path(p, "%s.%.100s", prefix, key),
			                    "form \"%s\" has no such field", f->id);
	}
	out = json_object();
	flags = json_array();
	for (i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];

		v = json_object_get(data, fd->id);
		if (empty(v)) {
			if (fd->required) {
				r = bad(p, prefix, fd, "required", "请填写%N", "%N is required",
				        "required");
				goto fail;
			}
			continue;
		}
		r = check_value(st, a, fd, v, prefix, &norm, &flag, p);
		if (r < 0)
			goto fail;
		json_object_set_new(out, fd->id, norm);
		if (flag)
			json_array_append_new(flags, json_string(fd->id));
	}
	*ret = out;
	if (ret_flags)
		*ret_flags = flags;
	else
		json_decref(flags);
	return 0;
fail:
	json_decref(out);
	json_decref(flags);
	return r;
}

int form_link_files(struct store *st, const struct form *f, json_t *data, const char *kind,
                    int64_t id)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < f->nfields; i++) {
		json_t *v = json_object_get(data, f->fields[i].id);

		if (f->fields[i].type == FT_FILE && json_is_string(v))
			r = file_link(st, json_string_value(v), kind, id);
	}
	return r;
}

/* --- spreadsheet cells ----------------------------------------------------------------- */

static int cell_bad(struct problem *p, const char *msg)
{
	return problem_setf(p, ERR_INVALID, "invalid", NULL, "%s", msg);
}

/* An enum value from its id or its Chinese or English label. */
static const char *enum_lookup(const struct field *fd, const char *s)
{
	size_t i;
	json_t *e, *l;

	json_array_foreach(fd->values, i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));

		l = json_object_get(e, "label");
		if (strcmp(id, s) == 0 || strcmp(label_text(l, false), s) == 0 ||
		    strcasecmp(label_text(l, true), s) == 0)
			return id;
	}
	return NULL;
}

/* Trims ASCII and full-width (U+3000) spaces in place. */
static char *trim(char *s)
{
	char *e;

	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - s >= 3 && strncmp(e - 3, "\xe3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	*e = '\0';
	return s;
}

/* Splits a multi-value cell on , ， 、 ; ； and newlines. */
static json_t *split_values(const struct field *fd, char *s, struct problem *p, int *ret_r)
{
	static const char *const seps[] = { ",", "\xef\xbc\x8c", "\xe3\x80\x81",
		                            ";", "\xef\xbc\x9b", "\n",
		                            NULL };
	json_t *arr = json_array();
	char *part = s, *next;
	size_t i, n;

	*ret_r = 0;
	while (part && *part) {
		next = NULL;
		n = strlen(part);
		for (i = 0; seps[i]; i++) {
			char *q = strstr(part, seps[i]);

			if (q && (size_t)(q - part) < n) {
				n = (size_t)(q - part);
				next = q + strlen(seps[i]);
			}
		}
		part[n] = '\0';
		part = trim(part);
		if (*part) {
			const char *id = enum_lookup(fd, part);

			if (!id) {
				*ret_r = problem_setf(p, ERR_INVALID, "invalid", NULL,
				                      "\"%.60s\" is not one of the allowed values",
				                      part);
				json_decref(arr);
				return NULL;
			}
			json_array_append_new(arr, json_string(id));
		}
		part = next;
	}
	return arr;
}

static int cell_datetime(char *s, json_t **ret, struct problem *p)
{
	char buf[40], out[RFC3339_LEN];
	int64_t t;
	int n;

	if (time_parse_rfc3339(s, &t) == 0 && t >= DATETIME_MIN && t <= DATETIME_MAX)
		goto ok;
	/* "YYYY-MM-DD HH:MM[:SS]" or "YYYY/MM/DD HH:MM": the organization's local time
	 * (UTC+8, Asia/Shanghai) until the calendar module makes the time zone a setting. */
	n = (int)strlen(s);
	if (n < 16 || n > 19)
		return cell_bad(p, "not a time: use 2026-11-21 09:30 or RFC 3339");
	(void)snprintf(buf, sizeof(buf), "%.10sT%s%s+08:00", s, s + 11, n == 16 ? ":00" : "");
	buf[4] = buf[7] = '-';
	if (time_parse_rfc3339(buf, &t) < 0 || t < DATETIME_MIN || t > DATETIME_MAX)
		return cell_bad(p, "not a time: use 2026-11-21 09:30 or RFC 3339");
ok:
	time_format_rfc3339(t, out);
	*ret = json_string(out);
	return 0;
}

int form_cell_value(struct store *st, const struct field *fd, const char *cell, json_t **ret,
                    struct problem *p)
{
	char *copy = xstrdup(cell ? cell : ""), *s = trim(copy), *end;
	int32_t day;
	int64_t id;
	double x;
	int r = 0;

	*ret = NULL;
	if (!*s)
		goto out;
	switch (fd->type) {
	case FT_TEXT:
	case FT_ASSET:
		/* Undo the quote an export put before = + - @ (formula-injection guard). */
		*ret = json_string(s[0] == '\'' && strchr("=+-@\t\r", s[1]) && s[1] ? s + 1 : s);
		if (!*ret)
			r = cell_bad(p, "not valid UTF-8 text");
		break;
	case FT_NUMBER:
		errno = 0;
		x = strtod(s, &end);
		if (errno || *end || !isfinite(x))
			r = cell_bad(p, "not a number");
		else
			*ret = fd->integer && x == floor(x) && fabs(x) < 9e15
			               ? json_integer((json_int_t)x)
			               : json_real(x);
		break;
	case FT_DATE:
		if (strlen(s) >= 10 && (s[4] == '/' || s[4] == '.'))
			s[4] = '-';
		if (strlen(s) >= 10 && (s[7] == '/' || s[7] == '.'))
			s[7] = '-';
		if (strlen(s) > 10 && (s[10] == 'T' || s[10] == ' '))
			s[10] = '\0';
		if (date_parse(s, &day) < 0)
			r = cell_bad(p, "not a date: use 2026-11-21");
		else
			*ret = json_string(s);
		break;
	case FT_DATETIME:
		r = cell_datetime(s, ret, p);
		break;
	case FT_ENUM:
		if (fd->multiple) {
			*ret = split_values(fd, s, p, &r);
		} else {
			const char *v = enum_lookup(fd, s);

			if (v)
				*ret = json_string(v);
			else
				r = problem_setf(p, ERR_INVALID, "invalid", NULL,
				                 "\"%.60s\" is not one of the allowed values", s);
		}
		break;
	case FT_USER:
	case FT_DEPARTMENT:
		r = forms_store_lookup(st, fd->type == FT_USER ? "user" : "department", s, &id);
		if (r == 0)
			*ret = json_integer(id);
		else if (r == -ERR_CONFLICT)
			r = problem_setf(
			        p, ERR_INVALID, "invalid", NULL,
			        "\"%.60s\" names more than one %s: use the login name or id", s,
			        fd->type == FT_USER ? "person" : "department");
		else
			r = problem_setf(p, ERR_INVALID, "invalid", NULL, "no %s \"%.60s\"",
			                 fd->type == FT_USER ? "person" : "department", s);
		break;
	case FT_FILE:
		*ret = json_string(s);
		break;
	case FT_BOOL:
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 ||
		    strcmp(s, "1") == 0 || strcmp(s, "是") == 0 || strcmp(s, "√") == 0 ||
		    strcmp(s, "✓") == 0)
			*ret = json_true();
		else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
		         strcmp(s, "0") == 0 || strcmp(s, "否") == 0 || strcmp(s, "×") == 0)
			*ret = json_false();
		else
			r = cell_bad(p, "not yes/no (是/否)");
		break;
	}
out:
	free(copy);
	return r;
}

/*
 * spec.c: checking a JSON object against a declarative spec (spec.h).
 */
#include "core/common.h"
#include "core/spec.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/util.h"

static const char *const type_zh[] = {
	[SPEC_TEXT] = "文本",   [SPEC_INT] = "整数",    [SPEC_ID] = "编号（正整数）",
	[SPEC_NUMBER] = "数字", [SPEC_BOOL] = "是或否", [SPEC_TIME] = "时间",
	[SPEC_DATE] = "日期",   [SPEC_OBJECT] = "对象", [SPEC_ARRAY] = "列表",
	[SPEC_ANY] = "值",
};
static const char *const type_en[] = {
	[SPEC_TEXT] = "text",
	[SPEC_INT] = "a whole number",
	[SPEC_ID] = "an id (a positive whole number)",
	[SPEC_NUMBER] = "a number",
	[SPEC_BOOL] = "true or false",
	[SPEC_TIME] = "a time",
	[SPEC_DATE] = "a date",
	[SPEC_OBJECT] = "an object",
	[SPEC_ARRAY] = "a list",
	[SPEC_ANY] = "a value",
};

/* Formats one message, replacing the first "%N" by the field's name. */
static void message(char *out, size_t n, const char *name, const char *fmt, va_list ap)
{
	char body[PROBLEM_MSG_MAX];
	const char *at = strstr(fmt, "%N");
	char head[PROBLEM_MSG_MAX];
	size_t k;

	if (!at) {
		(void)vsnprintf(out, n, fmt, ap);
		return;
	}
	k = (size_t)(at - fmt);
	if (k >= sizeof(head))
		k = sizeof(head) - 1;
	memcpy(head, fmt, k);
	head[k] = '\0';
	/* The part after %N carries the printf arguments. */
	(void)vsnprintf(body, sizeof(body), at + 2, ap);
	if (snprintf(out, n, "%s%s%s", head, name, body) >= (int)n)
		out[n - 1] = '\0'; /* cut at the buffer's end */
}

int spec_problem(struct problem *p, const char *path, const char *reason, const char *zh_name,
                 const char *en_name, const char *zh, const char *en, ...)
{
	va_list ap;
	int r = problem_set(p, ERR_INVALID,
	                    STREQ(reason, "unknown_field") ? "unknown_field" : "invalid", NULL);

	if (!p)
		return r;
	if (path && path == p->path)
		p->field = p->path; /* made with problem_path already */
	else
		p->field = path && *path ? problem_path(p, "%s", path) : NULL;
	p->reason = reason;
	va_start(ap, en);
	message(p->msg_zh, sizeof(p->msg_zh), zh_name, zh, ap);
	va_end(ap);
	va_start(ap, en);
	message(p->msg_en, sizeof(p->msg_en), en_name, en, ap);
	va_end(ap);
	(void)snprintf(p->detail, sizeof(p->detail), "%.199s", p->msg_en);
	return r;
}

int spec_fail(struct problem *p, const char *field, const char *reason, const char *zh,
              const char *en)
{
	return spec_problem(p, field, reason, "", "", "%s", "%s", zh, en);
}

struct where {
	char path[PROBLEM_PATH_MAX];
	const char *zh, *en; /* the field's names */
};

static void where_of(struct where *w, const char *prefix, const struct spec_field *f,
                     const char *key, long index)
{
	int k;

	/* A path longer than the buffer is cut (problem_path's buffer is no longer). */
	if (index >= 0)
		k = snprintf(w->path, sizeof(w->path), "%s[%ld]", prefix, index);
	else
		k = snprintf(w->path, sizeof(w->path), "%s%s%s", prefix, *prefix && key ? "." : "",
		             key ? key : "");
	if (k < 0)
		w->path[0] = '\0';
	w->zh = f && f->zh ? f->zh : (key ? key : prefix);
	w->en = f && f->en ? f->en : (key ? key : prefix);
}

static int check_value(const struct spec_field *f, json_t *v, const struct where *w,
                       struct problem *p);

static int check_text(const struct spec_field *f, const char *s, size_t len, const struct where *w,
                      struct problem *p)
{
	size_t n, i;

	if (strlen(s) != len || !utf8_valid(s, len, (f->flags & SPEC_MULTILINE) != 0))
		return spec_problem(
		        p, w->path, "bad_format", w->zh, w->en,
		        (f->flags & SPEC_MULTILINE) ? "%N须为有效的文本" : "%N须为一行有效的文本",
		        (f->flags & SPEC_MULTILINE) ? "%N must be valid text"
		                                    : "%N must be valid text on one line");
	n = utf8_count(s);
	if (f->max_len && n > f->max_len)
		return spec_problem(p, w->path, "too_long", w->zh, w->en, "%N不能超过 %zu 个字符",
		                    "%N is longer than %zu characters", f->max_len, f->max_len);
	if (n < f->min_len)
		return spec_problem(p, w->path, "too_short", w->zh, w->en, "%N至少需要 %zu 个字符",
		                    "%N needs at least %zu characters", f->min_len, f->min_len);
	if (f->one_of) {
		char zh[160] = "", en[160] = "";
		size_t used = 0;

		for (i = 0; f->one_of[i]; i++)
			if (STREQ(f->one_of[i], s))
				return 0;
		for (i = 0; f->one_of[i] && used + 2 < sizeof(en); i++) {
			int k = snprintf(en + used, sizeof(en) - used, "%s%s", i ? ", " : "",
			                 f->one_of[i]);

			if (k < 0)
				break;
			used += (size_t)k;
		}
		if (used >= sizeof(en))
			used = sizeof(en) - 1;
		memcpy(zh, en, used + 1);
		return spec_problem(p, w->path, "not_in_list", w->zh, w->en, "%N只能是：%s",
		                    "%N must be one of: %s", zh, en);
	}
	if (f->pattern) {
		regex_t re;
		bool ok;

		if (regcomp(&re, f->pattern, REG_EXTENDED | REG_NOSUB) != 0)
			return problem_setf(p, ERR_INTERNAL, "internal", NULL, "bad pattern");
		ok = regexec(&re, s, 0, NULL, 0) == 0;
		regfree(&re);
		if (!ok)
			return spec_problem(p, w->path, "bad_format", w->zh, w->en,
			                    "%N的格式不正确", "%N is not in the expected form");
	}
	return 0;
}

static int check_number(const struct spec_field *f, double x, const struct where *w,
                        struct problem *p)
{
	if ((f->flags & SPEC_RANGE) && (x < f->min || x > f->max))
		return spec_problem(p, w->path, "out_of_range", w->zh, w->en,
		                    "%N应在 %g 到 %g 之间", "%N must be from %g to %g", f->min,
		                    f->max, f->min, f->max);
	return 0;
}

static int check_value(const struct spec_field *f, json_t *v, const struct where *w,
                       struct problem *p)
{
	const char *s = json_string_value(v);
	int64_t t;
	int32_t day;
	size_t i;
	json_t *e;

	switch (f->type) {
	case SPEC_TEXT:
		if (!s)
			break;
		return check_text(f, s, json_string_length(v), w, p);
	case SPEC_INT:
	case SPEC_ID:
		if (!json_is_integer(v) || (f->type == SPEC_ID && json_integer_value(v) <= 0))
			break;
		return check_number(f, (double)json_integer_value(v), w, p);
	case SPEC_NUMBER:
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			break;
		return check_number(f, json_number_value(v), w, p);
	case SPEC_BOOL:
		if (json_is_boolean(v))
			return 0;
		break;
	case SPEC_TIME:
		if (!s)
			break;
		if (time_parse_rfc3339(s, &t) < 0)
			return spec_problem(p, w->path, "bad_format", w->zh, w->en,
			                    "%N应为时间，例如 2026-11-21T09:30:00+08:00",
			                    "%N must be a time such as 2026-11-21T09:30:00+08:00");
		return 0;
	case SPEC_DATE:
		if (!s)
			break;
		if (date_parse(s, &day) < 0)
			return spec_problem(p, w->path, "bad_format", w->zh, w->en,
			                    "%N应为日期，例如 2026-11-21",
			                    "%N must be a date such as 2026-11-21");
		return 0;
	case SPEC_OBJECT:
		if (!json_is_object(v))
			break;
		return f->fields ? spec_check(f->fields, v, w->path, p) : 0;
	case SPEC_ARRAY:
		if (!json_is_array(v))
			break;
		if (f->max_len && json_array_size(v) > f->max_len)
			return spec_problem(p, w->path, "too_long", w->zh, w->en, "%N最多 %zu 项",
			                    "%N holds at most %zu items", f->max_len, f->max_len);
		if (json_array_size(v) < f->min_len)
			return spec_problem(p, w->path, "too_short", w->zh, w->en,
			                    "%N至少需要 %zu 项", "%N needs at least %zu items",
			                    f->min_len, f->min_len);
		json_array_foreach(f->items ? v : NULL, i, e) {
			struct where iw;
			int r;

			where_of(&iw, w->path, NULL, NULL, (long)i);
			iw.zh = w->zh;
			iw.en = w->en;
			if (json_is_null(e)) {
				r = spec_problem(p, iw.path, "wrong_type", iw.zh, iw.en,
				                 "%N的每一项都须有值",
				                 "every item of %N needs a value");
				return r;
			}
			r = check_value(f->items, e, &iw, p);
			if (r < 0)
				return r;
		}
		return 0;
	case SPEC_ANY:
		return 0;
	}
	{
		char zh[64], en[64];

		(void)snprintf(zh, sizeof(zh), "%%N应为%s", type_zh[f->type]);
		(void)snprintf(en, sizeof(en), "%%N must be %s", type_en[f->type]);
		return spec_problem(p, w->path, "wrong_type", w->zh, w->en, zh, en);
	}
}

static bool blank(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

int spec_check(const struct spec *s, json_t *o, const char *prefix, struct problem *p)
{
	const struct spec_field *f;
	const char *key;
	json_t *v;
	int r;

	if (!json_is_object(o)) {
		struct where w;

		where_of(&w, prefix, NULL, NULL, -1);
		(void)snprintf(w.path, sizeof(w.path), "%s", prefix);
		return spec_problem(p, w.path, "wrong_type", *prefix ? prefix : "请求内容",
		                    *prefix ? prefix : "the body", "%N应为对象",
		                    "%N must be an object");
	}
	if (!s->open)
		json_object_foreach(o, key, v) {
			for (f = s->fields; f->name; f++)
				if (STREQ(f->name, key))
					break;
			if (!f->name)
				/* Named in the message, not as the field: the key is not one of
				 * the body's fields. */
				return spec_problem(p, NULL, "unknown_field", key, key,
				                    "不接受字段“%N”", "'%N' is not accepted here");
		}
	for (f = s->fields; f->name; f++) {
		struct where w;

		v = json_object_get(o, f->name);
		where_of(&w, prefix, f, f->name, -1);
		if (json_is_null(v) && (f->flags & SPEC_NULLABLE) && !(f->flags & SPEC_REQUIRED))
			continue;
		if ((f->flags & SPEC_REQUIRED) && blank(v))
			return spec_problem(p, w.path, "required", w.zh, w.en, "请填写%N",
			                    "%N is required");
		if (!v)
			continue;
		if (json_is_null(v))
			return spec_problem(p, w.path, "wrong_type", w.zh, w.en, "%N不能为空值",
			                    "%N cannot be null");
		r = check_value(f, v, &w, p);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * pack.c: loading, merging and validating the policy pack. Every problem is reported (not
 * only the first) as "FILE: PATH: PROBLEM", so `isms policy check` tells an administrator
 * exactly what to fix.
 */
#include "core/common.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <sys/types.h>

#include "core/actor.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/util.h"
#include "forms/pack.h"

#define ID_MAX        48
#define PACK_FILE_MAX (4u << 20)

static const char *const kinds[] = { "roles",         "forms",     "registers", "requests",
	                             "notifications", "deadlines", "duties",    "backup_jobs" };
enum {
	K_ROLES,
	K_FORMS,
	K_REGISTERS,
	K_REQUESTS,
	K_NOTIFICATIONS,
	K_DEADLINES,
	K_DUTIES,
	K_BACKUP_JOBS,
	K_COUNT
};

/* The sections the modules add (pack_section_register): their kinds follow K_COUNT. */
#define SECTIONS_MAX 16
#define K_MAX        (K_COUNT + SECTIONS_MAX)

static const struct pack_section *sections[SECTIONS_MAX];
static size_t nsections;

int pack_section_register(const struct pack_section *s)
{
	size_t i;

	for (i = 0; i < K_COUNT; i++)
		if (strcmp(kinds[i], s->kind) == 0)
			return -1;
	for (i = 0; i < nsections; i++)
		if (sections[i] == s)
			return 0;
		else if (strcmp(sections[i]->kind, s->kind) == 0)
			return -1;
	if (nsections >= SECTIONS_MAX)
		return -1;
	sections[nsections++] = s;
	return 0;
}

static const char *kind_name(int k)
{
	return k < K_COUNT ? kinds[k] : sections[k - K_COUNT]->kind;
}

static int kind_count(void)
{
	return K_COUNT + (int)nsections;
}

/* A request's statuses (workflow.c), which a deadline's until/pause may name. */
static const char *const request_statuses[] = { "pending",   "returned",  "approved", "rejected",
	                                        "withdrawn", "completed", NULL };

static const char *const type_names[] = {
	[FT_TEXT] = "text",
	[FT_NUMBER] = "number",
	[FT_DATE] = "date",
	[FT_DATETIME] = "datetime",
	[FT_ENUM] = "enum",
	[FT_USER] = "user",
	[FT_DEPARTMENT] = "department",
	[FT_ASSET] = "asset",
	[FT_FILE] = "file",
	[FT_BOOL] = "bool",
};

static const char *const action_names[] = {
	[ACT_NONE] = "none",
	[ACT_CREATE_ACCOUNT] = "create_account",
	[ACT_CHANGE_PERMISSIONS] = "change_permissions",
	[ACT_DEPARTURE] = "departure",
	[ACT_VENDOR_ACCOUNT] = "vendor_account",
	[ACT_ADMIN_ACCOUNT] = "admin_account",
	[ACT_DATA_CLEANUP] = "data_cleanup",
};

/* The form fields each action reads, with their types (docs/policy-pack.md). */
static const struct action_need {
	enum action action;
	const char *field;
	enum field_type type;
	bool multiple;
} action_needs[] = {
	{ ACT_CREATE_ACCOUNT, "username", FT_TEXT, false },
	{ ACT_CREATE_ACCOUNT, "display_name", FT_TEXT, false },
	{ ACT_CREATE_ACCOUNT, "department", FT_DEPARTMENT, false },
	{ ACT_CREATE_ACCOUNT, "systems", FT_ENUM, true },
	{ ACT_CHANGE_PERMISSIONS, "subject", FT_USER, false },
	{ ACT_CHANGE_PERMISSIONS, "grant", FT_ENUM, true },
	{ ACT_CHANGE_PERMISSIONS, "revoke", FT_ENUM, true },
	{ ACT_DEPARTURE, "subject", FT_USER, false },
	{ ACT_DEPARTURE, "effective_at", FT_DATETIME, false },
	{ ACT_VENDOR_ACCOUNT, "username", FT_TEXT, false },
	{ ACT_VENDOR_ACCOUNT, "display_name", FT_TEXT, false },
	{ ACT_VENDOR_ACCOUNT, "expires_at", FT_DATETIME, false },
	{ ACT_ADMIN_ACCOUNT, "subject", FT_USER, false },
	{ ACT_ADMIN_ACCOUNT, "admin_role", FT_ENUM, false },
	{ ACT_DATA_CLEANUP, "system", FT_TEXT, false },
};

const char *field_type_name(enum field_type t)
{
	return (unsigned)t < ARRAY_SIZE(type_names) ? type_names[t] : "?";
}

const char *action_name(enum action a)
{
	return (unsigned)a < ARRAY_SIZE(action_names) ? action_names[a] : "?";
}

/* --- loading and merging ------------------------------------------------------------ */

/* Where a merged item came from, for error messages. */
struct origin {
	char *file;
	size_t index;
};

struct loader {
	json_t *errors;
	json_t *items[K_MAX];       /* merged arrays */
	struct origin *orig[K_MAX]; /* parallel to items */
	size_t norig[K_MAX];
};

static void perr(struct loader *L, const char *file, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void perr(struct loader *L, const char *file, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(L->errors, json_sprintf("%s: %s: %s", file, path, msg));
}

static bool id_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > ID_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool id_valid_for(const char *s, bool dots)
{
	char copy[ID_MAX + 1];
	size_t i, n = strlen(s);

	if (!dots || n > ID_MAX)
		return id_valid(s);
	memcpy(copy, s, n + 1);
	for (i = 1; i < n; i++)
		if (copy[i] == '.' && copy[i - 1] != '.' && i + 1 < n)
			copy[i] = '_';
	return id_valid(copy);
}

static ssize_t find_id(json_t *arr, const char *id)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return (ssize_t)i;
	}
	return -1;
}

/* Merges one file's items of kind k. */
static void merge_kind(struct loader *L, const char *file, int k, json_t *arr)
{
	json_t *seen = json_object(), *e, *id;
	char path[64];
	size_t i;
	ssize_t at;

	if (!json_is_array(arr)) {
		perr(L, file, kind_name(k), "must be an array");
		json_decref(seen);
		return;
	}
	json_array_foreach(arr, i, e) {
		(void)snprintf(path, sizeof(path), "%s[%zu]", kind_name(k), i);
		id = json_object_get(e, "id");
		if (!json_is_object(e)) {
			perr(L, file, path, "must be an object");
			continue;
		}
		/* A notification template is named by its notification kind ("request.waiting"). */
		if (!json_is_string(id) ||
		    !id_valid_for(json_string_value(id), k == K_NOTIFICATIONS)) {
			perr(L, file, path,
			     "\"id\" must be 1-%d characters of a-z, 0-9 and _%s, starting with a letter",
			     ID_MAX, k == K_NOTIFICATIONS ? " and ." : "");
			continue;
		}
		if (json_object_get(seen, json_string_value(id))) {
			perr(L, file, path, "duplicate id \"%s\" in this file",
			     json_string_value(id));
			continue;
		}
		json_object_set_new(seen, json_string_value(id), json_true());
		at = find_id(L->items[k], json_string_value(id));
		if (json_is_true(json_object_get(e, "remove"))) {
			if (at < 0) {
				perr(L, file, path, "removes \"%s\", which no earlier file defines",
				     json_string_value(id));
				continue;
			}
			json_array_remove(L->items[k], (size_t)at);
			free(L->orig[k][at].file);
			memmove(&L->orig[k][at], &L->orig[k][at + 1],
			        (L->norig[k] - (size_t)at - 1) * sizeof(struct origin));
			L->norig[k]--;
			continue;
		}
		if (at >= 0) {
			json_array_set(L->items[k], (size_t)at, e);
			free(L->orig[k][at].file);
		} else {
			json_array_append(L->items[k], e);
			L->orig[k] =
			        xrealloc(L->orig[k], (L->norig[k] + 1) * sizeof(struct origin));
			at = (ssize_t)L->norig[k]++;
		}
		L->orig[k][at].file = xstrdup(file);
		L->orig[k][at].index = i;
	}
	json_decref(seen);
}

static void merge_text(struct loader *L, const char *file, const char *text, size_t len)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *v;
	const char *key;
	int k;

	if (!root) {
		perr(L, file, "(file)", "not valid JSON at line %d, column %d: %s", je.line,
		     je.column, je.text);
		return;
	}
	if (!json_is_object(root)) {
		perr(L, file, "(file)",
		     "must be a JSON object of sections (\"forms\", \"registers\", \"requests\", "
		     "\"notifications\", …)");
		json_decref(root);
		return;
	}
	json_object_foreach(root, key, v) {
		for (k = 0; k < kind_count(); k++)
			if (strcmp(key, kind_name(k)) == 0)
				break;
		if (k == kind_count()) {
			char known[400] = "";
			size_t used = 0;
			int j;

			for (j = 0; j < kind_count() && used < sizeof(known); j++) {
				int n = snprintf(known + used, sizeof(known) - used, "%s%s",
				                 j ? ", " : "", kind_name(j));

				if (n < 0)
					break;
				used += (size_t)n;
			}
			perr(L, file, key, "unknown key (expected %s)", known);
			continue;
		}
		merge_kind(L, file, k, v);
	}
	json_decref(root);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void merge_dir(struct loader *L, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, i, len;
	struct buf b;

	if (!d) {
		if (errno != ENOENT)
			perr(L, dir, "(folder)", "cannot read: %s", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		buf_init(&b, PACK_FILE_MAX + 1);
		if (fs_read(path, PACK_FILE_MAX, &b) < 0)
			perr(L, path, "(file)", "cannot read (or larger than %u bytes)",
			     PACK_FILE_MAX);
		else
			merge_text(L, path, b.data, b.len);
		buf_release(&b);
		free(names[i]);
	}
	free(names);
}

/* --- validation ----------------------------------------------------------------------- */

/* A JSON path into a fixed buffer; a path too deep to fit is cut (only messages use it). */
static void path_fmt(char *dst, size_t n, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void path_fmt(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(dst, n, fmt, ap);
	va_end(ap);
}

struct ctx {
	struct loader *L;
	const char *file;
	char path[256];
};

static void cerr(struct ctx *c, const char *sub, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void cerr(struct ctx *c, const char *sub, const char *fmt, ...)
{
	char msg[400], path[400];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)snprintf(path, sizeof(path), "%s%s%s", c->path, sub && *sub ? "." : "",
	               sub ? sub : "");
	perr(c->L, c->file, path, "%s", msg);
}

/* Refuses keys not in allowed (typos are silent failures otherwise). */
static void check_keys(struct ctx *c, json_t *o, const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(o, key, v) {
		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (!allowed[i])
			cerr(c, key, "unknown key");
	}
}

static bool text_ok(json_t *v, size_t max)
{
	const char *s = json_string_value(v);

	return s && *s && strlen(s) <= max && utf8_valid(s, strlen(s), true);
}

/* A label-like object: both zh-CN and en, non-empty. */
static void check_label(struct ctx *c, json_t *o, const char *key, bool required)
{
	json_t *l = json_object_get(o, key);
	char sub[64];

	if (!l) {
		if (required)
			cerr(c, key, "missing (an object with \"zh-CN\" and \"en\" texts)");
		return;
	}
	if (!json_is_object(l)) {
		cerr(c, key, "must be an object with \"zh-CN\" and \"en\" texts");
		return;
	}
	if (!text_ok(json_object_get(l, "zh-CN"), 2000)) {
		(void)snprintf(sub, sizeof(sub), "%s.zh-CN", key);
		cerr(c, sub, "missing or empty Chinese text");
	}
	if (!text_ok(json_object_get(l, "en"), 2000)) {
		(void)snprintf(sub, sizeof(sub), "%s.en", key);
		cerr(c, sub, "missing or empty English text");
	}
	{
		const char *k;
		json_t *v;

		json_object_foreach(l, k, v) {
			if (strcmp(k, "zh-CN") != 0 && strcmp(k, "en") != 0) {
				(void)snprintf(sub, sizeof(sub), "%s.%.40s", key, k);
				cerr(c, sub, "unknown language (only \"zh-CN\" and \"en\")");
			}
		}
	}
}

/* --- the modules' sections (pack.h) --------------------------------------------------- */

struct pack_check {
	struct ctx c;
};

void pack_problem(struct pack_check *pc, const char *key, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cerr(&pc->c, key, "%s", msg);
}

void pack_check_keys(struct pack_check *pc, json_t *o, const char *const *allowed)
{
	check_keys(&pc->c, o, allowed);
}

void pack_check_label(struct pack_check *pc, json_t *o, const char *key, bool required)
{
	check_label(&pc->c, o, key, required);
}

json_t *pack_items(const struct pack *pk, const char *kind)
{
	return json_object_get(pk->root, kind);
}

static void check_bool(struct ctx *c, json_t *o, const char *key, bool *ret)
{
	json_t *v = json_object_get(o, key);

	*ret = false;
	if (!v)
		return;
	if (!json_is_boolean(v))
		cerr(c, key, "must be true or false");
	*ret = json_is_true(v);
}

static bool check_number(struct ctx *c, json_t *o, const char *key, double *ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return false;
	if (!json_is_number(v) || !isfinite(json_number_value(v))) {
		cerr(c, key, "must be a number");
		return false;
	}
	*ret = json_number_value(v);
	return true;
}

static void compile_field(struct ctx *c, json_t *def, struct field *f, json_t *seen)
{
	static const char *const allowed[] = { "id",         "type",      "label",       "help",
		                               "required",   "multiple",  "integer",     "min",
		                               "max",        "normal",    "unit",        "values",
		                               "max_length", "multiline", "placeholder", NULL };
	json_t *v, *e, *vseen;
	const char *t;
	size_t i;
	unsigned k;
	bool ml;

	memset(f, 0, sizeof(*f));
	f->def = def;
	if (!json_is_object(def)) {
		cerr(c, NULL, "must be an object");
		return;
	}
	check_keys(c, def, allowed);
	v = json_object_get(def, "id");
	if (!json_is_string(v) || !id_valid(json_string_value(v))) {
		cerr(c, "id", "must be 1-%d characters of a-z, 0-9 and _, starting with a letter",
		     ID_MAX);
		f->id = "";
	} else {
		f->id = json_string_value(v);
		if (json_object_get(seen, f->id))
			cerr(c, "id", "duplicate field id \"%s\"", f->id);
		json_object_set_new(seen, f->id, json_true());
	}
	check_label(c, def, "label", true);
	check_label(c, def, "help", false);
	check_label(c, def, "placeholder", false);
	t = json_string_value(json_object_get(def, "type"));
	for (k = 0; k < ARRAY_SIZE(type_names); k++)
		if (t && strcmp(t, type_names[k]) == 0)
			break;
	if (k == ARRAY_SIZE(type_names)) {
		cerr(c, "type",
		     t ? "unknown field type \"%s\" (text, number, date, datetime, enum, user, "
		         "department, asset, file, bool)"
		       : "missing%s (text, number, date, datetime, enum, user, department, asset, "
		         "file, bool)",
		     t ? t : "");
		k = FT_TEXT;
	}
	f->type = (enum field_type)k;
	check_bool(c, def, "required", &f->required);
	check_bool(c, def, "multiple", &f->multiple);
	check_bool(c, def, "integer", &f->integer);
	check_bool(c, def, "multiline", &ml);
	if (f->multiple && f->type != FT_ENUM)
		cerr(c, "multiple", "only enum fields take several values");
	if ((json_object_get(def, "integer") || json_object_get(def, "min") ||
	     json_object_get(def, "max") || json_object_get(def, "normal") ||
	     json_object_get(def, "unit")) &&
	    f->type != FT_NUMBER)
		cerr(c, NULL, "min, max, normal, integer and unit apply to number fields only");
	f->has_min = check_number(c, def, "min", &f->min);
	f->has_max = check_number(c, def, "max", &f->max);
	if (f->has_min && f->has_max && f->min > f->max)
		cerr(c, "min", "is greater than max");
	v = json_object_get(def, "normal");
	if (v) {
		struct ctx sub = *c;

		path_fmt(sub.path, sizeof(sub.path), "%s.normal", c->path);
		if (!json_is_object(v)) {
			cerr(c, "normal", "must be an object {\"min\", \"max\"}");
		} else {
			static const char *const nk[] = { "min", "max", NULL };
			bool a = check_number(&sub, v, "min", &f->normal_min);
			bool b = check_number(&sub, v, "max", &f->normal_max);

			check_keys(&sub, v, nk);
			if (!a || !b)
				cerr(c, "normal", "needs both min and max");
			else if (f->normal_min > f->normal_max)
				cerr(c, "normal", "min is greater than max");
			f->has_normal = a && b;
		}
	}
	if (json_object_get(def, "unit") && !text_ok(json_object_get(def, "unit"), 32))
		cerr(c, "unit", "must be a short text");
	f->max_length = f->type == FT_ASSET ? ASSET_TAG_MAX : TEXT_MAX_DEFAULT;
	v = json_object_get(def, "max_length");
	if (v) {
		if (f->type != FT_TEXT)
			cerr(c, "max_length", "applies to text fields only");
		else if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		         json_integer_value(v) > TEXT_MAX_LIMIT)
			cerr(c, "max_length", "must be an integer from 1 to %d", TEXT_MAX_LIMIT);
		else
			f->max_length = (size_t)json_integer_value(v);
	}
	v = json_object_get(def, "values");
	if (f->type != FT_ENUM) {
		if (v)
			cerr(c, "values", "applies to enum fields only");
		return;
	}
	if (!json_is_array(v) || json_array_size(v) == 0) {
		cerr(c, "values", "an enum field needs a non-empty array of {\"id\", \"label\"}");
		return;
	}
	f->values = v;
	vseen = json_object();
	json_array_foreach(v, i, e) {
		static const char *const vk[] = { "id", "label", NULL };
		struct ctx sub = *c;
		const char *id = json_string_value(json_object_get(e, "id"));

		path_fmt(sub.path, sizeof(sub.path), "%s.values[%zu]", c->path, i);
		if (!json_is_object(e)) {
			cerr(&sub, NULL, "must be an object {\"id\", \"label\"}");
			continue;
		}
		check_keys(&sub, e, vk);
		if (!id || !*id || strlen(id) > ID_MAX || !utf8_valid(id, strlen(id), false))
			cerr(&sub, "id", "must be a non-empty text of at most %d bytes", ID_MAX);
		else if (json_object_get(vseen, id))
			cerr(&sub, "id", "duplicate value \"%s\"", id);
		else
			json_object_set_new(vseen, id, json_true());
		check_label(&sub, e, "label", true);
	}
	json_decref(vseen);
}

static void compile_form(struct ctx *c, json_t *def, struct form *f)
{
	static const char *const allowed[] = { "id",     "label",  "description", "help",
		                               "source", "fields", NULL };
	json_t *fields = json_object_get(def, "fields"), *e, *seen;
	size_t i;

	f->id = json_string_value(json_object_get(def, "id"));
	f->def = def;
	check_keys(c, def, allowed);
	check_label(c, def, "label", true);
	check_label(c, def, "description", false);
	check_label(c, def, "help", false);
	if (json_object_get(def, "source") && !text_ok(json_object_get(def, "source"), 200))
		cerr(c, "source", "must be a short text");
	if (!json_is_array(fields) || json_array_size(fields) == 0) {
		cerr(c, "fields", "a form needs a non-empty array of fields");
		return;
	}
	f->nfields = json_array_size(fields);
	f->fields = xcalloc(f->nfields, sizeof(*f->fields));
	seen = json_object();
	json_array_foreach(fields, i, e) {
		struct ctx sub = *c;

		path_fmt(sub.path, sizeof(sub.path), "%s.fields[%zu]", c->path, i);
		compile_field(&sub, e, &f->fields[i], seen);
	}
	json_decref(seen);
}

const struct field *form_field(const struct form *f, const char *id)
{
	size_t i;

	for (i = 0; f && i < f->nfields; i++)
		if (strcmp(f->fields[i].id, id) == 0)
			return &f->fields[i];
	return NULL;
}

static unsigned check_roles(struct ctx *c, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key), *e;
	unsigned roles = 0, bit;
	char sub[64];
	size_t i;

	if (!v)
		return 0;
	if (!json_is_array(v)) {
		cerr(c, key, "must be an array of role names");
		return 0;
	}
	json_array_foreach(v, i, e) {
		bit = json_is_string(e) ? role_from_name(json_string_value(e)) : 0;
		(void)snprintf(sub, sizeof(sub), "%s[%zu]", key, i);
		if (!bit)
			cerr(c, sub, "unknown role \"%s\"",
			     json_is_string(e) ? json_string_value(e) : "(not text)");
		roles |= bit;
	}
	return roles;
}

static const struct field *ref_field(struct ctx *c, const struct form *f, json_t *o,
                                     const char *key, enum field_type type)
{
	const char *id = json_string_value(json_object_get(o, key));
	const struct field *fd;

	if (!json_object_get(o, key))
		return NULL;
	fd = id ? form_field(f, id) : NULL;
	if (!fd) {
		cerr(c, key, "names no field of form \"%s\"", f ? f->id : "?");
		return NULL;
	}
	if (fd->type != type) {
		cerr(c, key, "field \"%s\" must be of type %s", id, type_names[type]);
		return NULL;
	}
	return fd;
}

static void compile_reg(struct ctx *c, const struct pack *pk, json_t *def, struct reg *g)
{
	static const char *const allowed[] = { "id",       "label",       "description",
		                               "help",     "source",      "form",
		                               "writers",  "readers",     "columns",
		                               "statuses", "owner_field", "department_field",
		                               NULL };
	const char *form = json_string_value(json_object_get(def, "form"));
	json_t *v, *e, *seen;
	size_t i, j, n;

	g->id = json_string_value(json_object_get(def, "id"));
	g->def = def;
	check_keys(c, def, allowed);
	check_label(c, def, "label", true);
	check_label(c, def, "description", false);
	check_label(c, def, "help", false);
	g->form = form ? pack_form(pk, form) : NULL;
	if (!g->form) {
		cerr(c, "form", form ? "unknown form \"%s\"" : "missing%s", form ? form : "");
		return;
	}
	g->writers = check_roles(c, def, "writers");
	g->readers = check_roles(c, def, "readers");
	g->owner_field = ref_field(c, g->form, def, "owner_field", FT_USER);
	g->department_field = ref_field(c, g->form, def, "department_field", FT_DEPARTMENT);
	v = json_object_get(def, "statuses");
	if (v) {
		if (!json_is_array(v) || json_array_size(v) == 0)
			cerr(c, "statuses", "must be a non-empty array of {\"id\", \"label\"}");
		seen = json_object();
		json_array_foreach(v, i, e) {
			struct ctx sub = *c;
			const char *id = json_string_value(json_object_get(e, "id"));

			path_fmt(sub.path, sizeof(sub.path), "%s.statuses[%zu]", c->path, i);
			if (!id || !id_valid(id))
				cerr(&sub, "id", "must be an id of a-z, 0-9 and _");
			else if (json_object_get(seen, id))
				cerr(&sub, "id", "duplicate status \"%s\"", id);
			else
				json_object_set_new(seen, id, json_true());
			check_label(&sub, e, "label", true);
		}
		json_decref(seen);
		g->statuses = json_incref(v);
	} else {
		g->statuses = json_pack("[{s:s, s:{s:s, s:s}}, {s:s, s:{s:s, s:s}}]", "id", "open",
		                        "label", "zh-CN", "在用", "en", "Open", "id", "closed",
		                        "label", "zh-CN", "已关闭", "en", "Closed");
	}
	/* Columns: the listed ones, then the rest of the form's fields. */
	g->columns = xcalloc(g->form->nfields, sizeof(*g->columns));
	n = 0;
	v = json_object_get(def, "columns");
	if (v && !json_is_array(v))
		cerr(c, "columns", "must be an array of field ids");
	json_array_foreach(v, i, e) {
		const struct field *fd =
		        json_is_string(e) ? form_field(g->form, json_string_value(e)) : NULL;
		char sub[32];

		(void)snprintf(sub, sizeof(sub), "columns[%zu]", i);
		if (!fd) {
			cerr(c, sub, "names no field of form \"%s\"", g->form->id);
			continue;
		}
		for (j = 0; j < n; j++)
			if (g->columns[j] == fd)
				break;
		if (j < n)
			cerr(c, sub, "lists \"%s\" twice", fd->id);
		else
			g->columns[n++] = fd;
	}
	for (i = 0; i < g->form->nfields; i++) {
		for (j = 0; j < n; j++)
			if (g->columns[j] == &g->form->fields[i])
				break;
		if (j == n && n < g->form->nfields)
			g->columns[n++] = &g->form->fields[i];
	}
	g->ncolumns = n;
}

static void compile_when(struct ctx *c, const struct form *f, json_t *w, struct step *s)
{
	static const char *const allowed[] = { "field", "equals", "includes", "true", NULL };
	struct ctx sub = *c;
	const char *fid = json_string_value(json_object_get(w, "field"));
	json_t *v;

	path_fmt(sub.path, sizeof(sub.path), "%s.when", c->path);
	if (!json_is_object(w)) {
		cerr(c, "when", "must be an object {\"field\", \"equals\"|\"includes\"|\"true\"}");
		return;
	}
	check_keys(&sub, w, allowed);
	s->when_field = fid ? form_field(f, fid) : NULL;
	if (!s->when_field) {
		cerr(&sub, "field", "names no field of form \"%s\"", f->id);
		return;
	}
	if ((v = json_object_get(w, "equals"))) {
		s->when = COND_EQUALS;
	} else if ((v = json_object_get(w, "includes"))) {
		s->when = COND_INCLUDES;
		if (s->when_field->type != FT_ENUM || !s->when_field->multiple)
			cerr(&sub, "includes", "needs an enum field with \"multiple\": true");
	} else if ((v = json_object_get(w, "true"))) {
		s->when = COND_TRUE;
		if (s->when_field->type != FT_BOOL)
			cerr(&sub, "true", "needs a bool field");
	} else {
		cerr(c, "when", "needs one of \"equals\", \"includes\" or \"true\"");
		return;
	}
	s->when_value = v;
	if (s->when_field->type == FT_ENUM && json_is_string(v) &&
	    !field_has_value(s->when_field, json_string_value(v)))
		cerr(&sub, s->when == COND_EQUALS ? "equals" : "includes",
		     "\"%s\" is not a value of field \"%s\"", json_string_value(v), fid);
}

static void compile_step(struct ctx *c, const struct form *f, json_t *def, struct step *s)
{
	static const char *const allowed[] = { "id",       "label", "help", "kind",
		                               "approver", "when",  NULL };
	const char *kind = json_string_value(json_object_get(def, "kind"));
	const char *ap = json_string_value(json_object_get(def, "approver"));
	const char *id = json_string_value(json_object_get(def, "id"));

	memset(s, 0, sizeof(*s));
	s->def = def;
	s->id = id ? id : "";
	s->approver = ap ? ap : "";
	if (!json_is_object(def)) {
		cerr(c, NULL, "must be an object");
		return;
	}
	check_keys(c, def, allowed);
	if (!id || !id_valid(id))
		cerr(c, "id", "must be 1-%d characters of a-z, 0-9 and _, starting with a letter",
		     ID_MAX);
	check_label(c, def, "label", true);
	check_label(c, def, "help", false);
	if (!kind || strcmp(kind, "approve") == 0)
		s->kind = STEP_APPROVE;
	else if (strcmp(kind, "execute") == 0)
		s->kind = STEP_EXECUTE;
	else
		cerr(c, "kind", "unknown step kind \"%s\" (approve, execute)", kind);
	if (!ap) {
		cerr(c, "approver",
		     "missing (department_head, department_head:FIELD, role:NAME, "
		     "user:FIELD)");
	} else if (strcmp(ap, "department_head") == 0) {
		s->ak = AP_DEPARTMENT_HEAD;
	} else if (strncmp(ap, "role:", 5) == 0) {
		s->ak = AP_ROLE;
		s->role = role_from_name(ap + 5);
		if (!s->role)
			cerr(c, "approver", "unknown role \"%s\"", ap + 5);
	} else if (strncmp(ap, "department_head:", 16) == 0 || strncmp(ap, "user:", 5) == 0) {
		bool head = ap[0] == 'd';
		const char *fid = ap + (head ? 16 : 5);

		s->ak = head ? AP_DEPARTMENT_HEAD_FIELD : AP_USER_FIELD;
		s->field = f ? form_field(f, fid) : NULL;
		if (!s->field)
			cerr(c, "approver", "names no field \"%s\" of the request's form", fid);
		else if (!(s->field->type == FT_USER || (head && s->field->type == FT_DEPARTMENT)))
			cerr(c, "approver", "field \"%s\" must be a %s field", fid,
			     head ? "user or department" : "user");
	} else {
		cerr(c, "approver",
		     "unknown approver \"%s\" (department_head, "
		     "department_head:FIELD, role:NAME, user:FIELD)",
		     ap);
	}
	if (json_object_get(def, "when") && f)
		compile_when(c, f, json_object_get(def, "when"), s);
}

/* The role enums an action grants from: real role names; the three administrator roles
 * only through admin_account (with the general manager's authorization), never through a
 * permission change. */
static void check_role_values(struct ctx *c, const struct reqtype *q)
{
	static const char *const fields[] = { "grant", "revoke", "admin_role" };
	const struct field *fd;
	size_t i, j;
	json_t *e;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		fd = form_field(q->form, fields[i]);
		if (!fd || fd->type != FT_ENUM)
			continue;
		json_array_foreach(fd->values, j, e) {
			const char *v = json_string_value(json_object_get(e, "id"));
			unsigned bit = v ? role_from_name(v) : 0;
			bool admin = (bit & ROLE_ADMIN_MASK) != 0;

			if (!bit || admin != (q->action == ACT_ADMIN_ACCOUNT))
				cerr(c, "action",
				     "form \"%s\" field \"%s\" value \"%s\" must be %s role",
				     q->form->id, fields[i], v ? v : "?",
				     q->action == ACT_ADMIN_ACCOUNT ? "an administrator"
				                                    : "a non-administrator");
		}
	}
}

static void compile_reqtype(struct ctx *c, const struct pack *pk, json_t *def, struct reqtype *q)
{
	static const char *const allowed[] = { "id",         "label",    "description", "help",
		                               "source",     "form",     "steps",       "action",
		                               "applicants", "category", NULL };
	const char *form = json_string_value(json_object_get(def, "form"));
	const char *act = json_string_value(json_object_get(def, "action"));
	json_t *steps = json_object_get(def, "steps"), *e, *seen;
	size_t i;
	unsigned k;

	q->id = json_string_value(json_object_get(def, "id"));
	q->def = def;
	check_keys(c, def, allowed);
	check_label(c, def, "label", true);
	check_label(c, def, "description", false);
	check_label(c, def, "help", false);
	check_label(c, def, "category", false);
	q->form = form ? pack_form(pk, form) : NULL;
	if (!q->form)
		cerr(c, "form", form ? "unknown form \"%s\"" : "missing%s", form ? form : "");
	q->applicants = check_roles(c, def, "applicants");
	if (act) {
		for (k = 0; k < ARRAY_SIZE(action_names); k++)
			if (strcmp(act, action_names[k]) == 0)
				break;
		if (k == ARRAY_SIZE(action_names))
			cerr(c, "action", "unknown action \"%s\"", act);
		else
			q->action = (enum action)k;
	}
	for (i = 0; q->form && i < ARRAY_SIZE(action_needs); i++) {
		const struct action_need *an = &action_needs[i];
		const struct field *fd;

		if (an->action != q->action)
			continue;
		fd = form_field(q->form, an->field);
		if (!fd || fd->type != an->type || fd->multiple != an->multiple)
			cerr(c, "action", "\"%s\" needs a%s %s field \"%s\" in form \"%s\"", act,
			     an->multiple ? " multiple" : "", type_names[an->type], an->field,
			     q->form->id);
	}
	if (q->form && (q->action == ACT_CHANGE_PERMISSIONS || q->action == ACT_ADMIN_ACCOUNT))
		check_role_values(c, q);
	if (!json_is_array(steps) || json_array_size(steps) == 0) {
		cerr(c, "steps", "a request type needs a non-empty array of steps");
		return;
	}
	q->nsteps = json_array_size(steps);
	q->steps = xcalloc(q->nsteps, sizeof(*q->steps));
	seen = json_object();
	json_array_foreach(steps, i, e) {
		struct ctx sub = *c;

		path_fmt(sub.path, sizeof(sub.path), "%s.steps[%zu]", c->path, i);
		compile_step(&sub, q->form, e, &q->steps[i]);
		if (*q->steps[i].id && json_object_get(seen, q->steps[i].id))
			cerr(&sub, "id", "duplicate step id \"%s\"", q->steps[i].id);
		json_object_set_new(seen, q->steps[i].id, json_true());
		if (q->steps[i].kind == STEP_EXECUTE && i + 1 != q->nsteps)
			cerr(&sub, "kind", "an execute step must be the last step");
	}
	json_decref(seen);
	if (q->action != ACT_NONE && q->steps[q->nsteps - 1].kind != STEP_EXECUTE)
		cerr(c, "steps", "action \"%s\" needs a last step of kind \"execute\"", act);
}

static void check_duration(struct ctx *c, json_t *o, const char *key, bool required,
                           struct duration *ret)
{
	json_t *v = json_object_get(o, key);

	memset(ret, 0, sizeof(*ret));
	if (!v) {
		if (required)
			cerr(c, key, "missing (e.g. \"1h\", \"24h\", \"8wh\", \"3wd\", \"1w\")");
		return;
	}
	if (!json_is_string(v) || duration_parse(json_string_value(v), ret) < 0)
		cerr(c, key,
		     "must be a duration: a number and m, h, d or w (on the clock) or wh, wd "
		     "(working hours, working days), e.g. \"8wh\"");
}

/* A status list of a deadline: ids of the register's statuses or of a request's. */
static json_t *check_statuses(struct ctx *c, json_t *o, const char *key, const struct reg *g)
{
	json_t *v = json_object_get(o, key), *e;
	char sub[64];
	size_t i, k;

	if (!v)
		return NULL;
	if (!json_is_array(v) || json_array_size(v) == 0) {
		cerr(c, key, "must be a non-empty array of status ids");
		return NULL;
	}
	json_array_foreach(v, i, e) {
		const char *id = json_string_value(e);
		bool known = false;
		json_t *st;
		size_t j;

		if (g) {
			json_array_foreach(g->statuses, j, st) {
				if (id &&
				    strcmp(json_string_value(json_object_get(st, "id")), id) == 0)
					known = true;
			}
		} else {
			for (k = 0; id && request_statuses[k]; k++)
				if (strcmp(id, request_statuses[k]) == 0)
					known = true;
		}
		(void)snprintf(sub, sizeof(sub), "%s[%zu]", key, i);
		if (!known)
			cerr(c, sub, "\"%s\" is not a status of %s", id ? id : "(not text)",
			     g ? "the register"
			       : "a request (pending, returned, approved, "
			         "rejected, withdrawn, completed)");
	}
	return v;
}

static void compile_escalation(struct ctx *c, json_t *def, struct escalation *e)
{
	static const char *const allowed[] = { "to", "after", NULL };
	const char *to = json_string_value(json_object_get(def, "to"));

	if (!json_is_object(def)) {
		cerr(c, NULL, "must be an object {\"to\", \"after\"}");
		return;
	}
	check_keys(c, def, allowed);
	check_duration(c, def, "after", false, &e->after);
	if (to && strcmp(to, "assignee") == 0) {
		e->to = ESC_ASSIGNEE;
	} else if (to && strcmp(to, "department_head") == 0) {
		e->to = ESC_DEPARTMENT_HEAD;
	} else if (to && strncmp(to, "role:", 5) == 0) {
		e->to = ESC_ROLE;
		e->role = role_from_name(to + 5);
		if (!e->role)
			cerr(c, "to", "unknown role \"%s\"", to + 5);
	} else {
		cerr(c, "to", "must be assignee, department_head or role:NAME");
	}
}

static void compile_deadline(struct ctx *c, const struct pack *pk, json_t *def, struct deadline *d)
{
	static const char *const allowed[] = { "id",       "label",   "help",     "source",
		                               "register", "request", "start",    "within",
		                               "until",    "pause",   "escalate", NULL };
	static const char *const until_keys[] = { "field", "status", NULL };
	const char *reg = json_string_value(json_object_get(def, "register"));
	const char *req = json_string_value(json_object_get(def, "request"));
	json_t *until = json_object_get(def, "until"), *pause = json_object_get(def, "pause");
	json_t *esc = json_object_get(def, "escalate"), *e;
	const struct form *f = NULL;
	struct ctx sub = *c;
	size_t i;

	d->id = json_string_value(json_object_get(def, "id"));
	d->def = def;
	check_keys(c, def, allowed);
	check_label(c, def, "label", true);
	check_label(c, def, "help", false);
	if (!!reg == !!req) {
		cerr(c, NULL, "names either a \"register\" or a \"request\" type");
		return;
	}
	if (reg && !(d->reg = pack_reg(pk, reg)))
		cerr(c, "register", "unknown register \"%s\"", reg);
	if (req && !(d->req = pack_reqtype(pk, req)))
		cerr(c, "request", "unknown request type \"%s\"", req);
	f = d->reg ? d->reg->form : d->req ? d->req->form : NULL;
	if (!f)
		return;
	d->start_field = ref_field(c, f, def, "start", FT_DATETIME);
	check_duration(c, def, "within", true, &d->within);
	path_fmt(sub.path, sizeof(sub.path), "%s.until", c->path);
	if (!json_is_object(until) ||
	    !!json_object_get(until, "field") == !!json_object_get(until, "status")) {
		cerr(c, "until",
		     "must be {\"field\": ID} (met once it has a value) or "
		     "{\"status\": [IDS]}");
	} else {
		check_keys(&sub, until, until_keys);
		if (json_object_get(until, "field")) {
			const char *fid = json_string_value(json_object_get(until, "field"));

			d->until_field = fid ? form_field(f, fid) : NULL;
			if (!d->until_field)
				cerr(&sub, "field", "names no field of form \"%s\"", f->id);
		}
		d->until_status = check_statuses(&sub, until, "status", d->reg);
	}
	if (pause) {
		static const char *const pause_keys[] = { "status", NULL };

		path_fmt(sub.path, sizeof(sub.path), "%s.pause", c->path);
		if (!json_is_object(pause) || !json_object_get(pause, "status"))
			cerr(c, "pause", "must be {\"status\": [IDS]}");
		else
			check_keys(&sub, pause, pause_keys);
		d->pause_status = check_statuses(&sub, pause, "status", d->reg);
	}
	if (!json_is_array(esc) || json_array_size(esc) == 0 || json_array_size(esc) > ESC_MAX) {
		cerr(c, "escalate", "must be an array of 1-%d levels {\"to\", \"after\"}", ESC_MAX);
		return;
	}
	json_array_foreach(esc, i, e) {
		path_fmt(sub.path, sizeof(sub.path), "%s.escalate[%zu]", c->path, i);
		compile_escalation(&sub, e, &d->esc[i]);
	}
	d->nesc = json_array_size(esc);
}

static void compile_duty(struct ctx *c, const struct pack *pk, json_t *def, struct duty *u)
{
	static const char *const allowed[] = { "id",       "label",    "help",
		                               "source",   "schedule", "within",
		                               "register", "owner",    "workdays_only",
		                               NULL };
	const char *sched = json_string_value(json_object_get(def, "schedule"));
	const char *reg = json_string_value(json_object_get(def, "register"));
	const char *owner = json_string_value(json_object_get(def, "owner"));
	const char *why = NULL;

	u->id = json_string_value(json_object_get(def, "id"));
	u->def = def;
	check_keys(c, def, allowed);
	check_label(c, def, "label", true);
	check_label(c, def, "help", false);
	if (!sched || cron_parse(sched, &u->schedule, &why) < 0)
		cerr(c, "schedule",
		     "must be a cron schedule (minute hour day month weekday, or "
		     "@daily, @weekly, @monthly, @yearly)%s%s",
		     why ? ": " : "", why ? why : "");
	check_duration(c, def, "within", true, &u->within);
	if (!reg || !(u->reg = pack_reg(pk, reg)))
		cerr(c, "register", reg ? "unknown register \"%s\"" : "missing%s", reg ? reg : "");
	if (!owner || strncmp(owner, "role:", 5) != 0 ||
	    !(u->owner_role = role_from_name(owner + 5)))
		cerr(c, "owner", "must be role:NAME of a known role");
	check_bool(c, def, "workdays_only", &u->workdays_only);
}

/* --- backup jobs ------------------------------------------------------------------------ */

bool pack_id_valid(const char *s)
{
	return s && id_valid(s);
}

/* A duration on the clock (m, h, d, w) from min to max seconds; 0 or a problem. */
static int clock_duration(json_t *def, const char *key, int64_t min, int64_t max, int64_t *ret,
                          backup_job_problem_fn fn, void *ctx)
{
	const char *s = json_string_value(json_object_get(def, key));
	struct duration d;
	char msg[160];

	if (!s || duration_parse(s, &d) < 0 || d.unit != DUR_SECONDS || d.n < min || d.n > max) {
		(void)snprintf(msg, sizeof(msg),
		               "%s a duration on the clock from %" PRId64 "%s to %" PRId64
		               "d: a number and m, h, d or w, e.g. \"2h\"",
		               s ? "must be" : "missing:", min >= 3600 ? min / 3600 : min / 60,
		               min >= 3600 ? "h" : "m", max / 86400);
		fn(ctx, key, msg);
		return 1;
	}
	*ret = d.n;
	return 0;
}

/* A cron line that fires (at least once in ten years); 0 or a problem. */
static int cron_line(json_t *v, const char *key, struct cron *ret, backup_job_problem_fn fn,
                     void *ctx)
{
	const char *s = json_string_value(v), *why = NULL;
	char msg[200];

	if (s && strlen(s) <= 100 && cron_parse(s, ret, &why) == 0 && cron_next(ret, 0, 0) > 0)
		return 0;
	(void)snprintf(msg, sizeof(msg),
	               "must be a cron schedule (minute hour day month weekday, or @daily, "
	               "@weekly, @monthly, @yearly)%s%s",
	               why ? ": " : "", why ? why : "");
	fn(ctx, key, msg);
	return 1;
}

static int job_label(json_t *def, backup_job_problem_fn fn, void *ctx)
{
	static const char *const langs[] = { "zh-CN", "en" };
	json_t *l = json_object_get(def, "label"), *v;
	char key[32];
	const char *k;
	size_t i;
	int n = 0;

	if (!json_is_object(l)) {
		fn(ctx, "label", "must be an object with \"zh-CN\" and \"en\" texts");
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(langs); i++) {
		const char *s = json_string_value(json_object_get(l, langs[i]));

		(void)snprintf(key, sizeof(key), "label.%s", langs[i]);
		if (!s || !*s || !utf8_valid(s, strlen(s), false) ||
		    utf8_count(s) > BACKUP_LABEL_MAX) {
			fn(ctx, key, "must be a non-empty text of at most 200 characters");
			n++;
		}
	}
	json_object_foreach(l, k, v) {
		if (strcmp(k, "zh-CN") != 0 && strcmp(k, "en") != 0) {
			(void)snprintf(key, sizeof(key), "label.%.20s", k);
			fn(ctx, key, "unknown language (only \"zh-CN\" and \"en\")");
			n++;
		}
	}
	return n;
}

int backup_job_compile(json_t *def, struct backup_job_def *ret, backup_job_problem_fn fn, void *ctx)
{
	json_t *sched = json_object_get(def, "schedule"), *off = json_object_get(def, "offsite");
	json_t *e;
	char key[32];
	size_t i;
	int n = 0;

	memset(ret, 0, sizeof(*ret));
	ret->def = def;
	ret->id = json_string_value(json_object_get(def, "id"));
	ret->system = json_string_value(json_object_get(def, "system"));
	if (!pack_id_valid(ret->system)) {
		fn(ctx, "system",
		   "must be the system's id: 1-48 characters of a-z, 0-9 and _, starting with a "
		   "letter (e.g. \"erp\")");
		n++;
	}
	n += job_label(def, fn, ctx);
	if (!json_is_array(sched) || json_array_size(sched) == 0 ||
	    json_array_size(sched) > BACKUP_SCHEDULE_MAX) {
		fn(ctx, "schedule", "must be an array of 1-8 cron schedules");
		n++;
	} else {
		json_array_foreach(sched, i, e) {
			(void)snprintf(key, sizeof(key), "schedule[%zu]", i);
			n += cron_line(e, key, &ret->schedule[i], fn, ctx);
		}
		ret->nschedule = json_array_size(sched);
	}
	if (off && !json_is_null(off)) {
		n += cron_line(off, "offsite", &ret->offsite, fn, ctx);
		ret->has_offsite = true;
	}
	n += clock_duration(def, "within", 60, 31 * 86400, &ret->within, fn, ctx);
	n += clock_duration(def, "max_age", 3600, (int64_t)DURATION_MAX_DAYS * 86400, &ret->max_age,
	                    fn, ctx);
	return n;
}

static void job_problem(void *ctx, const char *key, const char *msg)
{
	cerr(ctx, key, "%s", msg);
}

static void compile_backup_job(struct ctx *c, json_t *def, struct backup_job_def *j)
{
	static const char *const allowed[] = { "id",      "label",    "help",   "source",
		                               "system",  "schedule", "within", "offsite",
		                               "max_age", "enabled",  NULL };
	json_t *en = json_object_get(def, "enabled");

	check_keys(c, def, allowed);
	check_label(c, def, "help", false);
	if (json_object_get(def, "source") && !text_ok(json_object_get(def, "source"), 200))
		cerr(c, "source", "must be a short text");
	if (en && !json_is_boolean(en))
		cerr(c, "enabled", "must be true or false");
	(void)backup_job_compile(def, j, job_problem, c);
}

/* --- roles (policy/roles.json): who holds which permission, and 三员分立 ---------------- */

static const char *const class_titles[] = {
	[PERM_SYSTEM] = "the system administrator's",
	[PERM_SECURITY] = "the security administrator's",
	[PERM_AUDIT] = "the audit administrator's",
};

static void compile_role(struct ctx *c, json_t *def, struct pack_role *ro)
{
	static const char *const allowed[] = { "id", "label", "permissions", NULL };
	json_t *perms = json_object_get(def, "permissions"), *e;
	const char *first[PERM_OVERSIGHT + 1] = { NULL };
	const char *business = NULL;
	char sub[64];
	size_t i;

	check_keys(c, def, allowed);
	check_label(c, def, "label", true);
	ro->id = json_string_value(json_object_get(def, "id"));
	ro->def = def;
	ro->everyone = STREQ(ro->id, "everyone");
	if (!ro->everyone) {
		ro->bit = role_define(ro->id);
		if (!ro->bit)
			cerr(c, "id", "no room for another role (at most 32)");
	}
	if (!json_is_array(perms)) {
		cerr(c, "permissions", "must be an array of permission names");
		return;
	}
	json_array_foreach(perms, i, e) {
		const char *name = json_is_string(e)
		                           ? json_string_value(e)
		                           : json_string_value(json_object_get(e, "name"));
		const char *scope =
		        json_is_object(e) ? json_string_value(json_object_get(e, "scope")) : "all";
		int k = perm_index(name);
		const struct permission *pm = perm_at((size_t)k);

		(void)snprintf(sub, sizeof(sub), "permissions[%zu]", i);
		if (json_is_object(e)) {
			static const char *const grant_keys[] = { "name", "scope", NULL };
			struct ctx g = *c;

			if (snprintf(g.path, sizeof(g.path), "%.180s.%.60s", c->path, sub) < 0)
				g.path[0] = '\0';
			check_keys(&g, e, grant_keys);
		}
		if (!name) {
			cerr(c, sub, "must be a permission name or {\"name\": …, \"scope\": …}");
			continue;
		}
		if (k < 0 || !pm) {
			cerr(c, sub,
			     "unknown permission \"%s\" (isms policy permissions lists them)",
			     name);
			continue;
		}
		if (!scope || (!STREQ(scope, "all") && !STREQ(scope, "department"))) {
			cerr(c, sub, "\"scope\" must be \"all\" or \"department\"");
			continue;
		}
		perm_set_add(STREQ(scope, "all") ? &ro->all : &ro->own, k);
		if (!first[pm->cls])
			first[pm->cls] = pm->name;
		if (pm->cls == PERM_BUSINESS && !business)
			business = pm->name;
	}
	/* 三员分立 (GB/T 22239 8.1.4.2, docs/security.md): one role never holds two
	 * administrators' permissions, and an administrator's role no business permission. */
	{
		static const enum perm_class admin[] = { PERM_SYSTEM, PERM_SECURITY, PERM_AUDIT };
		size_t a, b;

		for (a = 0; a < ARRAY_SIZE(admin); a++)
			for (b = a + 1; b < ARRAY_SIZE(admin); b++)
				if (first[admin[a]] && first[admin[b]])
					cerr(c, "permissions",
					     "holds %s permission \"%s\" and %s permission \"%s\": the "
					     "system, security and audit administration stay with three "
					     "different roles (三员分立)",
					     class_titles[admin[a]], first[admin[a]],
					     class_titles[admin[b]], first[admin[b]]);
		for (a = 0; a < ARRAY_SIZE(admin); a++)
			if (first[admin[a]] && (business || ro->everyone))
				cerr(c, "permissions",
				     ro->everyone
				             ? "gives every account %s permission \"%s\": an administrator's "
				               "permissions go to an administrator's role only (三员分立)"
				             : "holds %s permission \"%s\" and the business permission "
				               "\"%s\": an administrator's role holds no business permission "
				               "(三员分立)",
				     class_titles[admin[a]], first[admin[a]],
				     business ? business : "");
	}
}

const struct pack_role *pack_role(const struct pack *pk, const char *id)
{
	size_t i;

	for (i = 0; id && i < pk->nroles; i++)
		if (STREQ(pk->roles[i].id, id))
			return &pk->roles[i];
	return NULL;
}

void pack_grants(const struct pack *pk, struct perm_grants *ret)
{
	size_t i, b;

	memset(ret, 0, sizeof(*ret));
	for (i = 0; i < pk->nroles; i++) {
		const struct pack_role *ro = &pk->roles[i];

		if (ro->everyone) {
			ret->everyone_all = ro->all;
			ret->everyone_own = ro->own;
			continue;
		}
		for (b = 0; b < ROLE_MAX; b++)
			if (ro->bit == 1u << b) {
				ret->all[b] = ro->all;
				ret->own[b] = ro->own;
			}
	}
}

static void compile(struct loader *L, struct pack *pk)
{
	struct ctx c = { .L = L };
	size_t i;

	pk->root = json_object();
	for (i = 0; i < (size_t)kind_count(); i++)
		json_object_set(pk->root, kind_name((int)i), L->items[i]);
	/* The modules' own sections: each item checked by its module. */
	for (i = K_COUNT; i < (size_t)kind_count(); i++) {
		const struct pack_section *sec = sections[i - K_COUNT];
		json_t *item;
		size_t j;

		json_array_foreach(L->items[i], j, item) {
			struct pack_check pc = { .c = { .L = L, .file = L->orig[i][j].file } };

			(void)snprintf(pc.c.path, sizeof(pc.c.path), "%s[%zu]", sec->kind,
			               L->orig[i][j].index);
			sec->check(&pc, item);
		}
	}
	/* Roles first: a register or a chain may name a role the pack adds. */
	if (perm_count() == 0)
		perr(L, "(isms)", "roles", "no permission is registered (modules_init not called)");
	pk->nroles = json_array_size(L->items[K_ROLES]);
	pk->roles = xcalloc(pk->nroles + 1, sizeof(*pk->roles));
	for (i = 0; i < pk->nroles; i++) {
		c.file = L->orig[K_ROLES][i].file;
		(void)snprintf(c.path, sizeof(c.path), "roles[%zu]", L->orig[K_ROLES][i].index);
		compile_role(&c, json_array_get(L->items[K_ROLES], i), &pk->roles[i]);
	}
	for (i = 0; i < json_array_size(L->items[K_NOTIFICATIONS]); i++) {
		static const char *const allowed[] = { "id", "subject", "body", NULL };
		json_t *t = json_array_get(L->items[K_NOTIFICATIONS], i);

		c.file = L->orig[K_NOTIFICATIONS][i].file;
		(void)snprintf(c.path, sizeof(c.path), "notifications[%zu]",
		               L->orig[K_NOTIFICATIONS][i].index);
		check_keys(&c, t, allowed);
		check_label(&c, t, "subject", true);
		check_label(&c, t, "body", true);
	}
	pk->nforms = json_array_size(L->items[K_FORMS]);
	pk->forms = xcalloc(pk->nforms + 1, sizeof(*pk->forms));
	for (i = 0; i < pk->nforms; i++) {
		c.file = L->orig[K_FORMS][i].file;
		(void)snprintf(c.path, sizeof(c.path), "forms[%zu]", L->orig[K_FORMS][i].index);
		compile_form(&c, json_array_get(L->items[K_FORMS], i), &pk->forms[i]);
	}
	pk->nregs = json_array_size(L->items[K_REGISTERS]);
	pk->regs = xcalloc(pk->nregs + 1, sizeof(*pk->regs));
	for (i = 0; i < pk->nregs; i++) {
		c.file = L->orig[K_REGISTERS][i].file;
		(void)snprintf(c.path, sizeof(c.path), "registers[%zu]",
		               L->orig[K_REGISTERS][i].index);
		compile_reg(&c, pk, json_array_get(L->items[K_REGISTERS], i), &pk->regs[i]);
	}
	pk->nreqs = json_array_size(L->items[K_REQUESTS]);
	pk->reqs = xcalloc(pk->nreqs + 1, sizeof(*pk->reqs));
	for (i = 0; i < pk->nreqs; i++) {
		c.file = L->orig[K_REQUESTS][i].file;
		(void)snprintf(c.path, sizeof(c.path), "requests[%zu]",
		               L->orig[K_REQUESTS][i].index);
		compile_reqtype(&c, pk, json_array_get(L->items[K_REQUESTS], i), &pk->reqs[i]);
	}
	pk->ndeadlines = json_array_size(L->items[K_DEADLINES]);
	pk->deadlines = xcalloc(pk->ndeadlines + 1, sizeof(*pk->deadlines));
	for (i = 0; i < pk->ndeadlines; i++) {
		c.file = L->orig[K_DEADLINES][i].file;
		(void)snprintf(c.path, sizeof(c.path), "deadlines[%zu]",
		               L->orig[K_DEADLINES][i].index);
		compile_deadline(&c, pk, json_array_get(L->items[K_DEADLINES], i),
		                 &pk->deadlines[i]);
	}
	pk->nduties = json_array_size(L->items[K_DUTIES]);
	pk->duties = xcalloc(pk->nduties + 1, sizeof(*pk->duties));
	for (i = 0; i < pk->nduties; i++) {
		c.file = L->orig[K_DUTIES][i].file;
		(void)snprintf(c.path, sizeof(c.path), "duties[%zu]", L->orig[K_DUTIES][i].index);
		compile_duty(&c, pk, json_array_get(L->items[K_DUTIES], i), &pk->duties[i]);
	}
	pk->nbackup_jobs = json_array_size(L->items[K_BACKUP_JOBS]);
	pk->backup_jobs = xcalloc(pk->nbackup_jobs + 1, sizeof(*pk->backup_jobs));
	for (i = 0; i < pk->nbackup_jobs; i++) {
		c.file = L->orig[K_BACKUP_JOBS][i].file;
		(void)snprintf(c.path, sizeof(c.path), "backup_jobs[%zu]",
		               L->orig[K_BACKUP_JOBS][i].index);
		compile_backup_job(&c, json_array_get(L->items[K_BACKUP_JOBS], i),
		                   &pk->backup_jobs[i]);
	}
}

int pack_load(const char *dir, struct pack **ret_pack, json_t **ret_errors)
{
	struct loader L = { .errors = json_array() };
	struct pack *pk = xcalloc(1, sizeof(*pk));
	char name[128];
	size_t i;
	int k;

	for (k = 0; k < kind_count(); k++)
		L.items[k] = json_array();
	for (i = 0; i < embedded_policy_count; i++) {
		(void)snprintf(name, sizeof(name), "policy/%s", embedded_policy[i].name);
		merge_text(&L, name, embedded_policy[i].data, embedded_policy[i].len);
	}
	if (dir)
		merge_dir(&L, dir);
	compile(&L, pk);
	for (k = 0; k < kind_count(); k++) {
		json_decref(L.items[k]);
		for (i = 0; i < L.norig[k]; i++)
			free(L.orig[k][i].file);
		free(L.orig[k]);
	}
	if (json_array_size(L.errors) > 0) {
		pack_free(pk);
		*ret_pack = NULL;
		*ret_errors = L.errors;
		return -ERR_INVALID;
	}
	json_decref(L.errors);
	*ret_errors = NULL;
	*ret_pack = pk;
	return 0;
}

void pack_free(struct pack *pk)
{
	size_t i;

	if (!pk)
		return;
	for (i = 0; i < pk->nforms; i++)
		free(pk->forms[i].fields);
	for (i = 0; i < pk->nregs; i++) {
		free(pk->regs[i].columns);
		json_decref(pk->regs[i].statuses);
	}
	for (i = 0; i < pk->nreqs; i++)
		free(pk->reqs[i].steps);
	free(pk->forms);
	free(pk->regs);
	free(pk->reqs);
	free(pk->deadlines);
	free(pk->duties);
	free(pk->backup_jobs);
	free(pk->roles);
	json_decref(pk->root);
	free(pk);
}

json_t *pack_template(const struct pack *pk, const char *kind)
{
	json_t *arr = json_object_get(pk->root, "notifications"), *t;
	size_t i;

	json_array_foreach(arr, i, t) {
		if (strcmp(json_string_value(json_object_get(t, "id")), kind) == 0)
			return t;
	}
	return NULL;
}

char *pack_render(const char *text, json_t *params)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	const char *p = text, *open, *close;
	char name[64];
	json_t *v;

	while ((open = strchr(p, '{')) && (close = strchr(open, '}')) &&
	       (size_t)(close - open - 1) < sizeof(name)) {
		(void)buf_add(&b, p, (size_t)(open - p));
		memcpy(name, open + 1, (size_t)(close - open - 1));
		name[close - open - 1] = '\0';
		v = json_object_get(params, name);
		if (json_is_string(v))
			(void)buf_adds(&b, json_string_value(v));
		else if (json_is_integer(v))
			(void)buf_addf(&b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (!v || json_is_null(v))
			(void)buf_adds(&b, "-");
		else
			(void)buf_add(&b, open, (size_t)(close - open + 1));
		p = close + 1;
	}
	(void)buf_adds(&b, p);
	return buf_detach(&b, NULL);
}

const struct form *pack_form(const struct pack *pk, const char *id)
{
	size_t i;

	for (i = 0; i < pk->nforms; i++)
		if (pk->forms[i].id && strcmp(pk->forms[i].id, id) == 0)
			return &pk->forms[i];
	return NULL;
}

const struct reg *pack_reg(const struct pack *pk, const char *id)
{
	size_t i;

	for (i = 0; i < pk->nregs; i++)
		if (pk->regs[i].id && strcmp(pk->regs[i].id, id) == 0)
			return &pk->regs[i];
	return NULL;
}

const struct reqtype *pack_reqtype(const struct pack *pk, const char *id)
{
	size_t i;

	for (i = 0; i < pk->nreqs; i++)
		if (pk->reqs[i].id && strcmp(pk->reqs[i].id, id) == 0)
			return &pk->reqs[i];
	return NULL;
}

const struct deadline *pack_deadline(const struct pack *pk, const char *id)
{
	size_t i;

	for (i = 0; i < pk->ndeadlines; i++)
		if (pk->deadlines[i].id && strcmp(pk->deadlines[i].id, id) == 0)
			return &pk->deadlines[i];
	return NULL;
}

const struct duty *pack_duty(const struct pack *pk, const char *id)
{
	size_t i;

	for (i = 0; i < pk->nduties; i++)
		if (pk->duties[i].id && strcmp(pk->duties[i].id, id) == 0)
			return &pk->duties[i];
	return NULL;
}

const struct backup_job_def *pack_backup_job(const struct pack *pk, const char *id)
{
	size_t i;

	for (i = 0; i < pk->nbackup_jobs; i++)
		if (pk->backup_jobs[i].id && strcmp(pk->backup_jobs[i].id, id) == 0)
			return &pk->backup_jobs[i];
	return NULL;
}

bool field_has_value(const struct field *f, const char *v)
{
	size_t i;
	json_t *e;

	json_array_foreach(f->values, i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));

		if (id && strcmp(id, v) == 0)
			return true;
	}
	return false;
}

const char *label_text(json_t *label, bool en)
{
	const char *s = json_string_value(json_object_get(label, en ? "en" : "zh-CN"));

	return s ? s : "";
}

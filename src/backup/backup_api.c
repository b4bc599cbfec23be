/*
 * backup_api.c: the verbs the API and the CLI use on isms's own backups (backup.h): the list,
 * the configuration (schedule, retention, off-site folder), "back up now", and when the
 * server's worker should back up.
 */
#include "core/common.h"
#include "core/perm.h"
#include "backup/backup.h"
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "audit/audit.h"
#include "backup/backup_int.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/cron.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/util.h"
#include "org/org.h"
#include "store/calendar_store.h"
#include "store/store.h"

#define LIST_MAX 500

static bool may_read(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "backup.read", 0);
}

static bool may_manage(const struct actor *a)
{
	return a->user_id == 0 || perm_check(a, "backup.run", 0);
}

int backup_list(struct store *st, const struct actor *a, int64_t after, int limit,
                json_t **ret_items, int64_t *ret_next, struct problem *p)
{
	json_t *items = NULL;
	int r;

	if (!may_read(a))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	if (limit <= 0 || limit > LIST_MAX)
		limit = 50;
	r = bs_list(st, after, limit + 1, &items);
	if (r < 0)
		return r;
	*ret_next = json_page_trim(items, limit);
	*ret_items = items;
	return 0;
}

static int64_t next_at(const struct bs_config *c, struct store *st, int64_t now)
{
	struct calendar cal;
	struct cron cr;
	const char *why;
	int offset;

	if (cron_parse(c->schedule, &cr, &why) < 0 || calendar_load(st, &cal, NULL) < 0)
		return 0;
	offset = cal.utc_offset;
	calendar_release(&cal);
	return cron_next(&cr, now, offset);
}

static json_t *config_json(struct store *st, const struct bs_config *c)
{
	return json_pack("{s:s, s:{s:i, s:i, s:i}, s:o, s:o, s:o, s:I}", "schedule", c->schedule,
	                 "keep", "daily", c->keep_daily, "weekly", c->keep_weekly, "monthly",
	                 c->keep_monthly, "offsite_dir",
	                 c->offsite_dir[0] ? json_string(c->offsite_dir) : json_null(), "next_at",
	                 json_time_or_null(next_at(c, st, clock_now())), "requested_at",
	                 json_time_or_null(c->requested_at), "version", (json_int_t)c->version);
}

int backup_config_get(struct store *st, const struct actor *a, json_t **ret, struct problem *p)
{
	struct bs_config c;
	int r;

	if (!(a->user_id == 0 || perm_check(a, "backup.config.read", 0)))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	r = bs_config_load(st, &c);
	if (r < 0)
		return r;
	*ret = config_json(st, &c);
	return 0;
}

static int keep_value(json_t *keep, const char *name, int lo, int hi, int *out, struct problem *p)
{
	json_t *v = json_object_get(keep, name);

	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return problem_setf(p, ERR_INVALID, "invalid_field",
		                    problem_path(p, "keep.%s", name),
		                    "a whole number from %d to %d", lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}

static int parse_config(json_t *in, const char *data_dir, struct bs_config *c, struct problem *p)
{
	const char *key, *why;
	json_t *v, *keep;
	struct cron cr;
	struct stat stt;
	int r;

	if (!json_is_object(in))
		return problem_set(p, ERR_INVALID, "invalid_json", NULL);
	json_object_foreach(in, key, v)
		if (!STREQ(key, "schedule") && !STREQ(key, "keep") && !STREQ(key, "offsite_dir") &&
		    !STREQ(key, "version"))
			return problem_setf(p, ERR_INVALID, "invalid_field",
			                    problem_path(p, "%s", key), "unknown field");
	v = json_object_get(in, "version");
	if (!json_is_integer(v))
		return problem_setf(p, ERR_INVALID, "invalid_field", "version",
		                    "the version you read is required");
	if (json_integer_value(v) != c->version)
		return problem_set(p, ERR_CONFLICT, "stale_version", "version");
	v = json_object_get(in, "schedule");
	if (v) {
		if (!json_is_string(v) || json_string_length(v) >= sizeof(c->schedule) ||
		    cron_parse(json_string_value(v), &cr, &why) < 0)
			return problem_setf(p, ERR_INVALID, "invalid_field", "schedule",
			                    "a cron schedule such as \"30 2 * * *\" (daily 02:30)");
		(void)snprintf(c->schedule, sizeof(c->schedule), "%s", json_string_value(v));
	}
	keep = json_object_get(in, "keep");
	if (keep) {
		if (!json_is_object(keep))
			return problem_setf(p, ERR_INVALID, "invalid_field", "keep",
			                    "{\"daily\", \"weekly\", \"monthly\"}");
		json_object_foreach(keep, key, v)
			if (!STREQ(key, "daily") && !STREQ(key, "weekly") && !STREQ(key, "monthly"))
				return problem_setf(p, ERR_INVALID, "invalid_field",
				                    problem_path(p, "keep.%s", key),
				                    "unknown field");
		r = keep_value(keep, "daily", 1, 366, &c->keep_daily, p);
		if (r == 0)
			r = keep_value(keep, "weekly", 0, 520, &c->keep_weekly, p);
		if (r == 0)
			r = keep_value(keep, "monthly", 0, 1200, &c->keep_monthly, p);
		if (r < 0)
			return r;
	}
	v = json_object_get(in, "offsite_dir");
	if (json_is_null(v)) {
		c->offsite_dir[0] = '\0';
	} else if (v) {
		const char *dir = json_string_value(v);
		size_t n = strlen(data_dir);

		if (!dir || dir[0] != '/' || strlen(dir) >= sizeof(c->offsite_dir) - 100 ||
		    !utf8_valid(dir, strlen(dir), false))
			return problem_setf(p, ERR_INVALID, "invalid_field", "offsite_dir",
			                    "an absolute folder path on the server, or null");
		if (stat(dir, &stt) != 0 || !S_ISDIR(stt.st_mode) || access(dir, W_OK) != 0)
			return problem_setf(p, ERR_INVALID, "invalid_field", "offsite_dir",
			                    "the folder does not exist or isms cannot write to it");
		if (data_dir[0] == '/' && strncmp(dir, data_dir, n) == 0 &&
		    (dir[n] == '/' || dir[n] == '\0'))
			return problem_setf(
			        p, ERR_INVALID, "invalid_field", "offsite_dir",
			        "the off-site folder must not be inside the data folder");
		(void)snprintf(c->offsite_dir, sizeof(c->offsite_dir), "%s", dir);
	}
	return 0;
}

int backup_config_put(struct store *st, const struct actor *a, json_t *in, json_t **ret,
                      struct problem *p)
{
	struct bs_config before, c;
	json_t *b = NULL, *after = NULL;
	char dir[PATH_MAX];
	int r;

	if (!may_manage(a))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	/* The data folder is the database's: offsite_dir must be outside it. */
	(void)snprintf(dir, sizeof(dir), "%s", store_path(st));
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	r = store_begin(st);
	if (r < 0)
		return r;
	r = bs_config_load(st, &before);
	c = before;
	if (r == 0)
		r = parse_config(in, dir, &c, p);
	if (r == 0)
		r = bs_config_put(st, &c);
	if (r == -ERR_CONFLICT && !p->code)
		r = problem_set(p, ERR_CONFLICT, "stale_version", "version");
	if (r == 0) {
		struct audit_event ev = {
			.actor = a,
			.action = "backup.config",
			.object = "backup_config",
		};

		c.version++;
		b = config_json(st, &before);
		after = config_json(st, &c);
		json_object_del(b, "next_at");
		json_object_del(after, "next_at");
		ev.before = b;
		ev.after = after;
		r = audit_append(st, &ev);
	}
	r = store_end(st, r);
	if (r == 0)
		*ret = config_json(st, &c);
	json_decref(b);
	json_decref(after);
	return r;
}

int backup_request(struct store *st, const struct actor *a, struct problem *p)
{
	struct audit_event ev = { .actor = a, .action = "backup.request", .object = "backup" };
	struct bs_config c;
	int64_t running = 0;
	int r;

	if (!may_manage(a))
		return problem_set(p, ERR_FORBIDDEN, NULL, NULL);
	r = store_begin(st);
	if (r < 0)
		return r;
	r = bs_config_load(st, &c);
	if (r == 0)
		r = bs_running(st, &running);
	if (r >= 0 && (c.requested_at > 0 || running > 0))
		r = problem_setf(p, ERR_CONFLICT, "backup_running", NULL,
		                 "a backup is already asked for or running");
	if (r >= 0)
		r = bs_config_request(st, clock_now(), a->user_id);
	if (r >= 0)
		r = audit_append(st, &ev);
	return store_end(st, r);
}

int backup_due(struct store *st, int64_t now, int64_t since, enum backup_trigger *ret_trigger)
{
	struct bs_config c;
	struct calendar cal;
	struct cron cr;
	const char *why;
	int64_t last = 0, next;
	int r;

	r = bs_config_load(st, &c);
	if (r < 0)
		return r;
	if (c.requested_at > 0) {
		*ret_trigger = BACKUP_MANUAL;
		return 1;
	}
	if (cron_parse(c.schedule, &cr, &why) < 0)
		return 0;
	r = bs_last_scheduled(st, &last);
	if (r < 0)
		return r;
	r = calendar_load(st, &cal, NULL);
	if (r < 0)
		return r;
	next = cron_next(&cr, last > since ? last : since, cal.utc_offset);
	calendar_release(&cal);
	if (next > 0 && next <= now) {
		*ret_trigger = BACKUP_SCHEDULE;
		return 1;
	}
	return 0;
}

/*
 * calendar_store.c: the calendar's row in table settings (key "calendar"), read back through
 * core's parser (calendar_from_stored).
 */
#include "core/common.h"
#include "store/calendar_store.h"

#include "core/alloc.h"
#include "core/calendar.h"
#include "store/store.h"

static const char SQL_GET[] = "SELECT value, version FROM settings WHERE key = 'calendar'";
static const char SQL_PUT[] =
        "INSERT INTO settings (key, value, version) VALUES ('calendar', $1, 1) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = version + 1 "
        "WHERE version = $2";

/* The stored calendar JSON (NULL when never stored) and its version (0 then). */
static int calendar_store_get(struct store *st, char **ret_json, int64_t *ret_version)
{
	struct stmt *s = store_stmt(st, SQL_GET);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	*ret_json = NULL;
	*ret_version = 0;
	r = store_step(st, s);
	if (r == 1) {
		*ret_json = xstrdup(store_col_text(s, 0));
		*ret_version = store_col_int(s, 1);
	}
	store_reset(s);
	return r < 0 ? r : 0;
}

int calendar_store_put(struct store *st, const char *json, int64_t version)
{
	struct stmt *s = store_stmt(st, SQL_PUT);
	int r;

	if (!s)
		return -ERR_INTERNAL;
	store_bind_text(s, 1, json);
	store_bind_int(s, 2, version);
	r = store_exec_stmt(st, s);
	if (r == 0 && store_changes(st) != 1)
		r = -ERR_CONFLICT;
	return r;
}

int calendar_load(struct store *st, struct calendar *ret, int64_t *ret_version)
{
	char *text = NULL;
	int64_t version = 0;
	int r = calendar_store_get(st, &text, &version);

	calendar_default(ret);
	if (ret_version)
		*ret_version = version;
	if (r < 0 || !text)
		return r;
	r = calendar_from_stored(text, ret);
	free(text);
	return r;
}

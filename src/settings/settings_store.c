/*
 * settings_store.c: the SQL of table settings: the security policy's stored values.
 */
#include "core/common.h"
#include "settings/settings_int.h"
#include "store/store.h"

static const char SQL_SETTINGS_ALL[] = "SELECT key, value FROM settings";

int settings_store_all(struct store *st, json_t **ret)
{
	struct stmt *s = store_stmt(st, SQL_SETTINGS_ALL);
	json_t *obj = json_object();
	int r;

	while ((r = store_step(st, s)) == 1) {
		json_t *v = json_loads(store_col_text(s, 1), JSON_DECODE_ANY, NULL);

		if (v)
			json_object_set_new(obj, store_col_text(s, 0), v);
	}
	store_reset(s);
	if (r < 0) {
		json_decref(obj);
		return r;
	}
	*ret = obj;
	return 0;
}

static const char SQL_SETTINGS_PUT[] =
        "INSERT INTO settings (key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = settings.version + 1";

int settings_store_put(struct store *st, const char *key, const char *json_text)
{
	struct stmt *s = store_stmt(st, SQL_SETTINGS_PUT);

	store_bind_text(s, 1, key);
	store_bind_text(s, 2, json_text);
	return store_exec_stmt(st, s);
}

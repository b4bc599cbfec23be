/*
 * settings_int.h: the SQL of table settings (settings_store.c), for settings.c.
 */
#ifndef ISMS_APP_SETTINGS_INT_H
#define ISMS_APP_SETTINGS_INT_H

#include <jansson.h>

struct store;

/* Every stored setting as one object {key: value} (new reference). */
int settings_store_all(struct store *st, json_t **ret);
/* Stores one setting's JSON text (inserted or replaced, its version raised). */
int settings_store_put(struct store *st, const char *key, const char *json_text);

#endif

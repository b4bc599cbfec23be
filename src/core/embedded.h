/*
 * embedded.h: files compiled into the binary by tools/embed.c (migrations, word lists).
 */
#ifndef ISMS_CORE_EMBEDDED_H
#define ISMS_CORE_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* base name, e.g. "0001_core.sql" */
	const char *data; /* NUL-terminated */
	size_t len;
};

extern const struct embedded_file embedded_migrations[];
extern const size_t embedded_migrations_count;
extern const struct embedded_file embedded_wordlists[];
extern const size_t embedded_wordlists_count;
extern const struct embedded_file embedded_policy[];
extern const size_t embedded_policy_count;

#endif

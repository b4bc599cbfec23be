/*
 * alloc.h: allocation that never returns NULL. On out-of-memory these log and abort(),
 * as git's xmalloc and redis' zmalloc do, so no other code checks for OOM.
 */
#ifndef ISMS_CORE_ALLOC_H
#define ISMS_CORE_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
/* Overflow-checked n * size, zero-filled. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Formatted allocation; the caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

/*
 * buf.h: one growable byte string, after git's strbuf and curl's dynbuf.
 *
 * Invariants: b->data is never NULL and always NUL-terminated; b->len <= b->max; a buffer
 * fed by a client always has a real max (request body 1 MiB, headers, cursors, fields).
 * A max of 0 means BUF_NOMAX.
 */
#ifndef ISMS_CORE_BUF_H
#define ISMS_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, alloc, max;
};

extern char buf__empty[1];
#define BUF_NOMAX ((size_t)1 << 40)
#define BUF_INIT(m)                                                                                \
 {                                                                                                 \
  .data = buf__empty, .len = 0, .alloc = 0, .max = (m)                                             \
 }

void buf_init(struct buf *b, size_t max);
/* Appends n bytes; -ERR_TOO_LARGE (and nothing appended) past max. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* len = 0, memory kept. */
void buf_reset(struct buf *b);
/* Frees the memory; back to BUF_INIT(max). */
void buf_release(struct buf *b);
/* Wipes the contents (sodium_memzero) before releasing: for buffers that held a secret. */
void buf_release_secret(struct buf *b);
/* Hands the memory to the caller (who frees it); the buffer is back to empty. */
char *buf_detach(struct buf *b, size_t *ret_len);

#endif

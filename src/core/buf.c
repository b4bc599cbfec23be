/*
 * buf.c: the growable byte string of buf.h.
 */
#include "core/common.h"
#include "core/buf.h"

#include <sodium.h>

char buf__empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->data = buf__empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max ? max : BUF_NOMAX;
}

static int grow(struct buf *b, size_t extra)
{
	size_t want;

	if (extra > b->max || b->len > b->max - extra)
		return -ERR_TOO_LARGE;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	if (want < 64)
		want = 64;
	if (want < b->alloc + b->alloc / 2)
		want = b->alloc + b->alloc / 2;
	if (b->alloc == 0) {
		b->data = xmalloc(want);
		b->data[0] = '\0';
	} else {
		b->data = xrealloc(b->data, want);
	}
	b->alloc = want;
	return 0;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
	int r;

	if (b->max == 0)
		b->max = BUF_NOMAX;
	r = grow(b, n);
	if (r < 0)
		return r;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, r;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -ERR_INTERNAL;
	if (b->max == 0)
		b->max = BUF_NOMAX;
	r = grow(b, (size_t)n);
	if (r < 0)
		return r;
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->data[0] = '\0';
}

void buf_release(struct buf *b)
{
	size_t max = b->max;

	if (b->alloc)
		free(b->data);
	buf_init(b, max);
}

void buf_release_secret(struct buf *b)
{
	if (b->alloc)
		sodium_memzero(b->data, b->alloc);
	buf_release(b);
}

char *buf_detach(struct buf *b, size_t *ret_len)
{
	char *p;

	if (b->alloc == 0) {
		p = xstrdup("");
	} else {
		p = b->data;
	}
	if (ret_len)
		*ret_len = b->len;
	b->alloc = 0;
	buf_init(b, b->max);
	return p;
}

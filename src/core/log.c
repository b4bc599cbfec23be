/*
 * log.c: one line per message on stderr: "isms: LEVEL: message". Control characters in
 * the formatted message are escaped so user-supplied values cannot forge log lines.
 */
#include "core/common.h"
#include "core/log.h"
#include "core/buf.h"

static enum log_level level = LOG_LEVEL_INFO;
static const char *const names[] = { "error", "warning", "info", "debug" };

void log_set_level(enum log_level l)
{
	level = l;
}

static void PRINTF(2, 0) emit(enum log_level l, const char *fmt, va_list ap)
{
	struct buf raw = BUF_INIT(8192), out = BUF_INIT(32768);
	size_t i;

	if (l > level)
		return;
	if (buf_vaddf(&raw, fmt, ap) < 0)
		(void)buf_adds(&raw, "(message too long)");
	(void)buf_addf(&out, "isms: %s: ", names[l]);
	for (i = 0; i < raw.len; i++) {
		unsigned char c = (unsigned char)raw.data[i];

		if (c < 0x20 || c == 0x7f)
			(void)buf_addf(&out, "\\x%02x", c);
		else
			(void)buf_addch(&out, (char)c);
	}
	(void)buf_addch(&out, '\n');
	(void)fwrite(out.data, 1, out.len, stderr);
	buf_release(&raw);
	buf_release(&out);
}

void log_msg(enum log_level l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(l, fmt, ap);
	va_end(ap);
}

int log_msg_errno(enum log_level l, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(l, fmt, ap);
	va_end(ap);
	return r;
}

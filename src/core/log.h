/*
 * log.h: diagnostics to stderr (journald collects them), after OpenBSD's log.h.
 * Logging is not the audit trail: who did what goes to audit_log, never here.
 * Never log passwords, session ids, tokens, TOTP secrets or vault content.
 * The *_errno variants return r, so `return log_error_errno(r, "...")` works.
 */
#ifndef ISMS_CORE_LOG_H
#define ISMS_CORE_LOG_H

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

void log_set_level(enum log_level l);
void log_msg(enum log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int log_msg_errno(enum log_level l, int r, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#define log_error(...)          log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...)           log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...)           log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)          log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_error_errno(r, ...) log_msg_errno(LOG_LEVEL_ERROR, (r), __VA_ARGS__)
#define log_warn_errno(r, ...)  log_msg_errno(LOG_LEVEL_WARN, (r), __VA_ARGS__)

#endif

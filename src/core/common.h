/*
 * common.h: the first include of every isms .c file (as git-compat-util.h is for git).
 * It pulls in the C library headers everyone uses, the project-wide attribute macros,
 * and, last, banned.h so that unsafe libc calls fail to compile.
 */
#ifndef ISMS_CORE_COMMON_H
#define ISMS_CORE_COMMON_H

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MUST_CHECK    __attribute__((warn_unused_result))
#define PRINTF(f, a)  __attribute__((format(printf, f, a)))
#define NORETURN      __attribute__((noreturn))
#define UNUSED        __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define STREQ(a, b)   (strcmp((a), (b)) == 0)

#include "core/alloc.h"
#include "core/err.h"
#include "core/banned.h"

#endif

/*
 * fuzz_password.c: the password policy check and NFKC normalisation on arbitrary bytes:
 * the first byte picks the profile, the rest is the candidate.
 */
#include "core/common.h"
#include "crypto/password.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const words[] = { "isms", "信息科", NULL };
	struct password_policy pol;
	struct problem p;
	char *pw, *n;

	if (size < 1 || size > 1024)
		return 0;
	if (password_library_init() < 0)
		abort();
	password_policy_defaults(data[0] & 1 ? PASSWORD_NIST : PASSWORD_DENGBAO, &pol);
	pw = xstrndup((const char *)data + 1, size - 1);
	(void)password_check(&pol, pw,
	                     &(struct password_context){ .username = "zhangsan",
	                                                 .display_name = "张三",
	                                                 .context_words = words },
	                     &p);
	if (utf8_valid(pw, strlen(pw), true)) {
		n = utf8_nfkc(pw);
		free(n);
	}
	free(pw);
	return 0;
}

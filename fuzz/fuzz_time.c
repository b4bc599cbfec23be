/*
 * fuzz_time.c: RFC 3339 parsing (query parameters of the audit search) and the property
 * that whatever parses formats back to a time that parses to the same instant.
 */
#include "core/common.h"
#include "core/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size), out[RFC3339_LEN];
	int64_t t, back;

	if (time_parse_rfc3339(s, &t) == 0 && t >= 0 && t < 253402300800) {
		time_format_rfc3339(t, out);
		if (time_parse_rfc3339(out, &back) != 0 || back != t)
			abort();
	}
	free(s);
	return 0;
}

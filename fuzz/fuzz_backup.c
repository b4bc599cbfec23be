/*
 * fuzz_backup.c: the backup container and manifest reader (SECURITY.md "the backup manifest
 * reader"): what arc_extract parses once a block is decrypted and decompressed. Checked
 * without writing files; any input must be refused or accepted without a crash or a leak.
 */
#include "core/common.h"
#include "backup/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ARC_ERROR_MAX];
	json_t *m = NULL;

	if (arc_parse_container(data, size, NULL, &m, err) == 0)
		json_decref(m);
	return 0;
}

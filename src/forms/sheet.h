/*
 * sheet.h: spreadsheets in and out of isms, for the registers (台账) people have kept in Excel
 * for years. A struct sheet is a plain table of text cells; this module turns it into an XLSX
 * (libxlsxwriter) or a CSV, and reads the first worksheet of an XLSX (libzip + expat) or a
 * CSV (libcsv) back into one. What the cells mean (fields, users, enum labels) is the business
 * of forms.h (record_export, record_import, form_cell_value).
 *
 * Everything read is untrusted: the reader caps rows, columns, cell size, the grid and every
 * unzipped entry, refuses DTDs, and never evaluates a formula (it takes the cached value).
 */
#ifndef ISMS_FORMS_SHEET_H
#define ISMS_FORMS_SHEET_H

#include <stddef.h>

struct buf;
struct problem;

#define SHEET_MAX_ROWS      100000   /* rows, the title row included */
#define SHEET_MAX_COLS      200      /* columns */
#define SHEET_MAX_CELLS     5000000  /* rows x columns of the grid read (40 MB of pointers) */
#define SHEET_MAX_CELL      32768    /* bytes of one cell (32 KiB) */
#define SHEET_MAX_ZIP_ENTRY 67108864 /* bytes of one unzipped XLSX part (64 MiB: zip bombs) */

/*
 * A table of text cells; row 0 is the header. cells holds nrows * ncols pointers, row-major;
 * each is NULL (empty) or an owned NUL-terminated UTF-8 string. Read it with sheet_cell().
 */
struct sheet {
	size_t nrows, ncols;
	char **cells;
	size_t nalloc; /* rows allocated in cells */
};

/* An empty table of ncols columns. */
void sheet_init(struct sheet *s, size_t ncols);
/* Appends a row: copies cells[0..ncols) (NULL or "" = empty). Returns 0 (it cannot fail:
 * running out of memory aborts). */
int sheet_add_row(struct sheet *s, const char *const *cells);
/* The cell at (row, col), borrowed from s; "" when empty or out of range. */
const char *sheet_cell(const struct sheet *s, size_t row, size_t col);
/* Frees the cells; s is empty afterwards (NULL-safe, may be called twice). */
void sheet_free(struct sheet *s);

/* How a column is written: SHEET_NUMBER cells that are plain decimal numbers (at most 15
 * significant digits, so nothing is rounded) become numbers; everything else is text. */
enum sheet_cell_kind { SHEET_TEXT, SHEET_NUMBER };

/*
 * Writes s as an XLSX file at path (created or truncated): one worksheet named after title
 * (sanitized: [ ] : * ? / \ and control characters become _, at most 31 characters, never
 * empty), header row bold and frozen, columns sized to their text (CJK counts 2). kinds
 * (ncols entries, NULL = all text) applies to the rows below the header. Text is always
 * written as a string, never as a formula, even when it starts with = + - @.
 * Returns 0, -ERR_INVALID (a cell is not UTF-8), -ERR_TOO_LARGE (more than 1048576 rows or
 * 16384 columns, or a cell longer than Excel's 32767 characters) or -ERR_INTERNAL (the file
 * could not be written). On failure nothing is left at path.
 */
int sheet_write_xlsx(const char *path, const char *title, const struct sheet *s,
                     const enum sheet_cell_kind *kinds);

/*
 * Appends s to out as RFC 4180 CSV: a UTF-8 BOM first (so Excel opens Chinese correctly),
 * CRLF line ends, fields quoted when they hold , " CR or LF. A text cell starting with
 * = + - @ tab or CR is neutralized by a leading single quote (OWASP "CSV injection"); number
 * cells (kinds as for sheet_write_xlsx) that are plain numbers, like -5, are left alone.
 * Returns 0 or -ERR_TOO_LARGE (out->max reached; out then holds a partial CSV).
 */
int sheet_write_csv(struct buf *out, const struct sheet *s, const enum sheet_cell_kind *kinds);

enum sheet_format { SHEET_XLSX, SHEET_CSV };

/*
 * Reads a spreadsheet into *ret (on success only; the caller sheet_free()s it).
 *
 * XLSX: the first visible worksheet (found through _rels/.rels, the workbook and its rels).
 * Cells are placed by their reference (r="C7"), so gaps stay empty. Shared and inline strings
 * (phonetic runs dropped, _xHHHH_ escapes decoded), booleans as TRUE/FALSE, errors as their
 * text (#N/A), formulas as their cached value. Numbers are written back in their shortest
 * form (15 significant digits, integers without ".0"). A number whose style is a date or
 * time format (built-in 14-22 and 45-47, the Chinese/Japanese/Korean built-ins 27-36 and
 * 50-58, or a custom code with y d m or h s outside quotes and brackets) becomes what the
 * format shows: "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" (even at 00:00) or "HH:MM:SS" (a time
 * format under one day). That is Excel's wall-clock time, without a zone: form_cell_value
 * reads it as the organization's local time. The 1900 (leap-year bug included) and 1904
 * date systems are both understood.
 *
 * CSV: comma-separated, RFC 4180 quotes, a leading UTF-8 BOM skipped, spaces kept. It must be
 * UTF-8: GB18030/GBK files are refused (the detail says to save as "CSV UTF-8").
 *
 * Fully empty trailing rows and columns are dropped: ncols is one past the rightmost
 * non-empty cell. Past SHEET_MAX_ROWS, SHEET_MAX_COLS, SHEET_MAX_CELLS, SHEET_MAX_CELL or
 * SHEET_MAX_ZIP_ENTRY: -ERR_TOO_LARGE (problem code "too_large"). Malformed input (not a zip,
 * truncated, missing parts, bad XML, a DTD, bad cell references, invalid UTF-8, unbalanced
 * quotes, an encrypted or old .xls workbook): -ERR_INVALID, problem code "invalid". Both set
 * p->field to "file" and p->detail to what is wrong, where.
 */
int sheet_read(const unsigned char *data, size_t len, enum sheet_format fmt, struct sheet *ret,
               struct problem *p);

/* Guesses the format from the first bytes: "PK\3\4" (a zip) is XLSX, anything else CSV. */
enum sheet_format sheet_sniff(const unsigned char *data, size_t len);

#endif

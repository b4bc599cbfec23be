/*
 * sheet.c: the spreadsheets of sheet.h. Writing uses libxlsxwriter (XLSX) and a buf (CSV);
 * reading uses libzip + expat (XLSX) and libcsv (CSV). Nothing here knows about forms.
 *
 * Reading an XLSX walks the package the way Excel does:
 *
 *   _rels/.rels --officeDocument--> xl/workbook.xml (sheets in tab order, date1904)
 *   xl/_rels/workbook.xml.rels --> the first visible worksheet, sharedStrings, styles
 *   styles.xml: which cell styles (cellXfs) show a date   sharedStrings.xml: the strings
 *   worksheets/sheetN.xml: <c r="C7" t=".." s=".."><v>..</v></c>, streamed into a grid
 *
 * Every part is inflated and parsed in 64 KiB steps and capped at SHEET_MAX_ZIP_ENTRY, so a
 * zip bomb costs at most that much CPU; non-empty cells are collected as (row, col, text)
 * records and only turned into the dense table at the end, once the size is known and
 * checked, so styled empty cells down to row 1048576 cost nothing.
 */
#include "core/common.h"

#include <math.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <expat.h>
#include <unistr.h>
#include <uniwidth.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/buf.h"
#include "core/util.h"
#include "forms/sheet.h"

#define CHUNK         65536
#define MAX_RELS      1000   /* relationships, sheets or number formats in one part */
#define TEXT_MAX_RAW  131072 /* a cell's XML text before _xHHHH_ decoding: 4 x SHEET_MAX_CELL */
#define COL_WIDTH_MIN 8
#define COL_WIDTH_MAX 60

/* --- the table --------------------------------------------------------------------------- */

void sheet_init(struct sheet *s, size_t ncols)
{
	s->nrows = 0;
	s->ncols = ncols;
	s->cells = NULL;
	s->nalloc = 0;
}

int sheet_add_row(struct sheet *s, const char *const *cells)
{
	char **row;
	size_t c;

	if (s->nrows == s->nalloc) {
		size_t n = s->nalloc ? s->nalloc * 2 : 16;
		char **grown = xcalloc(n, (s->ncols ? s->ncols : 1) * sizeof(*grown));

		if (s->cells)
			memcpy(grown, s->cells, s->nrows * s->ncols * sizeof(*grown));
		free(s->cells);
		s->cells = grown;
		s->nalloc = n;
	}
	row = s->cells + s->nrows * s->ncols;
	for (c = 0; c < s->ncols; c++)
		row[c] = cells[c] && cells[c][0] ? xstrdup(cells[c]) : NULL;
	s->nrows++;
	return 0;
}

const char *sheet_cell(const struct sheet *s, size_t row, size_t col)
{
	const char *v;

	if (!s || !s->cells || row >= s->nrows || col >= s->ncols)
		return "";
	v = s->cells[row * s->ncols + col];
	return v ? v : "";
}

void sheet_free(struct sheet *s)
{
	size_t i;

	if (!s)
		return;
	if (s->cells)
		for (i = 0; i < s->nrows * s->ncols; i++)
			free(s->cells[i]);
	free(s->cells);
	sheet_init(s, 0);
}

/* --- shared helpers ---------------------------------------------------------------------- */

/* Fills *p with field "file", code "invalid" or "too_large", and the detail; returns -kind. */
static int PRINTF(3, 4) fail(struct problem *p, enum err kind, const char *fmt, ...)
{
	va_list ap;

	(void)problem_set(p, kind, kind == ERR_TOO_LARGE ? "too_large" : "invalid", "file");
	if (p) {
		va_start(ap, fmt);
		(void)vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
		va_end(ap);
	}
	return -(int)kind;
}

/* Makes room for one more element of size bytes to *v (n used, *alloc allocated). */
static void *grow(void *v, size_t n, size_t *alloc, size_t size)
{
	if (n < *alloc)
		return v;
	*alloc = *alloc ? *alloc * 2 : 16;
	return xrealloc(v, *alloc * size);
}

/* "C7" for row 6, column 2 (both from 0). */
static void cell_name(uint64_t row, uint64_t col, char out[24])
{
	char letters[8];
	size_t n = 0, i;

	col++;
	while (col > 0 && n < sizeof(letters)) {
		letters[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		out[i] = letters[n - 1 - i];
	(void)snprintf(out + n, 24 - n, "%" PRIu64, row + 1);
}

/*
 * A number as a cell gives it: -?digits[.digits][e±digits] only (no spaces, hex, inf, nan),
 * finite, and unchanged by Excel's 15 significant digits (so an 18-digit ID stays text).
 */
static bool plain_number(const char *s, double *ret_x)
{
	char back[32], *end = NULL;
	const char *q;
	double x;

	if (!(*s == '-' || (*s >= '0' && *s <= '9')))
		return false;
	for (q = s; *q; q++)
		if (!strchr("0123456789.eE+-", *q))
			return false;
	errno = 0;
	x = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(x))
		return false;
	(void)snprintf(back, sizeof(back), "%.15g", x);
	if (strtod(back, NULL) != x)
		return false;
	*ret_x = x;
	return true;
}

/* --- writing XLSX ------------------------------------------------------------------------ */

/* Excel's sheet-name rules: no [ ] : * ? / \ or control characters, 1-31 characters, not
 * starting or ending with an apostrophe, not "History" (reserved). */
static void sheet_title(const char *title, char *out, size_t outsz)
{
	const uint8_t *s = (const uint8_t *)(title ? title : "");
	size_t len = strlen((const char *)s), o = 0, chars = 0;

	while (len > 0 && chars < 31 && o + 5 < outsz) {
		ucs4_t uc;
		int n = u8_mbtoucr(&uc, s, len);

		if (n <= 0) {
			out[o++] = '_';
			n = 1;
		} else if (uc < 0x20 || uc == 0x7f || (uc < 0x80 && strchr("[]:*?/\\", (int)uc))) {
			out[o++] = '_';
		} else {
			memcpy(out + o, s, (size_t)n);
			o += (size_t)n;
		}
		s += n;
		len -= (size_t)n;
		chars++;
	}
	out[o] = '\0';
	if (o == 0) {
		(void)snprintf(out, outsz, "Sheet1");
		return;
	}
	if (out[0] == '\'')
		out[0] = '_';
	if (out[o - 1] == '\'')
		out[o - 1] = '_';
	if (strcasecmp(out, "History") == 0)
		(void)snprintf(out, outsz, "History_");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* s starts with an OOXML character escape "_xHHHH_"; its code point, or -1. */
static long xescape(const char *s)
{
	long v = 0;
	int i, h;

	if (s[0] != '_' || s[1] != 'x')
		return -1;
	for (i = 2; i < 6; i++) {
		h = hexval(s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return s[6] == '_' ? v : -1;
}

/* Text as an OOXML string: a literal "_xHHHH_" is escaped as "_x005F_xHHHH_" (as Excel does)
 * so readers do not decode it; libxlsxwriter escapes control characters itself. Returns s
 * when nothing needs escaping, else a string the caller frees via *ret_owned. */
static const char *ooxml_text(const char *s, char **ret_owned)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	const char *q;

	*ret_owned = NULL;
	for (q = strstr(s, "_x"); q; q = strstr(q + 1, "_x"))
		if (xescape(q) >= 0)
			break;
	if (!q)
		return s;
	for (q = s; *q; q++) {
		if (xescape(q) >= 0)
			(void)buf_adds(&b, "_x005F_");
		else
			(void)buf_addch(&b, *q);
	}
	*ret_owned = buf_detach(&b, NULL);
	return *ret_owned;
}

/* Display width of the widest line of s, in columns (CJK and other wide characters 2). */
static size_t text_width(const char *s)
{
	size_t best = 0;

	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		int w = u8_width((const uint8_t *)s, n, "UTF-8");

		if (w > 0 && (size_t)w > best)
			best = (size_t)w;
		if (!nl)
			return best;
		s = nl + 1;
	}
}

static int lxw_to_err(lxw_error e)
{
	if (e == LXW_NO_ERROR)
		return 0;
	if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return -ERR_TOO_LARGE;
	return -ERR_INTERNAL;
}

static int write_cells(lxw_workbook *wb, lxw_worksheet *ws, const struct sheet *s,
                       const enum sheet_cell_kind *kinds)
{
	lxw_format *bold = workbook_add_format(wb), *wrap = workbook_add_format(wb);
	size_t *width = xcalloc(s->ncols ? s->ncols : 1, sizeof(*width));
	size_t row, col;
	int r = 0;

	format_set_bold(bold);
	format_set_text_wrap(wrap);
	for (row = 0; row < s->nrows && r == 0; row++) {
		for (col = 0; col < s->ncols && r == 0; col++) {
			const char *t = sheet_cell(s, row, col), *esc;
			char *owned = NULL;
			size_t w;
			double x;

			if (!*t)
				continue;
			if (u8_check((const uint8_t *)t, strlen(t))) {
				r = -ERR_INVALID;
				break;
			}
			w = text_width(t);
			if (w > width[col])
				width[col] = w;
			if (row > 0 && kinds && kinds[col] == SHEET_NUMBER && plain_number(t, &x)) {
				r = lxw_to_err(worksheet_write_number(ws, (lxw_row_t)row,
				                                      (lxw_col_t)col, x, NULL));
				continue;
			}
			esc = ooxml_text(t, &owned);
			r = lxw_to_err(worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col,
			                                      esc,
			                                      row == 0          ? bold
			                                      : strchr(t, '\n') ? wrap
			                                                        : NULL));
			free(owned);
		}
	}
	for (col = 0; col < s->ncols && r == 0; col++) {
		size_t w = width[col] + 2;

		w = w < COL_WIDTH_MIN ? COL_WIDTH_MIN : w > COL_WIDTH_MAX ? COL_WIDTH_MAX : w;
		r = lxw_to_err(
		        worksheet_set_column(ws, (lxw_col_t)col, (lxw_col_t)col, (double)w, NULL));
	}
	if (r == 0)
		worksheet_freeze_panes(ws, 1, 0);
	free(width);
	return r;
}

int sheet_write_xlsx(const char *path, const char *title, const struct sheet *s,
                     const enum sheet_cell_kind *kinds)
{
	lxw_workbook *wb = NULL;
	lxw_worksheet *ws;
	char name[128];
	lxw_error e;
	int r;

	if (s->nrows > LXW_ROW_MAX || s->ncols > LXW_COL_MAX)
		return -ERR_TOO_LARGE;
	sheet_title(title, name, sizeof(name));
	wb = workbook_new(path);
	if (!wb)
		return -ERR_INTERNAL;
	ws = workbook_add_worksheet(wb, name);
	r = ws ? write_cells(wb, ws, s, kinds) : -ERR_INTERNAL;
	/* workbook_close also frees wb; on failure its output is removed below. */
	e = workbook_close(wb);
	if (r == 0 && e != LXW_NO_ERROR)
		r = -ERR_INTERNAL;
	if (r < 0)
		(void)unlink(path);
	return r;
}

/* --- writing CSV ------------------------------------------------------------------------- */

/* One field: quoted when it holds , " CR or LF (quotes doubled) or is neutralized. */
static int csv_field(struct buf *out, const char *t, bool neutralize)
{
	bool quote = neutralize || strpbrk(t, ",\"\r\n") != NULL;
	const char *q;
	int r = 0;

	if (!quote)
		return buf_adds(out, t);
	r = buf_adds(out, neutralize ? "\"'" : "\"");
	for (q = strchr(t, '"'); q && r == 0; q = strchr(t, '"')) {
		r = buf_add(out, t, (size_t)(q - t) + 1); /* up to and with the quote... */
		if (r == 0)
			r = buf_addch(out, '"'); /* ...doubled */
		t = q + 1;
	}
	if (r == 0)
		r = buf_adds(out, t);
	if (r == 0)
		r = buf_addch(out, '"');
	return r;
}

/* A text cell that a spreadsheet would run as a formula (OWASP "CSV injection"); a number
 * cell that is a plain number, like -5, is data. */
static bool csv_dangerous(const char *t, bool number)
{
	double x;

	return *t && strchr("=+-@\t\r", *t) && !(number && plain_number(t, &x));
}

int sheet_write_csv(struct buf *out, const struct sheet *s, const enum sheet_cell_kind *kinds)
{
	size_t row, col;
	int r;

	r = buf_adds(out, "\xef\xbb\xbf");
	for (row = 0; row < s->nrows && r == 0; row++) {
		for (col = 0; col < s->ncols && r == 0; col++) {
			const char *t = sheet_cell(s, row, col);
			bool number = row > 0 && kinds && kinds[col] == SHEET_NUMBER;

			if (col > 0)
				r = buf_addch(out, ',');
			if (r < 0)
				break;
			/* One empty column: write "" since an empty line is no row to a reader. */
			if (s->ncols == 1 && !*t)
				r = buf_adds(out, "\"\"");
			else
				r = csv_field(out, t, csv_dangerous(t, number));
		}
		if (r == 0)
			r = buf_adds(out, "\r\n");
	}
	return r;
}

/* --- reading: the grid of non-empty cells ------------------------------------------------- */

struct rec {
	uint32_t row, col;
	char *s;
};

struct grid {
	struct rec *recs;
	size_t n, alloc;
	uint64_t nrows, ncols; /* one past the last non-empty row and column */
	struct problem *p;
};

/* Records the cell (row, col) = s[0..len) if it is not empty, within the limits. */
static int grid_put(struct grid *g, uint64_t row, uint64_t col, const char *s, size_t len)
{
	char where[24];
	uint64_t nrows, ncols;

	if (len == 0)
		return 0;
	cell_name(row, col, where);
	if (len > SHEET_MAX_CELL)
		return fail(g->p, ERR_TOO_LARGE, "cell %s holds more than %d KiB", where,
		            SHEET_MAX_CELL / 1024);
	if (row >= SHEET_MAX_ROWS)
		return fail(g->p, ERR_TOO_LARGE, "more than %d rows (cell %s): split the file",
		            SHEET_MAX_ROWS, where);
	if (col >= SHEET_MAX_COLS)
		return fail(g->p, ERR_TOO_LARGE, "more than %d columns (cell %s)", SHEET_MAX_COLS,
		            where);
	nrows = row + 1 > g->nrows ? row + 1 : g->nrows;
	ncols = col + 1 > g->ncols ? col + 1 : g->ncols;
	if (nrows * ncols > SHEET_MAX_CELLS)
		return fail(g->p, ERR_TOO_LARGE,
		            "the sheet spans %" PRIu64 " rows by %" PRIu64
		            " columns (cell %s): at most %d cells",
		            nrows, ncols, where, SHEET_MAX_CELLS);
	if (memchr(s, '\0', len))
		return fail(g->p, ERR_INVALID, "cell %s holds a NUL character", where);
	g->recs = grow(g->recs, g->n, &g->alloc, sizeof(*g->recs));
	g->recs[g->n].row = (uint32_t)row;
	g->recs[g->n].col = (uint32_t)col;
	g->recs[g->n].s = xstrndup(s, len);
	g->n++;
	g->nrows = nrows;
	g->ncols = ncols;
	return 0;
}

static void grid_release(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->recs[i].s);
	free(g->recs);
	g->recs = NULL;
	g->n = g->alloc = 0;
}

/* Moves the records into *ret, a dense table (later duplicates win). */
static void grid_finish(struct grid *g, struct sheet *ret)
{
	size_t i;
	char **cells;

	if (g->nrows == 0 || g->n == 0) {
		grid_release(g);
		sheet_init(ret, 0);
		return;
	}
	cells = xcalloc((size_t)(g->nrows * g->ncols), sizeof(*cells));
	for (i = 0; i < g->n; i++) {
		char **c = &cells[g->recs[i].row * (size_t)g->ncols + g->recs[i].col];

		free(*c);
		*c = g->recs[i].s;
		g->recs[i].s = NULL;
	}
	sheet_init(ret, (size_t)g->ncols);
	ret->cells = cells;
	ret->nrows = ret->nalloc = (size_t)g->nrows;
	grid_release(g);
}

/* --- reading XLSX: zip parts through expat ------------------------------------------------ */

/*
 * One XML part being parsed. Each part's state embeds this first; expat hands it back to
 * the handlers, which see local names (namespaces stripped) and call xml_fail() to stop.
 */
struct xml {
	XML_Parser parser;
	struct problem *p;
	const char *part;
	int r;           /* the first failure a handler reported */
	struct buf text; /* character data collected while collect is set */
	bool collect;
	void (*start)(struct xml *x, const char *name, const char **atts);
	void (*end)(struct xml *x, const char *name);
};

static void xml_fail(struct xml *x, int r)
{
	if (x->r == 0)
		x->r = r;
	(void)XML_StopParser(x->parser, XML_FALSE);
}

static void xml_init(struct xml *x, struct problem *p, size_t text_max,
                     void (*start)(struct xml *, const char *, const char **),
                     void (*end)(struct xml *, const char *))
{
	x->p = p;
	buf_init(&x->text, text_max);
	x->start = start;
	x->end = end;
}

/* Names arrive as "namespace-uri name" (XML_ParserCreateNS with ' '): keep the local part. */
static const char *local_name(const char *n)
{
	const char *sp = strrchr(n, ' ');

	return sp ? sp + 1 : n;
}

static const char *attr(const char **atts, const char *name)
{
	size_t i;

	for (i = 0; atts[i]; i += 2)
		if (strcmp(local_name(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml *x = ud;

	if (x->start && x->r == 0)
		x->start(x, local_name(name), atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct xml *x = ud;

	if (x->end && x->r == 0)
		x->end(x, local_name(name));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xml *x = ud;

	if (!x->collect || x->r != 0 || len <= 0)
		return;
	if (buf_add(&x->text, s, (size_t)len) < 0)
		xml_fail(x, fail(x->p, ERR_TOO_LARGE, "%s: a cell holds more than %d KiB", x->part,
		                 SHEET_MAX_CELL / 1024));
}

/* OOXML packages never carry a DTD: refusing one rules out entity expansion attacks. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
	struct xml *x = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xml_fail(x, fail(x->p, ERR_INVALID, "%s: a DTD is not allowed in a workbook", x->part));
}

static const char *zip_reason(int ze)
{
	switch (ze) {
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD:
	case ZIP_ER_ENCRNOTSUPP:
		return "it is encrypted: remove the password and save it again";
	case ZIP_ER_COMPNOTSUPP:
		return "it uses an unsupported compression method";
	case ZIP_ER_CRC:
		return "it is damaged (checksum mismatch)";
	default:
		return "it is damaged or truncated";
	}
}

/*
 * Inflates the part name of z into parser x, at most SHEET_MAX_ZIP_ENTRY bytes. Returns 0,
 * 1 if the part does not exist and !required, or the failure (with x->p set).
 */
static int xml_parse_part(zip_t *z, const char *name, bool required, struct xml *x)
{
	zip_file_t *zf = NULL;
	zip_stat_t st;
	zip_int64_t idx, n;
	uint64_t total = 0;
	char *chunk = NULL;
	int r = 0;

	x->part = name;
	idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return required ? fail(x->p, ERR_INVALID, "not an XLSX workbook: %s is missing",
		                       name)
		                : 1;
	zip_stat_init(&st);
	if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    st.size > SHEET_MAX_ZIP_ENTRY)
		return fail(x->p, ERR_TOO_LARGE, "%s unzips to more than %d MiB", name,
		            SHEET_MAX_ZIP_ENTRY >> 20);
	zf = zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (!zf)
		return fail(x->p, ERR_INVALID, "cannot unzip %s: %s", name,
		            zip_reason(zip_error_code_zip(zip_get_error(z))));
	x->parser = XML_ParserCreateNS(NULL, ' ');
	if (!x->parser) {
		r = -ERR_INTERNAL;
		goto out;
	}
	XML_SetUserData(x->parser, x);
	XML_SetElementHandler(x->parser, on_start, on_end);
	XML_SetCharacterDataHandler(x->parser, on_text);
	XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
	chunk = xmalloc(CHUNK);
	for (;;) {
		n = zip_fread(zf, chunk, CHUNK);
		if (n < 0) {
			r = fail(x->p, ERR_INVALID, "cannot unzip %s: %s", name,
			         zip_reason(zip_error_code_zip(zip_file_get_error(zf))));
			goto out;
		}
		total += (uint64_t)n;
		if (total > SHEET_MAX_ZIP_ENTRY) {
			r = fail(x->p, ERR_TOO_LARGE, "%s unzips to more than %d MiB", name,
			         SHEET_MAX_ZIP_ENTRY >> 20);
			goto out;
		}
		if (XML_Parse(x->parser, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
			r = x->r ? x->r
			         : fail(x->p, ERR_INVALID, "%s is not valid XML: line %lu: %s",
			                name, (unsigned long)XML_GetCurrentLineNumber(x->parser),
			                XML_ErrorString(XML_GetErrorCode(x->parser)));
			goto out;
		}
		if (x->r) {
			r = x->r;
			goto out;
		}
		if (n == 0)
			break;
	}
out:
	free(chunk);
	if (x->parser)
		XML_ParserFree(x->parser);
	x->parser = NULL;
	(void)zip_fclose(zf);
	return r;
}

/*
 * The part a relationship Target names, relative to the folder of the part that holds the
 * relationships (base): "worksheets/sheet1.xml" from "xl/workbook.xml" is
 * "xl/worksheets/sheet1.xml", "/xl/x.xml" is absolute, "." and ".." segments are resolved.
 * NULL if it climbs out of the package. The caller frees.
 */
static char *part_path(const char *base, const char *target)
{
	const char *slash = strrchr(base, '/');
	char *joined, *out, *seg, *next;
	size_t o = 0, n;

	if (target[0] == '/')
		joined = xstrdup(target + 1);
	else
		joined = xasprintf("%.*s%s", slash ? (int)(slash - base) + 1 : 0, base, target);
	out = xmalloc(strlen(joined) + 2);
	for (seg = joined; *seg; seg = next) {
		next = strchr(seg, '/');
		n = next ? (size_t)(next - seg) : strlen(seg);
		next = next ? next + 1 : seg + n;
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o == 0) {
				free(joined);
				free(out);
				return NULL;
			}
			o--; /* the slash ending the previous segment */
			while (o > 0 && out[o - 1] != '/')
				o--;
			continue;
		}
		memcpy(out + o, seg, n);
		o += n;
		out[o++] = '/';
	}
	if (o > 0 && out[o - 1] == '/')
		o--;
	out[o] = '\0';
	free(joined);
	return out;
}

/* The relationships part of a part: "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels". */
static char *rels_path(const char *part)
{
	const char *slash = strrchr(part, '/');

	if (!slash)
		return xasprintf("_rels/%s.rels", part);
	return xasprintf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1);
}

struct rel {
	char *id, *type, *target;
};

struct rels {
	struct xml x;
	struct rel *v;
	size_t n, alloc;
};

static void rels_start(struct xml *x, const char *name, const char **atts)
{
	struct rels *rs = (struct rels *)x;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"),
	           *target = attr(atts, "Target"), *mode = attr(atts, "TargetMode");

	if (strcmp(name, "Relationship") != 0 || !id || !type || !target)
		return;
	if (mode && strcmp(mode, "External") == 0)
		return;
	if (rs->n == MAX_RELS) {
		xml_fail(x, fail(x->p, ERR_TOO_LARGE, "%s holds too many relationships", x->part));
		return;
	}
	rs->v = grow(rs->v, rs->n, &rs->alloc, sizeof(*rs->v));
	rs->v[rs->n].id = xstrdup(id);
	rs->v[rs->n].type = xstrdup(type);
	rs->v[rs->n].target = xstrdup(target);
	rs->n++;
}

static void rels_release(struct rels *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].id);
		free(rs->v[i].type);
		free(rs->v[i].target);
	}
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->alloc = 0;
	buf_release(&rs->x.text);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The first relationship of that type ("/styles") or with that id; NULL if none. */
static const struct rel *rel_find(const struct rels *rs, const char *type, const char *id)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if ((type && ends_with(rs->v[i].type, type)) || (id && STREQ(rs->v[i].id, id)))
			return &rs->v[i];
	return NULL;
}

/* Parses the relationships of part into *rs; a missing rels part is an empty list. */
static int read_rels(zip_t *z, const char *part, struct rels *rs, struct problem *p)
{
	char *path = rels_path(part);
	int r;

	memset(rs, 0, sizeof(*rs));
	xml_init(&rs->x, p, 1, rels_start, NULL);
	r = xml_parse_part(z, path, false, &rs->x);
	free(path);
	return r > 0 ? 0 : r;
}

/* xl/workbook.xml: the sheets in tab order and the date system. */
struct book_sheet {
	char *rid; /* r:id */
	bool visible;
};

struct book {
	struct xml x;
	struct book_sheet *v; /* tab order */
	size_t n, alloc;
	bool date1904;
};

static void book_start(struct xml *x, const char *name, const char **atts)
{
	struct book *bk = (struct book *)x;
	const char *v;

	if (STREQ(name, "workbookPr")) {
		v = attr(atts, "date1904");
		bk->date1904 = v && (STREQ(v, "1") || STREQ(v, "true"));
	} else if (STREQ(name, "sheet")) {
		v = attr(atts, "id");
		if (!v)
			return;
		if (bk->n == MAX_RELS) {
			xml_fail(x, fail(x->p, ERR_TOO_LARGE, "the workbook has too many sheets"));
			return;
		}
		bk->v = grow(bk->v, bk->n, &bk->alloc, sizeof(*bk->v));
		bk->v[bk->n].rid = xstrdup(v);
		v = attr(atts, "state");
		bk->v[bk->n].visible = !v || STREQ(v, "visible");
		bk->n++;
	}
}

static void book_release(struct book *bk)
{
	size_t i;

	for (i = 0; i < bk->n; i++)
		free(bk->v[i].rid);
	free(bk->v);
	buf_release(&bk->x.text);
}

/*
 * Date and time formats, as flags. Built-in ids: 14-22 and 45-47 everywhere; 27-36 and 50-58
 * in the Chinese, Japanese and Korean locales (yyyy"年"m"月"d"日", h"时"mm"分" and the like),
 * which is where our files come from. The format, not the value, decides whether a time is
 * shown, so a 00:00 in a date-and-time column still reads as a time.
 */
enum { FMT_DATE = 1 << 0, FMT_TIME = 1 << 1 };

static unsigned builtin_kind(unsigned id)
{
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) ||
	    id == 55 || id == 56)
		return FMT_TIME;
	if (id == 22)
		return FMT_DATE | FMT_TIME;
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 58))
		return FMT_DATE;
	return 0;
}

/*
 * A custom format code: y or d make a date, h or s (or [h] [m] [s] elapsed time) a time, and
 * m a month unless the code has a time (then it is minutes). Quoted text, escapes (\x, _x,
 * *x) and other [brackets] ([Red], [$-804], [DBNum1]) are skipped.
 */
static unsigned code_kind(const char *s)
{
	unsigned kind = 0;
	bool month = false;
	const char *q;

	for (; *s; s++) {
		switch (*s) {
		case '"':
			q = strchr(s + 1, '"');
			if (!q)
				return 0;
			s = q;
			break;
		case '[':
			q = strchr(s + 1, ']');
			if (!q)
				return 0;
			if (strspn(s + 1, "hHmMsS") == (size_t)(q - s - 1) && q > s + 1)
				kind |= FMT_TIME;
			s = q;
			break;
		case '\\':
		case '_':
		case '*':
			if (!s[1])
				return kind;
			s++;
			break;
		case 'y':
		case 'Y':
		case 'd':
		case 'D':
			kind |= FMT_DATE;
			break;
		case 'h':
		case 'H':
		case 's':
		case 'S':
			kind |= FMT_TIME;
			break;
		case 'm':
		case 'M':
			month = true;
			break;
		default:
			break;
		}
	}
	if (month && !(kind & FMT_TIME))
		kind |= FMT_DATE;
	return kind;
}

/* xl/styles.xml: for each cell style (cellXfs/xf, by index), its FMT_* flags. */
struct numfmt {
	unsigned id, kind;
};

struct styles {
	struct xml x;
	struct numfmt *fmts; /* the custom numFmts */
	size_t nfmt, fmt_alloc;
	unsigned *xf_fmt; /* numFmtId of each cellXfs/xf */
	size_t nxf, xf_alloc;
	bool in_xfs;
};

static void styles_start(struct xml *x, const char *name, const char **atts)
{
	struct styles *st = (struct styles *)x;
	const char *id = attr(atts, "numFmtId"), *code;
	uint64_t v = 0;

	if (STREQ(name, "cellXfs")) {
		st->in_xfs = true;
	} else if (STREQ(name, "numFmt")) {
		code = attr(atts, "formatCode");
		if (!id || !code || parse_uint(id, UINT32_MAX, &v) < 0)
			return;
		if (st->nfmt == MAX_RELS) {
			xml_fail(x, fail(x->p, ERR_INVALID, "%s holds too many number formats",
			                 x->part));
			return;
		}
		st->fmts = grow(st->fmts, st->nfmt, &st->fmt_alloc, sizeof(*st->fmts));
		st->fmts[st->nfmt].id = (unsigned)v;
		st->fmts[st->nfmt++].kind = code_kind(code);
	} else if (STREQ(name, "xf") && st->in_xfs) {
		if (st->nxf == 65536) {
			xml_fail(x,
			         fail(x->p, ERR_INVALID, "%s holds too many cell styles", x->part));
			return;
		}
		if (!id || parse_uint(id, UINT32_MAX, &v) < 0)
			v = 0;
		st->xf_fmt = grow(st->xf_fmt, st->nxf, &st->xf_alloc, sizeof(*st->xf_fmt));
		st->xf_fmt[st->nxf++] = (unsigned)v;
	}
}

static void styles_end(struct xml *x, const char *name)
{
	if (STREQ(name, "cellXfs"))
		((struct styles *)x)->in_xfs = false;
}

/* The FMT_* flags of each cell style, by index; the caller frees. A custom numFmt may
 * redefine a built-in id. */
static unsigned char *styles_kinds(const struct styles *st)
{
	unsigned char *k = xcalloc(st->nxf ? st->nxf : 1, 1);
	size_t i, j;

	for (i = 0; i < st->nxf; i++) {
		k[i] = (unsigned char)builtin_kind(st->xf_fmt[i]);
		for (j = 0; j < st->nfmt; j++)
			if (st->fmts[j].id == st->xf_fmt[i])
				k[i] = (unsigned char)st->fmts[j].kind;
	}
	return k;
}

/* Decodes the "_xHHHH_" escapes of OOXML strings (s[0..len)) into out. */
static void xml_unescape(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, start = 0;

	buf_reset(out);
	while (i < len) {
		long cp = len - i >= 7 ? xescape(s + i) : -1;
		uint8_t enc[6];
		int n;

		if (cp <= 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
			i++;
			continue;
		}
		(void)buf_add(out, s + start, i - start);
		n = u8_uctomb(enc, (ucs4_t)cp, sizeof(enc));
		if (n > 0)
			(void)buf_add(out, enc, (size_t)n);
		i += 7;
		start = i;
	}
	(void)buf_add(out, s + start, len - start);
}

/* xl/sharedStrings.xml: the strings, NUL-separated in one arena. */
struct sst {
	struct xml x;
	struct buf arena;
	size_t *off;
	size_t n, alloc;
	unsigned rph; /* depth inside <rPh> (phonetic runs, not part of the text) */
	struct buf tmp;
};

static void sst_start(struct xml *x, const char *name, const char **atts)
{
	struct sst *ss = (struct sst *)x;

	(void)atts;
	if (STREQ(name, "si")) {
		buf_reset(&x->text);
		ss->rph = 0;
	} else if (STREQ(name, "rPh")) {
		ss->rph++;
	} else if (STREQ(name, "t") && ss->rph == 0) {
		x->collect = true;
	}
}

static void sst_end(struct xml *x, const char *name)
{
	struct sst *ss = (struct sst *)x;

	if (STREQ(name, "t")) {
		x->collect = false;
	} else if (STREQ(name, "rPh")) {
		if (ss->rph)
			ss->rph--;
	} else if (STREQ(name, "si")) {
		if (ss->n == SHEET_MAX_CELLS) {
			xml_fail(x, fail(x->p, ERR_TOO_LARGE, "%s holds more than %d strings",
			                 x->part, SHEET_MAX_CELLS));
			return;
		}
		ss->off = grow(ss->off, ss->n, &ss->alloc, sizeof(*ss->off));
		xml_unescape(x->text.data, x->text.len, &ss->tmp);
		ss->off[ss->n++] = ss->arena.len;
		(void)buf_add(&ss->arena, ss->tmp.data, ss->tmp.len + 1);
	}
}

static void sst_release(struct sst *ss)
{
	buf_release(&ss->arena);
	buf_release(&ss->tmp);
	buf_release(&ss->x.text);
	free(ss->off);
}

/* xl/worksheets/sheetN.xml: the cells, streamed into the grid. */
enum cell_type { CT_NUMBER, CT_SHARED, CT_INLINE, CT_BOOL, CT_ERROR, CT_STR, CT_DATE };

struct ws {
	struct xml x;
	struct grid *g;
	const struct sst *sst;
	const unsigned char *xf_kind; /* FMT_* flags of each cell style */
	size_t nxf;
	bool date1904;
	bool in_data, in_cell, in_is;
	unsigned rph;
	int64_t row;       /* current row, from 0; -1 before the first */
	uint64_t next_col; /* where a cell without r goes */
	uint64_t cell_row, cell_col;
	enum cell_type type;
	size_t style;
	struct buf tmp;
};

/* A cell reference "C7" (column letters, row number, nothing else) within Excel's grid. */
static bool parse_ref(const char *s, uint64_t *ret_row, uint64_t *ret_col)
{
	uint64_t col = 0, row = 0;
	size_t letters = 0, digits = 0;

	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++, letters++)
		col = col * 26 + (uint64_t)((*s | 0x20) - 'a' + 1);
	if (letters == 0 || letters > 3 || col > 16384 || *s < '1' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		row = row * 10 + (uint64_t)(*s - '0');
	if (*s || digits > 7 || row > 1048576)
		return false;
	*ret_row = row - 1;
	*ret_col = col - 1;
	return true;
}

static enum cell_type cell_type(const char *t)
{
	if (!t || STREQ(t, "n"))
		return CT_NUMBER;
	if (STREQ(t, "s"))
		return CT_SHARED;
	if (STREQ(t, "inlineStr"))
		return CT_INLINE;
	if (STREQ(t, "b"))
		return CT_BOOL;
	if (STREQ(t, "e"))
		return CT_ERROR;
	if (STREQ(t, "d"))
		return CT_DATE;
	return CT_STR;
}

static void ws_row(struct ws *w, const char **atts)
{
	const char *v = attr(atts, "r");
	uint64_t n;

	if (!v) {
		w->row++;
	} else if (parse_uint(v, 1048576, &n) < 0 || n == 0) {
		xml_fail(&w->x,
		         fail(w->x.p, ERR_INVALID, "%s: bad row number \"%.20s\"", w->x.part, v));
		return;
	} else {
		w->row = (int64_t)n - 1;
	}
	w->next_col = 0;
}

static void ws_cell(struct ws *w, const char **atts)
{
	const char *v = attr(atts, "r");
	uint64_t n;

	if (!v) {
		w->cell_row = w->row < 0 ? 0 : (uint64_t)w->row;
		w->cell_col = w->next_col;
	} else if (!parse_ref(v, &w->cell_row, &w->cell_col)) {
		xml_fail(&w->x, fail(w->x.p, ERR_INVALID, "%s: bad cell reference \"%.20s\"",
		                     w->x.part, v));
		return;
	}
	w->next_col = w->cell_col + 1;
	w->type = cell_type(attr(atts, "t"));
	v = attr(atts, "s");
	w->style = v && parse_uint(v, SIZE_MAX, &n) == 0 ? (size_t)n : 0;
	w->in_cell = true;
	w->in_is = false;
	w->rph = 0;
	buf_reset(&w->x.text);
}

static void ws_start(struct xml *x, const char *name, const char **atts)
{
	struct ws *w = (struct ws *)x;

	if (STREQ(name, "sheetData"))
		w->in_data = true;
	else if (w->in_data && STREQ(name, "row"))
		ws_row(w, atts);
	else if (w->in_data && STREQ(name, "c"))
		ws_cell(w, atts);
	else if (w->in_cell && STREQ(name, "is"))
		w->in_is = true;
	else if (w->in_cell && STREQ(name, "rPh"))
		w->rph++;
	else if (w->in_cell && (STREQ(name, "v") || (w->in_is && w->rph == 0 && STREQ(name, "t"))))
		x->collect = true;
}

/*
 * An Excel serial number as the date and/or time its format (FMT_* flags) shows: 1900
 * system, 1 is 1900-01-01 and 60 the 1900-02-29 that Lotus believed in (so from 61 on, one
 * day less); 1904 system, 0 is 1904-01-01. A time format on a value below one day gives the
 * time of day alone. False when Excel shows no date (before 1900-01-01, after 9999-12-31).
 */
static bool excel_date(double serial, bool date1904, unsigned kind, char *out, size_t outsz)
{
	int64_t secs, days, sod, unix_days;
	time_t t;
	struct tm tm;
	size_t n;

	if (!(serial >= 0) || serial >= 2958466)
		return false;
	secs = (int64_t)llround(serial * 86400.0);
	days = secs / 86400;
	sod = secs % 86400;
	if (!(kind & FMT_DATE) && days == 0) {
		(void)snprintf(out, outsz, "%02d:%02d:%02d", (int)(sod / 3600),
		               (int)(sod / 60 % 60), (int)(sod % 60));
		return true;
	}
	if (date1904)
		days += 1462;
	else if (days == 0)
		return false; /* Excel's "1900-01-00" */
	if (days == 60) {
		(void)snprintf(out, outsz, "1900-02-29");
	} else {
		unix_days = days < 60 ? days - 25568 : days - 25569;
		t = (time_t)(unix_days * 86400);
		if (!gmtime_r(&t, &tm))
			return false;
		(void)snprintf(out, outsz, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		               tm.tm_mday);
	}
	n = strlen(out);
	if (kind & FMT_TIME)
		(void)snprintf(out + n, outsz - n, " %02d:%02d:%02d", (int)(sod / 3600),
		               (int)(sod / 60 % 60), (int)(sod % 60));
	return true;
}

/* The text of a finished cell, or a failure. */
static int ws_cell_text(struct ws *w, const char *where, const char **ret, size_t *ret_len,
                        char num[40])
{
	struct xml *x = &w->x;
	uint64_t i;
	double d;
	char *end = NULL;
	unsigned kind;

	*ret = x->text.data;
	*ret_len = x->text.len;
	switch (w->type) {
	case CT_SHARED:
		if (x->text.len == 0)
			return 0;
		if (!w->sst || w->sst->n == 0 || parse_uint(x->text.data, w->sst->n - 1, &i) < 0)
			return fail(x->p, ERR_INVALID,
			            "%s: cell %s names a shared string that does not exist",
			            x->part, where);
		*ret = w->sst->arena.data + w->sst->off[i];
		*ret_len = strlen(*ret);
		return 0;
	case CT_INLINE:
	case CT_STR:
		xml_unescape(x->text.data, x->text.len, &w->tmp);
		*ret = w->tmp.data;
		*ret_len = w->tmp.len;
		return 0;
	case CT_BOOL:
		if (x->text.len == 0)
			return 0;
		if (!STREQ(x->text.data, "0") && !STREQ(x->text.data, "1"))
			return fail(x->p, ERR_INVALID, "%s: cell %s holds a bad boolean", x->part,
			            where);
		*ret = STREQ(x->text.data, "1") ? "TRUE" : "FALSE";
		*ret_len = strlen(*ret);
		return 0;
	case CT_ERROR:
	case CT_DATE:
		return 0;
	case CT_NUMBER:
		break;
	}
	if (x->text.len == 0)
		return 0;
	errno = 0;
	d = strtod(x->text.data, &end);
	if (end == x->text.data || *end || !isfinite(d) || (errno == ERANGE && fabs(d) >= 1))
		return fail(x->p, ERR_INVALID, "%s: cell %s holds a bad number \"%.20s\"", x->part,
		            where, x->text.data);
	kind = w->style < w->nxf ? w->xf_kind[w->style] : 0;
	if (!(kind && excel_date(d, w->date1904, kind, num, 40))) {
		d += 0.0; /* -0 becomes 0 */
		if (d == floor(d) && fabs(d) < 1e15)
			(void)snprintf(num, 40, "%.0f", d);
		else
			(void)snprintf(num, 40, "%.15g", d);
	}
	*ret = num;
	*ret_len = strlen(num);
	return 0;
}

static void ws_end(struct xml *x, const char *name)
{
	struct ws *w = (struct ws *)x;
	char where[24], num[40];
	const char *s;
	size_t len;
	int r;

	if (STREQ(name, "sheetData")) {
		w->in_data = false;
		return;
	}
	if (!w->in_cell)
		return;
	if (STREQ(name, "v") || STREQ(name, "t")) {
		x->collect = false;
	} else if (STREQ(name, "rPh") && w->rph > 0) {
		w->rph--;
	} else if (STREQ(name, "is")) {
		w->in_is = false;
	} else if (STREQ(name, "c")) {
		w->in_cell = false;
		x->collect = false;
		cell_name(w->cell_row, w->cell_col, where);
		r = ws_cell_text(w, where, &s, &len, num);
		if (r == 0)
			r = grid_put(w->g, w->cell_row, w->cell_col, s, len);
		if (r < 0)
			xml_fail(x, r);
	}
}

/* The worksheet to read: the first visible one in tab order (not a chartsheet), else the
 * first worksheet at all. */
static const struct rel *first_sheet(const struct book *bk, const struct rels *rs)
{
	const struct rel *c;
	size_t pass, i;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < bk->n; i++) {
			c = rel_find(rs, NULL, bk->v[i].rid);
			if (c && (pass == 1 || bk->v[i].visible) &&
			    ends_with(c->type, "/worksheet"))
				return c;
		}
	}
	return NULL;
}

static int read_xlsx(const unsigned char *data, size_t len, struct grid *g, struct problem *p)
{
	struct rels root = { 0 }, wbrels = { 0 };
	struct book bk = { 0 };
	struct styles st = { 0 };
	struct sst ss = { 0 };
	struct ws w = { 0 };
	const struct rel *rl = NULL, *sheet_rel;
	zip_source_t *src;
	zip_error_t ze;
	zip_t *z = NULL;
	char *book_part = NULL, *part = NULL;
	unsigned char *xf_kind = NULL;
	int r;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src)
		z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!z) {
		r = fail(p, ERR_INVALID, "not an XLSX workbook: %s",
		         zip_error_code_zip(&ze) == ZIP_ER_NOZIP
		                 ? "it is not a zip archive"
		                 : zip_reason(zip_error_code_zip(&ze)));
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		return r;
	}
	zip_error_fini(&ze);

	r = read_rels(z, "", &root, p);
	if (r < 0)
		goto out;
	rl = rel_find(&root, "/officeDocument", NULL);
	book_part = rl ? part_path("", rl->target) : xstrdup("xl/workbook.xml");
	if (!book_part) {
		r = fail(p, ERR_INVALID, "not an XLSX workbook: bad relationship target");
		goto out;
	}
	xml_init(&bk.x, p, 1, book_start, NULL);
	r = xml_parse_part(z, book_part, true, &bk.x);
	if (r < 0)
		goto out;
	r = read_rels(z, book_part, &wbrels, p);
	if (r < 0)
		goto out;

	sheet_rel = first_sheet(&bk, &wbrels);
	if (!sheet_rel) {
		r = fail(p, ERR_INVALID, "the workbook has no worksheet");
		goto out;
	}

	rl = rel_find(&wbrels, "/styles", NULL);
	if (rl) {
		part = part_path(book_part, rl->target);
		xml_init(&st.x, p, 1, styles_start, styles_end);
		r = part ? xml_parse_part(z, part, false, &st.x) : 1;
		if (r < 0)
			goto out;
		free(part);
		part = NULL;
	}
	xf_kind = styles_kinds(&st);

	rl = rel_find(&wbrels, "/sharedStrings", NULL);
	xml_init(&ss.x, p, TEXT_MAX_RAW, sst_start, sst_end);
	buf_init(&ss.arena, BUF_NOMAX);
	buf_init(&ss.tmp, BUF_NOMAX);
	if (rl) {
		part = part_path(book_part, rl->target);
		r = part ? xml_parse_part(z, part, false, &ss.x) : 1;
		if (r < 0)
			goto out;
		free(part);
		part = NULL;
	}

	part = part_path(book_part, sheet_rel->target);
	if (!part) {
		r = fail(p, ERR_INVALID, "not an XLSX workbook: bad relationship target");
		goto out;
	}
	xml_init(&w.x, p, TEXT_MAX_RAW, ws_start, ws_end);
	buf_init(&w.tmp, BUF_NOMAX);
	w.g = g;
	w.sst = &ss;
	w.xf_kind = xf_kind;
	w.nxf = st.nxf;
	w.date1904 = bk.date1904;
	w.row = -1;
	r = xml_parse_part(z, part, true, &w.x);
out:
	free(part);
	free(book_part);
	free(xf_kind);
	free(st.fmts);
	free(st.xf_fmt);
	buf_release(&st.x.text);
	sst_release(&ss);
	buf_release(&w.x.text);
	buf_release(&w.tmp);
	book_release(&bk);
	rels_release(&root);
	rels_release(&wbrels);
	zip_discard(z);
	return r;
}

/* --- reading CSV ------------------------------------------------------------------------- */

struct csvst {
	struct grid *g;
	uint64_t row, col;
	int r;
};

static void csv_on_field(void *s, size_t len, void *ud)
{
	struct csvst *cs = ud;

	if (cs->r == 0)
		cs->r = grid_put(cs->g, cs->row, cs->col, s ? s : "", s ? len : 0);
	cs->col++;
}

static void csv_on_row(int c, void *ud)
{
	struct csvst *cs = ud;

	(void)c;
	cs->row++;
	cs->col = 0;
}

/* RFC 4180: spaces belong to the field (libcsv trims them by default). */
static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int read_csv(const unsigned char *data, size_t len, struct grid *g, struct problem *p)
{
	struct csv_parser cp;
	struct csvst cs = { .g = g };
	const uint8_t *bad;
	size_t off, n, line;

	if (len >= 4 && memcmp(data, "\xd0\xcf\x11\xe0", 4) == 0)
		return fail(p, ERR_INVALID,
		            "this is an Excel 97-2003 (.xls) or password-protected "
		            "workbook: save it as .xlsx without a password");
	if (len >= 2 && (memcmp(data, "\xff\xfe", 2) == 0 || memcmp(data, "\xfe\xff", 2) == 0))
		return fail(p, ERR_INVALID, "the file is UTF-16 text: save it as \"CSV UTF-8\"");
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	bad = u8_check(data, len);
	if (!bad && memchr(data, '\0', len))
		bad = memchr(data, '\0', len);
	if (bad) {
		line = 1;
		for (off = 0; off < (size_t)(bad - data); off++)
			line += data[off] == '\n';
		return fail(p, ERR_INVALID,
		            "line %zu is not UTF-8 text (GB18030/GBK files are not supported): "
		            "save the file as \"CSV UTF-8\"",
		            line);
	}
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return -ERR_INTERNAL;
	csv_set_space_func(&cp, csv_no_space);
	for (off = 0; off < len && cs.r == 0; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		if (csv_parse(&cp, data + off, n, csv_on_field, csv_on_row, &cs) != n) {
			cs.r = fail(p, ERR_INVALID,
			            "row %" PRIu64
			            ": misplaced quote (a field holding quotes, commas "
			            "or line breaks must be quoted, its quotes doubled)",
			            cs.row + 1);
			break;
		}
	}
	if (cs.r == 0 && csv_fini(&cp, csv_on_field, csv_on_row, &cs) != 0 && cs.r == 0)
		cs.r = fail(p, ERR_INVALID, "row %" PRIu64 ": a quoted field is never closed",
		            cs.row + 1);
	csv_free(&cp);
	return cs.r;
}

/* --- reading ----------------------------------------------------------------------------- */

enum sheet_format sheet_sniff(const unsigned char *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\3\4", 4) == 0 ? SHEET_XLSX : SHEET_CSV;
}

int sheet_read(const unsigned char *data, size_t len, enum sheet_format fmt, struct sheet *ret,
               struct problem *p)
{
	struct grid g = { .p = p };
	int r;

	if (!data)
		len = 0;
	r = fmt == SHEET_XLSX ? read_xlsx(data ? data : (const unsigned char *)"", len, &g, p)
	                      : read_csv(data ? data : (const unsigned char *)"", len, &g, p);
	if (r < 0) {
		grid_release(&g);
		return r;
	}
	grid_finish(&g, ret);
	return 0;
}

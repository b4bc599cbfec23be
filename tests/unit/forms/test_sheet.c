/*
 * test_sheet.c: spreadsheets in and out (forms/sheet.c). Round trips through XLSX and CSV
 * with Chinese text, empty cells, numbers and awkward characters; formula injection
 * neutralized in CSV and impossible in XLSX; a workbook written by openpyxl and hand-made
 * Excel-style parts (shared strings, phonetic runs, escapes, prefixes, date systems); and
 * hostile input (truncated or fake zips, bad XML, DTDs, zip bombs, bad UTF-8, bad quotes,
 * too many rows) refused with the right kind and code, never a leak.
 */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE /* memmem, mkstemps */
#endif
#include <criterion/criterion.h>
#include <unistd.h>
#include <zip.h>

#include "core/common.h"
#include "core/buf.h"
#include "core/fs.h"
#include "forms/sheet.h"

#ifndef SHEET_FIXTURES
# define SHEET_FIXTURES "tests/unit/forms/fixtures"
#endif

/* --- helpers ------------------------------------------------------------------------------ */

/* The bytes of a fixture: $ISMS_TEST_SRCDIR (set by meson) or SHEET_FIXTURES. */
static unsigned char *fixture(const char *name, size_t *ret_len)
{
	const char *src = getenv("ISMS_TEST_SRCDIR");
	char *path = src ? xasprintf("%s/tests/unit/forms/fixtures/%s", src, name)
	                 : xasprintf("%s/%s", SHEET_FIXTURES, name);
	struct buf b = BUF_INIT(BUF_NOMAX);

	cr_assert_eq(fs_read(path, 1 << 20, &b), 0, "cannot read %s", path);
	free(path);
	return (unsigned char *)buf_detach(&b, ret_len);
}

/* A temporary .xlsx path; the caller unlinks and frees it. */
static char *tmp_xlsx(void)
{
	char *path = xstrdup("/tmp/isms-sheet-XXXXXX.xlsx");
	int fd = mkstemps(path, 5);

	cr_assert_geq(fd, 0);
	close(fd);
	return path;
}

static unsigned char *slurp(const char *path, size_t *ret_len)
{
	struct buf b = BUF_INIT(BUF_NOMAX);

	cr_assert_eq(fs_read(path, 256 << 20, &b), 0);
	return (unsigned char *)buf_detach(&b, ret_len);
}

/* One entry of a zip in memory, NUL-terminated; NULL if absent. The caller frees. */
static char *unzip_entry(const unsigned char *data, size_t len, const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_file_t *zf;
	zip_stat_t st;
	char *out = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	cr_assert_not_null(src);
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	cr_assert_not_null(z);
	if (zip_stat(z, name, 0, &st) == 0) {
		zf = zip_fopen(z, name, 0);
		cr_assert_not_null(zf);
		out = xmalloc(st.size + 1);
		cr_assert_eq(zip_fread(zf, out, st.size), (zip_int64_t)st.size);
		out[st.size] = '\0';
		zip_fclose(zf);
	}
	zip_discard(z);
	zip_error_fini(&ze);
	return out;
}

struct part {
	const char *name;
	const void *data;
	size_t len; /* 0: strlen(data) */
};

/* A zip in memory holding parts; the caller frees. */
static unsigned char *zip_parts(const struct part *parts, size_t n, size_t *ret_len)
{
	zip_error_t ze;
	zip_source_t *src, *fs;
	zip_stat_t st;
	zip_t *z;
	unsigned char *out;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	cr_assert_not_null(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	cr_assert_not_null(z);
	zip_source_keep(src);
	for (i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);

		fs = zip_source_buffer(z, parts[i].data, len, 0);
		cr_assert_not_null(fs);
		cr_assert_geq(zip_file_add(z, parts[i].name, fs, ZIP_FL_ENC_UTF_8), 0);
	}
	cr_assert_eq(zip_close(z), 0);
	zip_stat_init(&st);
	cr_assert_eq(zip_source_stat(src, &st), 0);
	out = xmalloc(st.size ? st.size : 1);
	cr_assert_eq(zip_source_open(src), 0);
	cr_assert_eq(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*ret_len = st.size;
	return out;
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG  "http://schemas.openxmlformats.org/package/2006/relationships"

static const char ROOT_RELS[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" NS_PKG "\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
        "</Relationships>";
static const char WORKBOOK[] =
        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
        "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char WORKBOOK_RELS[] =
        "<Relationships xmlns=\"" NS_PKG "\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" Target=\"/xl/styles.xml\"/>"
        "</Relationships>";
static const char EMPTY_SST[] = "<sst xmlns=\"" NS_MAIN "\"/>";
static const char PLAIN_STYLES[] = "<styleSheet xmlns=\"" NS_MAIN "\"><cellXfs count=\"1\">"
                                   "<xf numFmtId=\"0\"/></cellXfs></styleSheet>";

/* A workbook from its sheet XML (and optionally other parts: NULL = a plain default). */
static unsigned char *xlsx_of(const char *sheet_xml, const char *sst, const char *styles,
                              const char *workbook, size_t *ret_len)
{
	struct part parts[] = {
		{ "_rels/.rels", ROOT_RELS, 0 },
		{ "xl/workbook.xml", workbook ? workbook : WORKBOOK, 0 },
		{ "xl/_rels/workbook.xml.rels", WORKBOOK_RELS, 0 },
		{ "xl/sharedStrings.xml", sst ? sst : EMPTY_SST, 0 },
		{ "xl/styles.xml", styles ? styles : PLAIN_STYLES, 0 },
		{ "xl/worksheets/sheet1.xml", sheet_xml, 0 },
	};

	return zip_parts(parts, ARRAY_SIZE(parts), ret_len);
}

#define SHEET_XML(rows)                                                                            \
 "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows "</sheetData></worksheet>"

static struct sheet table(size_t ncols, size_t nrows, const char *const *cells)
{
	struct sheet s;
	size_t r;

	sheet_init(&s, ncols);
	for (r = 0; r < nrows; r++)
		cr_assert_eq(sheet_add_row(&s, cells + r * ncols), 0);
	return s;
}

/* s holds exactly want (nrows x ncols, row-major, NULL = empty). */
static void check_table(const struct sheet *s, size_t nrows, size_t ncols, const char *const *want)
{
	size_t r, c;

	cr_assert_eq(s->nrows, nrows, "nrows %zu, want %zu", s->nrows, nrows);
	cr_assert_eq(s->ncols, ncols, "ncols %zu, want %zu", s->ncols, ncols);
	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++)
			cr_assert_str_eq(sheet_cell(s, r, c),
			                 want[r * ncols + c] ? want[r * ncols + c] : "",
			                 "cell (%zu,%zu) is \"%s\"", r, c, sheet_cell(s, r, c));
}

static int read_mem(const void *data, size_t len, enum sheet_format fmt, struct sheet *ret,
                    struct problem *p)
{
	return sheet_read(data, len, fmt, ret, p);
}

/* sheet_read fails with kind and code, leaving *ret untouched. */
static void check_refused(const void *data, size_t len, enum sheet_format fmt, enum err kind,
                          const char *detail_part)
{
	struct sheet s = { .nrows = 7, .ncols = 7, .cells = NULL };
	struct problem p = { 0 };

	cr_assert_eq(read_mem(data, len, fmt, &s, &p), -(int)kind, "detail: %s", p.detail);
	cr_assert_str_eq(p.code, kind == ERR_TOO_LARGE ? "too_large" : "invalid");
	cr_assert_str_eq(p.field, "file");
	cr_assert_neq(p.detail[0], '\0');
	if (detail_part)
		cr_assert_not_null(strstr(p.detail, detail_part), "detail: %s", p.detail);
	cr_assert_eq(s.nrows, 7);
	cr_assert_null(s.cells);
}

static void check_xlsx_refused(const char *sheet_xml, enum err kind, const char *detail_part)
{
	size_t len;
	unsigned char *z = xlsx_of(sheet_xml, NULL, NULL, NULL, &len);

	check_refused(z, len, SHEET_XLSX, kind, detail_part);
	free(z);
}

/* The register used by the round trips. */
/* clang-format off */
static const char *const REG[] = {
	"编号", "名称",                    "数量", "备注",              "金额",
	"1",    "服务器 A",                "3",    "含,逗号",           "12.5",
	"2",    "交换机",                  NULL,   "引号\"内\"",        "-3.25",
	NULL,   NULL,                      NULL,   NULL,                NULL,
	"3",    "多行\n文本\r\n第三行",     "7",    "  前后空格  ",      "123456789012345678",
	"4",    "_x0041_ 字面, \x01 控制", "0.1",  "\t制表",            "1000000",
	"5",    "=1+1",                    "-5",   "@who",              "0",
	"6",    "-2+3",                    NULL,   "+86 138 0000 0000", "\rcr",
};
/* clang-format on */
static const enum sheet_cell_kind REG_KINDS[] = { SHEET_NUMBER, SHEET_TEXT, SHEET_NUMBER,
	                                          SHEET_TEXT, SHEET_NUMBER };
#define REG_ROWS (ARRAY_SIZE(REG) / 5)

/* --- the table ---------------------------------------------------------------------------- */

Test(sheet, table_copies_cells_and_reads_empty_as_empty_string)
{
	const char *row[] = { "a", NULL, "" };
	char owned[] = "b";
	const char *row2[] = { owned, "c", "d" };
	struct sheet s;

	sheet_init(&s, 3);
	cr_assert_eq(sheet_add_row(&s, row), 0);
	cr_assert_eq(sheet_add_row(&s, row2), 0);
	owned[0] = 'x';
	cr_assert_eq(s.nrows, 2);
	cr_assert_str_eq(sheet_cell(&s, 0, 0), "a");
	cr_assert_null(s.cells[1]);
	cr_assert_null(s.cells[2]); /* "" is stored as empty */
	cr_assert_str_eq(sheet_cell(&s, 0, 1), "");
	cr_assert_str_eq(sheet_cell(&s, 1, 0), "b");
	cr_assert_str_eq(sheet_cell(&s, 5, 0), "");
	cr_assert_str_eq(sheet_cell(&s, 0, 9), "");
	sheet_free(&s);
	cr_assert_eq(s.nrows, 0);
	sheet_free(&s);
	sheet_free(NULL);
}

Test(sheet, table_grows_past_its_first_allocation)
{
	struct sheet s;
	char n[16];
	const char *row[2] = { n, "x" };
	size_t i;

	sheet_init(&s, 2);
	for (i = 0; i < 1000; i++) {
		(void)snprintf(n, sizeof(n), "%zu", i);
		cr_assert_eq(sheet_add_row(&s, row), 0);
	}
	cr_assert_str_eq(sheet_cell(&s, 999, 0), "999");
	cr_assert_str_eq(sheet_cell(&s, 0, 1), "x");
	sheet_free(&s);
}

Test(sheet, sniff_by_zip_signature)
{
	cr_assert_eq(sheet_sniff((const unsigned char *)"PK\3\4rest", 8), SHEET_XLSX);
	cr_assert_eq(sheet_sniff((const unsigned char *)"PK\3", 3), SHEET_CSV);
	cr_assert_eq(sheet_sniff((const unsigned char *)"a,b\r\n", 5), SHEET_CSV);
	cr_assert_eq(sheet_sniff((const unsigned char *)"", 0), SHEET_CSV);
}

/* --- XLSX out and back -------------------------------------------------------------------- */

static unsigned char *write_reg(const char *title, size_t *ret_len)
{
	struct sheet s = table(5, REG_ROWS, REG);
	char *path = tmp_xlsx();
	unsigned char *data;

	cr_assert_eq(sheet_write_xlsx(path, title, &s, REG_KINDS), 0);
	data = slurp(path, ret_len);
	cr_assert_eq(unlink(path), 0);
	free(path);
	sheet_free(&s);
	return data;
}

Test(sheet, xlsx_round_trip_keeps_text_numbers_and_gaps)
{
	struct problem p = { 0 };
	struct sheet back;
	size_t len;
	unsigned char *data = write_reg("设备台账", &len);

	cr_assert_eq(sheet_sniff(data, len), SHEET_XLSX);
	cr_assert_eq(sheet_read(data, len, SHEET_XLSX, &back, &p), 0, "%s", p.detail);
	check_table(&back, REG_ROWS, 5, REG);
	sheet_free(&back);
	free(data);
}

Test(sheet, xlsx_writes_numbers_only_in_number_columns)
{
	size_t len;
	unsigned char *data = write_reg("t", &len);
	char *ws = unzip_entry(data, len, "xl/worksheets/sheet1.xml");

	cr_assert_not_null(ws);
	/* B2 (text column) is a shared string, C2 and E2 are numbers, E5 (18 digits) is text. */
	cr_assert_not_null(strstr(ws, "<c r=\"C2\"><v>3</v></c>"), "%s", ws);
	cr_assert_not_null(strstr(ws, "<c r=\"E2\"><v>12.5</v></c>"));
	cr_assert_not_null(strstr(ws, "<c r=\"E3\"><v>-3.25</v></c>"));
	cr_assert_not_null(strstr(ws, "<c r=\"E5\" t=\"s\">"));
	cr_assert_not_null(strstr(ws, "<c r=\"C7\"><v>-5</v></c>"));
	cr_assert_not_null(strstr(ws, "<c r=\"E8\" t=\"s\">")); /* "\rcr" is not a number */
	free(ws);
	free(data);
}

Test(sheet, xlsx_never_writes_a_formula)
{
	/* clang-format off */
	static const char *const cells[] = {
		"=1+1",               "标题",
		"=1+1",               "=HYPERLINK(\"http://x\",\"点我\")",
		"+SUM(A1:A2)",        "-1+2",
		"@SUM(1)",            "\t=1",
		"=cmd|' /C calc'!A0", "\r=1",
	};
	/* clang-format on */
	static const enum sheet_cell_kind kinds[] = { SHEET_NUMBER, SHEET_TEXT };
	struct sheet s = table(2, 5, cells), back;
	struct problem p = { 0 };
	char *path = tmp_xlsx(), *ws, *sst;
	unsigned char *data;
	size_t len;

	cr_assert_eq(sheet_write_xlsx(path, "x", &s, kinds), 0);
	data = slurp(path, &len);
	ws = unzip_entry(data, len, "xl/worksheets/sheet1.xml");
	sst = unzip_entry(data, len, "xl/sharedStrings.xml");
	cr_assert_not_null(ws);
	cr_assert_not_null(sst);
	cr_assert_null(strstr(ws, "<f>"));
	cr_assert_null(strstr(ws, "<f "));
	cr_assert_null(strstr(sst, "<f"));
	cr_assert_not_null(strstr(sst, "=HYPERLINK"));
	/* Read back: the very same text, no quote added (XLSX needs none). */
	cr_assert_eq(sheet_read(data, len, SHEET_XLSX, &back, &p), 0, "%s", p.detail);
	check_table(&back, 5, 2, cells);
	sheet_free(&back);
	free(ws);
	free(sst);
	free(data);
	cr_assert_eq(unlink(path), 0);
	free(path);
	sheet_free(&s);
}

Test(sheet, xlsx_header_bold_frozen_and_cjk_width)
{
	/* clang-format off */
	static const char *const cells[] = {
		"名称",                     "name",
		"服务器服务器服务器服务器", "abcdefghijkl",
	};
	/* clang-format on */
	struct sheet s = table(2, 2, cells);
	char *path = tmp_xlsx(), *ws, *styles, *book;
	unsigned char *data;
	size_t len;

	cr_assert_eq(sheet_write_xlsx(path, "a/b:c*d?e[f]g\\h'", &s, NULL), 0);
	data = slurp(path, &len);
	ws = unzip_entry(data, len, "xl/worksheets/sheet1.xml");
	styles = unzip_entry(data, len, "xl/styles.xml");
	book = unzip_entry(data, len, "xl/workbook.xml");
	cr_assert_not_null(strstr(ws, "ySplit=\"1\""), "%s", ws);
	cr_assert_not_null(strstr(ws, "state=\"frozen\""));
	cr_assert_not_null(strstr(styles, "<b/>"));
	cr_assert_not_null(strstr(ws, "<c r=\"A1\" s=\"1\" t=\"s\">"));
	/* 12 CJK characters are 24 columns wide, 12 ASCII 12: +2 padding each
	 * (libxlsxwriter adds its own 0.7109375). */
	cr_assert_not_null(strstr(ws, "<col min=\"1\" max=\"1\" width=\"26.7109375\""), "%s", ws);
	cr_assert_not_null(strstr(ws, "<col min=\"2\" max=\"2\" width=\"14.7109375\""), "%s", ws);
	cr_assert_not_null(strstr(book, "name=\"a_b_c_d_e_f_g_h_\""), "%s", book);
	free(ws);
	free(styles);
	free(book);
	free(data);
	cr_assert_eq(unlink(path), 0);
	free(path);
	sheet_free(&s);
}

Test(sheet, xlsx_title_is_sanitized_and_cut_to_31_characters)
{
	static const char *const cells[] = { "a" };
	struct sheet s = table(1, 1, cells);
	char *path = tmp_xlsx(), *book;
	unsigned char *data;
	size_t len;

	cr_assert_eq(
	        sheet_write_xlsx(path,
	                         "信息安全管理体系资产台账二〇二六年度第一季度全部部门汇总表格扩展",
	                         &s, NULL),
	        0);
	data = slurp(path, &len);
	book = unzip_entry(data, len, "xl/workbook.xml");
	cr_assert_not_null(
	        strstr(book,
	               "name=\"信息安全管理体系资产台账二〇二六年度第一季度全部部门汇总表格扩\""),
	        "%s", book);
	free(book);
	free(data);
	cr_assert_eq(sheet_write_xlsx(path, "", &s, NULL), 0);
	data = slurp(path, &len);
	book = unzip_entry(data, len, "xl/workbook.xml");
	cr_assert_not_null(strstr(book, "name=\"Sheet1\""));
	free(book);
	free(data);
	cr_assert_eq(sheet_write_xlsx(path, "history", &s, NULL), 0);
	data = slurp(path, &len);
	book = unzip_entry(data, len, "xl/workbook.xml");
	cr_assert_not_null(strstr(book, "name=\"History_\""), "%s", book);
	free(book);
	free(data);
	cr_assert_eq(unlink(path), 0);
	free(path);
	sheet_free(&s);
}

Test(sheet, xlsx_refuses_invalid_utf8_and_leaves_no_file)
{
	static const char *const cells[] = { "ok", "\xb1\xe0\xba\xc5" };
	struct sheet s = table(1, 2, cells);
	char *path = tmp_xlsx();

	cr_assert_eq(sheet_write_xlsx(path, "t", &s, NULL), -ERR_INVALID);
	cr_assert_neq(access(path, F_OK), 0);
	free(path);
	sheet_free(&s);
}

Test(sheet, xlsx_of_an_empty_table_reads_back_empty)
{
	struct sheet s, back;
	struct problem p = { 0 };
	char *path = tmp_xlsx();
	unsigned char *data;
	size_t len;

	sheet_init(&s, 3);
	cr_assert_eq(sheet_write_xlsx(path, "t", &s, NULL), 0);
	data = slurp(path, &len);
	cr_assert_eq(sheet_read(data, len, SHEET_XLSX, &back, &p), 0, "%s", p.detail);
	cr_assert_eq(back.nrows, 0);
	cr_assert_eq(back.ncols, 0);
	sheet_free(&back);
	free(data);
	cr_assert_eq(unlink(path), 0);
	free(path);
}

/* --- CSV out and back --------------------------------------------------------------------- */

Test(sheet, csv_exact_output)
{
	/* clang-format off */
	static const char *const cells[] = {
		"编号", "名称",       "备注",
		"1",    "a,b",        "say \"hi\"",
		NULL,   "two\nlines", NULL,
	};
	/* clang-format on */
	static const enum sheet_cell_kind kinds[] = { SHEET_NUMBER, SHEET_TEXT, SHEET_TEXT };
	struct sheet s = table(3, 3, cells);
	struct buf out = BUF_INIT(BUF_NOMAX);

	cr_assert_eq(sheet_write_csv(&out, &s, kinds), 0);
	cr_assert_str_eq(out.data, "\xef\xbb\xbf"
	                           "编号,名称,备注\r\n"
	                           "1,\"a,b\",\"say \"\"hi\"\"\"\r\n"
	                           ",\"two\nlines\",\r\n");
	buf_release(&out);
	sheet_free(&s);
}

Test(sheet, csv_neutralizes_formula_injection)
{
	/* clang-format off */
	static const char *const cells[] = {
		"=head",   "n",
		"=1+1",    "-5",
		"+1",      "-1.5e3",
		"-x",      "=2",
		"@SUM(1)", "+7",
		"\tx",     "",
		"\ry",     "1,000",
	};
	/* clang-format on */
	static const enum sheet_cell_kind kinds[] = { SHEET_TEXT, SHEET_NUMBER };
	struct sheet s = table(2, 7, cells);
	struct buf out = BUF_INIT(BUF_NOMAX);

	cr_assert_eq(sheet_write_csv(&out, &s, kinds), 0);
	cr_assert_str_eq(out.data, "\xef\xbb\xbf"
	                           "\"'=head\",n\r\n"
	                           "\"'=1+1\",-5\r\n"
	                           "\"'+1\",-1.5e3\r\n"
	                           "\"'-x\",\"'=2\"\r\n"
	                           "\"'@SUM(1)\",\"'+7\"\r\n"
	                           "\"'\tx\",\r\n"
	                           "\"'\ry\",\"1,000\"\r\n");
	buf_release(&out);
	sheet_free(&s);
}

Test(sheet, csv_round_trip_adds_only_the_injection_quote)
{
	struct sheet s = table(5, REG_ROWS, REG), back;
	struct buf out = BUF_INIT(BUF_NOMAX);
	struct problem p = { 0 };
	const char *want[ARRAY_SIZE(REG)];
	char *quoted[ARRAY_SIZE(REG)] = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(REG); i++) {
		const char *t = REG[i];
		bool number =
		        i >= 5 && REG_KINDS[i % 5] == SHEET_NUMBER && t && strcmp(t, "\rcr") != 0;

		want[i] = t;
		if (t && strchr("=+-@\t\r", t[0]) && !number)
			want[i] = quoted[i] = xasprintf("'%s", t);
	}
	cr_assert_eq(sheet_write_csv(&out, &s, REG_KINDS), 0);
	cr_assert_eq(sheet_sniff((const unsigned char *)out.data, out.len), SHEET_CSV);
	cr_assert_eq(sheet_read((const unsigned char *)out.data, out.len, SHEET_CSV, &back, &p), 0,
	             "%s", p.detail);
	check_table(&back, REG_ROWS, 5, want);
	for (i = 0; i < ARRAY_SIZE(REG); i++)
		free(quoted[i]);
	sheet_free(&back);
	buf_release(&out);
	sheet_free(&s);
}

Test(sheet, csv_single_column_keeps_empty_rows)
{
	static const char *const cells[] = { "名称", NULL, "x" };
	struct sheet s = table(1, 3, cells), back;
	struct buf out = BUF_INIT(BUF_NOMAX);
	struct problem p = { 0 };

	cr_assert_eq(sheet_write_csv(&out, &s, NULL), 0);
	cr_assert_eq(sheet_read((const unsigned char *)out.data, out.len, SHEET_CSV, &back, &p), 0);
	check_table(&back, 3, 1, cells);
	sheet_free(&back);
	buf_release(&out);
	sheet_free(&s);
}

Test(sheet, csv_write_stops_at_the_buffer_max)
{
	struct sheet s = table(5, REG_ROWS, REG);
	struct buf out = BUF_INIT(64);

	cr_assert_eq(sheet_write_csv(&out, &s, REG_KINDS), -ERR_TOO_LARGE);
	cr_assert_leq(out.len, 64);
	buf_release(&out);
	sheet_free(&s);
}

/* --- CSV in ------------------------------------------------------------------------------- */

static void check_csv(const char *csv, size_t nrows, size_t ncols, const char *const *want)
{
	struct sheet s;
	struct problem p = { 0 };

	cr_assert_eq(read_mem(csv, strlen(csv), SHEET_CSV, &s, &p), 0, "%s", p.detail);
	check_table(&s, nrows, ncols, want);
	sheet_free(&s);
}

Test(sheet, csv_reads_bom_quotes_spaces_and_line_ends)
{
	/* clang-format off */
	static const char *const want[] = {
		"名称",   " 带空格 ", "c",
		"a\r\nb", "x\"y",     NULL,
		NULL,     NULL,       NULL,
		"last",   NULL,       NULL,
	};
	/* clang-format on */

	check_csv("\xef\xbb\xbf名称, 带空格 ,c\r\n\"a\r\nb\",\"x\"\"y\",\n,,\nlast", 4, 3, want);
}

Test(sheet, csv_drops_trailing_empty_rows_and_columns)
{
	static const char *const want[] = { "a", NULL, "b", NULL, NULL, "c" };

	check_csv("a,,b,,\r\n,,c,\r\n,,,,,,\r\n,\r\n", 2, 3, want);
	check_csv("", 0, 0, NULL);
	check_csv("\xef\xbb\xbf", 0, 0, NULL);
	check_csv(",,,\r\n\r\n", 0, 0, NULL);
}

Test(sheet, csv_refuses_invalid_utf8_and_names_the_line)
{
	/* "编号" in GBK. */
	static const char gbk[] = "id,name\r\n1,ok\r\n2,\xb1\xe0\xba\xc5\r\n";

	check_refused(gbk, strlen(gbk), SHEET_CSV, ERR_INVALID, "line 3");
	check_refused(gbk, strlen(gbk), SHEET_CSV, ERR_INVALID, "CSV UTF-8");
	check_refused("a,\0b", 4, SHEET_CSV, ERR_INVALID, NULL);
	check_refused("\xff\xfe"
	              "a\0",
	              4, SHEET_CSV, ERR_INVALID, "UTF-16");
	check_refused("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8, SHEET_CSV, ERR_INVALID, ".xls");
}

Test(sheet, csv_refuses_unbalanced_and_misplaced_quotes)
{
	static const char *const bad[][2] = {
		{ "a,b\r\n\"open,c\r\n", "row 2: a quoted field is never closed" },
		{ "a,\"b\"c,d\r\n", "row 1: misplaced quote" },
		{ "x\r\ny,\"q\"\"\r\n", "never closed" },
		{ "\"", "never closed" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		check_refused(bad[i][0], strlen(bad[i][0]), SHEET_CSV, ERR_INVALID, bad[i][1]);
}

Test(sheet, csv_row_and_column_limits)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	struct sheet s;
	struct problem p = { 0 };
	size_t i;

	for (i = 0; i < SHEET_MAX_ROWS; i++)
		cr_assert_eq(buf_addf(&b, "%zu,行\r\n", i), 0);
	cr_assert_eq(sheet_read((const unsigned char *)b.data, b.len, SHEET_CSV, &s, &p), 0);
	cr_assert_eq(s.nrows, SHEET_MAX_ROWS);
	cr_assert_str_eq(sheet_cell(&s, SHEET_MAX_ROWS - 1, 0), "99999");
	sheet_free(&s);
	cr_assert_eq(buf_adds(&b, "one too many\r\n"), 0);
	check_refused(b.data, b.len, SHEET_CSV, ERR_TOO_LARGE, "100000 rows");
	/* Empty rows past the limit are no rows at all. */
	buf_reset(&b);
	for (i = 0; i < SHEET_MAX_ROWS + 10; i++)
		cr_assert_eq(buf_adds(&b, i == 0 ? "x\r\n" : ",\r\n"), 0);
	check_csv(b.data, 1, 1, (const char *const[]){ "x" });

	buf_reset(&b);
	for (i = 0; i < SHEET_MAX_COLS; i++)
		cr_assert_eq(buf_adds(&b, ","), 0);
	cr_assert_eq(buf_adds(&b, "x\r\n"), 0);
	check_refused(b.data, b.len, SHEET_CSV, ERR_TOO_LARGE, "200 columns");

	buf_reset(&b);
	cr_assert_eq(buf_adds(&b, "\""), 0);
	for (i = 0; i <= SHEET_MAX_CELL; i++)
		cr_assert_eq(buf_addch(&b, 'x'), 0);
	cr_assert_eq(buf_adds(&b, "\"\r\n"), 0);
	check_refused(b.data, b.len, SHEET_CSV, ERR_TOO_LARGE, "A1");
	buf_release(&b);
}

/* --- XLSX in: openpyxl and Excel-style parts ------------------------------------------------ */

Test(sheet, reads_the_openpyxl_fixture)
{
	/* clang-format off */
	static const char *const want[] = {
		"编号", "名称",   NULL, "购置日期",   "登记时间",            "数量",        "在用",  "备注",              "公式",
		"1",    "服务器", NULL, "2024-02-29", "2024-03-01 09:30:15", "3.5",         "TRUE",  "含,逗号与\"引号\"", NULL,
		"2",    "交换机", NULL, "1900-01-15", "2024-03-01 00:00:00", "0.25",        "FALSE", "多行\n文本",        NULL,
		NULL,   NULL,     NULL, NULL,         NULL,                  NULL,          NULL,    NULL,                NULL,
		"3",    "服务器", NULL, "2023-12-31", "13:45:00",            "12345678901", NULL,    "  前后空格  ",      NULL,
	};
	/* clang-format on */
	struct sheet s;
	struct problem p = { 0 };
	size_t len;
	unsigned char *data = fixture("openpyxl.xlsx", &len);

	cr_assert_eq(sheet_sniff(data, len), SHEET_XLSX);
	cr_assert_eq(sheet_read(data, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 5, 9, want);
	sheet_free(&s);
	free(data);
}

Test(sheet, reads_shared_strings_rich_text_and_escapes)
{
	static const char sst[] =
	        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	        "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
	        "<si><t>资产名称</t></si>"
	        "<si><r><rPr><b/></rPr><t>粗体</t></r><r><t xml:space=\"preserve\"> 与常规</t></r></si>"
	        "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
	        "<si><t>a_x000D_b_x005F_x0041_c_x0041_</t></si>"
	        "<si><t/></si>"
	        "</sst>";
	static const char ws[] = SHEET_XML(
	        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
	        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
	        "<c r=\"C2\" t=\"s\"><v>4</v></c></row>"
	        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><r><t>内</t></r><r><t>联</t></r></is></c>"
	        "<c r=\"B3\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
	        "<c r=\"C3\" t=\"str\"><f>A1&amp;\"x\"</f><v>资产名称x</v></c></row>");
	/* clang-format off */
	static const char *const want[] = {
		"资产名称", "粗体 与常规",   NULL,
		"東京",     "a\rb_x0041_cA", NULL,
		"内联",     "#DIV/0!",       "资产名称x",
	};
	/* clang-format on */
	struct sheet s;
	struct problem p = { 0 };
	size_t len;
	unsigned char *z = xlsx_of(ws, sst, NULL, NULL, &len);

	cr_assert_eq(sheet_read(z, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 3, 3, want);
	sheet_free(&s);
	free(z);
}

Test(sheet, reads_numbers_in_their_shortest_form)
{
	static const char ws[] = SHEET_XML(
	        "<row r=\"1\"><c r=\"A1\"><v>0.30000000000000004</v></c><c r=\"B1\"><v>1E-3</v></c>"
	        "<c r=\"C1\"><v>-0</v></c><c r=\"D1\"><v>100.0</v></c><c r=\"E1\" t=\"n\"><v>12345678901234</v></c>"
	        "<c r=\"F1\"><v>1.5e300</v></c><c r=\"G1\"><v>4.9E-324</v></c><c r=\"H1\" t=\"b\"><v>1</v></c>"
	        "<c r=\"I1\"><v></v></c><c r=\"J1\" t=\"d\"><v>2026-11-21T09:30:00</v></c></row>");
	/* clang-format off */
	static const char *const want[] = {
		"0.3", "0.001", "0", "100", "12345678901234", "1.5e+300", "4.94065645841247e-324",
		"TRUE", NULL, "2026-11-21T09:30:00",
	};
	/* clang-format on */
	struct sheet s;
	struct problem p = { 0 };
	size_t len;
	unsigned char *z = xlsx_of(ws, NULL, NULL, NULL, &len);

	cr_assert_eq(sheet_read(z, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 1, 10, want);
	sheet_free(&s);
	free(z);
}

Test(sheet, reads_dates_by_style_and_date_system)
{
	/* xf 0 General, 1 built-in 14, 2 built-in 22, 3 zh-CN 31 (yyyy年m月d日), 4 built-in 20
	 * (h:mm), 5 custom yyyy"年"m"月", 6 custom [Red]0.00 (not a date), 7 custom with the
	 * letters only inside quotes and escapes, 8 custom h:mm:ss AM/PM, 9 custom [h]:mm. */
	static const char styles[] =
	        "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"5\">"
	        "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;\"/>"
	        "<numFmt numFmtId=\"165\" formatCode=\"[Red]0.00\"/>"
	        "<numFmt numFmtId=\"166\" formatCode=\"0&quot; days&quot;\\h_m*d\"/>"
	        "<numFmt numFmtId=\"167\" formatCode=\"h:mm:ss AM/PM\"/>"
	        "<numFmt numFmtId=\"168\" formatCode=\"[h]:mm\"/></numFmts>"
	        "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	        "<cellXfs count=\"10\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"22\"/>"
	        "<xf numFmtId=\"31\"/><xf numFmtId=\"20\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
	        "<xf numFmtId=\"166\"/><xf numFmtId=\"167\"/><xf numFmtId=\"168\"/></cellXfs></styleSheet>";
	static const char ws[] = SHEET_XML(
	        "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>1</v></c><c r=\"B1\" s=\"1\"><v>59</v></c>"
	        "<c r=\"C1\" s=\"1\"><v>60</v></c><c r=\"D1\" s=\"1\"><v>61</v></c>"
	        "<c r=\"E1\" s=\"1\"><v>45617</v></c><c r=\"F1\" s=\"1\"><v>45617.75</v></c>"
	        "<c r=\"G1\" s=\"1\"><v>0</v></c><c r=\"H1\" s=\"1\"><v>2958465</v></c>"
	        "<c r=\"I1\" s=\"1\"><v>2958466</v></c><c r=\"J1\" s=\"1\"><v>-1</v></c></row>"
	        "<row r=\"2\"><c r=\"A2\" s=\"2\"><v>45617.395833333336</v></c><c r=\"B2\" s=\"2\"><v>45617</v></c>"
	        "<c r=\"C2\" s=\"3\"><v>45617</v></c><c r=\"D2\" s=\"4\"><v>0.5</v></c>"
	        "<c r=\"E2\" s=\"5\"><v>45617</v></c><c r=\"F2\" s=\"6\"><v>45617</v></c>"
	        "<c r=\"G2\" s=\"7\"><v>45617</v></c><c r=\"H2\" s=\"8\"><v>0.999988425925926</v></c>"
	        "<c r=\"I2\" s=\"9\"><v>1.5</v></c><c r=\"J2\" s=\"99\"><v>45617</v></c></row>");
	/* clang-format off */
	static const char *const want[] = {
		"1900-01-01",          "1900-02-28",          "1900-02-29", "1900-03-01", "2024-11-21",
		"2024-11-21",          "0",                   "9999-12-31", "2958466",    "-1",
		"2024-11-21 09:30:00", "2024-11-21 00:00:00", "2024-11-21", "12:00:00",   "2024-11-21",
		"45617",               "45617",               "23:59:59",   "1900-01-01 12:00:00", "45617",
	};
	/* clang-format on */
	static const char book1904[] =
	        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
	        "<workbookPr date1904=\"1\"/><sheets>"
	        "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char ws1904[] = SHEET_XML("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c>"
	                                       "<c r=\"B1\" s=\"1\"><v>44155</v></c></row>");
	static const char *const want1904[] = { "1904-01-01", "2024-11-21" };
	struct sheet s;
	struct problem p = { 0 };
	size_t len;
	unsigned char *z = xlsx_of(ws, NULL, styles, NULL, &len);

	cr_assert_eq(sheet_read(z, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 2, 10, want);
	sheet_free(&s);
	free(z);

	z = xlsx_of(ws1904, NULL, styles, book1904, &len);
	cr_assert_eq(sheet_read(z, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 1, 2, want1904);
	sheet_free(&s);
	free(z);
}

Test(sheet, reads_prefixed_namespaces_and_cells_without_references)
{
	/* As the .NET Open XML SDK writes them: "x:" prefixes, rows and cells without r. */
	static const char ws[] =
	        "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
	        "<x:row><x:c t=\"inlineStr\"><x:is><x:t>甲</x:t></x:is></x:c><x:c><x:v>2</x:v></x:c></x:row>"
	        "<x:row><x:c r=\"C2\"><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c></x:row>"
	        "<x:row r=\"4\"><x:c><x:v>5</x:v></x:c></x:row>"
	        "</x:sheetData></x:worksheet>";
	/* clang-format off */
	static const char *const want[] = {
		"甲", "2",  NULL, NULL,
		NULL, NULL, "3",  "4",
		NULL, NULL, NULL, NULL,
		"5",  NULL, NULL, NULL,
	};
	/* clang-format on */
	struct sheet s;
	struct problem p = { 0 };
	size_t len;
	unsigned char *z = xlsx_of(ws, NULL, NULL, NULL, &len);

	cr_assert_eq(sheet_read(z, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 4, 4, want);
	sheet_free(&s);
	free(z);
}

Test(sheet, styled_empty_cells_at_the_bottom_cost_nothing)
{
	static const char ws[] = SHEET_XML(
	        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c><c r=\"B1\" s=\"0\"/></row>"
	        "<row r=\"1048576\"><c r=\"XFD1048576\" s=\"0\"/><c r=\"A1048576\" t=\"inlineStr\"><is><t></t></is></c></row>");
	static const char *const want[] = { "a" };
	struct sheet s;
	struct problem p = { 0 };
	size_t len;
	unsigned char *z = xlsx_of(ws, NULL, NULL, NULL, &len);

	cr_assert_eq(sheet_read(z, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 1, 1, want);
	sheet_free(&s);
	free(z);
}

Test(sheet, takes_the_first_visible_worksheet_not_a_chartsheet)
{
	static const char book[] =
	        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
	        "<sheet name=\"chart\" sheetId=\"1\" r:id=\"rId9\"/>"
	        "<sheet name=\"hidden\" sheetId=\"2\" r:id=\"rId8\" state=\"hidden\"/>"
	        "<sheet name=\"data\" sheetId=\"3\" r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] = "<Relationships xmlns=\"" NS_PKG "\">"
	                           "<Relationship Id=\"rId9\" Type=\"" NS_REL
	                           "/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
	                           "<Relationship Id=\"rId8\" Type=\"" NS_REL
	                           "/worksheet\" Target=\"worksheets/hidden.xml\"/>"
	                           "<Relationship Id=\"rId1\" Type=\"" NS_REL
	                           "/worksheet\" Target=\"./sub/../worksheets/data.xml\"/>"
	                           "<Relationship Id=\"rId7\" Type=\"" NS_REL
	                           "/hyperlink\" Target=\"http://x/\" TargetMode=\"External\"/>"
	                           "</Relationships>";
	struct part parts[] = {
		{ "_rels/.rels", ROOT_RELS, 0 },
		{ "xl/workbook.xml", book, 0 },
		{ "xl/_rels/workbook.xml.rels", rels, 0 },
		{ "xl/worksheets/hidden.xml",
		  SHEET_XML("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), 0 },
		{ "xl/worksheets/data.xml",
		  SHEET_XML("<row r=\"1\"><c r=\"A1\"><v>2</v></c></row>"), 0 },
	};
	struct sheet s;
	struct problem p = { 0 };
	size_t len;
	unsigned char *z = zip_parts(parts, ARRAY_SIZE(parts), &len);

	cr_assert_eq(sheet_read(z, len, SHEET_XLSX, &s, &p), 0, "%s", p.detail);
	check_table(&s, 1, 1, (const char *const[]){ "2" });
	sheet_free(&s);
	free(z);
}

/* --- XLSX in: hostile and broken input ------------------------------------------------------ */

Test(sheet, refuses_what_is_not_a_workbook)
{
	size_t len, i;
	unsigned char *data = fixture("openpyxl.xlsx", &len);
	struct part no_book[] = { { "_rels/.rels", ROOT_RELS, 0 }, { "readme.txt", "hi", 0 } };
	unsigned char *z;
	size_t zlen;

	check_refused("a,b\r\n", 5, SHEET_XLSX, ERR_INVALID, "not a zip");
	check_refused("", 0, SHEET_XLSX, ERR_INVALID, NULL);
	check_refused(NULL, 0, SHEET_XLSX, ERR_INVALID, NULL);
	/* Truncated anywhere: the central directory is at the end. */
	for (i = 1; i < len; i += len / 7)
		check_refused(data, i, SHEET_XLSX, ERR_INVALID, NULL);
	check_refused(data, len - 1, SHEET_XLSX, ERR_INVALID, NULL);
	/* A damaged part: flip bytes inside the compressed data of the sheet we read. */
	{
		static const char name[] = "xl/worksheets/sheet2.xml";
		unsigned char *bad = xmalloc(len), *hdr;
		size_t data_off, csize;

		memcpy(bad, data, len);
		hdr = memmem(bad, len, name, strlen(name));
		cr_assert_not_null(hdr);
		hdr -= 30; /* the local file header */
		cr_assert_eq(memcmp(hdr, "PK\3\4", 4), 0);
		csize = (size_t)hdr[18] | (size_t)hdr[19] << 8 | (size_t)hdr[20] << 16;
		data_off = (size_t)(hdr - bad) + 30 + strlen(name) +
		           ((size_t)hdr[28] | (size_t)hdr[29] << 8);
		cr_assert_gt(csize, 100);
		for (i = csize / 3; i < csize / 3 + 8; i++)
			bad[data_off + i] ^= 0x5a;
		check_refused(bad, len, SHEET_XLSX, ERR_INVALID, "sheet2.xml");
		free(bad);
	}
	z = zip_parts(no_book, ARRAY_SIZE(no_book), &zlen);
	check_refused(z, zlen, SHEET_XLSX, ERR_INVALID, "xl/workbook.xml is missing");
	free(z);
	free(data);
}

Test(sheet, refuses_broken_xml)
{
	check_xlsx_refused("<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>",
	                   ERR_INVALID, "not valid XML");
	check_xlsx_refused("\x89PNG garbage \x00\x01", ERR_INVALID, "not valid XML");
	check_xlsx_refused("", ERR_INVALID, "not valid XML");
	check_xlsx_refused("<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row><c t=\"s\"><v>0</v>",
	                   ERR_INVALID, "not valid XML");
	check_xlsx_refused("<x:worksheet><x:sheetData/></x:worksheet>", ERR_INVALID,
	                   "not valid XML");
}

Test(sheet, refuses_bad_cells)
{
	check_xlsx_refused(SHEET_XML("<row><c r=\"A0\"><v>1</v></c></row>"), ERR_INVALID,
	                   "bad cell reference");
	check_xlsx_refused(SHEET_XML("<row><c r=\"1A\"><v>1</v></c></row>"), ERR_INVALID, NULL);
	check_xlsx_refused(SHEET_XML("<row><c r=\"XFE1\"><v>1</v></c></row>"), ERR_INVALID, NULL);
	check_xlsx_refused(SHEET_XML("<row><c r=\"A1048577\"><v>1</v></c></row>"), ERR_INVALID,
	                   NULL);
	check_xlsx_refused(SHEET_XML("<row r=\"0\"/>"), ERR_INVALID, "bad row number");
	check_xlsx_refused(SHEET_XML("<row><c r=\"B2\" t=\"s\"><v>0</v></c></row>"), ERR_INVALID,
	                   "cell B2 names a shared string");
	check_xlsx_refused(SHEET_XML("<row><c r=\"B2\" t=\"s\"><v>-1</v></c></row>"), ERR_INVALID,
	                   NULL);
	check_xlsx_refused(SHEET_XML("<row><c r=\"C3\"><v>12abc</v></c></row>"), ERR_INVALID,
	                   "cell C3 holds a bad number");
	check_xlsx_refused(SHEET_XML("<row><c r=\"C3\"><v>1e999</v></c></row>"), ERR_INVALID, NULL);
	check_xlsx_refused(SHEET_XML("<row><c r=\"C3\" t=\"b\"><v>yes</v></c></row>"), ERR_INVALID,
	                   "bad boolean");
}

Test(sheet, refuses_a_dtd_and_entity_expansion)
{
	check_xlsx_refused(
	        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
	        "<worksheet><sheetData><row><c r=\"A1\" t=\"inlineStr\"><is><t>&lol2;</t>"
	        "</is></c></row></sheetData></worksheet>",
	        ERR_INVALID, "DTD");
	check_xlsx_refused("<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"file:///etc/passwd\">"
	                   "<worksheet/>",
	                   ERR_INVALID, "DTD");
}

Test(sheet, refuses_a_zip_bomb)
{
	size_t n = SHEET_MAX_ZIP_ENTRY + 1024, len;
	char *big = xmalloc(n);
	static const char head[] = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>";
	unsigned char *z;
	struct part parts[] = {
		{ "_rels/.rels", ROOT_RELS, 0 },
		{ "xl/workbook.xml", WORKBOOK, 0 },
		{ "xl/_rels/workbook.xml.rels", WORKBOOK_RELS, 0 },
		{ "xl/worksheets/sheet1.xml", big, n },
	};

	memset(big, ' ', n);
	memcpy(big, head, strlen(head));
	z = zip_parts(parts, ARRAY_SIZE(parts), &len);
	free(big);
	cr_assert_lt(len, 1 << 20, "the bomb should compress well: %zu bytes", len);
	check_refused(z, len, SHEET_XLSX, ERR_TOO_LARGE, "64 MiB");
	free(z);
}

Test(sheet, refuses_too_many_rows_columns_and_cells)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	size_t i;

	check_xlsx_refused(SHEET_XML("<row r=\"100001\"><c r=\"A100001\"><v>1</v></c></row>"),
	                   ERR_TOO_LARGE, "100000 rows");
	check_xlsx_refused(SHEET_XML("<row r=\"1\"><c r=\"GS1\"><v>1</v></c></row>"), ERR_TOO_LARGE,
	                   "200 columns");
	/* 100000 rows by 200 columns: each allowed, the grid is not. */
	check_xlsx_refused(SHEET_XML("<row r=\"1\"><c r=\"GR1\"><v>1</v></c></row>"
	                             "<row r=\"100000\"><c r=\"A100000\"><v>1</v></c></row>"),
	                   ERR_TOO_LARGE, "cells");
	cr_assert_eq(buf_adds(&b, "<worksheet><sheetData><row><c r=\"A1\" t=\"inlineStr\"><is><t>"),
	             0);
	for (i = 0; i <= SHEET_MAX_CELL; i++)
		cr_assert_eq(buf_addch(&b, 'x'), 0);
	cr_assert_eq(buf_adds(&b, "</t></is></c></row></sheetData></worksheet>"), 0);
	check_xlsx_refused(b.data, ERR_TOO_LARGE, "A1");
	buf_release(&b);
}

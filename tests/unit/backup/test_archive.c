/*
 * test_archive.c: the backup file format — round trip, and every way a damaged, truncated,
 * extended or foreign file must be refused with a sentence that says which.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/common.h"
#include "backup/archive.h"
#include "core/buf.h"
#include "core/fs.h"
#include "fixture.h"

static const char *tmp;
static unsigned char key[ARC_KEY_LEN];

static void setup(void)
{
	fixture_folder("arc");
	tmp = fx.dir;
	randombytes_buf(key, sizeof(key));
}

static char *path_of(const char *name)
{
	return fs_join(tmp, name);
}

/* Writes a backup of a few entries (one of big bytes, incompressible, over several blocks). */
static char *make_backup(size_t big)
{
	char *file = path_of("b.ismsbak"), *src = path_of("src.bin");
	unsigned char *data = malloc(big), sha[32];
	struct arc_writer *w = NULL;
	json_t *m = json_pack("{s:s}", "note", "test");
	uint64_t size = 0;
	int fd;

	randombytes_buf(data, big);
	cr_assert_eq(fs_write_atomic(src, data, big, 0600), 0);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert(fd >= 0);
	cr_assert_eq(arc_writer_open(fd, key, 3, &w), 0);
	cr_assert_eq(arc_add_data(w, "keys/a.key", "secret-key-bytes", 16), 0);
	cr_assert_eq(arc_add_file(w, "isms.db", src), 0);
	cr_assert_eq(arc_add_data(w, "files/ab/cdef", "", 0), 0);
	cr_assert_eq(arc_writer_finish(w, m, &size, sha), 0);
	arc_writer_free(w);
	close(fd);
	{
		struct stat st;

		cr_assert_eq(stat(file, &st), 0);
		cr_assert_eq((uint64_t)st.st_size, size);
	}
	json_decref(m);
	free(data);
	free(src);
	return file;
}

static int extract(const char *file, const char *into, char err[ARC_ERROR_MAX], json_t **m)
{
	char *dest = path_of(into);
	int fd = open(file, O_RDONLY), r;

	cr_assert(fd >= 0);
	cr_assert_eq(fs_mkdir(dest, 0700), 0);
	*m = NULL;
	r = arc_extract(fd, key, dest, m, err);
	close(fd);
	free(dest);
	return r;
}

static void patch(const char *file, off_t at, unsigned char x)
{
	int fd = open(file, O_RDWR);
	unsigned char c;

	cr_assert(fd >= 0);
	cr_assert_eq(pread(fd, &c, 1, at), 1);
	c ^= x;
	cr_assert_eq(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

static off_t size_of(const char *file)
{
	struct stat st;

	cr_assert_eq(stat(file, &st), 0);
	return st.st_size;
}

TestSuite(archive, .init = setup, .fini = fixture_teardown);

Test(archive, round_trip_restores_every_entry_byte_for_byte)
{
	char *file = make_backup(3u << 20), err[ARC_ERROR_MAX], *a, *b;
	struct buf x, y;
	json_t *m;

	cr_assert_eq(extract(file, "out", err, &m), 0, "%s", err);
	cr_assert_eq(json_integer_value(json_object_get(m, "entries")), 3);
	cr_assert_str_eq(json_string_value(json_object_get(m, "note")), "test");
	a = path_of("src.bin");
	b = path_of("out/isms.db");
	buf_init(&x, 0);
	buf_init(&y, 0);
	cr_assert_eq(fs_read(a, 8u << 20, &x), 0);
	cr_assert_eq(fs_read(b, 8u << 20, &y), 0);
	cr_assert_eq(x.len, y.len);
	cr_assert_eq(memcmp(x.data, y.data, x.len), 0);
	buf_release(&x);
	buf_release(&y);
	free(a);
	free(b);
	a = path_of("out/files/ab/cdef");
	cr_assert(fs_exists(a));
	free(a);
	json_decref(m);
	free(file);
}

Test(archive, the_secret_bytes_are_not_in_the_file)
{
	char *file = make_backup(1000);
	struct buf b;

	buf_init(&b, 0);
	cr_assert_eq(fs_read(file, 1u << 20, &b), 0);
	cr_assert_null(memmem(b.data, b.len, "secret-key-bytes", 16));
	cr_assert_null(memmem(b.data, b.len, "keys/a.key", 10));
	buf_release(&b);
	free(file);
}

Test(archive, a_flipped_bit_anywhere_is_refused)
{
	char *file = make_backup(2u << 20), err[ARC_ERROR_MAX];
	off_t n = size_of(file), at[] = { 9, 30, 50, 1000, n / 2, n - 1 };
	size_t i;
	json_t *m;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		char into[16];

		(void)snprintf(into, sizeof(into), "o%zu", i);
		patch(file, at[i], 0x04);
		cr_assert_lt(extract(file, into, err, &m), 0, "flip at %lld accepted",
		             (long long)at[i]);
		cr_assert_null(m);
		cr_assert(err[0] != '\0');
		patch(file, at[i], 0x04);
	}
	cr_assert_eq(extract(file, "good", err, &m), 0, "%s", err);
	json_decref(m);
	free(file);
}

Test(archive, a_truncated_file_says_truncated)
{
	char *file = make_backup(2u << 20), err[ARC_ERROR_MAX];
	off_t n = size_of(file), cut[] = { n - 1, n - 17, n / 2, 1100000, 100, 44, 20 };
	size_t i;
	json_t *m;

	for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		char into[16];

		cr_assert_eq(truncate(file, cut[i]), 0);
		(void)snprintf(into, sizeof(into), "t%zu", i);
		cr_assert_eq(extract(file, into, err, &m), -ERR_INVALID, "cut at %lld",
		             (long long)cut[i]);
		cr_assert(strstr(err, "truncated") || strstr(err, "authentication"),
		          "cut at %lld: %s", (long long)cut[i], err);
	}
	free(file);
}

Test(archive, data_after_the_final_block_is_refused)
{
	char *file = make_backup(1000), err[ARC_ERROR_MAX];
	int fd = open(file, O_WRONLY | O_APPEND);
	json_t *m;

	cr_assert_eq(write(fd, "xxxx", 4), 4);
	close(fd);
	cr_assert_eq(extract(file, "o", err, &m), -ERR_INVALID);
	cr_assert(strstr(err, "after its final block"), "%s", err);
	free(file);
}

Test(archive, another_key_is_named_as_such)
{
	char *file = make_backup(1000), err[ARC_ERROR_MAX];
	json_t *m;

	randombytes_buf(key, sizeof(key));
	cr_assert_eq(extract(file, "o", err, &m), -ERR_FORBIDDEN);
	cr_assert(strstr(err, "another backup key"), "%s", err);
	free(file);
}

Test(archive, not_a_backup_at_all)
{
	char *file = path_of("x"), err[ARC_ERROR_MAX];
	json_t *m;

	cr_assert_eq(fs_write_atomic(file, "SQLite format 3", 15, 0600), 0);
	cr_assert_eq(extract(file, "o", err, &m), -ERR_INVALID);
	cr_assert(strstr(err, "not an isms backup"), "%s", err);
	free(file);
}

Test(archive, names_that_could_leave_the_folder_are_refused)
{
	static const char *const bad[] = { "",     "/etc/passwd", "../x", "a/../b",
		                           "a//b", ".hidden",     "a/.b", "a/b/c/d/e",
		                           "a b",  "a\\b",        "x/" };
	static const char *const good[] = { "isms.db", "keys/audit.key", "files/ab/cdef0123",
		                            "policy/forms.json", "a/b/c/d" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(arc_name_ok(bad[i]), "'%s' accepted", bad[i]);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(arc_name_ok(good[i]), "'%s' refused", good[i]);
}

Test(archive, a_crafted_container_cannot_write_outside)
{
	/* "ISMSARC1" 'F' len=6 "../etc" size=0 sha… 'M' … */
	unsigned char c[64] = "ISMSARC1F\x00\x06../etc";
	char err[ARC_ERROR_MAX];
	json_t *m = NULL;

	cr_assert_eq(arc_parse_container(c, 17, NULL, &m, err), -ERR_INVALID);
	cr_assert(strstr(err, "forbidden name"), "%s", err);
	cr_assert_eq(arc_parse_container("ISMSARC1M\x00\x00\x00\x02{}", 15, NULL, &m, err),
	             -ERR_INVALID);
	cr_assert_eq(arc_parse_container("ISMSARC1", 8, NULL, &m, err), -ERR_INVALID);
	cr_assert(strstr(err, "truncated"), "%s", err);
	cr_assert_eq(arc_parse_container("ISMSARC1M\x00\x00\x00\x18{\"format\":1,\"entries\":0}",
	                                 37, NULL, &m, err),
	             0, "%s", err);
	json_decref(m);
}

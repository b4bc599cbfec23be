/*
 * files.c: the content-addressed file store.
 */
#include "core/common.h"
#include "core/perm.h"

#include "audit/audit.h"
#include "core/actor.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/util.h"
#include "files/files.h"
#include "files/files_int.h"
#include "store/store.h"

#define NAME_MAX_BYTES 255

static bool starts(const unsigned char *d, size_t n, const void *magic, size_t m)
{
	return n >= m && memcmp(d, magic, m) == 0;
}

const char *file_sniff(const void *data, size_t len)
{
	const unsigned char *d = data;

	if (starts(d, len, "%PDF-", 5))
		return "application/pdf";
	if (starts(d, len, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (starts(d, len, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6))
		return "image/gif";
	if (len >= 12 && starts(d, len, "RIFF", 4) && memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (starts(d, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return "application/x-ole-storage"; /* .doc .xls .ppt */
	if (starts(d, len, "PK\x03\x04", 4))
		return "application/zip"; /* .docx .xlsx .pptx .ofd .zip */
	if (len > 0 && !memchr(d, '\0', len) && utf8_valid(data, len, true))
		return "text/plain";
	return NULL;
}

static char *path_of(const char *data_dir, const char *sha, bool make_dirs)
{
	char *files = fs_join(data_dir, "files"), sub[3] = { sha[0], sha[1], '\0' }, *dir, *path;

	if (make_dirs)
		(void)fs_mkdir(files, 0700);
	dir = fs_join(files, sub);
	if (make_dirs)
		(void)fs_mkdir(dir, 0700);
	path = fs_join(dir, sha + 2);
	free(files);
	free(dir);
	return path;
}

int file_put(struct store *st, const char *data_dir, const struct actor *a, const void *data,
             size_t len, const char *name, char ret_sha[SHA256_HEX], char **ret_type,
             struct problem *p)
{
	unsigned char h[SHA256_LEN];
	const char *type;
	char *path = NULL, obj[80];
	json_t *detail;
	int r;

	if (len > FILE_MAX)
		return problem_setf(p, ERR_TOO_LARGE, "too_large", NULL,
		                    "files are limited to %u MiB", FILE_MAX >> 20);
	if (len == 0)
		return problem_setf(p, ERR_INVALID, "invalid", NULL, "the file is empty");
	if (!name || !*name || strlen(name) > NAME_MAX_BYTES ||
	    !utf8_valid(name, strlen(name), false) || strpbrk(name, "/\\"))
		return problem_setf(p, ERR_INVALID, "invalid", "name",
		                    "a file name of at most %d bytes, without / or \\",
		                    NAME_MAX_BYTES);
	type = file_sniff(data, len);
	if (!type)
		return problem_setf(
		        p, ERR_INVALID, "unsupported_file_type", NULL,
		        "allowed: PDF, images (PNG, JPEG, GIF, WebP), Office documents, "
		        "OFD, ZIP and text");
	sha256(data, len, h);
	hex_encode(h, sizeof(h), ret_sha);
	path = path_of(data_dir, ret_sha, true);
	/* Content first, then the row: a crash leaves at worst an unreferenced file. */
	if (!fs_exists(path)) {
		r = fs_write_atomic(path, data, len, 0600);
		if (r < 0)
			goto out;
	}
	r = store_begin(st);
	if (r < 0)
		goto out;
	r = files_store_insert(st, ret_sha, (int64_t)len, type, name, a->user_id);
	if (r == 0 && a->user_id > 0)
		r = files_store_uploader_add(st, ret_sha, a->user_id);
	if (r == 0) {
		(void)snprintf(obj, sizeof(obj), "file:%s", ret_sha);
		detail = json_pack("{s:s, s:I, s:s}", "name", name, "size", (json_int_t)len, "type",
		                   type);
		r = audit_append(st, &(struct audit_event){ .actor = a,
		                                            .action = "file.upload",
		                                            .object = obj,
		                                            .detail = detail });
		json_decref(detail);
	}
	r = store_end(st, r);
	if (r == 0 && ret_type)
		*ret_type = xstrdup(type);
out:
	free(path);
	return r;
}

static file_object_reader object_reader;

void files_set_object_reader(file_object_reader fn)
{
	object_reader = fn;
}

static bool sha_valid(const char *sha)
{
	return sha && strlen(sha) == 64 && strspn(sha, "0123456789abcdef") == 64;
}

bool file_may_read(struct store *st, const struct actor *a, const char *sha)
{
	char *type = NULL, *name = NULL;
	int64_t owner = 0;
	json_t *links = NULL, *e;
	bool yes;
	size_t i;

	if (!sha_valid(sha) || files_store_load(st, sha, &type, &name, &owner) < 0)
		return false;
	free(type);
	free(name);
	yes = a->user_id == 0 || owner == a->user_id || perm_check(a, "files.read_all", 0) ||
	      files_store_uploaded_by(st, sha, a->user_id);
	if (yes || !object_reader || files_store_links(st, sha, &links) < 0)
		return yes;
	json_array_foreach(links, i, e) {
		if (object_reader(st, a, json_string_value(json_object_get(e, "kind")),
		                  json_integer_value(json_object_get(e, "id")))) {
			yes = true;
			break;
		}
	}
	json_decref(links);
	return yes;
}

int file_link(struct store *st, const char *sha, const char *kind, int64_t id)
{
	return sha_valid(sha) ? files_store_link_add(st, sha, kind, id) : -ERR_INVALID;
}

int file_get(struct store *st, const char *data_dir, const struct actor *a, const char *sha,
             struct buf *out, char **ret_type, char **ret_name, struct problem *p)
{
	unsigned char h[SHA256_LEN];
	char again[SHA256_HEX], *path;
	int64_t owner = 0;
	int r;

	if (!sha_valid(sha))
		return problem_setf(p, ERR_INVALID, "invalid", "sha256",
		                    "64 lower-case hex digits");
	if (!file_may_read(st, a, sha))
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	r = files_store_load(st, sha, ret_type, ret_name, &owner);
	if (r == -ERR_NOT_FOUND)
		return problem_set(p, ERR_NOT_FOUND, "not_found", NULL);
	if (r < 0)
		return r;
	path = path_of(data_dir, sha, false);
	r = fs_read(path, FILE_MAX, out);
	free(path);
	if (r == 0) {
		/* Content addressing is also an integrity check: refuse a changed file. */
		sha256(out->data, out->len, h);
		hex_encode(h, sizeof(h), again);
		if (strcmp(again, sha) != 0)
			r = problem_setf(p, ERR_INTERNAL, "internal", NULL,
			                 "the stored file no longer matches its hash");
	}
	if (r < 0) {
		free(*ret_type);
		free(*ret_name);
		*ret_type = *ret_name = NULL;
	}
	return r;
}

/*
 * archive.c: the backup file format (archive.h). Writing: container bytes -> zstd stream ->
 * 1 MiB blocks -> secretstream push -> fd. Reading runs the same pipeline backwards, pulled by
 * the container parser through src_read(), so memory stays at a few MiB for any size.
 */
#include "core/common.h"
#include "backup/archive.h"

#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "core/fs.h"
#include "core/log.h"

#define MAGIC        "ISMSBAK1"
#define ARC_MAGIC    "ISMSARC1"
#define FORMAT       1
#define CIPHER       1 /* crypto_secretstream_xchacha20poly1305 */
#define COMPRESSION  1 /* zstd */
#define BLOCK        (1u << 20)
#define SS_ABYTES    crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADER    crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define IO_CHUNK     (256u << 10)
#define SIZE_MAX_ARC ((uint64_t)1 << 42) /* 4 TiB: larger is a corrupt length */
#define MANIFEST_MAX (16u << 20)
#define SEGMENTS_MAX 4
#define MIN(a, b)    ((a) < (b) ? (a) : (b))

_Static_assert(ARC_HEADER_LEN == 8 + 4 + 8 + SS_HEADER, "header layout");
_Static_assert(ARC_KEY_LEN == crypto_secretstream_xchacha20poly1305_KEYBYTES, "key length");

void arc_key_id(const unsigned char key[ARC_KEY_LEN], unsigned char id[8])
{
	static const char ctx[] = "isms backup key id";

	crypto_generichash(id, 8, (const unsigned char *)ctx, sizeof(ctx) - 1, key, ARC_KEY_LEN);
}

bool arc_name_ok(const char *name)
{
	size_t len = strlen(name), seg = 0;
	int segments = 1;
	const char *c;

	if (len == 0 || len > ARC_NAME_MAX)
		return false;
	for (c = name; *c; c++) {
		if (*c == '/') {
			if (seg == 0 || ++segments > SEGMENTS_MAX)
				return false;
			seg = 0;
			continue;
		}
		if (seg == 0 && *c == '.')
			return false;
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
			return false;
		seg++;
	}
	return seg > 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -ERR_INTERNAL;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads up to n bytes (fewer only at the end of the file). */
static ssize_t read_full(int fd, void *p, size_t n)
{
	unsigned char *c = p;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, c + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* --- writer ----------------------------------------------------------------------------- */

struct arc_writer {
	int fd;
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char header[ARC_HEADER_LEN];
	bool first;
	ZSTD_CCtx *z;
	unsigned char *zbuf; /* compressed bytes waiting for a block */
	size_t zlen;
	unsigned char *cbuf; /* one encrypted block */
	uint64_t written;
	crypto_hash_sha256_state file_sha; /* of every byte written to fd */
	uint64_t entries;
	int failed;
};

static int push_block(struct arc_writer *w, unsigned char tag)
{
	unsigned long long clen = 0;
	unsigned char len[4];

	(void)crypto_secretstream_xchacha20poly1305_push(&w->ss, w->cbuf, &clen, w->zbuf, w->zlen,
	                                                 w->first ? w->header : NULL,
	                                                 w->first ? ARC_HEADER_LEN : 0, tag);
	w->first = false;
	put_be(len, clen, 4);
	if (write_all(w->fd, len, 4) < 0 || write_all(w->fd, w->cbuf, (size_t)clen) < 0)
		return -ERR_INTERNAL;
	crypto_hash_sha256_update(&w->file_sha, len, 4);
	crypto_hash_sha256_update(&w->file_sha, w->cbuf, (size_t)clen);
	w->written += 4 + clen;
	w->zlen = 0;
	return 0;
}

/* Runs the compressor over in with mode, pushing every full block. */
static int compress(struct arc_writer *w, const void *p, size_t n, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { p, n, 0 };
	size_t left;

	do {
		ZSTD_outBuffer out = { w->zbuf, BLOCK, w->zlen };

		left = ZSTD_compressStream2(w->z, &out, &in, mode);
		if (ZSTD_isError(left)) {
			log_error("backup: zstd: %s", ZSTD_getErrorName(left));
			return -ERR_INTERNAL;
		}
		w->zlen = out.pos;
		if (w->zlen == BLOCK && push_block(w, 0) < 0)
			return -ERR_INTERNAL;
	} while (in.pos < in.size || (mode == ZSTD_e_end && left != 0));
	return 0;
}

static int put(struct arc_writer *w, const void *p, size_t n)
{
	if (w->failed == 0 && n > 0)
		w->failed = compress(w, p, n, ZSTD_e_continue);
	return w->failed;
}

int arc_writer_open(int fd, const unsigned char key[ARC_KEY_LEN], int level,
                    struct arc_writer **ret_w)
{
	struct arc_writer *w = xcalloc(1, sizeof(*w));
	unsigned char *h = w->header;

	w->fd = fd;
	w->first = true;
	w->z = ZSTD_createCCtx();
	w->zbuf = xmalloc(BLOCK);
	w->cbuf = xmalloc(BLOCK + SS_ABYTES);
	if (!w->z)
		abort();
	(void)ZSTD_CCtx_setParameter(w->z, ZSTD_c_compressionLevel, level);
	(void)ZSTD_CCtx_setParameter(w->z, ZSTD_c_checksumFlag, 1);
	memcpy(h, MAGIC, 8);
	h[8] = FORMAT;
	h[9] = CIPHER;
	h[10] = COMPRESSION;
	h[11] = 0;
	arc_key_id(key, h + 12);
	(void)crypto_secretstream_xchacha20poly1305_init_push(&w->ss, h + 20, key);
	if (write_all(fd, h, ARC_HEADER_LEN) < 0) {
		arc_writer_free(w);
		return -ERR_INTERNAL;
	}
	w->written = ARC_HEADER_LEN;
	crypto_hash_sha256_init(&w->file_sha);
	crypto_hash_sha256_update(&w->file_sha, h, ARC_HEADER_LEN);
	*ret_w = w;
	return put(w, ARC_MAGIC, 8);
}

static int entry_head(struct arc_writer *w, const char *name, uint64_t size)
{
	unsigned char h[1 + 2 + ARC_NAME_MAX + 8];
	size_t len = strlen(name);

	if (!arc_name_ok(name))
		return -ERR_INVALID;
	h[0] = 'F';
	put_be(h + 1, len, 2);
	memcpy(h + 3, name, len);
	put_be(h + 3 + len, size, 8);
	w->entries++;
	return put(w, h, 3 + len + 8);
}

int arc_add_data(struct arc_writer *w, const char *name, const void *p, size_t n)
{
	int r = entry_head(w, name, n);

	return r < 0 ? r : put(w, p, n);
}

int arc_add_file(struct arc_writer *w, const char *name, const char *path)
{
	unsigned char *chunk = NULL;
	uint64_t left;
	struct stat stt;
	int fd, r = -ERR_INTERNAL;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		log_error("backup: cannot open '%s': %s", path, strerror(errno));
		return errno == ENOENT ? -ERR_NOT_FOUND : -ERR_INTERNAL;
	}
	if (fstat(fd, &stt) != 0 || !S_ISREG(stt.st_mode))
		goto out;
	left = (uint64_t)stt.st_size;
	r = entry_head(w, name, left);
	if (r < 0)
		goto out;
	chunk = xmalloc(IO_CHUNK);
	while (left > 0) {
		ssize_t n = read_full(fd, chunk, left < IO_CHUNK ? (size_t)left : IO_CHUNK);

		if (n <= 0) {
			log_error("backup: '%s' shrank while it was read", path);
			r = -ERR_INTERNAL;
			goto out;
		}
		r = put(w, chunk, (size_t)n);
		if (r < 0)
			goto out;
		left -= (uint64_t)n;
	}
	r = 0;
out:
	free(chunk);
	close(fd);
	return r;
}

int arc_writer_finish(struct arc_writer *w, json_t *manifest, uint64_t *ret_size,
                      unsigned char ret_sha[32])
{
	unsigned char h[5];
	char *text;
	size_t len;
	int r;

	if (w->failed)
		return w->failed;
	json_object_set_new(manifest, "format", json_integer(FORMAT));
	json_object_set_new(manifest, "entries", json_integer((json_int_t)w->entries));
	text = json_dumps(manifest, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return -ERR_INTERNAL;
	len = strlen(text);
	h[0] = 'M';
	put_be(h + 1, len, 4);
	r = put(w, h, sizeof(h));
	if (r == 0)
		r = put(w, text, len);
	free(text);
	if (r == 0)
		r = compress(w, NULL, 0, ZSTD_e_end);
	if (r == 0)
		r = push_block(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
	if (r == 0 && ret_size)
		*ret_size = w->written;
	if (r == 0 && ret_sha)
		crypto_hash_sha256_final(&w->file_sha, ret_sha);
	w->failed = r;
	return r;
}

void arc_writer_free(struct arc_writer *w)
{
	if (!w)
		return;
	sodium_memzero(&w->ss, sizeof(w->ss));
	ZSTD_freeCCtx(w->z);
	free(w->zbuf);
	free(w->cbuf);
	free(w);
}

/* --- reader ----------------------------------------------------------------------------- */

/* The container's byte source: a buffer (mem), or the file through secretstream and zstd. */
struct src {
	const unsigned char *mem;
	size_t memlen, mempos;

	int fd;
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char header[ARC_HEADER_LEN];
	int blocks;
	bool final;
	ZSTD_DCtx *z;
	size_t zret; /* 0 once a zstd frame is complete */
	unsigned char *cbuf, *pbuf, *obuf;
	size_t plen, ppos, olen, opos;
	char *err;
};

static int fail(struct src *s, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct src *s, int r, const char *fmt, ...)
{
	va_list ap;

	if (s->err[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(s->err, ARC_ERROR_MAX, fmt, ap);
		va_end(ap);
	}
	return r;
}

/* Decrypts the next block into pbuf: 1 = a block, 0 = none left after the final one. */
static int next_block(struct src *s)
{
	unsigned char len[4], tag = 0;
	unsigned long long plen = 0;
	ssize_t n;
	uint64_t clen;

	n = read_full(s->fd, len, 4);
	if (n < 0)
		return fail(s, -ERR_INTERNAL, "cannot read the backup file: %s", strerror(errno));
	if (s->final) {
		if (n != 0)
			return fail(
			        s, -ERR_INVALID,
			        "the backup file has data after its final block: it was altered");
		return 0;
	}
	if (n < 4)
		return fail(
		        s, -ERR_INVALID,
		        "the backup file is truncated: it ends before its final block (block %d)",
		        s->blocks + 1);
	clen = get_be(len, 4);
	if (clen < SS_ABYTES || clen > BLOCK + SS_ABYTES)
		return fail(s, -ERR_INVALID,
		            "block %d of the backup file has an impossible length: "
		            "the file is corrupted",
		            s->blocks + 1);
	n = read_full(s->fd, s->cbuf, (size_t)clen);
	if (n < 0)
		return fail(s, -ERR_INTERNAL, "cannot read the backup file: %s", strerror(errno));
	if ((uint64_t)n < clen)
		return fail(s, -ERR_INVALID, "the backup file is truncated inside block %d",
		            s->blocks + 1);
	if (crypto_secretstream_xchacha20poly1305_pull(&s->ss, s->pbuf, &plen, &tag, s->cbuf, clen,
	                                               s->blocks == 0 ? s->header : NULL,
	                                               s->blocks == 0 ? ARC_HEADER_LEN : 0) != 0)
		return fail(
		        s, -ERR_INVALID,
		        "block %d of the backup file fails its authentication check: the file is "
		        "corrupted or was altered",
		        s->blocks + 1);
	s->blocks++;
	s->plen = (size_t)plen;
	s->ppos = 0;
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
		s->final = true;
	return 1;
}

/* Refills obuf with container bytes: 1 = some, 0 = the end of the container. */
static int refill(struct src *s)
{
	int r;

	if (s->mem)
		return 0;
	for (;;) {
		ZSTD_outBuffer out = { s->obuf, IO_CHUNK, 0 };
		ZSTD_inBuffer in = { s->pbuf, s->plen, s->ppos };

		if (in.pos < in.size || s->zret != 0) {
			s->zret = ZSTD_decompressStream(s->z, &out, &in);
			if (ZSTD_isError(s->zret))
				return fail(s, -ERR_INVALID,
				            "the backup's compressed data is damaged (%s)",
				            ZSTD_getErrorName(s->zret));
			s->ppos = in.pos;
			if (out.pos > 0) {
				s->olen = out.pos;
				s->opos = 0;
				return 1;
			}
			if (in.pos < in.size)
				continue;
		}
		r = next_block(s);
		if (r <= 0)
			return r;
	}
}

/* Reads exactly n container bytes; what = the part being read, for the message. */
static int src_read(struct src *s, void *p, size_t n, const char *what)
{
	unsigned char *c = p;
	int r;

	while (n > 0) {
		size_t take;

		if (s->mem) {
			if (s->mempos == s->memlen)
				return fail(s, -ERR_INVALID,
				            "the backup ends inside %s: it is truncated", what);
			take = MIN(n, s->memlen - s->mempos);
			memcpy(c, s->mem + s->mempos, take);
			s->mempos += take;
		} else {
			if (s->opos == s->olen) {
				r = refill(s);
				if (r < 0)
					return r;
				if (r == 0)
					return fail(s, -ERR_INVALID,
					            "the backup ends inside %s: it is truncated",
					            what);
			}
			take = MIN(n, s->olen - s->opos);
			memcpy(c, s->obuf + s->opos, take);
			s->opos += take;
		}
		c += take;
		n -= take;
	}
	return 0;
}

/* After the manifest: nothing may follow, the zstd frame must be complete and the file
 * must end with its final block. */
static int src_end(struct src *s)
{
	int r;

	if (s->mem)
		return s->mempos == s->memlen
		               ? 0
		               : fail(s, -ERR_INVALID, "the backup has data after its manifest");
	if (s->opos < s->olen)
		return fail(s, -ERR_INVALID, "the backup has data after its manifest");
	r = refill(s);
	if (r < 0)
		return r;
	if (r > 0)
		return fail(s, -ERR_INVALID, "the backup has data after its manifest");
	if (s->zret != 0)
		return fail(s, -ERR_INVALID,
		            "the backup's compressed data ends early: it is truncated");
	return 0;
}

/* Creates the folders of name below dest. */
static int make_parents(const char *dest, const char *name)
{
	char path[PATH_MAX];
	size_t i, dl = strlen(dest);
	int r;

	if (dl + 1 + strlen(name) >= sizeof(path))
		return -ERR_INVALID;
	memcpy(path, dest, dl);
	path[dl] = '/';
	for (i = 0; name[i]; i++) {
		if (name[i] == '/') {
			path[dl + 1 + i] = '\0';
			r = fs_mkdir(path, 0700);
			if (r < 0)
				return r;
		}
		path[dl + 1 + i] = name[i];
	}
	return 0;
}

static int read_entry(struct src *s, const char *dest, unsigned char *chunk)
{
	unsigned char h[8];
	char name[ARC_NAME_MAX + 1], *path = NULL;
	uint64_t size, len;
	int fd = -1, r;

	r = src_read(s, h, 2, "an entry's name");
	if (r < 0)
		return r;
	len = get_be(h, 2);
	if (len == 0 || len > ARC_NAME_MAX)
		return fail(s, -ERR_INVALID,
		            "the backup has an entry with an impossible name length");
	r = src_read(s, name, (size_t)len, "an entry's name");
	if (r < 0)
		return r;
	name[len] = '\0';
	if (strlen(name) != len || !arc_name_ok(name))
		return fail(s, -ERR_INVALID, "the backup has an entry with a forbidden name");
	r = src_read(s, h, 8, "an entry's size");
	if (r < 0)
		return r;
	size = get_be(h, 8);
	if (size > SIZE_MAX_ARC)
		return fail(s, -ERR_INVALID, "the backup's entry '%s' has an impossible size",
		            name);
	if (dest) {
		r = make_parents(dest, name);
		if (r < 0)
			return fail(s, r, "cannot create the folders of '%s' below '%s'", name,
			            dest);
		path = fs_join(dest, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			r = errno == EEXIST
			            ? fail(s, -ERR_INVALID, "the backup holds '%s' twice", name)
			            : fail(s, -ERR_INTERNAL, "cannot create '%s': %s", path,
			                   strerror(errno));
			goto out;
		}
	}
	while (size > 0) {
		size_t n = size < IO_CHUNK ? (size_t)size : IO_CHUNK;

		r = src_read(s, chunk, n, name);
		if (r < 0)
			goto out;
		if (fd >= 0 && write_all(fd, chunk, n) < 0) {
			r = fail(s, -ERR_INTERNAL, "cannot write '%s': %s", path, strerror(errno));
			goto out;
		}
		size -= n;
	}
out:
	if (fd >= 0 && close(fd) != 0 && r == 0)
		r = fail(s, -ERR_INTERNAL, "cannot write '%s': %s", path, strerror(errno));
	free(path);
	return r;
}

static int parse(struct src *s, const char *dest, json_t **ret_manifest)
{
	unsigned char magic[8], h[4], *chunk = xmalloc(IO_CHUNK);
	json_int_t entries = 0;
	json_t *m = NULL, *n;
	char *text = NULL;
	uint64_t len;
	int r;

	r = src_read(s, magic, 8, "the container's header");
	if (r < 0)
		goto out;
	if (memcmp(magic, ARC_MAGIC, 8) != 0) {
		r = fail(s, -ERR_INVALID, "the backup's content is not an isms archive");
		goto out;
	}
	for (;;) {
		r = src_read(s, h, 1, "the next entry");
		if (r < 0)
			goto out;
		if (h[0] == 'M')
			break;
		if (h[0] != 'F') {
			r = fail(s, -ERR_INVALID, "the backup has an unknown entry kind");
			goto out;
		}
		r = read_entry(s, dest, chunk);
		if (r < 0)
			goto out;
		entries++;
	}
	r = src_read(s, h, 4, "the manifest");
	if (r < 0)
		goto out;
	len = get_be(h, 4);
	if (len == 0 || len > MANIFEST_MAX) {
		r = fail(s, -ERR_INVALID, "the backup's manifest has an impossible length");
		goto out;
	}
	text = xmalloc((size_t)len);
	r = src_read(s, text, (size_t)len, "the manifest");
	if (r < 0)
		goto out;
	m = json_loadb(text, (size_t)len, JSON_REJECT_DUPLICATES, NULL);
	n = json_object_get(m, "entries");
	if (!json_is_object(m) || json_integer_value(json_object_get(m, "format")) != FORMAT ||
	    !json_is_integer(n)) {
		r = fail(s, -ERR_INVALID, "the backup's manifest is not valid");
		goto out;
	}
	if (json_integer_value(n) != entries) {
		r = fail(s, -ERR_INVALID,
		         "the backup's manifest lists %lld entries but it holds %lld",
		         (long long)json_integer_value(n), (long long)entries);
		goto out;
	}
	r = src_end(s);
	if (r < 0)
		goto out;
	*ret_manifest = m;
	m = NULL;
out:
	json_decref(m);
	free(text);
	free(chunk);
	return r;
}

int arc_parse_container(const void *p, size_t n, const char *dest, json_t **ret_manifest,
                        char err[ARC_ERROR_MAX])
{
	struct src s = { .mem = p, .memlen = n, .fd = -1, .err = err };

	err[0] = '\0';
	return parse(&s, dest, ret_manifest);
}

int arc_extract(int fd, const unsigned char key[ARC_KEY_LEN], const char *dest,
                json_t **ret_manifest, char err[ARC_ERROR_MAX])
{
	struct src s = { .fd = fd, .err = err, .zret = 1 };
	unsigned char id[8];
	ssize_t n;
	int r;

	err[0] = '\0';
	n = read_full(fd, s.header, ARC_HEADER_LEN);
	if (n < 0)
		return fail(&s, -ERR_INTERNAL, "cannot read the backup file: %s", strerror(errno));
	if (n < 8 || memcmp(s.header, MAGIC, 8) != 0)
		return fail(&s, -ERR_INVALID, "this is not an isms backup file");
	if (n < ARC_HEADER_LEN)
		return fail(&s, -ERR_INVALID, "the backup file is truncated inside its header");
	if (s.header[8] != FORMAT || s.header[9] != CIPHER || s.header[10] != COMPRESSION)
		return fail(&s, -ERR_INVALID,
		            "the backup uses format %u/%u/%u, which this isms cannot read",
		            s.header[8], s.header[9], s.header[10]);
	arc_key_id(key, id);
	if (sodium_memcmp(id, s.header + 12, 8) != 0)
		return fail(&s, -ERR_FORBIDDEN,
		            "the backup was made with another backup key: give the key of the data "
		            "folder it came from (--key)");
	if (crypto_secretstream_xchacha20poly1305_init_pull(&s.ss, s.header + 20, key) != 0)
		return fail(&s, -ERR_INVALID, "the backup file's header is damaged");
	s.z = ZSTD_createDCtx();
	s.cbuf = xmalloc(BLOCK + SS_ABYTES);
	s.pbuf = xmalloc(BLOCK);
	s.obuf = xmalloc(IO_CHUNK);
	if (!s.z)
		abort();
	r = parse(&s, dest, ret_manifest);
	sodium_memzero(&s.ss, sizeof(s.ss));
	ZSTD_freeDCtx(s.z);
	free(s.cbuf);
	free(s.pbuf);
	free(s.obuf);
	return r;
}

/*
 * fs.c: the file helpers of fs.h.
 */
#include "core/common.h"
#include "core/fs.h"
#include "core/buf.h"

#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_mkdir(const char *path, mode_t mode)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return 0;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return -ERR_INTERNAL;
}

int fs_sync_parent(const char *path)
{
	char *copy = xstrdup(path);
	int fd, r = 0;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		r = -ERR_INTERNAL;
	if (fd >= 0)
		close(fd);
	free(copy);
	return r;
}

int fs_write_atomic(const char *path, const void *p, size_t n, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	const char *q = p;
	int fd = -1, r = -ERR_INTERNAL;
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		errno = ELOOP;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		goto out;
	if (fchmod(fd, mode) != 0)
		goto out;
	while (n > 0) {
		ssize_t w = write(fd, q, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto out;
		q += w;
		n -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto out;
	close(fd);
	fd = -1;
	if (rename(tmp, path) != 0)
		goto out;
	r = fs_sync_parent(path);
out:
	if (fd >= 0)
		close(fd);
	if (r < 0)
		(void)unlink(tmp);
	free(tmp);
	return r;
}

int fs_read(const char *path, size_t max, struct buf *b)
{
	char chunk[8192];
	size_t total = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ERR_NOT_FOUND : -ERR_INTERNAL;
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -ERR_INTERNAL;
			break;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			r = -ERR_TOO_LARGE;
			break;
		}
		r = buf_add(b, chunk, (size_t)n);
		if (r < 0)
			break;
	}
	close(fd);
	return r;
}

int fs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

char *fs_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

int fs_read_key(const char *path, void *key, size_t len)
{
	unsigned char tmp[256];
	struct stat st;
	size_t got = 0;
	int fd, r = -ERR_INTERNAL;

	if (len >= sizeof(tmp))
		return -ERR_INVALID;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT  ? -ERR_NOT_FOUND
		       : errno == ELOOP ? -ERR_FORBIDDEN
		                        : -ERR_INTERNAL;
	if (fstat(fd, &st) != 0)
		goto out;
	/* As ssh does for private keys: a key others can read is no longer a secret. */
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0 ||
	    (st.st_uid != geteuid() && geteuid() != 0)) {
		r = -ERR_FORBIDDEN;
		goto out;
	}
	if ((uint64_t)st.st_size != len) {
		r = -ERR_INVALID;
		goto out;
	}
	while (got < len + 1) {
		ssize_t n = read(fd, tmp + got, len + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got != len) {
		r = -ERR_INVALID;
		goto out;
	}
	memcpy(key, tmp, len);
	r = 0;
out:
	sodium_memzero(tmp, sizeof(tmp));
	close(fd);
	return r;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int fs_remove_tree(const char *path)
{
	if (!fs_exists(path))
		return 0;
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -ERR_INTERNAL;
}

/* Reads fd in to its end, hashing every byte into sha and writing it to out (when >= 0). */
static int hash_stream(int in, int out, unsigned char sha[32])
{
	unsigned char *chunk = xmalloc(1u << 18);
	crypto_hash_sha256_state hs;
	int r = -ERR_INTERNAL;

	crypto_hash_sha256_init(&hs);
	for (;;) {
		ssize_t n = read(in, chunk, 1u << 18), w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		crypto_hash_sha256_update(&hs, chunk, (size_t)n);
		while (out >= 0 && w < n) {
			ssize_t k = write(out, chunk + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				goto out;
			w += k;
		}
	}
	crypto_hash_sha256_final(&hs, sha);
	r = 0;
out:
	free(chunk);
	return r;
}

int fs_copy_durable(const char *from, const char *to, unsigned char sha[32])
{
	char *tmp = xasprintf("%s.partial", to);
	int in = -1, out = -1, r = -ERR_INTERNAL;

	in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (in < 0 || out < 0 || hash_stream(in, out, sha) < 0)
		goto out;
	if (fsync(out) != 0 || close(out) != 0) {
		out = -1;
		goto out;
	}
	out = -1;
	if (rename(tmp, to) != 0)
		goto out;
	r = fs_sync_parent(to);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (r < 0)
		(void)unlink(tmp);
	free(tmp);
	return r;
}

int fs_sha256_file(const char *path, unsigned char sha[32])
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), r;

	if (fd < 0)
		return errno == ENOENT ? -ERR_NOT_FOUND : -ERR_INTERNAL;
	r = hash_stream(fd, -1, sha);
	close(fd);
	return r;
}

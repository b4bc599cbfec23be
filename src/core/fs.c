/*
 * fs.c: the file helpers of fs.h.
 */
#include "core/common.h"
#include "core/fs.h"
#include "core/buf.h"

#include <fcntl.h>
#include <libgen.h>
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

static int fsync_dir_of(const char *path)
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
	r = fsync_dir_of(path);
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

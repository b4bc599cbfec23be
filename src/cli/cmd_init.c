/*
 * cmd_init.c: isms init --data DIR [--password-file FILE] [--org NAME]
 *
 * Creates the data folder (0700), its keys (keys/ 0700, files 0600), the database, and the
 * three separated administrators sysadmin, secadmin and auditadmin, each with a random
 * one-time password that must be changed at first login (SPEC OPS-1, ID-3; ASVS A7: no
 * default accounts with known passwords).
 */
#include "core/common.h"
#include "core/actor.h"
#include "core/buf.h"
#include "core/embedded.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/util.h"
#include "app/app.h"
#include "audit/audit.h"
#include "crypto/seal.h"
#include "backup/backup.h"
#include "cli/cli.h"
#include "org/org.h"
#include "store/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *username, *display_name;
	unsigned role;
	const char *role_text;
} admins[] = {
	{ "sysadmin", "系统管理员", ROLE_SYS_ADMIN, "system administrator / 系统管理员" },
	{ "secadmin", "安全管理员", ROLE_SECURITY_ADMIN, "security administrator / 安全管理员" },
	{ "auditadmin", "审计管理员", ROLE_AUDIT_ADMIN, "audit administrator / 审计管理员" },
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: isms init --data DIR [--password-file FILE] [--org NAME] [--demo]\n\n"
	        "Creates a new data folder with the three administrators sysadmin (系统管理员),\n"
	        "secadmin (安全管理员) and auditadmin (审计管理员). Their one-time passwords\n"
	        "are printed, or written to FILE (mode 0600) as lines 'NAME PASSWORD'.\n\n"
	        "  --data DIR            the data folder to create (must not hold isms data)\n"
	        "  --password-file FILE  write the one-time passwords here instead of printing\n"
	        "  --org NAME            the organization's name (shown in authenticator apps)\n"
	        "  --demo                add a demo hospital: departments, staff and work under way\n"
	        "                        (示例数据：科室、人员、投诉、借阅、申请)\n");
}

/* DIR may exist only when empty. */
static int prepare_dir(const char *dir)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST) {
		fprintf(stderr, "isms: cannot create '%s': %s\n", dir, strerror(errno));
		return -ERR_INTERNAL;
	}
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "isms: cannot open '%s': %s\n", dir, strerror(errno));
		return -ERR_INTERNAL;
	}
	while ((e = readdir(d)))
		if (!STREQ(e->d_name, ".") && !STREQ(e->d_name, ".."))
			n++;
	closedir(d);
	if (n > 0) {
		fprintf(stderr, "isms: '%s' is not empty; isms init needs a new or empty folder\n",
		        dir);
		return -ERR_CONFLICT;
	}
	if (chmod(dir, 0700) != 0) {
		fprintf(stderr, "isms: cannot chmod '%s': %s\n", dir, strerror(errno));
		return -ERR_INTERNAL;
	}
	return 0;
}

static int write_password_file(const char *path, const struct buf *b)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	ssize_t w;

	if (fd < 0) {
		fprintf(stderr, "isms: cannot write '%s': %s\n", path, strerror(errno));
		return -ERR_INTERNAL;
	}
	if (fchmod(fd, 0600) != 0 || (w = write(fd, b->data, b->len)) < 0 || (size_t)w != b->len ||
	    fsync(fd) != 0) {
		fprintf(stderr, "isms: cannot write '%s': %s\n", path, strerror(errno));
		close(fd);
		return -ERR_INTERNAL;
	}
	close(fd);
	return 0;
}

static int create_folder(const char *dir, const char *org)
{
	char *keys = fs_join(dir, "keys"), *files = fs_join(dir, "files");
	char *backups = fs_join(dir, "backups"), *db = fs_join(dir, "isms.db");
	unsigned char rnd[4];
	char hex[9], *origin = NULL;
	struct store *st = NULL;
	int r;

	r = fs_mkdir(keys, 0700);
	if (r == 0)
		r = fs_mkdir(files, 0700);
	if (r == 0)
		r = fs_mkdir(backups, 0700);
	if (r < 0) {
		fprintf(stderr, "isms: cannot create the folders of '%s': %s\n", dir,
		        strerror(errno));
		goto out;
	}
	randombytes_buf(rnd, sizeof(rnd));
	hex_encode(rnd, sizeof(rnd), hex);
	origin = xasprintf("isms.local/%s", hex);
	r = seal_key_create(keys);
	if (r == 0)
		r = audit_keys_create(keys, origin);
	if (r == 0)
		r = backup_key_ensure(keys);
	if (r < 0) {
		fprintf(stderr, "isms: cannot create the keys in '%s'\n", keys);
		goto out;
	}
	r = store_open(db, true, &st);
	if (r == 0)
		r = store_migrate(st, embedded_migrations, embedded_migrations_count);
	if (r < 0) {
		fprintf(stderr, "isms: cannot create the database '%s'\n", db);
		goto out;
	}
	if (org && *org) {
		r = settings_set_org_name(st, org);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	store_free(st);
	free(origin);
	free(keys);
	free(files);
	free(backups);
	free(db);
	return r;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "org", required_argument, NULL, 'o' },
		{ "demo", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *pwfile = NULL, *org = NULL;
	struct buf out = BUF_INIT(0);
	struct app *a = NULL;
	struct actor act;
	struct problem p = { 0 };
	bool demo = false;
	size_t i;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'p':
			pwfile = optarg;
			break;
		case 'o':
			org = optarg;
			break;
		case 'D':
			demo = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!dir || !*dir || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (org && (strlen(org) > 100 || !utf8_valid(org, strlen(org), false))) {
		fprintf(stderr, "isms: --org must be at most 100 bytes of text\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	r = prepare_dir(dir);
	if (r < 0)
		return 1;
	r = create_folder(dir, org);
	if (r < 0)
		return 1;
	r = app_open(dir, &a);
	if (r < 0)
		return 1;
	cli_actor(&act);
	{
		struct store *st = app_store(a);

		r = audit_record(st, &(struct audit_event){ .actor = &act,
		                                            .action = "system.init",
		                                            .object = "data_folder" });
		for (i = 0; r == 0 && i < ARRAY_SIZE(admins); i++) {
			struct user_input in = { .username = admins[i].username,
				                 .display_name = admins[i].display_name };
			char *pw = NULL;
			int64_t id;

			r = org_user_create(st, &act, &in, admins[i].role, &id, &pw, &p);
			if (r < 0)
				break;
			if (pwfile)
				(void)buf_addf(&out, "%s %s\n", admins[i].username, pw);
			else
				(void)buf_addf(&out, "  %-11s %s   %s\n", admins[i].username, pw,
				               admins[i].role_text);
			sodium_memzero(pw, strlen(pw));
			free(pw);
		}
		if (r == 0 && demo) {
			if (!pwfile)
				(void)buf_adds(&out, "Demo people (示例人员):\n");
			r = demo_seed(a, &act, &out, pwfile != NULL);
		}
		if (r == 0) {
			char *note = NULL;

			r = audit_checkpoint(st, a->signer, &note);
			free(note);
		}
	}
	if (r < 0) {
		fprintf(stderr, "isms: cannot create the administrators in '%s'\n", dir);
		goto out;
	}
	if (pwfile) {
		r = write_password_file(pwfile, &out);
		if (r < 0)
			goto out;
		printf("isms: created '%s'%s; one-time passwords of sysadmin, secadmin and "
		       "auditadmin%s written to '%s'\n",
		       dir, demo ? " with the demo organization" : "",
		       demo ? " and the demo people" : "", pwfile);
	} else {
		printf("isms: created '%s' with the three administrators%s.\n"
		       "One-time passwords (shown once; each must be changed at first login):\n%s",
		       dir, demo ? " and a demo organization" : "", out.data);
	}
	printf("isms: backups are encrypted under '%s/keys/backup.key': keep a copy of that file "
	       "apart from the backups (备份密钥请另行妥善保管)\n",
	       dir);
	r = 0;
out:
	buf_release_secret(&out);
	app_free(a);
	return r < 0 ? 1 : 0;
}

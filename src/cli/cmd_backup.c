/*
 * cmd_backup.c: isms backup run|verify|restore|list|config — isms's own backups (BAK-1,
 * BAK-2, BAK-5) — and the dispatch of report|jobs, the organization's backups
 * (cmd_backup_jobs.c).
 */
#include "core/common.h"

#include <getopt.h>
#include <libgen.h>
#include <sodium.h>

#include "app/app.h"
#include "backup/backup.h"
#include "cli/cli.h"
#include "core/actor.h"
#include "core/fs.h"
#include "store/store.h"

static int usage(FILE *f)
{
	fprintf(f,
	        "usage: isms backup run     --data DIR [--json]\n"
	        "       isms backup verify  [--key KEYFILE] FILE\n"
	        "       isms backup restore --data NEWDIR [--key KEYFILE] FILE\n"
	        "       isms backup list    --data DIR [--json]\n"
	        "       isms backup config  --data DIR [--schedule CRON] [--keep D,W,M]\n"
	        "                           [--offsite FOLDER | --no-offsite]\n"
	        "       isms backup report  ...   (isms backup report --help)\n"
	        "       isms backup jobs    ...   (isms backup jobs --help)\n"
	        "\n"
	        "  run      back up DIR now while it serves: a snapshot of the database, the\n"
	        "           attachments, the keys and the policy files, compressed (zstd) and\n"
	        "           encrypted under DIR/keys/backup.key into DIR/backups/, then restored\n"
	        "           into a scratch folder and checked (integrity, audit chain, row counts,\n"
	        "           attachments), copied off-site and pruned by the retention rule\n"
	        "  verify   restore FILE into a scratch folder next to it and check it\n"
	        "  restore  bring FILE back as a complete data folder NEWDIR (which must not\n"
	        "           exist or be empty), then start it with isms serve --data NEWDIR\n"
	        "  KEYFILE  the backup key: DIR/keys/backup.key of the folder the backup came\n"
	        "           from; found by itself when FILE is in DIR/backups/. Keep a copy of it\n"
	        "           apart from the backups: without it no backup can be read.\n"
	        "  config   show or change the schedule (cron, local time; default \"%s\"),\n"
	        "           the retention (default 7 daily, 4 weekly, 12 monthly) and the\n"
	        "           off-site folder\n"
	        "\n"
	        "isms 自身备份：run 立即备份（在线快照、zstd 压缩、加密，随后恢复到临时目录校验完整性、\n"
	        "审计链与行数，再复制到异地目录并按保留策略清理）；verify 校验备份文件；restore 恢复为\n"
	        "新的数据目录；config 设置备份计划、保留份数与异地目录。备份密钥 DIR/keys/backup.key\n"
	        "须另行妥善保管，丢失则任何备份都无法读取。\n",
	        BACKUP_DEFAULT_SCHEDULE);
	return f == stdout ? 0 : 2;
}

static void print_json(json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS);

	puts(text);
	free(text);
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct problem p = { 0 };
	const char *dir = NULL;
	struct actor act;
	struct app *a = NULL;
	json_t *row = NULL;
	bool as_json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'j')
			as_json = true;
		else
			return usage(c == 'h' ? stdout : stderr);
	}
	if (!dir || optind != argc)
		return usage(stderr);
	if (app_open(dir, &a) < 0)
		return 1;
	cli_actor(&act);
	r = backup_run(app_store(a), a->data_dir, BACKUP_CLI, &act, &row, &p);
	if (as_json && row)
		print_json(row);
	else if (r == 0)
		printf("backup %s verified: %" JSON_INTEGER_FORMAT
		       " bytes, sha256 %s, off-site: %s\n",
		       json_string_value(json_object_get(row, "name")),
		       json_integer_value(json_object_get(row, "size")),
		       json_string_value(json_object_get(row, "sha256")),
		       json_string_value(
		               json_object_get(json_object_get(row, "offsite"), "status")));
	if (r < 0)
		fprintf(stderr, "isms backup run: %s\n",
		        p.detail[0] ? p.detail : "the backup failed; see the log above");
	json_decref(row);
	app_free(a);
	return r < 0 ? 1 : 0;
}

/* The key: --key, or DIR/keys/backup.key when FILE lies in DIR/backups/. */
static int load_key(const char *keyfile, const char *file, unsigned char key[ARC_KEY_LEN],
                    const char *cmd)
{
	char *copy = NULL, *guess = NULL;
	int r;

	if (!keyfile) {
		copy = xstrdup(file);
		guess = xasprintf("%s/../keys/%s", dirname(copy), BACKUP_KEY_FILE);
		keyfile = guess;
	}
	r = backup_key_load(keyfile, key);
	if (r == -ERR_NOT_FOUND)
		fprintf(stderr,
		        "isms backup %s: no backup key at '%s': give it with --key KEYFILE (the "
		        "keys/backup.key of the data folder the backup came from)\n",
		        cmd, keyfile);
	else if (r == -ERR_FORBIDDEN)
		fprintf(stderr,
		        "isms backup %s: the key file '%s' may be read by others or is a link: "
		        "chmod 600 it\n",
		        cmd, keyfile);
	else if (r < 0)
		fprintf(stderr, "isms backup %s: '%s' is not a backup key (32 bytes)\n", cmd,
		        keyfile);
	free(copy);
	free(guess);
	return r;
}

static const char *or_dash(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "-";
}

static void print_check(json_t *check)
{
	json_t *audit = json_object_get(check, "audit");

	if (!check)
		return;
	printf("  integrity:   %s\n", or_dash(json_object_get(check, "integrity")));
	if (audit)
		printf("  audit chain: %s, %" JSON_INTEGER_FORMAT " entries, %" JSON_INTEGER_FORMAT
		       " checkpoint(s)\n",
		       json_is_true(json_object_get(audit, "ok")) ? "intact" : "BROKEN",
		       json_integer_value(json_object_get(audit, "size")),
		       json_integer_value(json_object_get(audit, "checkpoints")));
	if (json_object_get(check, "files"))
		printf("  attachments: %" JSON_INTEGER_FORMAT " (%" JSON_INTEGER_FORMAT
		       " missing)\n",
		       json_integer_value(json_object_get(check, "files")),
		       json_integer_value(json_object_get(check, "missing_files")));
}

/* verify and restore: FILE, --key, and for restore --data NEWDIR. */
static int verify_or_restore(int argc, char **argv, bool restore)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *keyfile = NULL, *file, *cmd = restore ? "restore" : "verify";
	unsigned char key[ARC_KEY_LEN];
	char err[ARC_ERROR_MAX], *copy;
	json_t *check = NULL;
	bool as_json = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'k')
			keyfile = optarg;
		else if (c == 'j')
			as_json = true;
		else
			return usage(c == 'h' ? stdout : stderr);
	}
	if (optind != argc - 1 || (restore && !dir) || (!restore && dir))
		return usage(stderr);
	file = argv[optind];
	if (!fs_exists(file)) {
		fprintf(stderr, "isms backup %s: '%s' does not exist\n", cmd, file);
		return 1;
	}
	if (load_key(keyfile, file, key, cmd) < 0)
		return 1;
	if (restore) {
		r = backup_restore(file, key, dir, &check, err);
	} else {
		copy = xstrdup(file);
		r = backup_verify_file(file, key, dirname(copy), &check, err);
		free(copy);
	}
	sodium_memzero(key, sizeof(key));
	if (as_json) {
		print_json(check ? check : json_null());
	} else if (r == 0) {
		printf(restore ? "restored '%s' into '%s'; checked:\n" : "'%s' verified%s:\n", file,
		       restore ? dir : "");
		print_check(check);
		if (restore)
			printf("start it with: isms serve --data %s\n", dir);
	}
	if (r < 0)
		fprintf(stderr, "isms backup %s: refused: %s\n", cmd, err);
	json_decref(check);
	return r < 0 ? 1 : 0;
}

static int list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct problem p = { 0 };
	const char *dir = NULL;
	struct actor act;
	struct app *a = NULL;
	json_t *items = NULL, *row;
	int64_t next = 0;
	bool as_json = false;
	size_t i;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 'j')
			as_json = true;
		else
			return usage(c == 'h' ? stdout : stderr);
	}
	if (!dir || optind != argc)
		return usage(stderr);
	if (app_open(dir, &a) < 0)
		return 1;
	cli_actor(&act);
	r = backup_list(app_store(a), &act, 0, 500, &items, &next, &p);
	if (r == 0 && as_json) {
		print_json(items);
	} else if (r == 0) {
		printf("%-6s %-42s %-9s %-8s %12s  %s\n", "ID", "NAME", "TRIGGER", "STATUS",
		       "BYTES", "OFF-SITE");
		json_array_foreach(items, i, row)
			printf("%-6" JSON_INTEGER_FORMAT " %-42s %-9s %-8s %12" JSON_INTEGER_FORMAT
			       "  %s%s\n",
			       json_integer_value(json_object_get(row, "id")),
			       or_dash(json_object_get(row, "name")),
			       json_string_value(json_object_get(row, "trigger")),
			       json_string_value(json_object_get(row, "status")),
			       json_integer_value(json_object_get(row, "size")),
			       json_string_value(
			               json_object_get(json_object_get(row, "offsite"), "status")),
			       json_is_null(json_object_get(row, "pruned_at")) ? "" : " (pruned)");
	}
	json_decref(items);
	app_free(a);
	return r < 0 ? 1 : 0;
}

static int config(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "schedule", required_argument, NULL, 's' },
		{ "keep", required_argument, NULL, 'k' },
		{ "offsite", required_argument, NULL, 'o' },
		{ "no-offsite", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct problem p = { 0 };
	const char *dir = NULL;
	struct actor act;
	struct app *a = NULL;
	json_t *in = json_object(), *cur = NULL;
	unsigned d, w, m;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 's':
			json_object_set_new(in, "schedule", json_string(optarg));
			break;
		case 'k':
			if (sscanf(optarg, "%u,%u,%u", &d, &w, &m) != 3) {
				fprintf(stderr,
				        "isms backup config: --keep takes DAILY,WEEKLY,MONTHLY "
				        "(e.g. 7,4,12)\n");
				json_decref(in);
				return 2;
			}
			json_object_set_new(in, "keep",
			                    json_pack("{s:i, s:i, s:i}", "daily", (int)d, "weekly",
			                              (int)w, "monthly", (int)m));
			break;
		case 'o':
			json_object_set_new(in, "offsite_dir", json_string(optarg));
			break;
		case 'n':
			json_object_set_new(in, "offsite_dir", json_null());
			break;
		default:
			json_decref(in);
			return usage(c == 'h' ? stdout : stderr);
		}
	}
	if (!dir || optind != argc) {
		json_decref(in);
		return usage(stderr);
	}
	if (app_open(dir, &a) < 0) {
		json_decref(in);
		return 1;
	}
	cli_actor(&act);
	r = backup_config_get(app_store(a), &act, &cur, &p);
	if (r == 0 && json_object_size(in) > 0) {
		json_object_set(in, "version", json_object_get(cur, "version"));
		json_decref(cur);
		cur = NULL;
		r = backup_config_put(app_store(a), &act, in, &cur, &p);
	}
	if (r == 0)
		print_json(cur);
	else
		fprintf(stderr, "isms backup config: %s%s%s\n", p.field ? p.field : "",
		        p.field ? ": " : "", p.detail[0] ? p.detail : "refused");
	json_decref(cur);
	json_decref(in);
	app_free(a);
	return r < 0 ? 1 : 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (STREQ(sub, "report"))
		return cmd_backup_report(argc - 1, argv + 1);
	if (STREQ(sub, "jobs"))
		return cmd_backup_jobs(argc - 1, argv + 1);
	if (STREQ(sub, "--help") || STREQ(sub, "-h") || STREQ(sub, "help"))
		return usage(stdout);
	optind = 2;
	if (STREQ(sub, "run"))
		return run(argc, argv);
	if (STREQ(sub, "verify"))
		return verify_or_restore(argc, argv, false);
	if (STREQ(sub, "restore"))
		return verify_or_restore(argc, argv, true);
	if (STREQ(sub, "list"))
		return list(argc, argv);
	if (STREQ(sub, "config"))
		return config(argc, argv);
	return usage(stderr);
}

/*
 * cmd_backup_jobs.c: isms backup report | jobs — the local operator's side of the tracking of
 * the organization's backups (SPEC BAK-3): a backup script on the isms server reports each run
 * (or names the backup file, whose size and SHA-256 are computed here), and anyone at the
 * console lists the jobs with their status. Both go through the same verbs as the API
 * (src/backup/jobs.h), audited as "cli:<login>".
 */
#include "core/common.h"

#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <unistd.h>

#include "app/app.h"
#include "backup/jobs.h"
#include "cli/cli.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/util.h"
#include "store/calendar_store.h"

static int report_usage(void)
{
	fprintf(stderr,
	        "usage: isms backup report --data DIR --job KEY --status ok|failed\n"
	        "           [--size N --sha256 HEX | --file PATH] [--location L] [--offsite]\n"
	        "           [--verified] [--message M] [--finished-at T] [--started-at T] [--json]\n"
	        "  --job KEY         the backup job (isms backup jobs lists them)\n"
	        "  --status S        ok or failed\n"
	        "  --size, --sha256  the backup's size in bytes and SHA-256 (64 hex digits), or\n"
	        "  --file PATH       the backup file: its size and SHA-256 are computed\n"
	        "  --location L      where the backup is kept (required for ok)\n"
	        "  --offsite         the backup is kept off-site\n"
	        "  --verified        the backup was verified (restored and checked)\n"
	        "  --finished-at T   RFC 3339 (default now); --started-at T likewise\n"
	        "登记一次业务系统备份（状态、大小、SHA-256、位置、是否异地、是否已验证）。\n"
	        "失败或未验证的备份会通知信息部门和系统管理员。\n");
	return 2;
}

static int jobs_usage(void)
{
	fprintf(stderr, "usage: isms backup jobs --data DIR [--system S] [--json]\n"
	                "  --system S   only the jobs of one system (e.g. erp)\n"
	                "  --json       print the jobs as the API shows them\n"
	                "列出业务系统备份任务及其状态（正常、未按时、失败、未验证、从未）。\n");
	return 2;
}

/* Prints a refusal: the code, the field and the detail. */
static int refused(const char *cmd, int r, const struct problem *p)
{
	fprintf(stderr, "isms backup %s: refused (%s)%s%s%s%s\n", cmd,
	        p->code ? p->code : err_code((enum err)(r < 0 ? -r : ERR_INTERNAL)),
	        p->field ? ": " : "", p->field ? p->field : "", p->detail[0] ? ": " : "",
	        p->detail);
	return 1;
}

/* The size and SHA-256 (hex) of a file, read once. */
static int hash_file(const char *path, int64_t *ret_size, char hex[65])
{
	unsigned char *chunk = xmalloc(1u << 18), sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state hs;
	int64_t size = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = -ERR_INTERNAL;

	crypto_hash_sha256_init(&hs);
	if (fd < 0)
		goto out;
	for (;;) {
		n = read(fd, chunk, 1u << 18);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		crypto_hash_sha256_update(&hs, chunk, (size_t)n);
		size += n;
	}
	if (n < 0)
		goto out;
	crypto_hash_sha256_final(&hs, sum);
	hex_encode(sum, sizeof(sum), hex);
	*ret_size = size;
	r = 0;
out:
	if (r < 0)
		fprintf(stderr, "isms backup report: cannot read '%s': %s\n", path,
		        strerror(errno));
	if (fd >= 0)
		close(fd);
	free(chunk);
	return r;
}

static void print_json(json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(2));

	puts(text);
	free(text);
}

int cmd_backup_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "job", required_argument, NULL, 'j' },
		{ "status", required_argument, NULL, 's' },
		{ "size", required_argument, NULL, 'z' },
		{ "sha256", required_argument, NULL, 'x' },
		{ "file", required_argument, NULL, 'f' },
		{ "location", required_argument, NULL, 'l' },
		{ "offsite", no_argument, NULL, 'o' },
		{ "verified", no_argument, NULL, 'v' },
		{ "message", required_argument, NULL, 'm' },
		{ "finished-at", required_argument, NULL, 'F' },
		{ "started-at", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *size = NULL, *file = NULL;
	json_t *in = json_object(), *run = NULL;
	struct problem p = { 0 };
	struct app *a = NULL;
	struct actor act;
	bool as_json = false;
	char hex[65];
	int64_t n = 0;
	int c, r;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'j':
			json_object_set_new(in, "job", json_string(optarg));
			break;
		case 's':
			json_object_set_new(in, "status", json_string(optarg));
			break;
		case 'z':
			size = optarg;
			break;
		case 'x':
			json_object_set_new(in, "sha256", json_string(optarg));
			break;
		case 'f':
			file = optarg;
			break;
		case 'l':
			json_object_set_new(in, "location", json_string(optarg));
			break;
		case 'o':
			json_object_set_new(in, "offsite", json_true());
			break;
		case 'v':
			json_object_set_new(in, "verified", json_true());
			break;
		case 'm':
			json_object_set_new(in, "message", json_string(optarg));
			break;
		case 'F':
			json_object_set_new(in, "finished_at", json_string(optarg));
			break;
		case 'S':
			json_object_set_new(in, "started_at", json_string(optarg));
			break;
		case 'J':
			as_json = true;
			break;
		case 'h':
			json_decref(in);
			report_usage();
			return 0;
		default:
			json_decref(in);
			return report_usage();
		}
	}
	if (optind != argc || !dir || !json_object_get(in, "job") ||
	    !json_object_get(in, "status") || (file && (size || json_object_get(in, "sha256")))) {
		json_decref(in);
		return report_usage();
	}
	if (size) {
		if (parse_int64(size, &n) < 0 || n < 0) {
			fprintf(stderr,
			        "isms backup report: --size '%s' is not a number of bytes\n", size);
			json_decref(in);
			return 2;
		}
		json_object_set_new(in, "size", json_integer(n));
	}
	if (sodium_init() < 0 || (file && hash_file(file, &n, hex) < 0)) {
		json_decref(in);
		return 1;
	}
	if (file) {
		json_object_set_new(in, "size", json_integer(n));
		json_object_set_new(in, "sha256", json_string(hex));
	}
	if (app_open(dir, &a) < 0) {
		json_decref(in);
		return 1;
	}
	cli_actor(&act);
	r = backup_run_report(app_store(a), &act, in, clock_now(), &run, &p);
	json_decref(in);
	if (r < 0) {
		app_free(a);
		return refused("report", r, &p);
	}
	if (as_json)
		print_json(run);
	else
		printf("run #%" JSON_INTEGER_FORMAT " of %s recorded: %s%s%s, %" JSON_INTEGER_FORMAT
		       " bytes, finished %s\n",
		       json_integer_value(json_object_get(run, "id")),
		       json_string_value(json_object_get(run, "job_key")),
		       json_string_value(json_object_get(run, "status")),
		       json_is_true(json_object_get(run, "verified")) ? ", verified" : "",
		       json_is_true(json_object_get(run, "offsite")) ? ", off-site" : "",
		       json_integer_value(json_object_get(run, "size")),
		       json_string_value(json_object_get(run, "finished_at")));
	json_decref(run);
	app_free(a);
	return 0;
}

/* "YYYY-MM-DD HH:MM" local of an RFC 3339 value, or "-". */
static void local_of(json_t *v, int off, char out[24])
{
	int64_t t, local, sec;
	int32_t day;
	int y, m, d;

	if (!json_is_string(v) || time_parse_rfc3339(json_string_value(v), &t) < 0) {
		(void)snprintf(out, 24, "-");
		return;
	}
	local = t + off;
	day = (int32_t)((local >= 0 ? local : local - 86399) / 86400);
	sec = local - (int64_t)day * 86400;
	civil_from_days(day, &y, &m, &d);
	(void)snprintf(out, 24, "%04d-%02d-%02d %02d:%02d", y % 10000, m, d, (int)(sec / 3600),
	               (int)(sec / 60 % 60));
}

static void print_table(json_t *items, int off)
{
	char last[24], verified[24], next[24];
	json_t *j;
	size_t i;

	printf("times in UTC%+03d:%02d\n", off / 3600, (off < 0 ? -off : off) / 60 % 60);
	printf("%-24s %-10s %-10s %-8s %-17s %-17s %-17s\n", "JOB", "SYSTEM", "STATUS", "ENABLED",
	       "LAST RUN", "LAST VERIFIED", "NEXT DUE");
	json_array_foreach(items, i, j) {
		json_t *lr = json_object_get(j, "last_run");

		local_of(json_object_get(lr, "finished_at"), off, last);
		local_of(json_object_get(j, "last_verified_at"), off, verified);
		local_of(json_object_get(j, "next_due_at"), off, next);
		printf("%-24s %-10s %-10s %-8s %-17s %-17s %-17s\n",
		       json_string_value(json_object_get(j, "key")),
		       json_string_value(json_object_get(j, "system")),
		       json_string_value(json_object_get(j, "status")),
		       json_is_true(json_object_get(j, "retired"))   ? "retired"
		       : json_is_true(json_object_get(j, "enabled")) ? "yes"
		                                                     : "no",
		       last, verified, next);
	}
}

int cmd_backup_jobs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "system", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct backup_job_filter f = { .limit = 500 };
	json_t *all = json_array(), *items = NULL;
	const char *dir = NULL;
	struct problem p = { 0 };
	struct calendar cal;
	struct app *a = NULL;
	struct actor act;
	bool as_json = false;
	int64_t next = 0;
	int c, r, off = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 's':
			f.system = optarg;
			break;
		case 'J':
			as_json = true;
			break;
		case 'h':
			json_decref(all);
			jobs_usage();
			return 0;
		default:
			json_decref(all);
			return jobs_usage();
		}
	}
	if (optind != argc || !dir) {
		json_decref(all);
		return jobs_usage();
	}
	if (app_open(dir, &a) < 0) {
		json_decref(all);
		return 1;
	}
	cli_actor(&act);
	do {
		r = backup_job_list(app_store(a), &act, &f, clock_now(), &items, &next, &p);
		if (r < 0)
			break;
		json_array_extend(all, items);
		json_decref(items);
		f.after = next;
	} while (next);
	if (r == 0 && calendar_load(app_store(a), &cal, NULL) == 0) {
		off = cal.utc_offset;
		calendar_release(&cal);
	}
	if (r < 0) {
		json_decref(all);
		app_free(a);
		return refused("jobs", r, &p);
	}
	if (as_json)
		print_json(all);
	else
		print_table(all, off);
	json_decref(all);
	app_free(a);
	return 0;
}

void backup_jobs_tick_report(json_t *events, const char *when)
{
	json_t *e;
	size_t i;

	json_array_foreach(events, i, e) {
		printf("backup job %s: %s missed, due %s\n",
		       json_string_value(json_object_get(e, "job")),
		       strcmp(json_string_value(json_object_get(e, "kind")), "run") == 0
		               ? "run"
		               : "off-site run",
		       json_string_value(json_object_get(e, "due_at")));
	}
	printf("backup check at %s: %zu missed scheduled run(s)\n", when, json_array_size(events));
}

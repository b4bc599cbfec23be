/*
 * cmd_vault.c: isms vault init|unseal|seal|status — the local operator's commands of the
 * credential vault (密码保管库). The vault is unsealed inside the running `isms serve`, whose
 * memory no other process reaches, so unseal, seal and status talk to the server over its
 * control socket (DIR/run/control.sock, src/vault/control.h); init writes the key directly.
 * The passphrase is read from the terminal without echo, or from a file for scripts; never
 * from the command line, where other users and the shell history would see it.
 */
#include "core/common.h"

#include "app/app.h"
#include "cli/cli.h"
#include "core/actor.h"
#include "store/store.h"
#include "vault/control.h"
#include "vault/vault.h"

#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define PASS_MAX 1024

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: isms vault init   --data DIR [--passphrase-file FILE]\n"
	        "       isms vault unseal --data DIR [--passphrase-file FILE]\n"
	        "       isms vault seal   --data DIR\n"
	        "       isms vault status --data DIR [--json]\n\n"
	        "The credential vault keeps the passwords of servers, network devices, ERP/OA\n"
	        "administrators, the domain and mail, encrypted under a key wrapped by the vault\n"
	        "passphrase. It is sealed whenever isms serve starts.\n"
	        "  init     create the vault key (DIR/keys/vault.key) under a new passphrase of at\n"
	        "           least 16 characters\n"
	        "  unseal   unseal the vault of the running isms serve on DIR\n"
	        "  seal     seal it again (the key is wiped from the server's memory)\n"
	        "  status   uninitialized, sealed or unsealed; failed attempts and lock\n"
	        "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
	        "           (default: ask on the terminal without echo; never on the command line)\n"
	        "Five wrong passphrases in a row lock the vault for 15 minutes.\n\n"
	        "密码保管库：加密保存服务器、网络设备、ERP/OA 管理员、域与邮箱的密码，密钥由保管库口令\n"
	        "保护。isms serve 每次启动时保管库处于封存状态。\n"
	        "  init     创建保管库密钥（DIR/keys/vault.key），设置至少 16 个字符的保管库口令\n"
	        "  unseal   解封正在运行的 isms serve 的保管库\n"
	        "  seal     重新封存（从服务器内存中清除密钥）\n"
	        "  status   未初始化、已封存或已解封；口令错误次数与锁定状态\n"
	        "  --passphrase-file FILE  从 FILE 的第一行读取口令（默认在终端输入，不回显；\n"
	        "           口令不得写在命令行上）\n"
	        "连续 5 次口令错误将锁定保管库 15 分钟。\n");
}

static void free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

static char *read_passphrase_file(const char *path)
{
	char *buf = xmalloc(PASS_MAX + 2), *nl;
	struct stat sb;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb) != 0) {
		fprintf(stderr, "isms: cannot read '%s': %s\n", path, strerror(errno));
		goto fail;
	}
	if (sb.st_mode & 077)
		fprintf(stderr, "isms: warning: '%s' is readable by other users (chmod 600 it)\n",
		        path);
	while (got < PASS_MAX + 1) {
		ssize_t n = read(fd, buf + got, PASS_MAX + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	nl = strpbrk(buf, "\r\n");
	if (nl)
		*nl = '\0';
	else if (got > PASS_MAX) {
		fprintf(stderr, "isms: the passphrase in '%s' is longer than %d bytes\n", path,
		        PASS_MAX);
		goto fail;
	}
	if (!buf[0]) {
		fprintf(stderr, "isms: '%s' holds no passphrase on its first line\n", path);
		goto fail;
	}
	close(fd);
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	sodium_memzero(buf, PASS_MAX + 2);
	free(buf);
	return NULL;
}

/* Reads one line from the terminal without echo. */
static char *read_passphrase_tty(const char *prompt)
{
	struct termios old, quiet;
	char *buf = xmalloc(PASS_MAX + 1), c;
	size_t n = 0;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	bool restore = false;

	if (fd < 0) {
		fprintf(stderr,
		        "isms: no terminal to ask for the passphrase: use --passphrase-file\n");
		free(buf);
		return NULL;
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* the prompt is a courtesy */
	}
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	for (;;) {
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n' || c == '\r')
			break;
		if (n < PASS_MAX)
			buf[n++] = c;
	}
	c = 0;
	buf[n] = '\0';
	if (restore)
		(void)tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* nothing to do */
	}
	close(fd);
	if (n == 0) {
		fprintf(stderr, "isms: no passphrase given\n");
		free(buf);
		return NULL;
	}
	return buf;
}

static char *get_passphrase(const char *file, bool confirm)
{
	char *p, *again;

	if (file)
		return read_passphrase_file(file);
	p = read_passphrase_tty(confirm ? "New vault passphrase (at least 16 characters) / "
	                                  "新的保管库口令（至少 16 个字符）: "
	                                : "Vault passphrase / 保管库口令: ");
	if (!p || !confirm)
		return p;
	again = read_passphrase_tty("Again / 再输入一次: ");
	if (!again || strlen(p) != strlen(again) || sodium_memcmp(p, again, strlen(p)) != 0) {
		fprintf(stderr, "isms: the two passphrases differ\n");
		free_secret(p);
		free_secret(again);
		return NULL;
	}
	free_secret(again);
	return p;
}

static void print_status(json_t *s, bool as_json)
{
	const char *state = json_string_value(json_object_get(s, "state"));
	json_t *until = json_object_get(s, "locked_until");

	if (as_json) {
		char *text = json_dumps(s, JSON_INDENT(1) | JSON_SORT_KEYS);

		puts(text);
		free(text);
		return;
	}
	printf("state: %s\n", state ? state : "?");
	if (json_is_string(json_object_get(s, "unsealed_at")))
		printf("unsealed at %s by %s\n",
		       json_string_value(json_object_get(s, "unsealed_at")),
		       json_string_value(json_object_get(s, "unsealed_by")));
	printf("wrong passphrases in a row: %" JSON_INTEGER_FORMAT "\n",
	       json_integer_value(json_object_get(s, "failures")));
	if (json_is_string(until))
		printf("locked until %s\n", json_string_value(until));
}

/* Prints the error of a control-socket answer; returns 1. */
static int print_error(json_t *reply)
{
	json_t *e = json_object_get(reply, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *detail = json_string_value(json_object_get(e, "detail"));

	if (!code)
		code = "internal";
	if (strcmp(code, "wrong_passphrase") == 0)
		fprintf(stderr, "isms: wrong vault passphrase (%s)\n", detail ? detail : "");
	else if (strcmp(code, "vault_locked") == 0)
		fprintf(stderr,
		        "isms: the vault is locked until %s after repeated wrong passphrases\n",
		        json_string_value(json_object_get(e, "until")));
	else if (strcmp(code, "vault_uninitialized") == 0)
		fprintf(stderr, "isms: the vault is not initialized: run isms vault init first\n");
	else
		fprintf(stderr, "isms: %s%s%s\n", code, detail && *detail ? ": " : "",
		        detail ? detail : "");
	return 1;
}

static int no_server(const char *dir)
{
	fprintf(stderr,
	        "isms: no isms serve is running on '%s': the vault is unsealed inside the running "
	        "server; start it first\n",
	        dir);
	return 1;
}

static int call(const char *dir, json_t *req, bool as_json, const char *done)
{
	json_t *reply = NULL, *pass = json_object_get(req, "passphrase");
	int r = vault_control_call(dir, req, &reply), rc;

	if (json_is_string(pass))
		sodium_memzero((char *)(uintptr_t)json_string_value(pass),
		               json_string_length(pass));
	if (r == -ERR_NOT_FOUND)
		return -1;
	if (r < 0) {
		fprintf(stderr, "isms: cannot talk to the server on '%s' (%s)\n", dir,
		        r == -ERR_FORBIDDEN ? "permission denied: run as the server's user"
		                            : "control socket error");
		return 1;
	}
	if (!json_is_true(json_object_get(reply, "ok"))) {
		rc = print_error(reply);
	} else {
		if (done)
			printf("isms: %s\n", done);
		print_status(json_object_get(reply, "status"), as_json);
		rc = 0;
	}
	json_decref(reply);
	return rc;
}

static int local_status(const char *dir, bool as_json)
{
	struct problem p = { 0 };
	struct app *a = NULL;
	struct actor act;
	json_t *s = NULL;
	int r;

	if (app_open(dir, &a) < 0)
		return 1;
	cli_actor(&act);
	r = vault_status(a->vault, app_store(a), &act, &s, &p);
	if (r == 0) {
		if (!as_json)
			printf("(no isms serve is running on '%s')\n", dir);
		print_status(s, as_json);
	}
	json_decref(s);
	app_free(a);
	return r < 0 ? 1 : 0;
}

static int init(const char *dir, const char *file)
{
	struct security_policy pol;
	struct problem p = { 0 };
	struct app *a = NULL;
	struct actor act;
	json_t *s = NULL;
	char *pass;
	int r;

	if (app_open(dir, &a) < 0)
		return 1;
	pass = get_passphrase(file, true);
	if (!pass) {
		app_free(a);
		return 1;
	}
	cli_actor(&act);
	app_policy(a, &pol);
	r = vault_init(a->vault, app_store(a), &act, &pol.password, pass, &s, &p);
	free_secret(pass);
	if (r == 0) {
		printf("isms: the vault is initialized; its key is in '%s/%s', wrapped under the "
		       "passphrase.\n"
		       "Keep the passphrase safe (e.g. sealed in an envelope in the safe): without it "
		       "nobody can read the vault's passwords.\n"
		       "A running isms serve sees the vault sealed: unseal it with isms vault unseal.\n",
		       a->keys_dir, VAULT_KEY_FILE);
	} else if (p.code && strcmp(p.code, "weak_password") == 0) {
		fprintf(stderr, "isms: the passphrase is too weak: %s\n", p.detail);
	} else {
		fprintf(stderr, "isms: vault init failed: %s%s%s\n", p.code ? p.code : "error",
		        p.detail[0] ? ": " : "", p.detail);
	}
	json_decref(s);
	app_free(a);
	return r < 0 ? 1 : 0;
}

int cmd_vault(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "passphrase-file", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *file = NULL, *verb;
	bool as_json = false;
	json_t *req;
	char *pass;
	int c, rc;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	verb = argv[1];
	if (STREQ(verb, "--help") || STREQ(verb, "-h") || STREQ(verb, "help")) {
		usage(stdout);
		return 0;
	}
	/* getopt_long takes "--passphrase X" as an abbreviation of --passphrase-file: refuse
	 * it, rather than echo a passphrase given on the command line as a file name. */
	for (c = 2; c < argc; c++) {
		if (strncmp(argv[c], "--p", 3) == 0 && strcmp(argv[c], "--passphrase-file") != 0 &&
		    strncmp(argv[c], "--passphrase-file=", 18) != 0) {
			fprintf(stderr, "isms: the passphrase is never given on the command line: "
			                "use --passphrase-file FILE or type it when asked\n");
			return 2;
		}
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!dir || optind != argc ||
	    (!STREQ(verb, "init") && !STREQ(verb, "unseal") && !STREQ(verb, "seal") &&
	     !STREQ(verb, "status")) ||
	    (file && !STREQ(verb, "init") && !STREQ(verb, "unseal")) ||
	    (as_json && !STREQ(verb, "status"))) {
		usage(stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (STREQ(verb, "init"))
		return init(dir, file);
	if (STREQ(verb, "status")) {
		req = json_pack("{s:s}", "cmd", "status");
		rc = call(dir, req, as_json, NULL);
		json_decref(req);
		return rc < 0 ? local_status(dir, as_json) : rc;
	}
	if (STREQ(verb, "seal")) {
		req = json_pack("{s:s}", "cmd", "seal");
		rc = call(dir, req, false, "the vault is sealed");
		json_decref(req);
		if (rc < 0) {
			printf("isms: no isms serve is running on '%s'; the vault is sealed\n",
			       dir);
			rc = 0;
		}
		return rc;
	}
	pass = get_passphrase(file, false);
	if (!pass)
		return 1;
	req = json_pack("{s:s, s:s}", "cmd", "unseal", "passphrase", pass);
	free_secret(pass);
	rc = call(dir, req, false, "the vault is unsealed");
	json_decref(req);
	return rc < 0 ? no_server(dir) : rc;
}

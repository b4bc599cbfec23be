/*
 * test_notify.c: outside notification channels (SPEC SLA-4) against live receivers on
 * 127.0.0.1: an SMTP sink and a chat-robot HTTP receiver (smtp_sink.py and http_sink.py beside this
 * file, python3 stdlib), which decode what arrives with their own implementations (Python's email
 * package, hmac) and write it to a JSON-lines file the test reads back.
 *
 * Proves: the e-mail wire format (From/To, RFC 2047 UTF-8 subject, base64 UTF-8 body), each
 * robot's documented JSON and signature, the retry schedule (1 min, 5 min, 30 min, 2 h, 6 h,
 * then failed with last_error), bounded waits on a dead or silent receiver, transactional
 * enqueue, and the channel rules (validation, permission, sealed secrets, redaction, audit).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include "core/common.h"
#include "core/actor.h"
#include "core/buf.h"
#include "core/clock.h"
#include "audit/audit.h"
#include "fixture.h"
#include "notify/notify.h"
#include "notify/notify_int.h"
#include "store/store.h"

static struct store *st;
static const char *dir;
static unsigned char key[SEAL_KEY_LEN];
static pid_t sink_pid = -1;
static char *sink_out;

static const struct actor operator_ = { .user_id = 0, .username = "cli:test", .source = "cli" };
static const struct actor secadm = {
	.user_id = 7, .username = "sec", .source = "test", .roles = ROLE_SECURITY_ADMIN
};
static const struct actor sysadm = {
	.user_id = 8, .username = "sys", .source = "test", .roles = ROLE_SYS_ADMIN
};

static void setup(void)
{
	fixture_setup("notify");
	st = fx.st;
	dir = fx.dir;
	randombytes_buf(key, sizeof(key));
}

static void teardown(void)
{
	if (sink_pid > 0) {
		(void)kill(sink_pid, SIGTERM);
		(void)waitpid(sink_pid, NULL, 0);
		sink_pid = -1;
	}
	free(sink_out);
	sink_out = NULL;
	fixture_teardown();
}

TestSuite(notify, .init = setup, .fini = teardown);

/* --- receivers --------------------------------------------------------------------- */

/* Starts tests/unit/notify/<script> OUT ARG and returns the port it prints. */
static int start_sink(const char *script, const char *arg)
{
	const char *src = getenv("ISMS_TEST_SRCDIR");
	char *path = xasprintf("%s/tests/unit/notify/%s", src ? src : ".", script);
	char line[32] = "";
	int fds[2];
	FILE *f;

	sink_out = xasprintf("%s/%s.jsonl", dir, script);
	cr_assert_eq(pipe(fds), 0);
	sink_pid = fork();
	cr_assert_geq(sink_pid, 0);
	if (sink_pid == 0) {
		(void)dup2(fds[1], 1);
		(void)close(fds[0]);
		(void)close(fds[1]);
		execl("/usr/bin/python3", "python3", path, sink_out, arg, (char *)NULL);
		_exit(127);
	}
	(void)close(fds[1]);
	f = fdopen(fds[0], "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(line, sizeof(line), f), "receiver %s did not start", path);
	(void)fclose(f);
	free(path);
	return (int)strtol(line, NULL, 10);
}

/* What the receiver wrote: an array of objects, one per message. */
static json_t *received(void)
{
	json_t *all = json_array();
	char line[65536];
	FILE *f = fopen(sink_out, "r");

	if (!f)
		return all;
	while (fgets(line, sizeof(line), f)) {
		json_t *o = json_loads(line, 0, NULL);

		cr_assert_not_null(o, "bad record line: %s", line);
		json_array_append_new(all, o);
	}
	(void)fclose(f);
	return all;
}

/* A port nobody listens on: bound, then closed. */
static int dead_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	(void)close(fd);
	return ntohs(a.sin_port);
}

/* --- helpers ----------------------------------------------------------------------- */

static int create(const struct actor *a, const char *json, int64_t *ret_id, struct problem *p)
{
	json_t *in = json_loads(json, 0, NULL);
	int r;

	cr_assert_not_null(in, "bad test JSON %s", json);
	r = notify_channel_create(st, a, key, in, ret_id, p);
	json_decref(in);
	return r;
}

static int64_t channel(const char *fmt, ...) PRINTF(1, 2);
static int64_t channel(const char *fmt, ...)
{
	struct problem p = { 0 };
	int64_t id = 0;
	struct buf b = BUF_INIT(BUF_NOMAX);
	va_list ap;
	char *json;

	va_start(ap, fmt);
	cr_assert_eq(buf_vaddf(&b, fmt, ap), 0);
	va_end(ap);
	json = buf_detach(&b, NULL);
	cr_assert_eq(create(&operator_, json, &id, &p), 0, "%s: %s %s", json, p.code ? p.code : "",
	             p.detail);
	free(json);
	return id;
}

static int64_t enqueue(int64_t ch, const char *rcpt, const char *subject, const char *body)
{
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(notify_enqueue(st, 0, ch, rcpt, subject, body), 0);
	cr_assert_eq(store_commit(st), 0);
	return store_last_id(st);
}

static int64_t count(const char *sql)
{
	struct stmt *s = store_stmt(st, sql); /* sql: a literal, cached by its address */
	int64_t n;

	cr_assert_eq(store_step(st, s), 1);
	n = store_col_int(s, 0);
	store_reset(s);
	return n;
}

struct row {
	char status[16];
	int attempts;
	int64_t next_at, sent_at;
	char err[NOTIFY_ERR_MAX];
};

static struct row delivery(int64_t id)
{
	struct row w = { 0 };
	static const char sql[] = "SELECT status, attempts, next_at, sent_at, last_error "
	                          "FROM deliveries WHERE id = $1";
	struct stmt *s = store_stmt(st, sql);

	store_bind_int(s, 1, id);
	cr_assert_eq(store_step(st, s), 1);
	(void)snprintf(w.status, sizeof(w.status), "%s", store_col_text(s, 0));
	w.attempts = store_col_i32(s, 1);
	w.next_at = store_col_int(s, 2);
	w.sent_at = store_col_int(s, 3);
	(void)snprintf(w.err, sizeof(w.err), "%s", store_col_text(s, 4));
	store_reset(s);
	return w;
}

static struct notify_stats deliver(int64_t now)
{
	struct notify_stats s = { 0 };

	cr_assert_eq(notify_deliver_due(st, key, now, 100, &s), 0);
	return s;
}

static const char *str(const json_t *o, const char *path_a, const char *path_b)
{
	const json_t *v = json_object_get(o, path_a);

	if (path_b)
		v = json_object_get(v, path_b);
	return json_string_value(v);
}

/* --- e-mail ------------------------------------------------------------------------ */

static const char SUBJECT[] = "【提醒】账号“张三”将于 1 小时内停用，请及时处理离职交接与数据备份";
static const char BODY[] = "您好：\n\n离职账号 zhangsan 将于今天 18:00 停用。\n"
                           "请在此之前完成交接。\n-- isms\n";

Test(notify, email_arrives_with_utf8_subject_and_body)
{
	int port = start_sink("smtp_sink.py", "ok");
	int64_t ch = channel("{\"kind\":\"email\",\"name\":\"邮件\",\"config\":{\"smtp_url\":"
	                     "\"smtp://127.0.0.1:%d\",\"from\":\"isms@example.cn\","
	                     "\"starttls\":false}}",
	                     port);
	int64_t id = enqueue(ch, "zhangsan@example.cn", SUBJECT, BODY);
	int64_t now = clock_now();
	struct notify_stats s = deliver(now);
	json_t *got = received(), *m = json_array_get(got, 0);
	struct row w = delivery(id);

	cr_assert_eq(s.picked, 1);
	cr_assert_eq(s.sent, 1);
	cr_assert_eq(json_array_size(got), 1);
	cr_assert_str_eq(str(m, "mail_from", NULL), "<isms@example.cn>");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(m, "rcpt_to"), 0)),
	                 "<zhangsan@example.cn>");
	cr_assert_str_eq(str(m, "from", NULL), "isms@example.cn");
	cr_assert_str_eq(str(m, "to", NULL), "zhangsan@example.cn");
	cr_assert_str_eq(str(m, "subject", NULL), SUBJECT, "decoded: %s", str(m, "subject", NULL));
	cr_assert(strncmp(str(m, "raw_subject", NULL), "=?UTF-8?B?", 10) == 0,
	          "RFC 2047 on the wire: %s", str(m, "raw_subject", NULL));
	cr_assert_str_eq(str(m, "body", NULL), BODY);
	cr_assert_str_eq(str(m, "mime_version", NULL), "1.0");
	cr_assert_str_eq(str(m, "content_type", NULL), "text/plain");
	cr_assert_str_eq(str(m, "charset", NULL), "utf-8");
	cr_assert_str_eq(str(m, "cte", NULL), "base64");
	cr_assert(strstr(str(m, "message_id", NULL), "@example.cn>") != NULL);
	cr_assert(strstr(str(m, "date", NULL), " +0000") != NULL);
	cr_assert_eq(json_integer_value(json_object_get(m, "defects")), 0);
	cr_assert_str_eq(w.status, "sent");
	cr_assert_eq(w.attempts, 1);
	cr_assert_eq(w.sent_at, now);
	cr_assert_str_eq(w.err, "");
	cr_assert_eq(deliver(now + 86400).picked, 0, "a sent delivery is never sent again");
	json_decref(got);
}

Test(notify, long_subject_words_fit_rfc2047)
{
	char *h = notify_mail_encode_header(SUBJECT);
	const char *p = h;

	/* every encoded word is at most 75 characters, and words are folded with CRLF SP */
	while (*p) {
		size_t n = strcspn(p, "\r");

		cr_assert_leq(n, 75, "word too long in %s", h);
		cr_assert(strncmp(p, "=?UTF-8?B?", 10) == 0);
		p += n;
		if (*p)
			p += 3; /* "\r\n " */
	}
	cr_assert(strchr(h, '\n') != NULL, "a long subject is folded");
	free(h);
}

Test(notify, smtp_rejection_is_retried_with_the_error)
{
	int port = start_sink("smtp_sink.py", "reject");
	int64_t ch = channel("{\"kind\":\"email\",\"name\":\"mail\",\"config\":{\"smtp_url\":"
	                     "\"smtp://127.0.0.1:%d\",\"from\":\"isms@example.cn\","
	                     "\"starttls\":false}}",
	                     port);
	int64_t id = enqueue(ch, "nobody@example.cn", "x", "y");
	int64_t now = clock_now();
	struct notify_stats s = deliver(now);
	struct row w = delivery(id);

	cr_assert_eq(s.retried, 1);
	cr_assert_str_eq(w.status, "pending");
	cr_assert_eq(w.attempts, 1);
	cr_assert_eq(w.next_at, now + 60);
	cr_assert(strstr(w.err, "550") != NULL, "last_error: %s", w.err);
}

/* --- robots ------------------------------------------------------------------------ */

Test(notify, wecom_receives_the_documented_json)
{
	int port = start_sink("http_sink.py", "unused");
	int64_t ch =
	        channel("{\"kind\":\"wecom\",\"name\":\"企业微信\",\"config\":{\"webhook_url\":"
	                "\"http://127.0.0.1:%d/cgi-bin/webhook/send/wecom/ok?key=K-123\"}}",
	                port);
	int64_t id = enqueue(ch, NULL, "巡检提醒", "机房巡检今天到期");
	json_t *got, *want;

	cr_assert_eq(deliver(clock_now()).sent, 1);
	got = received();
	cr_assert_eq(json_array_size(got), 1);
	want = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content",
	                 "巡检提醒\n机房巡检今天到期");
	cr_assert(json_equal(json_object_get(json_array_get(got, 0), "body"), want));
	cr_assert_str_eq(str(json_array_get(got, 0), "query", "key"), "K-123");
	cr_assert(strstr(str(json_array_get(got, 0), "content_type", NULL), "application/json"));
	cr_assert_str_eq(delivery(id).status, "sent");
	json_decref(want);
	json_decref(got);
}

Test(notify, dingtalk_is_signed_as_documented)
{
	int port = start_sink("http_sink.py", "SEC0123456789abcdef+/=");
	int64_t ch = channel("{\"kind\":\"dingtalk\",\"name\":\"钉钉\",\"config\":{\"webhook_url\":"
	                     "\"http://127.0.0.1:%d/robot/send/dingtalk/ok?access_token=T0K\","
	                     "\"secret\":\"SEC0123456789abcdef+/=\"}}",
	                     port);
	json_t *got, *rec, *want;

	enqueue(ch, "", "", "投诉单 #12 需在 24 小时内联系投诉人");
	cr_assert_eq(deliver(clock_now()).sent, 1);
	got = received();
	rec = json_array_get(got, 0);
	want = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content",
	                 "投诉单 #12 需在 24 小时内联系投诉人");
	cr_assert(json_equal(json_object_get(rec, "body"), want));
	cr_assert_str_eq(str(rec, "query", "access_token"), "T0K");
	cr_assert_not_null(str(rec, "query", "timestamp"));
	cr_assert(json_is_true(json_object_get(rec, "sign_ok")), "signature verifies");
	json_decref(want);
	json_decref(got);
}

Test(notify, feishu_is_signed_as_documented)
{
	int port = start_sink("http_sink.py", "feishu-secret");
	int64_t ch = channel("{\"kind\":\"feishu\",\"name\":\"飞书\",\"config\":{\"webhook_url\":"
	                     "\"http://127.0.0.1:%d/open-apis/bot/v2/hook/abc/feishu/ok\","
	                     "\"secret\":\"feishu-secret\"}}",
	                     port);
	int64_t old =
	        channel("{\"kind\":\"feishu\",\"name\":\"飞书旧\",\"config\":{\"webhook_url\":"
	                "\"http://127.0.0.1:%d/open-apis/bot/hook/feishu-old/ok\"}}",
	                port);
	json_t *got, *rec;

	enqueue(ch, NULL, "备份", "今晚 22:00 刻录加密归档光盘");
	enqueue(old, NULL, NULL, "unsigned");
	cr_assert_eq(deliver(clock_now()).sent, 2, "code 0 and the older StatusCode 0 both count");
	got = received();
	cr_assert_eq(json_array_size(got), 2);
	rec = json_array_get(got, 0);
	cr_assert_str_eq(str(rec, "body", "msg_type"), "text");
	cr_assert_str_eq(str(json_object_get(rec, "body"), "content", "text"),
	                 "备份\n今晚 22:00 刻录加密归档光盘");
	cr_assert_not_null(str(rec, "body", "timestamp"), "timestamp is a string");
	cr_assert(json_is_true(json_object_get(rec, "sign_ok")), "signature verifies");
	rec = json_array_get(got, 1);
	cr_assert_null(json_object_get(json_object_get(rec, "body"), "sign"));
	cr_assert(json_is_null(json_object_get(rec, "sign_ok")));
	json_decref(got);
}

Test(notify, signatures_match_known_values)
{
	/* reference values from Python: base64(hmac.new(key, msg, hashlib.sha256).digest()) */
	char *d = notify_sign_dingtalk("SECabc", 1700000000000);
	char *f = notify_sign_feishu("abc", 1700000000);

	cr_assert_str_eq(d, "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=");
	cr_assert_str_eq(f, "VIS10b0EBvzzSdFnuk4tznEmK5wHaruvf/WnViv2yR4=");
	free(d);
	free(f);
}

/* --- retries ----------------------------------------------------------------------- */

Test(notify, errcode_is_retried_with_backoff_then_failed)
{
	static const int64_t waits[] = { 60, 300, 1800, 7200, 21600 };
	int port = start_sink("http_sink.py", "unused");
	int64_t ch = channel("{\"kind\":\"wecom\",\"name\":\"bad\",\"config\":{\"webhook_url\":"
	                     "\"http://127.0.0.1:%d/x/errcode?key=K\"}}",
	                     port);
	int64_t id = enqueue(ch, NULL, "s", "b");
	int64_t t = clock_now();
	struct row w;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(waits); i++) {
		cr_assert_eq(deliver(t).retried, 1);
		w = delivery(id);
		cr_assert_str_eq(w.status, "pending");
		cr_assert_eq(w.attempts, (int)i + 1);
		cr_assert_eq(w.next_at, t + waits[i], "attempt %zu: next_at %" PRId64, i + 1,
		             w.next_at - t);
		cr_assert_str_eq(w.err, "errcode 310000: keywords not in content");
		cr_assert_eq(deliver(t + waits[i] - 1).picked, 0, "not due before its time");
		t += waits[i];
	}
	cr_assert_eq(deliver(t).failed, 1);
	w = delivery(id);
	cr_assert_str_eq(w.status, "failed");
	cr_assert_eq(w.attempts, NOTIFY_MAX_ATTEMPTS);
	cr_assert_str_eq(w.err, "errcode 310000: keywords not in content");
	cr_assert_eq(deliver(t + 10 * 86400).picked, 0, "failed is final");
	cr_assert_eq(count("SELECT COUNT(*) FROM deliveries WHERE sent_at IS NOT NULL"), 0);
}

Test(notify, http_500_and_feishu_error_code_are_failures)
{
	int port = start_sink("http_sink.py", "unused");
	int64_t a = channel("{\"kind\":\"dingtalk\",\"name\":\"a\",\"config\":{\"webhook_url\":"
	                    "\"http://127.0.0.1:%d/x/500\"}}",
	                    port);
	int64_t b = channel("{\"kind\":\"feishu\",\"name\":\"b\",\"config\":{\"webhook_url\":"
	                    "\"http://127.0.0.1:%d/x/errcode\"}}",
	                    port);
	int64_t da = enqueue(a, NULL, NULL, "x");
	int64_t db = enqueue(b, NULL, NULL, "x");

	cr_assert_eq(deliver(clock_now()).retried, 2);
	cr_assert_str_eq(delivery(da).err, "HTTP 500");
	cr_assert_str_eq(delivery(db).err, "code 19021: sign match fail");
}

Test(notify, refused_connection_is_quick_and_retried)
{
	int64_t ch = channel("{\"kind\":\"wecom\",\"name\":\"down\",\"config\":{\"webhook_url\":"
	                     "\"http://127.0.0.1:%d/send?key=K\"}}",
	                     dead_port());
	int64_t mail =
	        channel("{\"kind\":\"email\",\"name\":\"mail-down\",\"config\":{\"smtp_url\":"
	                "\"smtp://127.0.0.1:%d\",\"from\":\"a@b.cn\"}}",
	                dead_port());
	int64_t id = enqueue(ch, NULL, NULL, "x");
	int64_t id2 = enqueue(mail, "c@d.cn", "s", "x");
	int64_t t0 = clock_mono_ms();
	struct notify_stats s = deliver(clock_now());

	cr_assert_lt(clock_mono_ms() - t0, 5000, "a dead receiver costs no timeout");
	cr_assert_eq(s.retried, 2);
	cr_assert_str_eq(delivery(id).status, "pending");
	cr_assert_eq(delivery(id).attempts, 1);
	cr_assert(strstr(delivery(id).err, "onnect") != NULL, "%s", delivery(id).err);
	cr_assert(strstr(delivery(id).err, "key=") == NULL, "no token in last_error");
	cr_assert_eq(delivery(id2).attempts, 1);
	cr_assert_neq(delivery(id2).err[0], '\0');
}

Test(notify, silent_receiver_is_cut_by_the_total_timeout)
{
	int port = start_sink("http_sink.py", "unused");
	int64_t ch = channel("{\"kind\":\"wecom\",\"name\":\"slow\",\"config\":{\"webhook_url\":"
	                     "\"http://127.0.0.1:%d/x/hang\"}}",
	                     port);
	int64_t id, t0, took;

	cr_assert_eq(notify_connect_timeout_ms, 10000, "10 s to connect");
	cr_assert_eq(notify_total_timeout_ms, 30000, "30 s per attempt");
	notify_total_timeout_ms = 1000; /* the receiver answers after 5 s */
	id = enqueue(ch, NULL, NULL, "x");
	t0 = clock_mono_ms();
	cr_assert_eq(deliver(clock_now()).retried, 1);
	took = clock_mono_ms() - t0;
	cr_assert(took >= 900 && took < 4000, "took %" PRId64 " ms", took);
	cr_assert(strstr(delivery(id).err, "imeout") || strstr(delivery(id).err, "timed out"), "%s",
	          delivery(id).err);
}

Test(notify, deliver_refuses_to_run_inside_a_transaction)
{
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(notify_deliver_due(st, key, clock_now(), 10, NULL), -ERR_INTERNAL);
	store_rollback(st);
}

/* --- queue ------------------------------------------------------------------------- */

Test(notify, enqueue_in_a_rolled_back_transaction_leaves_nothing)
{
	int64_t ch = channel("{\"kind\":\"wecom\",\"name\":\"w\",\"config\":{\"webhook_url\":"
	                     "\"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K\"}}");

	cr_assert_eq(notify_enqueue(st, 0, ch, NULL, "s", "b"), -ERR_INTERNAL, "outside a tx");
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(notify_enqueue(st, 0, ch, NULL, "s", "b"), 0);
	cr_assert_eq(notify_enqueue(st, 0, ch, NULL, "s2", "b2"), 0);
	store_rollback(st);
	cr_assert_eq(count("SELECT COUNT(*) FROM deliveries"), 0);
	cr_assert_eq(deliver(clock_now() + 86400).picked, 0);
}

Test(notify, enqueue_checks_its_input)
{
	int64_t w = channel("{\"kind\":\"wecom\",\"name\":\"w\",\"config\":{\"webhook_url\":"
	                    "\"https://qyapi.weixin.qq.com/x?key=K\"}}");
	int64_t m = channel("{\"kind\":\"email\",\"name\":\"m\",\"config\":{\"smtp_url\":"
	                    "\"smtps://mail.example.cn:465\",\"from\":\"isms@example.cn\"}}");
	char big[NOTIFY_BODY_MAX + 2];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(store_begin(st), 0);
	cr_assert_eq(notify_enqueue(st, 0, m, "no-at-sign", "s", "b"), -ERR_INVALID);
	cr_assert_eq(notify_enqueue(st, 0, m, "a@b.cn>\r\nRCPT TO:<x@y.cn", "s", "b"),
	             -ERR_INVALID);
	cr_assert_eq(notify_enqueue(st, 0, m, "a@b.cn", "s\r\nBcc: x@y.cn", "b"), -ERR_INVALID);
	cr_assert_eq(notify_enqueue(st, 0, m, "a@b.cn", "s", "bad \xff utf-8"), -ERR_INVALID);
	cr_assert_eq(notify_enqueue(st, 0, m, "a@b.cn", "s", big), -ERR_INVALID);
	cr_assert_eq(notify_enqueue(st, 0, w, "a@b.cn", "s", "b"), -ERR_INVALID, "robots: no rcpt");
	cr_assert_eq(notify_enqueue(st, 0, 999, NULL, "s", "b"), -ERR_NOT_FOUND);
	cr_assert_eq(notify_enqueue(st, 0, m, "a@b.cn", "s", "b"), 0);
	cr_assert_eq(store_commit(st), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM deliveries"), 1);
}

Test(notify, disabled_channel_waits)
{
	int port = start_sink("http_sink.py", "unused");
	int64_t ch = channel("{\"kind\":\"wecom\",\"name\":\"off\",\"enabled\":false,\"config\":"
	                     "{\"webhook_url\":\"http://127.0.0.1:%d/wecom/ok\"}}",
	                     port);
	json_t *chg = json_pack("{s:i, s:b}", "version", 1, "enabled", 1);
	struct problem p = { 0 };
	int64_t id = enqueue(ch, NULL, NULL, "x");

	cr_assert_eq(deliver(clock_now()).picked, 0);
	cr_assert_eq(notify_channel_update(st, &operator_, key, ch, chg, &p), 0);
	cr_assert_eq(deliver(clock_now()).sent, 1);
	cr_assert_str_eq(delivery(id).status, "sent");
	json_decref(chg);
}

/* --- channels ---------------------------------------------------------------------- */

static void check_refused(const char *json, int err, const char *field)
{
	struct problem p = { 0 };
	int64_t id = 0;

	cr_assert_eq(create(&operator_, json, &id, &p), -err, "%s accepted", json);
	if (field)
		cr_assert_str_eq(p.field ? p.field : "(null)", field, "%s", json);
}

Test(notify, channel_input_is_validated)
{
	char long_name[200];

	(void)snprintf(long_name, sizeof(long_name),
	               "{\"kind\":\"wecom\",\"name\":\"%065d\",\"config\":"
	               "{\"webhook_url\":\"https://h/x\"}}",
	               0);
	check_refused(long_name, ERR_INVALID, "name");
	check_refused(
	        "{\"kind\":\"wecom\",\"name\":\"\",\"config\":{\"webhook_url\":\"https://h/\"}}",
	        ERR_INVALID, "name");
	check_refused("{\"kind\":\"sms\",\"name\":\"a\",\"config\":{}}", ERR_INVALID, "kind");
	check_refused(
	        "{\"kind\":\"wecom\",\"name\":\"a\",\"config\":{\"webhook_url\":\"ftp://h/\"}}",
	        ERR_INVALID, "config.webhook_url");
	check_refused("{\"kind\":\"wecom\",\"name\":\"a\",\"config\":{\"webhook_url\":"
	              "\"javascript:alert(1)\"}}",
	              ERR_INVALID, "config.webhook_url");
	check_refused("{\"kind\":\"dingtalk\",\"name\":\"a\",\"config\":{\"webhook_url\":"
	              "\"https://u:p@h/\"}}",
	              ERR_INVALID, "config.webhook_url");
	check_refused("{\"kind\":\"feishu\",\"name\":\"a\",\"config\":{\"webhook_url\":"
	              "\"https://h/a b\"}}",
	              ERR_INVALID, "config.webhook_url");
	check_refused("{\"kind\":\"email\",\"name\":\"a\",\"config\":{\"smtp_url\":\"http://h:25\","
	              "\"from\":\"a@b.cn\"}}",
	              ERR_INVALID, "config.smtp_url");
	check_refused("{\"kind\":\"email\",\"name\":\"a\",\"config\":{\"smtp_url\":\"smtp://h:25\","
	              "\"from\":\"a@b.cn\\r\\nBcc: x@y\"}}",
	              ERR_INVALID, "config.from");
	check_refused(
	        "{\"kind\":\"wecom\",\"name\":\"a\",\"config\":{\"webhook_url\":\"https://h/\","
	        "\"extra\":1}}",
	        ERR_INVALID, "config");
	check_refused(
	        "{\"kind\":\"wecom\",\"name\":\"a\",\"config\":{\"webhook_url\":\"https://h/\","
	        "\"secret\":\"s\"}}",
	        ERR_INVALID, "config");
	check_refused("{\"kind\":\"wecom\",\"name\":\"a\",\"role\":\"x\",\"config\":{}}",
	              ERR_INVALID, NULL);
	cr_assert_eq(count("SELECT COUNT(*) FROM notify_channels"), 0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_log"), 0);
}

Test(notify, only_the_security_admin_manages_channels)
{
	static const char J[] =
	        "{\"kind\":\"wecom\",\"name\":\"a\",\"config\":{\"webhook_url\":\"https://h/\"}}";
	json_t *items = NULL;
	struct problem p = { 0 };
	int64_t id = 0;

	cr_assert_eq(create(&sysadm, J, &id, &p), -ERR_FORBIDDEN);
	cr_assert_eq(notify_channel_list(st, &sysadm, &items, &p), -ERR_FORBIDDEN);
	cr_assert_eq(count("SELECT COUNT(*) FROM notify_channels"), 0);
	cr_assert_eq(create(&secadm, J, &id, &p), 0);
	cr_assert_eq(create(&secadm, J, &id, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "name_taken");
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_log"), 1);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE entry LIKE "
	                   "'%notify_channel.create%\"actor_id\":7%'"),
	             1);
}

Test(notify, secrets_are_sealed_and_never_shown)
{
	int64_t m = channel("{\"kind\":\"email\",\"name\":\"m\",\"config\":{\"smtp_url\":"
	                    "\"smtp://mail.example.cn:587\",\"from\":\"isms@example.cn\","
	                    "\"username\":\"isms\",\"password\":\"Pa55-word-XYZ\"}}");
	int64_t d = channel("{\"kind\":\"dingtalk\",\"name\":\"d\",\"config\":{\"webhook_url\":"
	                    "\"https://oapi.dingtalk.com/robot/send?access_token=TOKEN123\","
	                    "\"secret\":\"SECRET-456\"}}");
	json_t *items = NULL, *cfg, *chg;
	struct problem p = { 0 };
	char *text;

	cr_assert_eq(count("SELECT COUNT(*) FROM notify_channels WHERE config LIKE '%Pa55%' OR "
	                   "config LIKE '%SECRET-456%'"),
	             0, "no plain secret stored");
	cr_assert_eq(count("SELECT COUNT(*) FROM notify_channels WHERE config LIKE "
	                   "'%password_sealed%' OR config LIKE '%secret_sealed%'"),
	             2);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_log WHERE entry LIKE '%Pa55%' OR entry LIKE "
	                   "'%SECRET-456%' OR entry LIKE '%TOKEN123%' OR entry LIKE '%_sealed%'"),
	             0, "no secret and no token in the audit trail");

	cr_assert_eq(notify_channel_list(st, &secadm, &items, &p), 0);
	text = json_dumps(items, JSON_COMPACT);
	cr_assert(!strstr(text, "Pa55") && !strstr(text, "SECRET") && !strstr(text, "TOKEN123") &&
	                  !strstr(text, "_sealed"),
	          "%s", text);
	cfg = json_object_get(json_array_get(items, 0), "config");
	cr_assert(json_is_true(json_object_get(cfg, "password_set")));
	cr_assert_str_eq(json_string_value(json_object_get(cfg, "smtp_url")),
	                 "smtp://mail.example.cn:587/…");
	cfg = json_object_get(json_array_get(items, 1), "config");
	cr_assert_str_eq(json_string_value(json_object_get(cfg, "webhook_url")),
	                 "https://oapi.dingtalk.com/…");
	cr_assert(json_is_true(json_object_get(cfg, "secret_set")));
	free(text);
	json_decref(items);

	/* An update without the password keeps it; a stale version is refused. */
	chg = json_pack("{s:i, s:s, s:{s:s, s:s}}", "version", 1, "name", "邮件2", "config",
	                "smtp_url", "smtp://mail2.example.cn:587", "from", "isms@example.cn");
	cr_assert_eq(notify_channel_update(st, &secadm, key, m, chg, &p), 0, "%s", p.detail);
	cr_assert_eq(notify_channel_update(st, &secadm, key, m, chg, &p), -ERR_CONFLICT);
	cr_assert_str_eq(p.code, "stale_version");
	cr_assert_eq(count("SELECT COUNT(*) FROM notify_channels WHERE name = '邮件2' AND "
	                   "version = 2 AND config LIKE '%password_sealed%' AND config LIKE "
	                   "'%mail2.example.cn%'"),
	             1);
	json_decref(chg);
	chg = json_pack("{s:i, s:{s:s, s:n}}", "version", 1, "config", "webhook_url",
	                "https://oapi.dingtalk.com/robot/send?access_token=TOKEN-T2XYZ", "secret");
	cr_assert_eq(notify_channel_update(st, &operator_, key, d, chg, &p), 0, "%s", p.detail);
	cr_assert_eq(count("SELECT COUNT(*) FROM notify_channels WHERE config LIKE '%_sealed%'"), 1,
	             "null removes the secret");
	cr_assert_eq(
	        count("SELECT COUNT(*) FROM audit_log WHERE entry LIKE '%T2XYZ%' OR entry LIKE "
	              "'%Pa55%'"),
	        0);
	cr_assert_eq(count("SELECT COUNT(*) FROM audit_log"), 4);
	json_decref(chg);
}

Test(notify, a_secret_sealed_to_another_channel_does_not_open)
{
	int port = start_sink("http_sink.py", "s3cret");
	int64_t a = channel("{\"kind\":\"dingtalk\",\"name\":\"a\",\"config\":{\"webhook_url\":"
	                    "\"http://127.0.0.1:%d/dingtalk/ok\",\"secret\":\"s3cret\"}}",
	                    port);
	int64_t b = channel("{\"kind\":\"dingtalk\",\"name\":\"b\",\"config\":{\"webhook_url\":"
	                    "\"http://127.0.0.1:%d/dingtalk/ok\",\"secret\":\"other\"}}",
	                    port);
	struct stmt *s = NULL;
	json_t *got;
	int64_t id;

	/* move a's sealed secret to b: bound to channel a, it must not open for b */
	s = store_stmt(st, "UPDATE notify_channels SET config = (SELECT config FROM "
	                   "notify_channels WHERE id = $1) WHERE id = $2");
	store_bind_int(s, 1, a);
	store_bind_int(s, 2, b);
	cr_assert_eq(store_exec_stmt(st, s), 0);
	id = enqueue(b, NULL, NULL, "x");
	cr_assert_eq(deliver(clock_now()).retried, 1);
	cr_assert_str_eq(delivery(id).err, "stored secret does not open with this key");
	got = received();
	cr_assert_eq(json_array_size(got), 0, "nothing was sent");
	json_decref(got);
}

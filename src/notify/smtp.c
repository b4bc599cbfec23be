/*
 * smtp.c: e-mail over SMTP with libcurl. Builds one RFC 5322 message (UTF-8 text in base64,
 * the subject as RFC 2047 encoded words so Chinese subjects survive any relay) and sends it
 * to one recipient, requiring STARTTLS when the channel asks for it. Knows nothing of the
 * database; the caller records the outcome.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/util.h"
#include "notify/notify_int.h"

#include <curl/curl.h>
#include <time.h>

#define B64_LINE 76 /* RFC 2045 line length of base64 bodies */
/* An encoded word is at most 75 characters (RFC 2047 2): "=?UTF-8?B?" + 60 + "?=" with
 * 60 base64 characters = 45 bytes of text. */
#define WORD_BYTES 45

/* Length of the longest prefix of s[0..n) of at most max bytes that does not cut a UTF-8
 * sequence. */
static size_t utf8_prefix(const char *s, size_t n, size_t max)
{
	size_t k;

	if (n <= max)
		return n;
	k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return k > 0 ? k : max;
}

char *notify_mail_encode_header(const char *s)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	size_t n = strlen(s);

	while (n > 0) {
		size_t k = utf8_prefix(s, n, WORD_BYTES);
		char *w = b64_encode(s, k);

		if (b.len > 0)
			(void)buf_adds(&b, "\r\n "); /* folding white space between words */
		(void)buf_addf(&b, "=?UTF-8?B?%s?=", w);
		free(w);
		s += k;
		n -= k;
	}
	return buf_detach(&b, NULL);
}

/* "Tue, 21 Nov 2026 08:00:00 +0000", independent of the locale. */
static void mail_date(int64_t t, char *out, size_t n)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm)) {
		(void)snprintf(out, n, "Thu, 01 Jan 1970 00:00:00 +0000");
		return;
	}
	(void)snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7],
	               tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	               tm.tm_sec);
}

char *notify_mail_build(const char *from, const char *to, const char *subject, const char *body,
                        int64_t t)
{
	struct buf b = BUF_INIT(BUF_NOMAX);
	const char *domain = strrchr(from, '@');
	char date[64];
	char *id = random_token(16);
	char *subj = notify_mail_encode_header(subject);
	char *text = b64_encode(body, strlen(body));
	size_t i, n = strlen(text);

	mail_date(t, date, sizeof(date));
	(void)buf_addf(&b, "Date: %s\r\n", date);
	(void)buf_addf(&b, "From: <%s>\r\n", from);
	(void)buf_addf(&b, "To: <%s>\r\n", to);
	if (subj[0])
		(void)buf_addf(&b, "Subject: %s\r\n", subj);
	(void)buf_addf(&b, "Message-ID: <%s@%s>\r\n", id, domain ? domain + 1 : "isms.invalid");
	(void)buf_adds(&b, "MIME-Version: 1.0\r\n"
	                   "Content-Type: text/plain; charset=UTF-8\r\n"
	                   "Content-Transfer-Encoding: base64\r\n"
	                   "\r\n");
	for (i = 0; i < n; i += B64_LINE) {
		(void)buf_add(&b, text + i, n - i < B64_LINE ? n - i : B64_LINE);
		(void)buf_adds(&b, "\r\n");
	}
	free(id);
	free(subj);
	free(text);
	return buf_detach(&b, NULL);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

int notify_smtp_send(const struct notify_smtp *cfg, const struct notify_msg *m, char *err,
                     size_t errlen)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	char *msg = notify_mail_build(cfg->from, m->recipient, m->subject, m->body, clock_now());
	char *mail_from = xasprintf("<%s>", cfg->from);
	char *rcpt_to = xasprintf("<%s>", m->recipient);
	struct upload up = { .p = msg, .left = strlen(msg) };
	struct curl_slist *rcpt = NULL;
	CURL *c = curl_easy_init();
	CURLcode cc;
	int r = -ERR_INTERNAL;

	if (!c) {
		(void)snprintf(err, errlen, "cannot start libcurl");
		goto out;
	}
	rcpt = curl_slist_append(rcpt, rcpt_to);
	(void)curl_easy_setopt(c, CURLOPT_URL, cfg->url);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, notify_connect_timeout_ms);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, notify_total_timeout_ms);
	(void)curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	(void)curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
	(void)curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	if (cfg->starttls)
		(void)curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cfg->username) {
		(void)curl_easy_setopt(c, CURLOPT_USERNAME, cfg->username);
		(void)curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
	}
	(void)curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	(void)curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	(void)curl_easy_setopt(c, CURLOPT_READDATA, &up);
	(void)curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.left);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK) {
		r = 0;
	} else {
		long code = 0;

		(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code > 0)
			(void)snprintf(err, errlen, "smtp %ld: %s", code,
			               curl_err[0] ? curl_err : curl_easy_strerror(cc));
		else
			(void)snprintf(err, errlen, "%s",
			               curl_err[0] ? curl_err : curl_easy_strerror(cc));
	}
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	free(msg);
	free(mail_from);
	free(rcpt_to);
	return r;
}

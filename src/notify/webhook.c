/*
 * webhook.c: the chat robots of 企业微信 (wecom), 钉钉 (dingtalk) and 飞书 (feishu), one
 * JSON POST each with libcurl:
 *
 *   wecom     {"msgtype":"text","text":{"content":…}}            success: errcode 0
 *   dingtalk  {"msgtype":"text","text":{"content":…}}            success: errcode 0
 *             signed: URL + "&timestamp=<ms>&sign=<urlencoded base64(HMAC-SHA256(secret,
 *             ts "\n" secret))>"
 *   feishu    {"msg_type":"text","content":{"text":…}}           success: code 0 (or the
 *             older StatusCode 0); signed: "timestamp": "<s>", "sign": base64(HMAC-SHA256(
 *             key = ts "\n" secret, message = ""))
 *
 * Only a 2xx answer carrying the platform's success code counts as sent. The URL holds the
 * robot's token, so no message made here contains it. Knows nothing of the database.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/util.h"
#include "notify/notify_int.h"

#include <curl/curl.h>
#include <sodium.h>

#define RESPONSE_MAX 65536

static char *hmac_b64(const void *key, size_t keylen, const void *msg, size_t msglen)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state hs;
	char *out;

	crypto_auth_hmacsha256_init(&hs, key, keylen);
	crypto_auth_hmacsha256_update(&hs, msg, msglen);
	crypto_auth_hmacsha256_final(&hs, mac);
	out = b64_encode(mac, sizeof(mac));
	sodium_memzero(&hs, sizeof(hs));
	return out;
}

char *notify_sign_dingtalk(const char *secret, int64_t ts_ms)
{
	char *msg = xasprintf("%" PRId64 "\n%s", ts_ms, secret);
	char *sig = hmac_b64(secret, strlen(secret), msg, strlen(msg));

	sodium_memzero(msg, strlen(msg));
	free(msg);
	return sig;
}

char *notify_sign_feishu(const char *secret, int64_t ts_s)
{
	char *key = xasprintf("%" PRId64 "\n%s", ts_s, secret);
	char *sig = hmac_b64(key, strlen(key), "", 0);

	sodium_memzero(key, strlen(key));
	free(key);
	return sig;
}

static char *content_of(const struct notify_msg *m)
{
	if (m->subject[0] == '\0')
		return xstrdup(m->body);
	return xasprintf("%s\n%s", m->subject, m->body);
}

/* The JSON body for kind; *ret_url (caller frees) is the URL to post to. */
static char *request_of(enum notify_kind kind, const char *url, const char *secret,
                        const struct notify_msg *m, char **ret_url)
{
	char *content = content_of(m);
	json_t *root;
	char *out;

	*ret_url = NULL;
	if (kind == NOTIFY_FEISHU) {
		root = json_pack("{s:s, s:{s:s}}", "msg_type", "text", "content", "text", content);
		if (secret) {
			int64_t ts = clock_now();
			char *sig = notify_sign_feishu(secret, ts);
			char *ts_s = xasprintf("%" PRId64, ts);

			json_object_set_new(root, "timestamp", json_string(ts_s));
			json_object_set_new(root, "sign", json_string(sig));
			free(sig);
			free(ts_s);
		}
	} else {
		root = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content", content);
		if (kind == NOTIFY_DINGTALK && secret) {
			int64_t ts = clock_now_ms();
			char *sig = notify_sign_dingtalk(secret, ts);
			char *esc = curl_easy_escape(NULL, sig, 0);

			*ret_url = xasprintf("%s%ctimestamp=%" PRId64 "&sign=%s", url,
			                     strchr(url, '?') ? '&' : '?', ts, esc ? esc : "");
			curl_free(esc);
			free(sig);
		}
	}
	if (!*ret_url)
		*ret_url = xstrdup(url);
	out = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	free(content);
	return out;
}

static size_t write_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;

	/* Past the cap the rest is dropped: the verdict is in the first bytes. */
	(void)buf_add(b, p, n <= b->max - b->len ? n : b->max - b->len);
	return n;
}

/* 0 when the answer is the platform's success, else -ERR_INTERNAL with err filled. */
static int verdict(enum notify_kind kind, long status, const struct buf *body, char *err,
                   size_t errlen)
{
	json_t *root = json_loadb(body->data, body->len, 0, NULL);
	const char *code_key = kind == NOTIFY_FEISHU ? "code" : "errcode";
	const char *msg_key = kind == NOTIFY_FEISHU ? "msg" : "errmsg";
	json_t *code = json_object_get(root, code_key);
	int r = -ERR_INTERNAL;

	if (kind == NOTIFY_FEISHU && !code) {
		code = json_object_get(root, "StatusCode");
		msg_key = "StatusMessage";
	}
	if (status < 200 || status > 299) {
		(void)snprintf(err, errlen, "HTTP %ld", status);
	} else if (!json_is_integer(code)) {
		(void)snprintf(err, errlen, "HTTP %ld without %s", status, code_key);
	} else if (json_integer_value(code) != 0) {
		const char *msg = json_string_value(json_object_get(root, msg_key));

		(void)snprintf(err, errlen, "%s %" JSON_INTEGER_FORMAT ": %.160s", code_key,
		               json_integer_value(code), msg ? msg : "");
	} else {
		r = 0;
	}
	json_decref(root);
	return r;
}

int notify_webhook_send(enum notify_kind kind, const char *url, const char *secret,
                        const struct notify_msg *m, char *err, size_t errlen)
{
	char curl_err[CURL_ERROR_SIZE] = "";
	struct buf resp = BUF_INIT(RESPONSE_MAX);
	struct curl_slist *hdr = NULL;
	char *post_url = NULL;
	char *json = NULL;
	CURL *c = NULL;
	CURLcode cc;
	long status = 0;
	int r = -ERR_INTERNAL;

	if (kind != NOTIFY_WECOM && kind != NOTIFY_DINGTALK && kind != NOTIFY_FEISHU) {
		(void)snprintf(err, errlen, "not a robot channel");
		return -ERR_INVALID;
	}
	json = request_of(kind, url, secret, m, &post_url);
	c = curl_easy_init();
	if (!c) {
		(void)snprintf(err, errlen, "cannot start libcurl");
		goto out;
	}
	hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=utf-8");
	(void)curl_easy_setopt(c, CURLOPT_URL, post_url);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, notify_connect_timeout_ms);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, notify_total_timeout_ms);
	(void)curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	(void)curl_easy_setopt(c, CURLOPT_USERAGENT, "isms");
	(void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	(void)curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	(void)curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json));
	(void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	(void)curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		(void)snprintf(err, errlen, "%s", curl_err[0] ? curl_err : curl_easy_strerror(cc));
		goto out;
	}
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	r = verdict(kind, status, &resp, err, errlen);
out:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	buf_release(&resp);
	free(json);
	free(post_url);
	return r;
}

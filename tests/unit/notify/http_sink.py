#!/usr/bin/python3
"""http_sink.py: a chat-robot receiver for test_notify.c (python3 stdlib only).

    http_sink.py OUT.jsonl SECRET

Listens on 127.0.0.1 (ephemeral port, printed on stdout), appends one JSON line per POST to
OUT.jsonl *before* answering, and answers by the last path segment:
  .../wecom/ok  {"errcode":0}     .../feishu/ok  {"code":0}     .../feishu-old/ok {"StatusCode":0}
  .../errcode   200 with errcode/code 310000        .../500  HTTP 500
  .../hang      answers after 5 s (for the timeout test)
Each line has path, query, body (parsed JSON), content_type and sign_ok: whether the
DingTalk (query timestamp/sign) or Feishu (body timestamp/sign) signature verifies against
SECRET, computed here independently with hmac; null when the request is unsigned.
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUT, SECRET = sys.argv[1], sys.argv[2].encode()
lock = threading.Lock()


def b64hmac(key, msg):
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def check_sign(query, body):
    now = time.time()
    if "timestamp" in query and "sign" in query:  # DingTalk: ms, over ts\nsecret
        ts = query["timestamp"]
        fresh = abs(int(ts) / 1000 - now) < 3600
        return fresh and hmac.compare_digest(
            b64hmac(SECRET, ts.encode() + b"\n" + SECRET), query["sign"])
    if isinstance(body, dict) and "timestamp" in body and "sign" in body:  # Feishu: s, key
        ts = body["timestamp"]
        fresh = isinstance(ts, str) and abs(int(ts) - now) < 3600
        return fresh and hmac.compare_digest(b64hmac(ts.encode() + b"\n" + SECRET, b""),
                                             body["sign"])
    return None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))  # unquotes the sign
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = None
        rec = {"path": url.path, "query": query, "body": body,
               "content_type": self.headers.get("Content-Type"),
               "sign_ok": check_sign(query, body)}
        with lock, open(OUT, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        last = url.path.rstrip("/").rsplit("/", 1)[-1]
        status, answer = 200, {"errcode": 0, "errmsg": "ok"}
        if url.path.endswith("/feishu/ok"):
            answer = {"code": 0, "msg": "success", "data": {}}
        elif url.path.endswith("/feishu-old/ok"):
            answer = {"StatusCode": 0, "StatusMessage": "success"}
        elif last == "errcode":
            answer = {"errcode": 310000, "errmsg": "keywords not in content",
                      "code": 19021, "msg": "sign match fail"}
        elif last == "500":
            status, answer = 500, {"error": "boom"}
        elif last == "hang":
            time.sleep(5)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
srv.daemon_threads = True
print(srv.server_address[1], flush=True)
srv.serve_forever()

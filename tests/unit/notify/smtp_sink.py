#!/usr/bin/python3
"""smtp_sink.py: a minimal SMTP receiver for test_notify.c (python3 stdlib, plain sockets).

    smtp_sink.py OUT.jsonl MODE        MODE: ok | reject (550 to every RCPT)

Listens on 127.0.0.1 (ephemeral port, printed on stdout). For each message it appends one
JSON line to OUT.jsonl *before* answering 250: the envelope (mail_from, rcpt_to) and the
message as Python's email package decodes it (from, to, subject with RFC 2047 decoded, the
text body with its transfer encoding undone, and the raw headers), so the test checks the
wire format with an implementation other than the sender's.
"""
import json
import socketserver
import sys
import threading
from email import policy
from email.parser import BytesParser

OUT, MODE = sys.argv[1], sys.argv[2]
lock = threading.Lock()


def record(mail_from, rcpt_to, data):
    msg = BytesParser(policy=policy.default).parsebytes(data)
    rec = {
        "mail_from": mail_from, "rcpt_to": rcpt_to,
        "from": str(msg["From"]), "to": str(msg["To"]), "subject": str(msg["Subject"]),
        "raw_subject": str(BytesParser().parsebytes(data)["Subject"]),  # still encoded
        "date": str(msg["Date"]), "message_id": str(msg["Message-ID"]),
        "mime_version": str(msg["MIME-Version"]), "content_type": msg.get_content_type(),
        "charset": msg.get_content_charset(), "cte": str(msg["Content-Transfer-Encoding"]),
        "body": msg.get_content(), "defects": len(msg.defects),
    }
    with lock, open(OUT, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")


class Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        mail_from, rcpt_to = None, []
        self.reply("220 sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-sink\r\n250 8BITMIME" if verb == "EHLO" else "250 sink")
            elif verb == "MAIL":
                mail_from, rcpt_to = cmd.split(":", 1)[1].strip(), []
                self.reply("250 ok")
            elif verb == "RCPT":
                if MODE == "reject":
                    self.reply("550 no such user here")
                else:
                    rcpt_to.append(cmd.split(":", 1)[1].strip())
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while True:
                    dl = self.rfile.readline()
                    if not dl or dl == b".\r\n":
                        break
                    lines.append(dl[1:] if dl.startswith(b"..") else dl)
                record(mail_from, rcpt_to, b"".join(lines))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            else:
                self.reply("502 not implemented")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()

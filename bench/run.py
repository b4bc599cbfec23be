#!/usr/bin/python3
"""
make bench: the isms benchmarks, each against a reference measured in the same run on the
same machine (docs/benchmarks.md records the results as ratios).

  1. authenticated GET /api/v1/me (wrk, keep-alive)  vs  nginx serving a static file
  2. POST /api/v1/session logins (wrk)                vs  bare argon2id verifications/s
  3. audit verify                                     vs  raw SHA-256 over the same bytes

Every server binds to 127.0.0.1 and every load is bounded in time.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
os.environ.setdefault("ISMS_BIN", os.path.join(ROOT, "build", "isms"))
import conftest  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
THREADS = os.environ.get("BENCH_THREADS")  # isms serve --threads (default: its own)
CONNS = int(os.environ.get("BENCH_CONNECTIONS", "32"))


def wrk(url, *extra, seconds=SECONDS, conns=CONNS):
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % seconds, "--latency", *extra, url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, (p99.group(1) if p99 else "?"), int(non2xx.group(1)) if non2xx else 0, " ".join(cmd)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NGINX_PORT = free_port()


def nginx(tmp, body):
    www = os.path.join(tmp, "www")
    os.makedirs(www)
    with open(os.path.join(www, "me.json"), "w") as f:
        f.write(body)
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes 2; daemon on; pid %s/nginx.pid; error_log %s/nginx.err;
events { worker_connections 1024; }
http { access_log off; default_type application/json;
  server { listen 127.0.0.1:%d; root %s; } }
""" % (tmp, tmp, NGINX_PORT, www))
    subprocess.run(["nginx", "-c", conf, "-p", tmp], check=True)
    return lambda: subprocess.run(["nginx", "-c", conf, "-p", tmp, "-s", "stop"])


def main():
    tmp = tempfile.mkdtemp(prefix="isms-bench-")
    results = []
    srv = conftest.Server(tmp)
    srv.init()
    srv.start(*(["--threads", THREADS] if THREADS else []))
    stop_nginx = None
    try:
        srv.relax_rate_limit()
        client, password = srv.employee("bench.user")
        cookie = "isms_session=" + client.cookies.get("isms_session")
        me = client.get("/api/v1/me")
        assert me.status_code == 200, me.text
        stop_nginx = nginx(tmp, me.text)
        time.sleep(0.5)

        # References are measured before and after isms and averaged, so that the machine's
        # drift (shared hosts) weighs on both sides alike.
        ref1, ref_p99, _, ref_cmd = wrk("http://127.0.0.1:%d/me.json" % NGINX_PORT)
        got, got_p99, bad, got_cmd = wrk(srv.base + "/api/v1/me", "-H", "Cookie: " + cookie)
        ref2, _, _, _ = wrk("http://127.0.0.1:%d/me.json" % NGINX_PORT)
        ref = (ref1 + ref2) / 2
        assert bad == 0, "non-2xx answers during the GET benchmark"
        results.append(("authenticated GET /api/v1/me", got, got_p99, got_cmd,
                        "nginx static file", ref, ref_p99, ref_cmd, 0.5))

        lua = os.path.join(tmp, "login.lua")
        with open(lua, "w") as f:
            f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                    'wrk.body = %s\n' % json.dumps(json.dumps(
                        {"username": "bench.user", "password": password})))
        def argon2_rate():
            out = subprocess.run([os.path.join(ROOT, "build", "bench", "bench_argon2"),
                                  str(SECONDS), "2"], capture_output=True, text=True).stdout
            return float(re.search(r"([\d.]+) verifications/s", out).group(1))

        ref1 = argon2_rate()
        got, got_p99, bad, got_cmd = wrk(srv.base + "/api/v1/session", "-s", lua, conns=8)
        ref_login = (ref1 + argon2_rate()) / 2
        assert bad == 0, "non-2xx answers during the login benchmark"
        results.append(("POST /api/v1/session (login)", got, got_p99, got_cmd,
                        "bare argon2id verify, 2 threads", ref_login, "-",
                        "build/bench/bench_argon2 %d 2" % SECONDS, 0.9))
    finally:
        if stop_nginx:
            stop_nginx()
        srv.stop()

    audit_dir = os.path.join(tmp, "audit")
    out = subprocess.run([os.path.join(ROOT, "build", "bench", "bench_audit"), audit_dir, "200000"],
                         capture_output=True, text=True).stdout
    verify = float(re.search(r"verify: [\d.]+ s, ([\d.]+) MB/s", out).group(1))
    raw = float(re.search(r"raw sha256 over the same bytes: [\d.]+ s, ([\d.]+) MB/s", out).group(1))
    results.append(("audit verify, 200 000 entries (MB/s)", verify, "-",
                    "build/bench/bench_audit DIR 200000", "raw SHA-256, same bytes (MB/s)", raw,
                    "-", "(same program)", 0.5))
    shutil.rmtree(tmp, ignore_errors=True)

    print("\n| benchmark | isms | reference | ratio | target |")
    print("|---|---|---|---|---|")
    ok = True
    for name, got, p99, cmd, rname, ref, rp99, rcmd, target in results:
        ratio = got / ref if ref else 0
        ok = ok and ratio >= target
        print("| %s | %.1f (p99 %s) | %s: %.1f | %.2f | ≥ %.1f |" % (name, got, p99, rname, ref,
                                                                 ratio, target))
    print("\ncommands:")
    for r in results:
        print("  isms:      " + r[3])
        print("  reference: " + r[7])
    print("\nmachine: %s, %s cores" % (os.uname().machine, os.cpu_count()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

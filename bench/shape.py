#!/usr/bin/python3
"""
Two isms binaries side by side on the requests every screen makes: authenticated GET /me
(keep-alive, 32 connections), a page of a register's list (8 connections) and creating a
record (4 connections, POST with its CSRF token). Each binary serves a data folder of its own
made the same way; the two are measured in turns (A B A B) so that the machine's drift falls
on both, and the result is the ratio B / A per round and its median.

  /usr/bin/python3 bench/shape.py OLD_ISMS NEW_ISMS      (BENCH_SECONDS 8, BENCH_ROUNDS 4)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
import conftest  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))


def wrk(url, conns, *extra):
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % SECONDS, "--latency", *extra, url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert not bad, out
    return rps


def lua(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def world(binary):
    """A server of binary with an IT staff account and 300 inspection records."""
    conftest.ISMS = binary
    tmp = tempfile.mkdtemp(prefix="isms-shape-")
    s = conftest.Server(tmp)
    s.init()
    s.start()
    s.relax_rate_limit()
    it = s.staff("bench-it", "it_staff")
    body = {"type": "machine_room_inspection", "data": {
        "inspected_at": "2026-11-21T09:30:00+08:00", "inspector": it.uid, "temperature": 22,
        "humidity": 48, "power_ups": "normal", "air_conditioning": "normal",
        "fire_smoke": "normal", "water_leak": "normal", "network_status": "normal",
        "server_status": "normal", "result": "normal"}}
    for _ in range(300):
        r = it.post("/api/v1/records", json=body)
        assert r.status_code == 201, r.text
    cookie = "; ".join("%s=%s" % (k, v) for k, v in it.cookies.items())
    return s, tmp, it, cookie, body


def measure(binary):
    s, tmp, it, cookie, body = world(binary)
    try:
        me = wrk(s.base + "/api/v1/me", 32, "-H", "Cookie: " + cookie)
        page = wrk(s.base + "/api/v1/records?type=machine_room_inspection&limit=50", 8,
                   "-H", "Cookie: " + cookie)
        script = lua(tmp, "create.lua", 'wrk.method = "POST"\nwrk.body = %s\n'
                     'wrk.headers["Content-Type"] = "application/json"\n'
                     'wrk.headers["Cookie"] = "%s"\nwrk.headers["X-CSRF-Token"] = "%s"\n'
                     % (json.dumps(json.dumps(body)), cookie, it.csrf))
        create = wrk(s.base + "/api/v1/records", 4, "-s", script)
    finally:
        s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return {"GET /api/v1/me": me, "GET /api/v1/records page": page, "POST /api/v1/records": create}


def main():
    import statistics
    old, new = sys.argv[1], sys.argv[2]
    rounds = []
    for _ in range(ROUNDS):
        rounds.append((measure(old), measure(new)))
    print("| request | old req/s | new req/s | new / old per round | median |")
    print("|---|---|---|---|---|")
    for k in rounds[0][0]:
        ratios = [b[k] / a[k] for a, b in rounds]
        print("| %s | %s | %s | %s | **%.2f** |" % (
            k, " / ".join("%.0f" % a[k] for a, _ in rounds),
            " / ".join("%.0f" % b[k] for _, b in rounds),
            " ".join("%.2f" % x for x in ratios), statistics.median(ratios)))


if __name__ == "__main__":
    main()

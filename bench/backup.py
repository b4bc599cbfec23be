#!/usr/bin/python3
"""
make bench: isms's own backup of a large database (BAK-1), against `cp` + `zstd` of the same
file measured in the same run, and the effect of a running backup on request latency.

  1. isms backup run on a data folder whose isms.db is grown to BENCH_BACKUP_MB (default 1024)
     MiB of record-like text  vs  cp isms.db + zstd -3 of the copy (the reference)
  2. isms backup verify of the same file (restore into a scratch folder + every check)
  3. wrk GET /api/v1/me for BENCH_SECONDS, alone and while a backup runs: requests/s and p99

The database grows through a table of its own (bench_fill); the backup copies every page,
so what matters is the size. Every server binds to 127.0.0.1; every load is bounded in time.
"""
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
os.environ.setdefault("ISMS_BIN", os.path.join(ROOT, "build", "isms"))
import conftest  # noqa: E402
from run import wrk  # noqa: E402

ISMS = os.environ["ISMS_BIN"]
MB = int(os.environ.get("BENCH_BACKUP_MB", "1024"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WORDS = ("机房 巡检 温度 湿度 正常 异常 服务器 防火墙 路由器 备份 恢复 账号 申请 审批 "
         "server firewall router backup restore account request approve ok abnormal "
         "ERP OA mail finance 信息科 财务部 门诊 住院 药房 检验科").split()


def timed(cmd, **kw):
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    took = time.monotonic() - t0
    assert r.returncode == 0, (cmd, r.stdout, r.stderr)
    return took, r


def grow(db, mb):
    """Adds about mb MiB of record-like rows (JSON text of words and numbers)."""
    rng = random.Random(6)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE IF NOT EXISTS bench_fill (id INTEGER PRIMARY KEY, body TEXT)")

    def rows(n):
        for _ in range(n):
            body = '{"room": "%s", "temp": %.1f, "note": "%s", "by": %d}' % (
                rng.choice(WORDS), rng.uniform(15, 30),
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))),
                rng.randint(1, 500))
            yield (body,)

    while os.path.getsize(db) < mb << 20:
        with con:
            con.executemany("INSERT INTO bench_fill (body) VALUES (?)", rows(20000))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def main():
    tmp = tempfile.mkdtemp(prefix="isms-bench-backup-", dir=os.environ.get("BENCH_TMP"))
    srv = conftest.Server(tmp)
    srv.init()
    db = os.path.join(srv.data, "isms.db")
    t0 = time.monotonic()
    grow(db, MB)
    size = os.path.getsize(db)
    print("grew isms.db to %.0f MiB in %.0f s" % (size / 2**20, time.monotonic() - t0))

    # Reference: cp + zstd (the zstd command's default level 3, one thread, as isms uses).
    ref_dir = os.path.join(tmp, "ref")
    os.makedirs(ref_dir)
    copy = os.path.join(ref_dir, "isms.db")
    refs = []
    for _ in range(2):
        t_cp, _ = timed(["cp", db, copy])
        t_z, _ = timed(["zstd", "-3", "-T1", "-q", "-f", copy, "-o", copy + ".zst"])
        refs.append(t_cp + t_z)
        zsize = os.path.getsize(copy + ".zst")
        os.unlink(copy)
        os.unlink(copy + ".zst")
    ref = min(refs)

    runs, verifies = [], []
    for _ in range(2):
        t_run, r = timed([ISMS, "backup", "run", "--json", "--data", srv.data])
        name = re.search(r'"name": "([^"]+)"', r.stdout).group(1)
        path = os.path.join(srv.data, "backups", name)
        t_verify, _ = timed([ISMS, "backup", "verify", path])
        runs.append(t_run)
        verifies.append(t_verify)
    t_run, t_verify = min(runs), min(verifies)
    bsize = os.path.getsize(path)
    backup_only = t_run - t_verify

    # Latency: the same GET alone and while a backup runs.
    srv.start()
    try:
        srv.relax_rate_limit()
        client, _ = srv.employee("bench.user")
        cookie = "isms_session=" + client.cookies.get("isms_session")
        url = srv.base + "/api/v1/me"
        alone = wrk(url, "-H", "Cookie: " + cookie, seconds=SECONDS)
        bk = subprocess.Popen([ISMS, "backup", "run", "--data", srv.data],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        during = wrk(url, "-H", "Cookie: " + cookie, seconds=SECONDS)
        still_running = bk.poll() is None
        assert bk.wait(timeout=600) == 0
    finally:
        srv.stop()
    shutil.rmtree(tmp, ignore_errors=True)

    print("\n| measure | isms | reference | ratio | target |")
    print("|---|---|---|---|---|")
    print("| backup of a %.0f MiB isms.db (snapshot, zstd -3, encrypt, write, fsync), s "
          "| %.1f | cp + zstd -3 -T1: %.1f | %.2f | ≤ 1.5 |"
          % (size / 2**20, backup_only, ref, backup_only / ref))
    print("| the whole `isms backup run` (with its verification), s | %.1f | cp + zstd: %.1f "
          "| %.2f | - |" % (t_run, ref, t_run / ref))
    print("| `isms backup verify` (restore into scratch + integrity_check + audit + counts), "
          "s | %.1f | - | - | - |" % t_verify)
    print("| backup file / zstd -3 file, MiB | %.0f | %.0f | %.2f | - |"
          % (bsize / 2**20, zsize / 2**20, bsize / zsize))
    print("| GET /api/v1/me while a backup runs, req/s (p99) | %.0f (%s) | alone: %.0f (%s) "
          "| %.2f | - |" % (during[0], during[1], alone[0], alone[1], during[0] / alone[0]))
    print("\ncommands:")
    print("  isms:      %s backup run --data DIR; %s backup verify FILE" % (ISMS, ISMS))
    print("  reference: cp DIR/isms.db COPY; zstd -3 -T1 -q -f COPY -o COPY.zst")
    print("  latency:   " + alone[3])
    print("  the backup ran during the whole wrk window: %s" % ("yes" if still_running else
                                                            "no (it ended earlier)"))
    print("\nmachine: %s, %s cores" % (os.uname().machine, os.cpu_count()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

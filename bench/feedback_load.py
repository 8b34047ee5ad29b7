"""Load test of the public feedback form under gunicorn: throughput, latency and no lost answers.

    .venv/bin/python bench/feedback_load.py [--workers 3] [--threads 4] [--rate 110] [--duration 60]
                                           [--clients 16]

Starts the dashboard as in production (``gunicorn perhekeskus.dashboard.wsgi:application``, several
workers) on a free loopback port with a temporary data folder, then drives ``--rate`` answers per second
for ``--duration`` seconds from ``--clients`` client processes (each a phone that opened the form once and
then sends answer after answer, paced open-loop so a slow server cannot slow the offered load). Prints
the achieved throughput, p50/p95/p99 latency of the POSTs, errors, and then COUNTS the answers in the
SQLite operational store and compares them with the number acknowledged (thank-you page received).

Targets (issue 12): ≥ 100 answers/s, p99 ≤ 250 ms, stored == acknowledged.

The rate limit would stop one address sending 100 answers a second: the bench raises it with
``PERHEKESKUS_FEEDBACK_FORM_RATE_LIMIT`` (the limiter stays in the request path, so its cost is measured).
gunicorn runs with ``--keep-alive 10``: with the default 2 s an idle client connection may be closed just as
the client reuses it, and a POST is not retried (the answer was then not acknowledged, and not stored).
Exit code 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATE, TARGET_P99_MS = 100.0, 250.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(home: Path, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        PERHEKESKUS_HOME=str(home),
        PERHEKESKUS_SECRET_KEY="bench-" + "k" * 40,  # one key for every worker's CSRF tokens
        PERHEKESKUS_FEEDBACK_FORM_RATE_LIMIT="1000000 per minute",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--timeout", "60", "--keep-alive", "10", "--log-level", "warning", "perhekeskus.dashboard.wsgi:application",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT)


def wait_ready(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{base}/palaute", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def client(base: str, rate: float, start_at: float, duration: float, number: int, results) -> None:
    """One client process: open the form once, then send answers at ``rate`` per second."""
    session = requests.Session()
    page = session.get(f"{base}/palaute?lang=fi", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    latencies, acknowledged, errors = [], 0, []
    interval = 1.0 / rate
    time.sleep(max(0.0, start_at - time.time()))
    sent = 0
    end = start_at + duration
    while True:
        due = start_at + sent * interval + (number % 7) * interval / 7
        if due >= end:
            break
        wait = due - time.time()
        if wait > 0:
            time.sleep(wait)
        sent += 1
        began = time.perf_counter()
        try:
            response = session.post(
                f"{base}/palaute?lang=fi",
                data={
                    "csrf_token": token,
                    "municipality": "837",
                    "task": "maternity_child_clinic",
                    "rating": str(1 + sent % 5),
                    "good_text": f"Neuvola auttoi. Soita 040 123 4567. Vastaus {number}-{sent} 😀",
                    "change_text": "Iltavastaanottoja lisää.",
                    "age_group": "0_1",
                },
                headers={"Origin": base},
                timeout=30,
            )
            latencies.append(time.perf_counter() - began)
            if response.status_code == 200 and "Kiitos palautteestasi" in response.text:
                acknowledged += 1
            else:
                errors.append(f"HTTP {response.status_code}: {response.text[:200]!r}")
        except requests.RequestException as exc:
            latencies.append(time.perf_counter() - began)
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
    results.put((latencies, acknowledged, errors, sent))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rate", type=float, default=110.0, help="offered answers per second (all clients)")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="feedback-load-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(home, port, args.workers, args.threads)
    try:
        wait_ready(base, server)
        results: multiprocessing.Queue = multiprocessing.Queue()
        start_at = time.time() + 3.0  # every client has its token before the clock starts
        processes = [
            multiprocessing.Process(
                target=client, args=(base, args.rate / args.clients, start_at, args.duration, n, results)
            )
            for n in range(args.clients)
        ]
        for process in processes:
            process.start()
        collected = [results.get(timeout=args.duration + 120) for _ in processes]
        finished = time.time()
        for process in processes:
            process.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    latencies = [lat for c in collected for lat in c[0]]
    acknowledged = sum(c[1] for c in collected)
    errors = [e for c in collected for e in c[2]]
    sent = sum(c[3] for c in collected)
    elapsed = finished - start_at
    con = sqlite3.connect(f"file:{home / 'operational.sqlite'}?mode=ro", uri=True)
    stored = con.execute("SELECT count(*) FROM feedback_answer").fetchone()[0]
    scrubbed_ok = con.execute(
        "SELECT count(*) FROM feedback_answer WHERE good_text LIKE '%040 123 4567%'"
    ).fetchone()[0]
    con.close()
    shutil.rmtree(home, ignore_errors=True)

    throughput = acknowledged / elapsed
    p50, p95, p99 = (percentile(latencies, p) * 1000 for p in (50, 95, 99))
    print(f"gunicorn: {args.workers} workers × {args.threads} threads; {args.clients} client processes")
    print(f"offered: {args.rate:.0f}/s for {args.duration:.0f} s; sent {sent}, elapsed {elapsed:.1f} s")
    print(f"throughput: {throughput:.1f} acknowledged answers/s (target ≥ {TARGET_RATE:.0f})")
    print(f"latency: p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {max(latencies) * 1000:.0f} ms "
          f"(mean {statistics.mean(latencies) * 1000:.0f} ms; target p99 ≤ {TARGET_P99_MS:.0f} ms)")  # fmt: skip
    print(f"errors: {len(errors)}")
    for kind, count in Counter(errors).most_common(5):
        print(f"  {count} × {kind}")
    print(
        f"stored: {stored}, acknowledged: {acknowledged} -> {'EQUAL' if stored == acknowledged else 'DIFFERENT'}"
    )
    print(f"unscrubbed phone numbers in the store: {scrubbed_ok}")
    met = throughput >= TARGET_RATE and p99 <= TARGET_P99_MS and stored == acknowledged and not errors
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

"""Probe the running Docker deployment (used by deploy/compose_test.sh).

``workers``: ask every gunicorn worker of the dashboard which run it serves.

Each request opens a new connection, so the kernel hands it to whichever worker accepts first; rounds of
concurrent requests reach every worker within a few rounds. A worker answers /healthz with its pid and the
newest finished run it reads from the published warehouse. The probe passes when it has heard from
``--workers`` different pids and the last answer of each names the expected run; it keeps asking until
``--timeout`` (a publish may take a moment to be noticed) and then prints what each worker served.

``secure-cookie``: a cookie set behind the TLS proxy carries the Secure flag.
``schedule``: the flow worker registered the nightly deployment with its cron on the Prefect server, and the
server's scheduler has put the next runs on the calendar (a deployment without scheduled runs never runs).

Standard library only: it runs with the host's python3, outside the project's virtual environment.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# what the TLS-terminating proxy in front of the deployment would send
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "Connection": "close"}


@dataclass
class WorkerView:
    """What one worker process answered during the probe."""

    answers: int = 0
    expected: int = 0
    last_run: str | None = None
    runs_seen: set[str | None] = field(default_factory=set)


def ask(base_url: str, path: str = "/healthz") -> tuple[int, list[tuple[str, str]], bytes]:
    """One request on a fresh connection (status, headers, body); no keep-alive, so workers alternate."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", path, headers={**PROXY_HEADERS, "X-Forwarded-Host": parts.netloc})
        response = conn.getresponse()
        return response.status, [(k.lower(), v) for k, v in response.getheaders()], response.read()
    finally:
        conn.close()


def healthz(base_url: str) -> tuple[int | None, str | None]:
    """(worker pid, newest run it reads) from one /healthz answer; (None, None) when it is not healthy."""
    status, _, body = ask(base_url)
    if status != 200:
        return None, None
    data = json.loads(body)
    return data.get("worker_pid"), data.get("latest_run")


def probe(base_url: str, workers: int, expect: str | None, timeout: float, per_round: int) -> bool:
    """Ask in concurrent rounds until every worker serves ``expect`` or the time is up; print the figures."""
    views: dict[int, WorkerView] = {}
    started = time.monotonic()
    requests = stale = failed = 0
    ok = False
    with ThreadPoolExecutor(max_workers=per_round) as pool:
        while True:
            for pid, run in pool.map(lambda _: healthz(base_url), range(per_round)):
                requests += 1
                if pid is None:
                    failed += 1
                    continue
                view = views.setdefault(pid, WorkerView())
                view.answers += 1
                view.last_run = run
                view.runs_seen.add(run)
                if run == expect:
                    view.expected += 1
                else:
                    stale += 1
            current = [v.last_run == expect for v in views.values()]
            if len(views) >= workers and all(current):
                ok = True
                break
            if time.monotonic() - started > timeout:
                break
            time.sleep(0.5)
    elapsed = time.monotonic() - started
    print(
        f"  {requests} requests in {elapsed:.1f} s, {len(views)} worker pid(s) answered (expected {workers}); "
        f"{stale} answer(s) named another run, {failed} failed"
    )
    for pid, view in sorted(views.items()):
        verdict = "serves it" if view.last_run == expect else "STALE"
        print(
            f"  worker pid {pid}: {view.answers} answers, {view.expected} with the expected run; "
            f"last answer {view.last_run or '(no run: empty warehouse)'} -> {verdict}"
        )
    return ok


def secure_cookie(base_url: str, path: str, name: str) -> bool:
    """Whether cookie ``name`` set on ``path`` (behind the proxy's https) is marked Secure, as TLS needs."""
    status, headers, _ = ask(base_url, path)
    for key, value in headers:
        parts = [part.strip() for part in value.split(";")]
        if key == "set-cookie" and parts[0].startswith(f"{name}="):
            flags = [part.lower() for part in parts[1:]]
            print(f"  GET {path} -> {status}; cookie {name} flags: {', '.join(flags)}")
            return "secure" in flags
    print(f"  GET {path} -> {status}; no cookie {name} was set")
    return False


def prefect_post(prefect_url: str, path: str, body: dict) -> list[dict]:
    """POST a filter to the Prefect server's REST API and return the JSON list it answers."""
    request = urllib.request.Request(
        f"{prefect_url}/api{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def scheduled(prefect_url: str, name: str, cron: str, timezone: str, timeout: float) -> bool:
    """The deployment ``name`` exists with ``cron``/``timezone`` and has scheduled runs within ``timeout``."""
    started = time.monotonic()
    schedules: list[tuple[str, str, bool]] = []
    runs: list[dict] = []
    while time.monotonic() - started < timeout:
        try:
            found = [d for d in prefect_post(prefect_url, "/deployments/filter", {}) if d["name"] == name]
            if found:
                schedules = [
                    (s["schedule"].get("cron"), s["schedule"].get("timezone"), s.get("active"))
                    for s in found[0].get("schedules") or []
                ]
                runs = prefect_post(
                    prefect_url,
                    "/flow_runs/filter",
                    {
                        "deployments": {"id": {"any_": [found[0]["id"]]}},
                        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
                        "sort": "EXPECTED_START_TIME_ASC",
                    },
                )
                if runs:
                    break
        except (OSError, ValueError, KeyError):
            pass  # the server or the worker is still starting
        time.sleep(3)
    print(f"  deployment {name}: schedules {schedules or '(not registered)'}")
    first = runs[0]["expected_start_time"] if runs else "none"
    print(
        f"  {len(runs)} scheduled run(s) after {time.monotonic() - started:.0f} s; first expected at {first}"
    )
    return (cron, timezone, True) in schedules and bool(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", required=True, help="dashboard (or Prefect server) base URL, http://127.0.0.1:PORT"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    workers = sub.add_parser("workers", help="every worker serves the expected run")
    workers.add_argument("--workers", type=int, required=True)
    workers.add_argument("--expect", default="", help="run id; empty for an empty warehouse")
    workers.add_argument("--timeout", type=float, default=15.0)
    workers.add_argument("--per-round", type=int, default=8)
    cookie = sub.add_parser("secure-cookie", help="a cookie set on PATH is marked Secure")
    cookie.add_argument("--path", default="/kirjaudu")
    cookie.add_argument("--name", default="perhekeskus_csrf")
    schedule = sub.add_parser("schedule", help="the nightly deployment is registered and has scheduled runs")
    schedule.add_argument("--deployment", default="sotkanet-scheduled")
    schedule.add_argument("--cron", default="0 3 * * *")
    schedule.add_argument("--timezone", default="Europe/Helsinki")
    schedule.add_argument("--timeout", type=float, default=150.0)
    args = parser.parse_args(argv)
    if args.command == "workers":
        ok = probe(args.url, args.workers, args.expect or None, args.timeout, args.per_round)
    elif args.command == "schedule":
        ok = scheduled(args.url, args.deployment, args.cron, args.timezone, args.timeout)
    else:
        ok = secure_cookie(args.url, args.path, args.name)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

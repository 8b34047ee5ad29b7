"""Unchanged-run ETL benchmark: after one full load of 100 indicators, how long does a run take when
Sotkanet says nothing changed (same data-updated, same year range)?

    .venv/bin/python bench/etl_unchanged.py                         # 100 indicators, Pirkanmaa regions
    .venv/bin/python bench/etl_unchanged.py --runs 10 --cold-runs 5
    .venv/bin/python bench/etl_unchanged.py --prefect-runs 0         # skip the Prefect flow part
    .venv/bin/python bench/etl_unchanged.py --latency 0.15           # each answer 150 ms late, like a far server
    BENCH_DIR=/some/disk .venv/bin/python bench/etl_unchanged.py     # where the temporary data goes

Three ways of running the same unchanged run are timed:
  warm    run_pipeline() again in this process (imports done, GX context already built);
  cold    a new process per run, ``perhekeskus etl run --no-prefect`` as cron would start it;
  prefect perhekeskus.etl.flows.run_flow() in a new process (the first flow run starts Prefect's temporary
          server), when perhekeskus.etl.flows.run_flow exists.
Generated data is removed at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing as mp
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# _snapshot sets GX_ANALYTICS_ENABLED, PREFECT_SERVER_ANALYTICS_ENABLED and DO_NOT_TRACK on import.
from _snapshot import (
    REGIONS_PIRKANMAA,
    REPO,
    PrerenderedServer,
    StageClock,
    generate_snapshot,
    load_average,
    now,
    p50,
    print_breakdown,
    temporary_work_dir,
)

TARGET_SECONDS = 10.0


def _settings(home: Path, url: str, package: Path):
    from perhekeskus.warehouse.settings import Settings

    return Settings(home=home, plugins={"sotkanet": {"url": url}}, indicator_package=package)


def _check_unchanged(summary, n_indicators: int) -> str:
    if summary.status != "success":
        return f"  !! run {summary.status}: {summary.message}"
    if summary.items_unchanged != n_indicators or summary.items_fetched:
        return (
            f"  !! expected {n_indicators} unchanged and 0 fetched, got {summary.items_unchanged} unchanged "
            f"and {summary.items_fetched} fetched"
        )
    return ""


def print_series(label: str, seconds: list[float]) -> None:
    if not seconds:
        return
    verdict = "OK" if p50(seconds) <= TARGET_SECONDS else "MISSED"
    print(
        f"{label}: p50 {p50(seconds):.2f} s, max {max(seconds):.2f} s, min {min(seconds):.2f} s over "
        f"{len(seconds)} runs   target ≤ {TARGET_SECONDS:.0f} s   {verdict}"
    )


def prefect_child(conn, home: str, url: str, package: str, runs: int, n_indicators: int) -> None:
    """In a new process: Prefect's environment first, then ``runs`` unchanged flow runs."""
    from perhekeskus.warehouse.settings import configure_prefect_env

    settings = _settings(Path(home), url, Path(package))
    configure_prefect_env(settings)
    out: dict = {"runs": []}
    try:
        t0 = time.perf_counter()
        from perhekeskus.etl.flows import run_flow

        out["import_seconds"] = time.perf_counter() - t0
        for _ in range(runs):
            clock = StageClock()
            started = now()
            summary = run_flow("sotkanet", settings, full=False, progress=clock)
            ended = now()
            out["runs"].append(
                {
                    "seconds": ended[0] - started[0],
                    "cpu_seconds": ended[1] - started[1],
                    "breakdown": clock.breakdown(started, ended),
                    "problem": _check_unchanged(summary, n_indicators),
                    "pipeline_seconds": summary.seconds,
                }
            )
    except Exception as exc:  # report, do not hide, what went wrong
        out["error"] = f"{type(exc).__name__}: {exc}"
    conn.send(out)
    conn.close()


def run_prefect(home: Path, url: str, package: Path, runs: int, n_indicators: int) -> dict:
    ctx = mp.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=prefect_child, args=(sender, str(home), url, str(package), runs, n_indicators)
    )
    started = time.perf_counter()
    process.start()
    sender.close()
    try:
        out = receiver.recv()
    except EOFError:
        out = {
            "runs": [],
            "error": f"the Prefect process ended without a result (exit code {process.exitcode})",
        }
    process.join()
    out["process_seconds"] = time.perf_counter() - started
    return out


def _cold_stages(stderr: str, run_seconds: float | None) -> list[tuple[str, float]]:
    """Stage durations from the CLI's own progress lines ("[   1.2 s] indicator metadata 3/100")."""
    from perhekeskus.etl.progress import LABELS

    by_label = {label: stage for stage, label in LABELS.items()}
    firsts: list[tuple[str, float]] = []
    for line in stderr.splitlines():
        found = re.match(r"^\[\s*([\d.]+) s\] (.+?)(?: \d+/\d+)?$", line.strip())
        if not found or found.group(2) not in by_label:
            continue
        stage = by_label[found.group(2)]
        if not firsts or firsts[-1][0] != stage:
            firsts.append((stage, float(found.group(1))))
    if not firsts or run_seconds is None:
        return []
    # The last mark is publish's start; publish and the process's exit are not in the progress lines.
    ends = [t for _, t in firsts[1:]]
    return [("start (incl. importing perhekeskus.etl.pipeline)", firsts[0][1])] + [
        (stage, end - t) for (stage, t), end in zip(firsts[:-1], ends, strict=True)
    ]


def run_cold(home: Path, url: str, package: Path) -> tuple[float, float | None, str, list[tuple[str, float]]]:
    """One ``perhekeskus etl run --no-prefect`` in a new process.

    Returns (wall s from process start to exit, the run's own s, its last line, stage durations).
    """
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        PERHEKESKUS_HOME=str(home), PERHEKESKUS_SOTKANET_URL=url, PERHEKESKUS_INDICATOR_PACKAGE=str(package)
    )
    cmd = [
        sys.executable,
        "-c",
        "import sys; from perhekeskus.cli import main; sys.exit(main())",
        "etl",
        "run",
        "--no-prefect",
    ]
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    line = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
    found = re.search(r"; ([\d.]+) s$", line)
    run_seconds = float(found.group(1)) if found else None
    if done.returncode != 0:
        line = f"!! exit {done.returncode}: {line}"
    return wall, run_seconds, line, _cold_stages(done.stderr, run_seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100, help="number of indicators (default 100)")
    parser.add_argument("--years", type=int, default=30, help="years per indicator, ending 2023 (default 30)")
    parser.add_argument(
        "--regions", type=Path, default=REGIONS_PIRKANMAA, help="regions fixture (default: Pirkanmaa subset)"
    )
    parser.add_argument("--runs", type=int, default=5, help="warm unchanged runs in this process (default 5)")
    parser.add_argument(
        "--cold-runs", type=int, default=3, help="unchanged runs, a new process each (default 3)"
    )
    parser.add_argument(
        "--prefect-runs", type=int, default=3, help="unchanged Prefect flow runs (default 3; 0 skips)"
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the server waits before each answer (default 0)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated data and warehouse")
    args = parser.parse_args()

    print(f"machine: {load_average()}")
    with temporary_work_dir("bench-unchanged-", keep=args.keep) as work:
        snap = generate_snapshot(work / "snapshot", args.regions, args.indicators, args.years)
        print(
            f"snapshot: {snap.regions} regions × {len(snap.ids)} indicators × "
            f"{snap.last_year - snap.first_year + 1} years × 3 genders = {snap.rows:,} rows "
            f"({snap.data_bytes / 1e6:.1f} MB); generated in {snap.seconds:.1f} s under {work}"
        )
        if args.latency:
            print(f"server: every answer waits {args.latency * 1000:.0f} ms (a simulated round trip)")
        home = work / "home"
        failed = False
        with PrerenderedServer(snap.folder, latency=args.latency) as server:
            t0 = time.perf_counter()
            from perhekeskus.etl.pipeline import run_pipeline

            settings = _settings(home, server.base_url, snap.package)
            print(f"imports: {time.perf_counter() - t0:.2f} s")

            started = now()
            full = run_pipeline("sotkanet", settings, full=True)
            ended = now()
            print(
                f"setup, full load: {full.status}, {full.rows_loaded:,} rows, {full.items_fetched} indicators in "
                f"{ended[0] - started[0]:.2f} s (first run in this process: includes building the GX context)"
            )
            if full.status != "success":
                print(f"  !! {full.message}")
                return 1

            print()
            print(f"warm: {args.runs} unchanged runs of run_pipeline() in this process")
            warm, breakdowns = [], []
            for n in range(args.runs):
                clock = StageClock()
                started = now()
                summary = run_pipeline("sotkanet", settings, full=False, progress=clock)
                ended = now()
                seconds = ended[0] - started[0]
                warm.append(seconds)
                breakdowns.append((seconds, clock.breakdown(started, ended)))
                problem = _check_unchanged(summary, len(snap.ids))
                failed |= bool(problem)
                print(
                    f"  run {n + 1}: {seconds:.2f} s wall, {ended[1] - started[1]:.2f} s CPU; "
                    f"{summary.items_unchanged} unchanged, {summary.items_fetched} fetched, "
                    f"{summary.rows_loaded} rows loaded" + (f"\n{problem}" if problem else "")
                )
            print_series("warm unchanged run", warm)
            if breakdowns:
                seconds, breakdown = sorted(breakdowns, key=lambda b: b[0])[(len(breakdowns) - 1) // 2]
                print("  stage breakdown of the median warm run:")
                print_breakdown(breakdown, seconds, indent="    ")

            if args.cold_runs:
                print()
                print(
                    f"cold: {args.cold_runs} unchanged runs, each `perhekeskus etl run --no-prefect` in a new process"
                )
                cold, own, stages = [], [], []
                for n in range(args.cold_runs):
                    wall, pipeline_seconds, line, breakdown = run_cold(home, server.base_url, snap.package)
                    cold.append(wall)
                    stages.append((wall, pipeline_seconds, breakdown))
                    if pipeline_seconds is not None:
                        own.append(pipeline_seconds)
                    failed |= line.startswith("!!")
                    print(f"  run {n + 1}: {wall:.2f} s wall (process start to exit) | {line}")
                print_series("cold unchanged run, whole process", cold)
                if own:
                    print(f"  the runs' own seconds (run_pipeline, without interpreter start and imports): "
                          f"p50 {p50(own):.1f} s, max {max(own):.1f} s")  # fmt: skip
                wall, pipeline_seconds, breakdown = sorted(stages, key=lambda s: s[0])[(len(stages) - 1) // 2]
                if breakdown and pipeline_seconds is not None:
                    print(
                        "  stage breakdown of the median cold run (from the CLI's progress lines, 0.1 s steps):"
                    )
                    for stage, seconds in breakdown:
                        print(f"    {stage:<46} {seconds:6.1f} s")
                    rest = wall - sum(seconds for _, seconds in breakdown)
                    print(f"    {'publish + interpreter start, imports, exit':<46} {rest:6.1f} s")

            print()
            has_flows = importlib.util.find_spec("perhekeskus.etl.flows") is not None
            if not args.prefect_runs:
                print("prefect: skipped (--prefect-runs 0)")
            elif not has_flows:
                print("prefect: skipped, perhekeskus.etl.flows does not exist (yet)")
            else:
                print(f"prefect: {args.prefect_runs} unchanged runs of perhekeskus.etl.flows.run_flow() in one new process "
                      "(temporary Prefect server, PREFECT_HOME under the benchmark folder)")  # fmt: skip
                out = run_prefect(home, server.base_url, snap.package, args.prefect_runs, len(snap.ids))
                if "import_seconds" in out:
                    print(f"  import perhekeskus.etl.flows (Prefect): {out['import_seconds']:.2f} s")
                for n, run in enumerate(out["runs"]):
                    failed |= bool(run["problem"])
                    note = " (includes starting the temporary Prefect server)" if n == 0 else ""
                    print(
                        f"  flow run {n + 1}: {run['seconds']:.2f} s wall, {run['cpu_seconds']:.2f} s CPU in this "
                        f"process; the pipeline inside: {run['pipeline_seconds']:.2f} s{note}"
                        + (f"\n{run['problem']}" if run["problem"] else "")
                    )
                if out.get("error"):
                    failed = True
                    if "ImportError" in out["error"] and "run_flow" in out["error"]:
                        print("  skipped: perhekeskus.etl.flows has no run_flow (yet)")
                    else:
                        print(f"  !! {out['error']}")
                seconds = [r["seconds"] for r in out["runs"]]
                print_series("prefect unchanged flow run, first included", seconds)
                print_series("prefect unchanged flow run, after the first", seconds[1:])
                if len(out["runs"]) > 1:
                    later = sorted(out["runs"][1:], key=lambda r: r["seconds"])[(len(out["runs"]) - 2) // 2]
                    print("  stage breakdown of the median flow run after the first:")
                    print_breakdown(later["breakdown"], later["seconds"], indent="    ")
                print(f"  whole Prefect process, start to exit: {out['process_seconds']:.1f} s")
        print(f"machine at the end: {load_average()}")
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

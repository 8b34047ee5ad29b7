"""National-scale ETL benchmark: every region of the 2015 region list × 100 indicators × 30 years ×
3 genders (≈ 4.6 million rows), served over HTTP from 127.0.0.1, through the whole pipeline
(fetch, parse, audit, load, publish), next to DuckDB's own read_json of the same bytes.

    .venv/bin/python bench/etl_national.py                      # full size
    .venv/bin/python bench/etl_national.py --indicators 10 --years 5   # quick check
    .venv/bin/python bench/etl_national.py --runs 3              # median of three runs (shared machines)
    .venv/bin/python bench/etl_national.py --profile /tmp/national.prof  # cProfile of the pipeline
    BENCH_DIR=/some/disk .venv/bin/python bench/etl_national.py  # where the temporary data goes

The pipeline runs in a child process so that its RSS high-water mark is its own (the server's
pre-rendered bodies stay in this process). Generated data is removed at the end (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# _snapshot sets GX_ANALYTICS_ENABLED, PREFECT_SERVER_ANALYTICS_ENABLED and DO_NOT_TRACK on import.
from _snapshot import (
    REGIONS_NATIONAL,
    PrerenderedServer,
    StageClock,
    generate_snapshot,
    load_average,
    maxrss_mb,
    now,
    print_breakdown,
    temporary_work_dir,
)

TARGET_ROWS_PER_S = 250_000
TARGET_PEAK_MB = 2048


def child_run(conn, home: str, url: str, package: str, profile: str | None, stdout: str) -> None:
    """Runs in a fresh (spawned) process: imports, one full pipeline run, its own peak memory.

    The process's stdout goes to a file: DuckDB draws progress bars there for queries over 2 s.
    """
    import os
    import resource

    sys.stdout.flush()
    handle = os.open(stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(handle, 1)
    os.close(handle)

    t0 = time.perf_counter()
    from perhekeskus.etl.pipeline import run_pipeline
    from perhekeskus.warehouse.settings import Settings

    imported = time.perf_counter() - t0
    settings = Settings(home=Path(home), plugins={"sotkanet": {"url": url}}, indicator_package=Path(package))
    clock = StageClock()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = now()
    summary = run_pipeline("sotkanet", settings, full=True, progress=clock)
    ended = now()
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    conn.send(
        {
            "status": summary.status,
            "message": summary.message,
            "run_id": summary.run_id,
            "rows_fetched": summary.rows_fetched,
            "rows_loaded": summary.rows_loaded,
            "rows_quarantined": summary.rows_quarantined,
            "items_fetched": summary.items_fetched,
            "seconds": ended[0] - started[0],
            "cpu_seconds": ended[1] - started[1],
            "import_seconds": imported,
            "breakdown": clock.breakdown(started, ended),
            "maxrss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "maxrss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
    )
    conn.close()


def run_in_child(home: Path, url: str, package: Path, profile: str | None, stdout: Path) -> dict:
    ctx = mp.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=child_run, args=(sender, str(home), url, str(package), profile, str(stdout)))
    process.start()
    sender.close()
    try:
        result = receiver.recv()
    except EOFError:
        result = None
    process.join()
    if result is None:
        raise SystemExit(f"the pipeline process ended without a result (exit code {process.exitcode})")
    # The parent's view of the same child: RUSAGE_CHILDREN covers every waited-for child.
    result["maxrss_waited_children_mb"] = maxrss_mb()[1]
    return result


def time_read_json(files: list[Path], repeat: int) -> tuple[list[float], int]:
    """DuckDB alone: read the landed files into a table, every field as text like the pipeline does."""
    import duckdb

    from perhekeskus.plugins.sotkanet.source import RAW_COLUMNS_JSON

    file_list = [str(f) for f in files]
    cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in RAW_COLUMNS_JSON.items()) + "}"
    times, rows = [], 0
    for _ in range(repeat):
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        try:
            started = time.perf_counter()
            con.execute(
                f"CREATE TABLE t AS SELECT * FROM read_json(?, format='array', columns={cols})", [file_list]
            )
            times.append(time.perf_counter() - started)
            rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        finally:
            con.close()
    return times, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100, help="number of indicators (default 100)")
    parser.add_argument("--years", type=int, default=30, help="years per indicator, ending 2023 (default 30)")
    parser.add_argument(
        "--regions", type=Path, default=REGIONS_NATIONAL, help="regions fixture (default: national)"
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="full pipeline runs, each into an empty home (default 1)"
    )
    parser.add_argument(
        "--read-json-repeat", type=int, default=3, help="read_json timings to take (default 3)"
    )
    parser.add_argument(
        "--profile", type=Path, help="write a cProfile of the (last) pipeline run to this file"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated data and warehouse")
    args = parser.parse_args()

    print(f"machine: {load_average()}")
    with temporary_work_dir("bench-national-", keep=args.keep) as work:
        snap = generate_snapshot(work / "snapshot", args.regions, args.indicators, args.years)
        print(
            f"snapshot: {snap.regions} regions × {len(snap.ids)} indicators × "
            f"{snap.last_year - snap.first_year + 1} years ({snap.first_year}–{snap.last_year}) × 3 genders "
            f"= {snap.rows:,} rows, {snap.data_bytes / 1e6:.1f} MB of JSON; generated in {snap.seconds:.1f} s "
            f"under {work}"
        )
        started = time.perf_counter()
        server = PrerenderedServer(snap.folder).start()
        print(f"server: {server.base_url}, {server.body_bytes / 1e6:.1f} MB pre-rendered in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        results = []
        try:
            for n in range(max(1, args.runs)):
                home = work / f"home-{n}"
                if results:  # keep only the landed files of the previous run for read_json
                    shutil.rmtree(work / f"home-{n - 1}" / "staging", ignore_errors=True)
                    (work / f"home-{n - 1}" / "warehouse.duckdb").unlink(missing_ok=True)
                profile = str(args.profile) if args.profile and n == args.runs - 1 else None
                stdout = work / f"pipeline-stdout-{n}.txt"
                result = run_in_child(home, server.base_url, snap.package, profile, stdout)
                result["home"] = home
                result["stdout_bytes"] = stdout.stat().st_size if stdout.exists() else 0
                result["progress_bars"] = (
                    stdout.read_text(errors="replace").count("100% ▕") if stdout.exists() else 0
                )
                results.append(result)
                print(
                    f"run {n + 1}: {result['status']}, {result['rows_loaded']:,} rows in {result['seconds']:.2f} s "
                    f"({result['rows_loaded'] / result['seconds']:,.0f} rows/s, {result['cpu_seconds']:.1f} CPU s), "
                    f"peak {result['maxrss_self_mb'] + result['maxrss_children_mb']:,.0f} MiB; {load_average()}"
                )
        finally:
            server.stop()

        result = sorted(results, key=lambda r: r["seconds"])[(len(results) - 1) // 2]  # the median run
        seconds = result["seconds"]
        rows = result["rows_loaded"]
        rate = rows / seconds if seconds else 0.0
        peak = max(r["maxrss_self_mb"] + r["maxrss_children_mb"] for r in results)
        print()
        print(
            f"pipeline status: {result['status']}" + (f" ({result['message']})" if result["message"] else "")
        )
        print(
            f"rows: {result['rows_fetched']:,} fetched, {rows:,} loaded, {result['rows_quarantined']:,} quarantined; "
            f"{result['items_fetched']} indicators fetched"
        )
        which = "" if len(results) == 1 else f" (median of {len(results)} runs)"
        print(f"whole run (fetch, parse, audit, load, publish){which}: {seconds:.2f} s wall, "
              f"{result['cpu_seconds']:.2f} s CPU  (+ {result['import_seconds']:.2f} s of imports before the run)")  # fmt: skip
        print(f"throughput: {rate:,.0f} rows/s   target ≥ {TARGET_ROWS_PER_S:,} rows/s   "
              f"{'OK' if rate >= TARGET_ROWS_PER_S else 'MISSED'}")  # fmt: skip
        waited = max(r["maxrss_waited_children_mb"] for r in results)
        print(f"peak memory (RSS high-water mark of the pipeline process + its children): {peak:,.0f} MiB   "
              f"target ≤ {TARGET_PEAK_MB:,} MiB   {'OK' if peak <= TARGET_PEAK_MB else 'MISSED'}   "
              f"(this process's RUSAGE_CHILDREN view: {waited:,.0f} MiB)")  # fmt: skip
        if result["stdout_bytes"]:
            print(
                f"note: the pipeline process wrote {result['stdout_bytes']:,} bytes to stdout "
                f"({result['progress_bars']} DuckDB progress bars; it runs with DuckDB's default enable_progress_bar)"
            )
        print("stage breakdown (stage = from its first progress call to the next stage's):")
        print_breakdown(result["breakdown"], seconds)

        files = sorted(
            (results[-1]["home"] / "raw" / "sotkanet" / results[-1]["run_id"] / "data").glob("*.json")
        )
        if not files:
            print("no landed raw files to time read_json on")
            return 1
        raw_bytes = sum(f.stat().st_size for f in files)
        times, read_rows = time_read_json(files, max(1, args.read_json_repeat))
        best, median = min(times), statistics.median(times)
        print()
        print(
            f"DuckDB read_json alone ({len(files)} landed files, {raw_bytes / 1e6:.1f} MB, {read_rows:,} rows, "
            f"all fields VARCHAR as the pipeline reads them): best {best:.2f} s, median {median:.2f} s "
            f"over {len(times)} ({read_rows / best:,.0f} rows/s, {raw_bytes / 1e6 / best:.0f} MB/s)"
        )
        print(
            f"pipeline_seconds / read_json_seconds = {seconds / best:.1f}× (best), {seconds / median:.1f}× (median)"
        )
        print(f"machine at the end: {load_average()}")
        if args.profile:
            print(f"cProfile of the pipeline process: {args.profile}")
        return 0 if all(r["status"] == "success" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())

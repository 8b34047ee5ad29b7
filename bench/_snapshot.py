"""Shared helpers of the ETL benchmarks: a generated Sotkanet-shaped snapshot and a fast local server.

Nothing here is committed data: every benchmark generates its snapshot into a temporary folder
(under ``$BENCH_DIR`` when set) and removes it at the end.

Values are INVENTED, deterministic numbers; regions and indicator metadata come from the captured
fixtures in ``tests/fixtures/sotkanet`` (public THL data, CC BY 4.0; see the README there).
"""

from __future__ import annotations

import os

# Before anything imports Prefect or Great Expectations.
os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))

import contextlib
import json
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from perhekeskus.plugins.sotkanet.client import GENDERS
from perhekeskus.plugins.sotkanet.snapshot_server import SnapshotHandler, SnapshotServer

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "sotkanet"
REGIONS_NATIONAL = FIXTURES / "regions_2015_oskari.json"
REGIONS_PIRKANMAA = FIXTURES / "regions_2015_pirkanmaa_subset.json"
INDICATOR_4 = FIXTURES / "indicator_4_metadata_2016_oskari.json"
LAST_YEAR = 2023
FIRST_ID = 5000  # generated indicator ids: 5000, 5001, ...
DATA_UPDATED = "2024-03-01"
# every direction, so that the dashboard's verdicts (better / worse / higher / lower) all occur
POLARITIES = ("neutral", "higher_is_better", "lower_is_better")

# Unit variants so that every range check of the value suite has rows to look at.
UNITS = [
    ({"code": "PER1000", "title": {"fi": "Tuhatta asukasta kohden", "en": "Per 1 000 inhabitants",
                                   "sv": "Per tusen invånare"}}, "rate"),
    ({"code": "PROSENTTI", "title": {"fi": "Prosenttia", "en": "Per cent", "sv": "Procent"}}, "percentage"),
    ({"code": "LKM", "title": {"fi": "Lukumäärä", "en": "Number", "sv": "Antal"}}, "count"),
]  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    package: Path
    ids: list[int]
    first_year: int
    last_year: int
    regions: int
    rows: int
    data_bytes: int
    seconds: float


def work_dir(prefix: str) -> Path:
    """A fresh temporary folder, under $BENCH_DIR when set."""
    parent = os.environ.get("BENCH_DIR")
    if parent:
        Path(parent).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent or None))


@contextlib.contextmanager
def temporary_work_dir(prefix: str, keep: bool = False) -> Iterator[Path]:
    folder = work_dir(prefix)
    try:
        yield folder
    finally:
        if keep:
            print(f"kept benchmark data in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def generate_snapshot(
    out: Path,
    regions_file: Path,
    n_indicators: int,
    n_years: int,
    data_updated: str = DATA_UPDATED,
    theme_size: int | None = None,
) -> Snapshot:
    """regions.json, indicators/<id>.json (indicator 4's metadata re-numbered) and data/<id>.json.

    Every region × every year × the three genders, one indicator per file, in /json row shape
    ``{"indicator","region","year","gender","value"[,"absValue"]}``; every other indicator carries
    absValue. Written by DuckDB's JSON writer, so generating 4.6 million rows takes seconds.

    ``data_updated`` is every indicator's producer date (a recent one makes the "what changed" panel
    list them all); ``theme_size`` splits the package into themes of that many indicators, as a real
    package is (None: one theme of all of them).
    """
    started = time.perf_counter()
    first_year, last_year = LAST_YEAR - n_years + 1, LAST_YEAR
    (out / "indicators").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    regions = json.loads(regions_file.read_text(encoding="utf-8"))
    shutil.copyfile(regions_file, out / "regions.json")
    template = json.loads(INDICATOR_4.read_text(encoding="utf-8"))
    ids = [FIRST_ID + i for i in range(n_indicators)]

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute(
            "CREATE TABLE regions AS SELECT unnest(?::BIGINT[]) AS id", [[int(r["id"]) for r in regions]]
        )
        con.execute(
            "CREATE TABLE grid AS SELECT r.id AS region, y AS year, g AS gender FROM regions r, "
            "range(?, ?) t(y), (SELECT unnest(?::VARCHAR[]) AS g) "
            "ORDER BY region, year, gender",
            [first_year, last_year + 1, list(GENDERS)],
        )
        for n, indicator_id in enumerate(ids):
            unit, kind = UNITS[n % len(UNITS)]
            meta = dict(template)
            meta["id"] = indicator_id
            meta["data-updated"] = data_updated
            meta["range"] = {"start": first_year, "end": last_year}
            meta["title"] = {
                lang: f"{text} (benchmark {indicator_id})" for lang, text in template["title"].items()
            }
            meta["primaryValueType"] = unit
            (out / "indicators" / f"{indicator_id}.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            h = f"hash(region, year, gender, {indicator_id})"
            if kind == "percentage":
                value = f"round(({h} % 10000) / 100.0, 1)"
            elif kind == "count":
                value = f"({h} % 5000)::BIGINT"
            else:
                value = f"round(({h} % 20000) / 10.0, 1)"
            absolute = f", ({h} % 900)::BIGINT AS absValue" if n % 2 == 0 else ""
            dest = str(out / "data" / f"{indicator_id}.json").replace("'", "''")
            con.execute(
                f"COPY (SELECT {indicator_id} AS indicator, region, year, gender, {value} AS value{absolute} "
                f"FROM grid) TO '{dest}' (FORMAT JSON, ARRAY true)"
            )
        per_indicator = con.execute("SELECT count(*) FROM grid").fetchone()[0]
    finally:
        con.close()

    package = out / "indicator_package.toml"
    size = theme_size or len(ids) or 1
    lines = [f"first_year = {first_year}", ""]
    for n in range(0, max(1, len(ids)), size):
        theme = "bench" if n == 0 else f"bench{n // size + 1}"
        suffix = "" if n == 0 else f" {n // size + 1}"
        lines += [
            f"[theme.{theme}]",
            f'title_fi = "Suorituskykytesti{suffix}"',
            f'title_sv = "Prestandatest{suffix}"',
            f'title_en = "Benchmark{suffix}"',
            "",
        ]
    for n, indicator_id in enumerate(ids):
        theme = "bench" if n < size else f"bench{n // size + 1}"
        polarity = POLARITIES[n % len(POLARITIES)]
        lines += [
            "[[indicator]]",
            f"id = {indicator_id}",
            f'theme = "{theme}"',
            f'polarity = "{polarity}"',
            "",
        ]
    package.write_text("\n".join(lines), encoding="utf-8")
    data_bytes = sum(p.stat().st_size for p in (out / "data").glob("*.json"))
    return Snapshot(
        out, package, ids, first_year, last_year, len(regions), per_indicator * len(ids), data_bytes,
        time.perf_counter() - started,
    )  # fmt: skip


class PrerenderedHandler(SnapshotHandler):
    """Answers /json for a whole indicator (all years of the file, all three genders) from bytes
    rendered once; any other request goes to the stock handler, which filters rows in Python."""

    server: PrerenderedServer
    # The stock handler writes headers and body in two sends; with Nagle on, each small answer then
    # waits for the client's delayed ACK (~40 ms per /indicators/<id> on Linux). TCP_NODELAY avoids it.
    disable_nagle_algorithm = True

    def answer(self, route: str, params: dict[str, list[str]]) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)  # a simulated round trip to the real service
        if route == "/json":
            indicator = (params.get("indicator") or [""])[0]
            body = self.server.full_body(indicator, params.get("years", []), params.get("genders", []))
            if body is not None:
                self.send_body(200, body)
                return
        super().answer(route, params)


class PrerenderedServer(SnapshotServer):
    """SnapshotServer whose full-indicator /json answers are pre-rendered bytes, so the server is not
    the bottleneck of a benchmark that asks for millions of rows."""

    def __init__(self, snapshot: Path, port: int = 0, latency: float = 0.0) -> None:
        super().__init__(snapshot, port, handler=PrerenderedHandler)
        self.latency = latency
        self._bodies: dict[str, tuple[frozenset[str], bytes]] = {}
        for path in sorted((self.snapshot / "data").glob("*.json")):
            # generate_snapshot writes every year of the metadata's range into the data file
            meta = json.loads((self.snapshot / "indicators" / path.name).read_text(encoding="utf-8"))
            years = range(int(meta["range"]["start"]), int(meta["range"]["end"]) + 1)
            self._bodies[path.stem] = (frozenset(str(y) for y in years), path.read_bytes())

    @property
    def body_bytes(self) -> int:
        return sum(len(b) for _, b in self._bodies.values())

    def full_body(self, indicator: str, years: list[str], genders: list[str]) -> bytes | None:
        found = self._bodies.get(indicator)
        if found is None or set(genders) != set(GENDERS):
            return None
        file_years, body = found
        return body if file_years <= set(years) else None


def maxrss_mb() -> tuple[float, float]:
    """(this process, its waited-for children) RSS high-water marks in MiB (ru_maxrss is KiB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


class StageClock:
    """A progress callback that timestamps stage changes (regions, metadata, data, normalise, …).

    Records wall time and this process's CPU time (all threads): on a shared machine the CPU
    seconds say what a stage costs even when other work stretches its wall time.
    """

    def __init__(self) -> None:
        self.marks: list[tuple[str, float, float]] = []

    def __call__(self, stage: str, _done: int, _total: int) -> None:
        if not self.marks or self.marks[-1][0] != stage:
            self.marks.append((stage, time.perf_counter(), time.process_time()))

    def breakdown(
        self, started: tuple[float, float], ended: tuple[float, float]
    ) -> list[tuple[str, float, float]]:
        """(stage, wall seconds, CPU seconds), with 'start' (lock, journal, state) before the first stage.

        ``started`` and ``ended`` are (time.perf_counter(), time.process_time()) pairs.
        """
        out = []
        if self.marks:
            out.append(("start", self.marks[0][1] - started[0], self.marks[0][2] - started[1]))
        ends = [(m[1], m[2]) for m in self.marks[1:]] + [ended]
        for (stage, wall, cpu), (next_wall, next_cpu) in zip(self.marks, ends, strict=True):
            out.append((stage, next_wall - wall, next_cpu - cpu))
        return out


def now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def print_breakdown(breakdown: list[tuple[str, float, float]], total: float, indent: str = "  ") -> None:
    print(f"{indent}{'stage':<10} {'wall':>9}  {'share':>6}  {'CPU':>8}")
    for stage, seconds, cpu in breakdown:
        share = 100 * seconds / total if total else 0.0
        print(
            f"{indent}{stage:<10} {seconds:7.2f} s  {share:5.1f} %  {cpu:6.2f} s  {'#' * round(share / 2.5)}"
        )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def p50(values: list[float]) -> float:
    return statistics.median(values)

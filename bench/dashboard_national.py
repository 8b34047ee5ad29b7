"""Dashboard benchmark on a national-scale warehouse (~4.6 million indicator rows).

Prints:

1. the leadership panels of issue 14 — key figures with the three coordination areas side by side
   (the "area comparison"), the overview, the tile map and "what changed" — at province and region
   level, p50/p95 server time per panel and level, measured twice: on the **first view after a
   publish** (every cache empty: the warehouse file's identity is changed before each page) and on
   **repeated views** (random indicators, years and comparisons, as people click around);
2. that what was read is right: one overview cell and one area figure in the rendered panels against a
   direct SQL query on the warehouse (the area figure recomputed from its municipalities), and both
   again after a publish that revises them (a cache must never serve the older warehouse);
3. p50/p95 of every panel over N random views (all levels), of the page callback over HTTP while flows
   publish new warehouses underneath (and how many answers were stale or failed), and the time to a
   fully rendered municipality page in headless Chromium.

Targets: panel p95 <= 150 ms, municipality page <= 2 s, zero failures and zero stale answers. Each
leadership line also says how much of its time was CPython's full garbage collections (pauses that land
in whichever request allocates at the wrong moment), and its p95 without them.
The process's load average is printed: on a shared machine wall times stretch with other work.

    .venv/bin/python bench/dashboard_national.py [--indicators 100] [--years 30] [--requests 200]
        [--theme-size 10] [--first-views 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import shutil
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _snapshot import (
    REGIONS_NATIONAL,
    PrerenderedServer,
    generate_snapshot,
    load_average,
    temporary_work_dir,
)

from perhekeskus import PanelContext, registry
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.pages import render_panel
from perhekeskus.dashboard.scope import parse_query, scope_for_path
from perhekeskus.dashboard.server import settle_memory, start_in_thread
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.plugins.indicators import data
from perhekeskus.warehouse.settings import Settings

LEADERSHIP = ("key-figures", "overview", "map", "changes")  # issue 14's panels, in this order
TARGET_MS = 150

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(name: str, values: list[float], target: float | None = None) -> str:
    p50, p95 = pct(values, 0.5) * 1000, pct(values, 0.95) * 1000
    verdict = (
        "" if target is None else ("  OK" if p95 <= target else f"  MISSED (target p95 <= {target:g} ms)")
    )
    return f"  {name:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   n={len(values)}{verdict}"


class GcPauses:
    """Time spent in CPython's full (generation 2) garbage collections, which run inside whichever
    request happens to allocate at the wrong moment: a panel's time includes them, and on a process
    holding millions of objects one pause can be several hundred milliseconds."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started: float | None = None
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.total += time.perf_counter() - self._started
            self._started = None


GC = GcPauses()


def router_body(app, pathname: str, search: str) -> dict:
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    router = next(d for d in deps if "app-root.children" in d["output"])
    return {
        "output": router["output"],
        "outputs": [{"id": "app-root", "property": "children"}, {"id": "page-meta", "property": "data"}],
        "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                   {"id": "url", "property": "search", "value": search}],
        "changedPropIds": ["url.search"],
        "state": [],
    }  # fmt: skip


def text_of(component) -> str:
    """All text inside a component tree, in document order."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def walk(component):
    """Every component of a tree, depth first."""
    if isinstance(component, list | tuple):
        for c in component:
            yield from walk(c)
    elif hasattr(component, "to_plotly_json"):
        yield component
        yield from walk(getattr(component, "children", None))


def overview_cell(section, href: str) -> str | None:
    """The text of the overview cell that links to ``href``."""
    for c in walk(section):
        if type(c).__name__ == "A" and getattr(c, "href", None) == href:
            return text_of(c)
    return None


def table_cell(section, header: str, row_title: str) -> str | None:
    """The text of the cell in column ``header`` of the row headed ``row_title``, in the first table
    of the tree that has that column (the key figures' table; the cards repeat it for phones)."""
    for table in (c for c in walk(section) if type(c).__name__ == "Table"):
        heads = [
            text_of(th)
            for th in walk(table)
            if type(th).__name__ == "Th" and getattr(th, "scope", "") == "col"
        ]
        if header not in heads:
            continue
        column = heads.index(header)
        for tr in (c for c in walk(table) if type(c).__name__ == "Tr"):
            cells = tr.children if isinstance(tr.children, list) else [tr.children]
            if cells and text_of(cells[0]) == row_title:
                return text_of(cells[column])
    return None


def new_identity(path: Path) -> None:
    """Make the warehouse file look newly published to the readers (a new mtime: a new identity, so
    the reader attaches it again and every cache keyed by it starts empty), without copying 40 MB."""
    stamp = time.time_ns()
    os.utime(path, ns=(stamp, stamp))


def leadership_pages(areas) -> list[tuple[str, str]]:
    """(level, path) of the pages the leadership panels are measured on."""
    return [("province", "/maakunta")] + [("region", f"/alue/{a.area_id}") for a in areas.areas]


def measure_leadership(app, services, settings, snap, rounds: int, views: int, rng) -> dict:
    """{(panel, level, 'first'|'repeat'): [seconds]} for the leadership panels.

    First view after a publish: before each page the warehouse gets a new identity; the reader's
    background warm-up of what the panels read once per file is timed until ready, what a request still
    pays for the province's values and the newest years is timed on its own, then
    every panel of the page renders in page order with its own cache empty. Repeated views: random indicator, years and comparison on a
    random leadership page, caches warm as they are in a running dashboard.
    """
    times: dict[tuple[str, str, str], list[float]] = {}
    panels = registry.panels()
    _ = Translator("fi")
    pages = leadership_pages(services.areas)
    with app.server.test_request_context("/"):
        for _round in range(rounds):
            for level, path in pages:
                new_identity(settings.warehouse_path)
                scope = scope_for_path(path, {}, "fi", services.areas)
                # the reader sees the new file (as at a health check or any earlier request) and warms
                # what the panels read once per file in the background (warehouse/read.py): timed to ready
                t0 = time.perf_counter()
                services.reader.rows("SELECT 1")
                services.reader.wait_warm()
                times.setdefault(("background warm-up", "once per publish", "first"), []).append(
                    time.perf_counter() - t0
                )
                # what the panels read once per published file and share (every level, every panel):
                # the province's values and each indicator's newest municipal year (two table scans),
                # as a request pays them after the warm-up (before it: the whole read)
                ctx = PanelContext(scope, services.reader, _, services.areas)
                t0 = time.perf_counter()
                data.package_latest(ctx, [("MAA", "SSS")])
                times.setdefault(("province values", "once per publish", "first"), []).append(
                    time.perf_counter() - t0
                )
                t0 = time.perf_counter()
                data.newest_municipal_years(services.reader)
                times.setdefault(("newest years", "once per publish", "first"), []).append(
                    time.perf_counter() - t0
                )
                for panel in panels:
                    if scope.level not in panel.levels:
                        continue
                    paused = GC.total
                    t0 = time.perf_counter()
                    render_panel(_, services, panel, scope, "", path)
                    if panel.id in LEADERSHIP:
                        times.setdefault((panel.id, level, "first"), []).append(time.perf_counter() - t0)
                        times.setdefault((panel.id, level, "first gc"), []).append(GC.total - paused)
        for _i in range(views):
            level, path = rng.choice(pages)
            first = rng.randint(snap.first_year, snap.last_year - 5)
            codes = list(services.areas.municipalities)
            compare = ",".join(rng.sample(codes, rng.randint(0, 3)))
            search = f"?indicator={rng.choice(snap.ids)}&years={first}-{snap.last_year}" + (
                f"&compare={compare}" if compare else ""
            )
            scope = scope_for_path(path, parse_query(search), "fi", services.areas)
            for panel in panels:
                if panel.id not in LEADERSHIP or scope.level not in panel.levels:
                    continue
                paused = GC.total
                t0 = time.perf_counter()
                render_panel(_, services, panel, scope, search, path)
                times.setdefault((panel.id, level, "repeat"), []).append(time.perf_counter() - t0)
                times.setdefault((panel.id, level, "repeat gc"), []).append(GC.total - paused)
    return times


def expected_figures(services, areas) -> dict:
    """What the panels must show, read straight from the warehouse with SQL of this benchmark's own.

    - an overview cell: Tampere's value of the first comparable indicator of the first theme, in that
      indicator's newest year among the province's municipalities;
    - an area figure: the first count indicator's value of the last coordination area, in the
      province's newest year, recomputed here as the sum of the area's municipalities' values.
    """
    reader = services.reader
    codes = list(areas.municipalities)
    marks = ", ".join("?" for _ in codes)
    (source, ident, title, decimals), *_rest = reader.rows(
        "SELECT p.source, p.indicator_id, i.title_en, i.decimals FROM indicator_package p "
        "JOIN indicator i USING (source, indicator_id) JOIN theme t USING (theme_id) "
        "WHERE i.value_kind <> 'count' ORDER BY t.position, p.position LIMIT 1"
    )
    (year,) = reader.rows(
        f"SELECT max(year) FROM indicator_value WHERE source = ? AND indicator_id = ? AND gender = 'total' "
        f"AND region_category = 'KUNTA' AND region_code IN ({marks}) AND value IS NOT NULL",
        [source, ident, *codes],
    )[0]
    (tampere,) = reader.rows(
        "SELECT value FROM indicator_value WHERE source = ? AND indicator_id = ? AND gender = 'total' "
        "AND region_category = 'KUNTA' AND region_code = '837' AND year = ?",
        [source, ident, year],
    )[0]
    area = areas.areas[-1]
    (c_source, c_ident, c_title, c_decimals), *_rest = reader.rows(
        "SELECT p.source, p.indicator_id, i.title_en, i.decimals FROM indicator_package p "
        "JOIN indicator i USING (source, indicator_id) JOIN theme t USING (theme_id) "
        "WHERE i.value_kind = 'count' ORDER BY t.position, p.position LIMIT 1"
    )
    (c_year,) = reader.rows(
        "SELECT max(year) FROM indicator_value WHERE source = ? AND indicator_id = ? AND gender = 'total' "
        "AND region_category = 'MAAKUNTA' AND region_code = ? AND value IS NOT NULL",
        [c_source, c_ident, areas.province_code],
    )[0]
    members = ", ".join("?" for _ in area.municipalities)
    (area_sum, n) = reader.rows(
        f"SELECT sum(value), count(value) FROM indicator_value WHERE source = ? AND indicator_id = ? "
        f"AND gender = 'total' AND region_category = 'KUNTA' AND year = ? AND region_code IN ({members})",
        [c_source, c_ident, c_year, *area.municipalities],
    )[0]
    return {
        "cell": (source, ident, title, decimals, year, tampere),
        "area": (
            c_source,
            c_ident,
            c_title,
            c_decimals,
            c_year,
            area,
            area_sum if n == len(area.municipalities) else None,
        ),
    }


def check_figures(app, services, expected: dict) -> list[str]:
    """Render the overview and the key figures of /maakunta (English) and compare them with ``expected``;
    returns what differed (empty: right)."""
    en = Translator("en")
    panels = {p.id: p for p in registry.panels()}
    problems = []
    scope = scope_for_path("/maakunta", {"lang": "en"}, "en", services.areas)
    with app.server.test_request_context("/"):
        overview = render_panel(en, services, panels["overview"], scope, "?lang=en", "/maakunta")
        key_figures = render_panel(en, services, panels["key-figures"], scope, "?lang=en", "/maakunta")
    source, ident, _title, decimals, year, tampere = expected["cell"]
    href = f"/kunta/837?indicator={source}:{ident}&lang=en"
    shown = overview_cell(overview, href)
    want = en.number(tampere, decimals)
    if shown is None or not shown.endswith(want):
        problems.append(
            f"overview cell of Tampere, indicator {ident}, {year}: shows {shown!r}, SQL says {want}"
        )
    _source, _ident, c_title, c_decimals, c_year, area, area_sum = expected["area"]
    header = en("Area: {area}", area=area.name("en"))
    shown = table_cell(key_figures, header, c_title)
    want = en.number(area_sum, c_decimals)
    if shown != want:
        problems.append(
            f"key figures, {header}, {c_title} ({c_year}): shows {shown!r}, the sum of its municipalities is {want}"
        )
    return problems


def publish_revision(settings, expected: dict, n: int) -> dict:
    """Publish a warehouse in which Tampere's overview value and the area's figure are revised (as a
    producer's correction would); returns the new expectations."""
    from perhekeskus.warehouse.publish import Staging, run_lock

    source, ident, title, decimals, year, tampere = expected["cell"]
    c_source, c_ident, c_title, c_decimals, c_year, area, area_sum = expected["area"]
    new_cell, new_area = round(tampere + 7.5 + n, 1), (area_sum or 0) + 1000 + n
    first_member = area.municipalities[0]
    with run_lock(settings):
        staging = Staging(settings, f"bench-check-{n}")
        try:
            con = staging.open()
            con.execute(
                "UPDATE indicator_value SET value = ? WHERE source = ? AND indicator_id = ? AND gender = 'total' "
                "AND region_category = 'KUNTA' AND region_code = '837' AND year = ?",
                [new_cell, source, ident, year],
            )
            # the municipality's count rises by the difference, and the area's stored figure with it
            diff = new_area - (area_sum or 0)
            for category, code in (("KUNTA", first_member), ("KOORDINAATIOALUE", area.area_id)):
                con.execute(
                    "UPDATE indicator_value SET value = value + ? WHERE source = ? AND indicator_id = ? "
                    "AND gender = 'total' AND region_category = ? AND region_code = ? AND year = ?",
                    [diff, c_source, c_ident, category, code, c_year],
                )
            staging.publish()
        finally:
            staging.discard()
    return {
        "cell": (source, ident, title, decimals, year, new_cell),
        "area": (c_source, c_ident, c_title, c_decimals, c_year, area, new_area),
    }


def main() -> int:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--page-loads", type=int, default=10)
    parser.add_argument(
        "--theme-size", type=int, default=10, help="indicators per theme (0: one theme of all)"
    )
    parser.add_argument("--first-views", type=int, default=5, help="rounds of first views after a publish")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with temporary_work_dir("perhekeskus-bench-dash-", keep=args.keep) as work:
        # produced a month ago: the "what changed" panel (default: 90 days) lists every indicator
        updated = (date.today() - timedelta(days=30)).isoformat()
        snap = generate_snapshot(
            work / "snapshot", REGIONS_NATIONAL, args.indicators, args.years, updated, args.theme_size or None
        )
        settings = Settings(home=work / "home", indicator_package=snap.package)
        with PrerenderedServer(snap.folder) as server:
            started = time.perf_counter()
            summary = run_pipeline(
                "sotkanet",
                dataclasses.replace(settings, plugins={"sotkanet": {"url": server.base_url}}),
                full=True,
            )
        print(
            f"warehouse: {summary.rows_loaded:,} rows loaded in {time.perf_counter() - started:.1f} s ({summary.status})"
        )
        if summary.status != "success":
            print(summary.message)
            return 1
        size = settings.warehouse_path.stat().st_size
        print(
            f"{len(snap.ids)} indicators in themes of {args.theme_size or len(snap.ids)}, {snap.regions} regions, "
            f"{snap.first_year}-{snap.last_year}; warehouse file {size / 1e6:.0f} MB; {load_average()}"
        )

        app = create_app(settings)
        settle_memory()  # as the served app does after start-up (perhekeskus serve, gunicorn)
        services = app.services  # type: ignore[attr-defined]
        areas = services.areas
        rng = random.Random(7)

        # 0. leadership panels: first view after a publish and repeated views, per level
        lead = measure_leadership(app, services, settings, snap, args.first_views, args.requests, rng)
        print(f"\nleadership panels on the national warehouse (server time; target p95 <= {TARGET_MS} ms):")
        print(
            " read once per published warehouse, before the first view (shared by every panel and level;"
            " the request's share after the background warm-up):"
        )
        for name in ("background warm-up", "province values", "newest years"):
            print(line(name, lead[(name, "once per publish", "first")]))
        for when, title in (
            ("first", "first view of each page after a publish (panel caches empty)"),
            ("repeat", "repeated views"),
        ):
            print(f" {title}:")
            for panel_id in LEADERSHIP:
                for level in ("province", "region"):
                    values = lead.get((panel_id, level, when))
                    if values:
                        paused = lead[(panel_id, level, f"{when} gc")]
                        print(
                            line(f"{panel_id} / {level}", values, TARGET_MS)
                            + f"   (full GC pauses inside: {sum(paused) * 1000:.0f} ms in {sum(1 for p in paused if p)} views;"
                            f" p95 without them {pct([v - p for v, p in zip(values, paused, strict=True)], 0.95) * 1000:.1f} ms)"
                        )
        print(f"  ({load_average()})")

        # 0b. what was read is right, and stays right across a publish
        expected = expected_figures(services, areas)
        problems = check_figures(app, services, expected)
        revised = publish_revision(settings, expected, 1)
        after = check_figures(app, services, revised)
        cell, area = expected["cell"], expected["area"]
        print(
            f"\nfigures checked against SQL: Tampere's overview cell (indicator {cell[1]}, {cell[4]}) and "
            f"{area[5].name('en')}'s figure of indicator {area[1]} ({area[4]}, the sum of its municipalities)"
        )
        print(f"  before a publish: {'OK' if not problems else 'WRONG: ' + '; '.join(problems)}")
        print(
            f"  after a publish that revises both: {'OK' if not after else 'STALE OR WRONG: ' + '; '.join(after)}"
        )
        wrong = len(problems) + len(after)
        codes = list(areas.municipalities)
        paths = ["/maakunta"] + [f"/alue/{a.area_id}" for a in areas.areas] + [f"/kunta/{c}" for c in codes]
        ids = snap.ids

        def random_view() -> tuple[str, str]:
            path = rng.choice(paths)
            first = rng.randint(snap.first_year, snap.last_year - 5)
            compare = ",".join(rng.sample(codes, rng.randint(0, 3)))
            search = f"?indicator={rng.choice(ids)}&years={first}-{snap.last_year}" + (
                f"&compare={compare}" if compare else ""
            )
            return path, search

        # 1. each panel's server-side rendering
        panel_times: dict[str, list[float]] = {p.id: [] for p in registry.panels()}
        _ = Translator("fi")
        with app.server.test_request_context("/"):
            for _i in range(args.requests):
                path, search = random_view()
                scope = scope_for_path(path, parse_query(search), "fi", areas)
                for panel in registry.panels():
                    if scope.level not in panel.levels:
                        continue
                    t0 = time.perf_counter()
                    render_panel(_, services, panel, scope, search, path)
                    panel_times[panel.id].append(time.perf_counter() - t0)
        print(
            f"\npanel rendering on the server ({args.requests} random views, {len(ids)} indicators, national warehouse):"
        )
        for name, values in panel_times.items():
            print(line(name, values, 150))

        # 2. the page callback over HTTP (what one view change costs), with publishes underneath
        server_thread = start_in_thread(settings, host="127.0.0.1", port=0)
        port = server_thread.server_port
        import requests

        http = requests.Session()
        base = f"http://127.0.0.1:{port}"
        http.get(base + "/")
        publishing = threading.Event()
        publishes = {"n": 0, "run_id": None, "marker": None}
        probe_id = str(ids[0])
        probe_year = snap.last_year
        decimals = services.reader.rows("SELECT decimals FROM indicator WHERE indicator_id = ?", [probe_id])
        decimals = decimals[0][0] if decimals else 1
        en = Translator("en")

        def publish_loop() -> None:
            """Publish revised warehouses: each one a new run and a new value for Tampere (the probe)."""
            from perhekeskus.warehouse.publish import Staging, run_lock

            while not publishing.is_set():
                n = publishes["n"] + 1
                run_id, marker = f"bench-{n:04d}", 500 + n + 0.25
                with run_lock(settings):
                    staging = Staging(settings, run_id)
                    try:
                        con = staging.open()
                        con.execute(
                            "UPDATE indicator_value SET value = ? WHERE indicator_id = ? AND region_code = '837' "
                            "AND region_category = 'KUNTA' AND year = ? AND gender = 'total'",
                            [marker, probe_id, probe_year],
                        )
                        con.execute(
                            "INSERT INTO etl_run (run_id, source, started_at, finished_at, status) "
                            "VALUES (?, 'sotkanet', now(), now() + INTERVAL 1 DAY * ?, 'success')",
                            [run_id, n],
                        )
                        staging.publish()
                        publishes.update(n=n, run_id=run_id, marker=marker)
                    finally:
                        staging.discard()
                time.sleep(0.5)

        publisher = threading.Thread(target=publish_loop, daemon=True)
        publisher.start()
        callback_times, failures, stale, probes = [], 0, 0, 0
        for i in range(args.requests):
            path, search = random_view()
            if i % 5 == 0:  # every fifth view is the probe: Tampere's newest value of one indicator
                path, search = "/kunta/837", f"?indicator={probe_id}&lang=en"
            published_before = dict(publishes)
            body = router_body(app, path, search)
            t0 = time.perf_counter()
            response = http.post(base + "/_dash-update-component", data=json.dumps(body),
                                 headers={"Content-Type": "application/json", "Origin": base})  # fmt: skip
            callback_times.append(time.perf_counter() - t0)
            if response.status_code != 200 or "error-card" in response.text:
                failures += 1
            health = http.get(base + "/healthz").json()
            # a value published before the request was sent must be what the answer shows (or newer)
            if published_before["run_id"] and (health.get("latest_run") or "") < published_before["run_id"]:
                stale += 1
            if path == "/kunta/837" and published_before["marker"] is not None:
                probes += 1
                shown = [
                    en.number(500 + k + 0.25, decimals)
                    for k in range(published_before["n"], publishes["n"] + 1)
                ]
                if not any(text in response.text for text in shown):
                    stale += 1
        publishing.set()
        publisher.join()
        print(
            f"\npage callback over HTTP ({args.requests} random views; {publishes['n']} warehouses published meanwhile):"
        )
        print(line("router (whole page)", callback_times))
        print(f"  failed or error-card responses during publishes: {failures}")
        print(
            f"  stale answers (older run than published before the request, or Tampere's revised value missing "
            f"in {probes} probe pages): {stale}  {'OK' if stale == 0 else 'STALE DATA SERVED'}"
        )

        # 3. time to a fully rendered municipality page in headless Chromium
        chromium = shutil.which("chromium")
        if not chromium:
            print("\nChromium not found: apt-get install chromium (page-load figures skipped)")
        else:
            from playwright.sync_api import sync_playwright

            loads = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(base + "/kunta/837")  # warm the browser cache once, as a returning user
                page.wait_for_selector("#key-figures-body", timeout=60000)
                for _i in range(args.page_loads):
                    code = rng.choice(codes)
                    t0 = time.perf_counter()
                    page.goto(f"{base}/kunta/{code}?indicator={rng.choice(ids)}")
                    page.wait_for_selector("#key-figures-body", timeout=60000)
                    page.wait_for_selector("#trend-graph .main-svg", timeout=60000)
                    page.wait_for_selector("#comparison-graph .main-svg", timeout=60000)
                    loads.append(time.perf_counter() - t0)
                browser.close()
            print(f"\nmunicipality page fully rendered in headless Chromium ({args.page_loads} loads):")
            p50, worst = pct(loads, 0.5), max(loads)
            print(
                f"  p50 {p50:.2f} s   max {worst:.2f} s   {'OK' if pct(loads, 0.95) <= 2 else 'MISSED (target <= 2 s)'}"
            )
        server_thread.shutdown()
    return 1 if stale or failures or wrong else 0


if __name__ == "__main__":
    sys.exit(main())

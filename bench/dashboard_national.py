"""Dashboard benchmark on a national-scale warehouse (~4.6 million indicator rows).

Prints: p50/p95 server time of each panel's rendering and of the page callback (the one request a
view change costs) over N requests; the time to a fully rendered municipality page in headless
Chromium; and how many requests failed while flows published new warehouses underneath.
Targets: panel p95 <= 150 ms, municipality page <= 2 s, zero failures during publishes.

    .venv/bin/python bench/dashboard_national.py [--indicators 100] [--years 30] [--requests 200]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _snapshot import REGIONS_NATIONAL, PrerenderedServer, generate_snapshot, temporary_work_dir

from perhekeskus import registry
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.pages import render_panel
from perhekeskus.dashboard.scope import scope_for_path
from perhekeskus.dashboard.server import start_in_thread
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.warehouse.settings import Settings

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


def main() -> int:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--page-loads", type=int, default=10)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with temporary_work_dir("perhekeskus-bench-dash-", keep=args.keep) as work:
        snap = generate_snapshot(work / "snapshot", REGIONS_NATIONAL, args.indicators, args.years)
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

        app = create_app(settings)
        services = app.services  # type: ignore[attr-defined]
        areas = services.areas
        rng = random.Random(7)
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
                from perhekeskus.dashboard.scope import parse_query

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
    return 1 if stale or failures else 0


if __name__ == "__main__":
    sys.exit(main())

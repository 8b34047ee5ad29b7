"""The data-quality page (``/laatu``) renders every run: a successful run with quarantined rows, a blocked
run, a failed run and a run of a plugin source, each with its failing keys shown.

The runs are made by the real pipeline (the Sotkanet source against the snapshot server on 127.0.0.1,
and an in-process plugin source registered through the same pluggy manager the entry points fill); the
page is fetched as the browser fetches it, through the router callback of ``create_app`` and Flask's
test client.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from support import PACKAGE_TOML, FaultServer, answer_times, make_snapshot, router_body, rows_127, write_json

from perhekeskus import registry
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.etl.pipeline import RunSummary, run_pipeline
from perhekeskus.hookspecs import hookimpl
from perhekeskus.source import Batch, Extracted, RunContext
from perhekeskus.warehouse.settings import Settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_SUITES = REPO / "tests" / "plugin_example" / "perhekeskus_example_plugin" / "expectations"
ORIGIN = {"Origin": "http://localhost"}
PLUGIN_SOURCE = "quality_visits"
PLUGIN_INDICATOR = 900002
# what the plugin source "fetches": two good rows and one whose municipality is a name (quarantined)
PLUGIN_ROWS = [
    {"municipality": "837", "year": 2023, "visits": 5120, "families": 2410},
    {"municipality": "980", "year": 2023, "visits": 655, "families": 310},
    {"municipality": "536", "year": 2023, "visits": 903, "families": 420},
    {"municipality": "Tampere", "year": 2023, "visits": 1, "families": 1},
]


class VisitsSource:
    """A plugin source following ``perhekeskus.source.Source``; its suite is the example plugin's."""

    name = PLUGIN_SOURCE
    title = "Quality page test: visits"
    datasets = ("indicator_value",)
    suites: ClassVar[dict[str, str]] = {"indicator_value": "example_visits.indicator_value"}
    schedule = "0 4 * * 1"
    suite_dir = str(EXAMPLE_SUITES)

    def extract(self, ctx: RunContext) -> Extracted:
        ctx.raw_dir.mkdir(parents=True, exist_ok=True)
        landed = write_json(ctx.raw_dir / "visits.json", {"rows": PLUGIN_ROWS})
        return Extracted(payload=landed, items_requested=1, items_fetched=1)

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        raw = pd.DataFrame(json.loads(extracted.payload.read_text(encoding="utf-8"))["rows"])
        code = raw["municipality"].astype("string")
        values = pd.DataFrame(
            {
                "source": self.name,
                "indicator_id": PLUGIN_INDICATOR,
                "region_code": code.where(code.str.fullmatch(r"\d{3}")),
                "region_category": "KUNTA",
                "year": raw["year"].astype("Int64"),
                "gender": "total",
                "value": (100 * raw["visits"] / raw["families"]).round(1),
                "abs_value": raw["visits"].astype(float),
                "raw_municipality": code,
            }
        )
        replace = values[["indicator_id", "year"]].drop_duplicates().astype("int64")
        return Batch(
            values=values,
            replace=replace.reset_index(drop=True),
            rows_fetched=len(raw),
            record_columns={"municipality": "raw_municipality", "year": "year"},
        )


class VisitsPlugin:
    @hookimpl
    def perhekeskus_sources(self) -> list:
        return [VisitsSource()]


@dataclass
class Runs:
    settings: Settings
    quarantined: RunSummary  # successful, with rows set aside
    blocked: RunSummary
    failed: RunSummary
    plugin: RunSummary


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    root = tmp_path_factory.mktemp("quality-page")
    package = root / "package.toml"
    package.write_text(PACKAGE_TOML, encoding="utf-8")
    snapshot = make_snapshot(root / "snapshot")
    with FaultServer(snapshot) as server:
        settings = Settings(
            home=root / "home",
            plugins={"sotkanet": {"url": server.base_url}},
            http_retries=1,
            http_backoff=0.01,
            indicator_package=package,
        )
        quarantined = run_pipeline("sotkanet", settings, years=(2009, 2009))
        # one row in five with an unknown region id: too many bad rows, the run is blocked
        rows = rows_127()
        for row in rows[: len(rows) // 5]:
            row["region"] = 900000 + row["region"]
        write_json(snapshot / "data" / "127.json", rows)
        server.reload()
        blocked = run_pipeline("sotkanet", settings, items=["127"], years=(2009, 2009), full=True)
        server.faults.append(answer_times("/", 403, body=b"Forbidden", content_type="text/plain"))
        failed = run_pipeline("sotkanet", settings, items=["127"], years=(2009, 2009), full=True)
    plugin = VisitsPlugin()
    registry.reset()
    registry.plugin_manager().register(plugin, name="quality-visits")
    try:
        from_plugin = run_pipeline(PLUGIN_SOURCE, settings)
    finally:
        registry.plugin_manager().unregister(plugin)
        registry.reset()
    assert (quarantined.status, quarantined.rows_quarantined > 0) == ("success", True), quarantined.message
    assert blocked.status == "blocked", blocked.message
    assert failed.status == "failed", failed.message
    assert (from_plugin.status, from_plugin.rows_quarantined) == ("success", 1), from_plugin.message
    yield Runs(settings, quarantined, blocked, failed, from_plugin)


def quality_page(settings: Settings, run_id: str):
    """The router's answer for ``/laatu?run=<run_id>``, in English."""
    client = create_app(settings).server.test_client()
    client.set_cookie(LANG_COOKIE, "en")
    body = router_body("/laatu", f"?run={run_id}")
    return client.post("/_dash-update-component", json=body, headers=ORIGIN)


def texts(node) -> Iterator[str]:
    """Every text of a serialised Dash layout."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)
    elif isinstance(node, dict):
        yield from texts(node.get("props", {}).get("children"))


def page_text(response) -> list[str]:
    assert response.status_code == 200, response.text[:2000]
    return list(texts(response.get_json()["response"]["app-root"]["children"]))


def test_a_run_with_quarantined_rows_shows_its_failing_keys(runs: Runs):
    shown = page_text(quality_page(runs.settings, runs.quarantined.run_id))
    assert f"Checks of run {runs.quarantined.run_id}" in shown
    # the unknown Sotkanet region ids of the 2009 data have no region code: failing keys with an empty code
    keys = [t for t in shown if "indicator_id=127" in t and "region_code=–" in t]
    assert keys, [t for t in shown if "=" in t][:20]
    assert any('"region": "730"' in t or '"region":"730"' in t for t in shown)
    assert f"Quarantined rows of run {runs.quarantined.run_id}" in shown


def test_a_blocked_run_shows_its_failing_keys(runs: Runs):
    shown = page_text(quality_page(runs.settings, runs.blocked.run_id))
    assert f"Checks of run {runs.blocked.run_id}" in shown
    assert "blocked" in shown
    assert any("indicator_id=127" in t for t in shown), [t for t in shown if "=" in t][:20]


def test_a_failed_run_renders(runs: Runs):
    shown = page_text(quality_page(runs.settings, runs.failed.run_id))
    assert f"Checks of run {runs.failed.run_id}" in shown
    assert "failed" in shown
    assert runs.failed.message in shown
    # it ended before any check: the page says so instead of an empty table
    assert "No quality checks were run: the run ended before its data was checked." in shown


def test_a_plugin_source_run_shows_its_failing_keys(runs: Runs):
    shown = page_text(quality_page(runs.settings, runs.plugin.run_id))
    assert f"Checks of run {runs.plugin.run_id}" in shown
    assert PLUGIN_SOURCE in shown
    assert any(f"indicator_id={PLUGIN_INDICATOR}" in t for t in shown), [t for t in shown if "=" in t][:20]
    assert "1 of 1 rows shown." in shown


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (float("nan"), ""),  # NULL, as pandas hands it over
        ('{"region_code": "837"}', '{"region_code": "837"}'),  # not a list: shown as stored
        ('["837", 2009]', "837; 2009"),  # keys without column names
        ('[{"region_code": null, "year": 2009}]', "region_code=–, year=2009"),
    ],
)
def test_failing_keys_show_whatever_was_stored(stored, shown):
    from perhekeskus.dashboard.pages import _format_keys

    assert _format_keys(stored) == shown

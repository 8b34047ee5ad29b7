"""Indicators are keyed by (source, id), and an id is text the source chooses (issue 9).

A warehouse published under the first schema (INTEGER ids) is migrated with its rows kept, the ids now
text. A second source with a text id ("children_0_6", as Statistics Finland names its series) is loaded
by the real pipeline beside Sotkanet's numbered indicators, opens on the panels through Dash's router
callback from ``?indicator=<source>:<id>`` and downloads as CSV with its source and id. An old link with
a bare id (``?indicator=127``) still opens the Sotkanet indicator of that id.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import duckdb
import pandas as pd
import pytest
from support import PACKAGE_TOML, query
from test_access_scoping import route
from test_source_contract import write_suites

from perhekeskus import Batch, Extracted, IndicatorKey, RunContext, Scope, hookimpl, pick_indicator, registry
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.scope import build_query, view_state
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.warehouse.migrate import apply_migrations
from perhekeskus.warehouse.publish import Staging
from perhekeskus.warehouse.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SOURCE = "test_text"
PLUGIN_NAME = "test-text-ids"
INDICATOR = "children_0_6"
TITLE_EN = "Children aged 0-6 in families"
VALUES = {"837": 8123.0, "980": 1456.0, "536": 2789.0}
# the test package's themes (conftest) with the text-id indicator in the first one
PACKAGE = (
    PACKAGE_TOML.split("[[indicator]]")[0] + f'[[indicator]]\nid = "{INDICATOR}"\ntheme = "population"\n'
)


class TextIdSource:
    """A source whose one indicator has a text id, with its own indicator package."""

    name = SOURCE
    title = "Test text ids"
    datasets = ("indicator_value", "indicator")
    schedule = "15 5 * * 2"
    attribution: ClassVar[dict[str, str]] = {"fi": "Lähde: testi", "sv": "Källa: test", "en": "Source: test"}
    licence = "CC0 1.0"

    def __init__(self, suite_dir: Path, package: Path) -> None:
        self.suite_dir = str(suite_dir)
        self.indicator_package = package
        self.suites = {"indicator_value": f"{SOURCE}.indicator_value", "indicator": f"{SOURCE}.indicator"}

    def extract(self, ctx: RunContext) -> Extracted:
        return Extracted(payload=VALUES, items_requested=1, items_fetched=1)

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        values = pd.DataFrame(
            {
                "source": SOURCE,
                "indicator_id": INDICATOR,
                "region_code": list(extracted.payload),
                "region_category": "KUNTA",
                "year": 2009,
                "gender": "total",
                "value": list(extracted.payload.values()),
                "abs_value": list(extracted.payload.values()),
            }
        )
        indicators = pd.DataFrame(
            [
                {
                    "source": SOURCE,
                    "indicator_id": INDICATOR,
                    "title_fi": "Lapsia 0-6 v perheissä",
                    "title_sv": "Barn 0-6 år i familjer",
                    "title_en": TITLE_EN,
                    "decimals": 0,
                    "value_kind": "count",
                    "licence": self.licence,
                }
            ]
        )
        replace = pd.DataFrame({"indicator_id": [INDICATOR], "year": [2009]})
        return Batch(values=values, replace=replace, indicators=indicators, rows_fetched=len(values))


class Plugin:
    def __init__(self, source: TextIdSource) -> None:
        self.source = source

    @hookimpl
    def perhekeskus_sources(self) -> list:
        return [self.source]


@pytest.fixture(scope="module")
def world(tmp_path_factory, published_template) -> Iterator[tuple[Settings, object, Plugin]]:
    """Sotkanet's 127 and 4 (the session's published warehouse) plus the text-id source, and the app."""
    root = tmp_path_factory.mktemp("text-ids")
    settings = Settings(home=root / "home")
    settings.home.mkdir(parents=True)
    shutil.copyfile(published_template[0], settings.warehouse_path)
    package = root / "package.toml"
    package.write_text(PACKAGE, encoding="utf-8")
    plugin = Plugin(TextIdSource(write_suites(root / "suites", SOURCE), package))
    registry.plugin_manager().register(plugin, name=PLUGIN_NAME)
    try:
        summary = run_pipeline(SOURCE, dataclasses.replace(settings, indicator_package=None))
        assert summary.status == "success", summary.message
        yield settings, create_app(settings), plugin
    finally:
        registry.reset()


@pytest.fixture
def registered(world) -> Iterator[tuple[Settings, object]]:
    """The world, with the source's plugin registered for this test (each test starts with the defaults)."""
    settings, app, plugin = world
    registry.plugin_manager().register(plugin, name=PLUGIN_NAME)
    yield settings, app


def router(app):
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    (dep,) = [
        d
        for d in deps
        if [(i["id"], i["property"]) for i in d["inputs"]] == [("url", "pathname"), ("url", "search")]
    ]
    return client, dep


def component(node, cid: str):
    """The component of that id in a Dash JSON answer."""
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == cid:
            return node
        for value in node.values():
            if (found := component(value, cid)) is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            if (found := component(value, cid)) is not None:
                return found
    return None


def csv_rows(response) -> list[dict[str, str]]:
    """The table of an English CSV download (the lines above it end at the first empty line)."""
    assert response.status_code == 200, response.text[:300]
    records = list(csv.reader(io.StringIO(response.data.decode("utf-8").lstrip("\ufeff"), newline="")))
    start = next(i for i, r in enumerate(records) if "Indicator id" in r)
    header = records[start]
    return [dict(zip(header, r, strict=True)) for r in records[start + 1 :] if r]


# --- the warehouse ------------------------------------------------------------------------------------


def test_a_warehouse_of_the_first_schema_upgrades_with_its_rows_and_text_ids(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    settings.home.mkdir(parents=True)
    con = duckdb.connect(str(settings.warehouse_path))
    con.execute((REPO / "warehouse" / "migrations" / "0001_init.sql").read_text(encoding="utf-8"))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMPTZ DEFAULT now())"
    )
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (1, '0001_init.sql')")
    con.execute(
        "INSERT INTO indicator_value VALUES ('sotkanet', 127, '837', 'KUNTA', 2009, 'total', 1.5, 3, 'r1')"
    )
    con.execute(
        "INSERT INTO indicator (source, indicator_id, title_fi, decimals) VALUES ('sotkanet', 127, 'Väestö', 1)"
    )
    con.execute("INSERT INTO indicator_package VALUES ('sotkanet', 127, 'population', 'neutral', 0)")
    con.close()

    staging = Staging(settings, "upgrade")  # a run's staging copy is migrated as it is opened
    try:
        upgraded = staging.open()
        assert upgraded.execute(
            "SELECT DISTINCT data_type FROM information_schema.columns WHERE column_name = 'indicator_id'"
        ).fetchall() == [("VARCHAR",)]
        staging.publish()
    finally:
        staging.discard()
    assert query(settings, "SELECT * FROM indicator_value") == [
        ("sotkanet", "127", "837", "KUNTA", 2009, "total", 1.5, 3.0, "r1")
    ]
    assert query(settings, "SELECT source, indicator_id, title_fi, decimals FROM indicator") == [
        ("sotkanet", "127", "Väestö", 1)
    ]
    assert query(settings, "SELECT * FROM indicator_package") == [
        ("sotkanet", "127", "population", "neutral", 0)
    ]
    # the keys still hold: the same (source, id) cannot be added twice
    con = duckdb.connect(str(settings.warehouse_path))
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO indicator (source, indicator_id) VALUES ('sotkanet', '127')")
    assert apply_migrations(con) == []  # nothing left to apply
    con.close()


def test_the_text_id_is_loaded_beside_the_numbered_ones(registered) -> None:
    settings, _app = registered
    assert query(
        settings, "SELECT DISTINCT source, indicator_id FROM indicator_value ORDER BY source, indicator_id"
    ) == [("sotkanet", "127"), ("sotkanet", "4"), (SOURCE, INDICATOR)]
    assert query(settings, "SELECT indicator_id FROM indicator_package WHERE source = ?", [SOURCE]) == [
        (INDICATOR,)
    ]


# --- the view --------------------------------------------------------------------------------------------


def test_the_url_names_an_indicator_by_source_and_id_and_a_bare_id_is_still_read() -> None:
    assert view_state({"indicator": "statfin:children_0_6"})["source"] == "statfin"
    assert view_state({"indicator": "statfin:children_0_6"})["indicator"] == "children_0_6"
    assert (view_state({"indicator": "127"})["source"], view_state({"indicator": "127"})["indicator"]) == (
        None,
        "127",
    )
    assert view_state({"indicator": "x:<script>"})["indicator"] is None
    assert build_query({"indicator": str(IndicatorKey("sotkanet", "127"))}) == "?indicator=sotkanet:127"
    keys = [IndicatorKey("statfin", "children_0_6"), IndicatorKey("sotkanet", "127")]
    assert pick_indicator(Scope("province", "fi", indicator=127), keys) == ("sotkanet", "127")
    assert pick_indicator(Scope("province", "fi", indicator="sotkanet:999"), keys) == keys[0]
    assert Scope("province", "fi", indicator="statfin:children_0_6").indicator_key == keys[0]


def test_a_text_id_opens_on_the_panels_through_the_router(registered) -> None:
    _settings, app = registered
    client, dep = router(app)
    body = route(client, dep, "/kunta/837", f"?indicator={SOURCE}:{INDICATOR}&lang=en").get_json()
    assert component(body, "view-indicator")["props"]["value"] == f"{SOURCE}:{INDICATOR}"
    about = json.dumps(component(body, "about-indicator-body"), ensure_ascii=False)
    assert f"{TITLE_EN} (Test text ids id {INDICATOR})" in about
    assert "8,123" in json.dumps(body)  # Tampere's value, in the tables beside the charts


def test_a_text_id_downloads_with_its_source_and_id(registered) -> None:
    _settings, app = registered
    client = app.server.test_client()
    rows = csv_rows(client.get(f"/vienti/trend.csv?path=/kunta/837&indicator={SOURCE}:{INDICATOR}&lang=en"))
    tampere = [r for r in rows if r["Area code"] == "837"]
    assert [(r["Source"], r["Indicator id"], r["Indicator"], r["Value"]) for r in tampere] == [
        ("Test text ids", INDICATOR, TITLE_EN, "8123")
    ]
    key_figures = csv_rows(client.get("/vienti/key-figures.csv?path=/kunta/837&lang=en"))
    assert ("Test text ids", INDICATOR) in {(r["Source"], r["Indicator id"]) for r in key_figures}
    assert ("THL Sotkanet", "127") in {(r["Source"], r["Indicator id"]) for r in key_figures}


def test_an_old_bare_id_link_opens_the_sotkanet_indicator(registered) -> None:
    settings, app = registered
    client, dep = router(app)
    body = route(client, dep, "/kunta/837", "?indicator=127&lang=en").get_json()
    assert component(body, "view-indicator")["props"]["value"] == "sotkanet:127"
    (title,) = query(
        settings, "SELECT title_en FROM indicator WHERE source = 'sotkanet' AND indicator_id = '127'"
    )[0]
    assert title in json.dumps(component(body, "about-indicator-body"), ensure_ascii=False)
    rows = csv_rows(app.server.test_client().get("/vienti/trend.csv?path=/kunta/837&indicator=127&lang=en"))
    assert rows and {(r["Source"], r["Indicator id"]) for r in rows} == {("THL Sotkanet", "127")}

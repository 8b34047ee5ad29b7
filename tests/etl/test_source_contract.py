"""Sources are plugins like any other: the contract a source declares, and a pipeline, schedule and
composition that name no source.

The plugin sources here are registered in-process through the same pluggy manager the entry points fill
(as tests/test_quality_page.py does); the Sotkanet data comes from the session's published warehouse.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from support import data_digest, query

from perhekeskus import Batch, Extracted, RunContext, hookimpl, registry
from perhekeskus.dashboard import attribution
from perhekeskus.dashboard.exports import header_lines
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.etl.demo import demo_sources, load_demos
from perhekeskus.etl.pipeline import UnknownSource, resolve_source, run_pipeline
from perhekeskus.etl.schedule import cron_of
from perhekeskus.source import FrameSchemaError, check_batch
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

REPO = Path(__file__).resolve().parents[2]
INDICATOR = 900101
COLUMNS_CHECK = {
    "type": "expect_table_columns_to_match_set",
    "kwargs": {"column_set": ["source", "indicator_id"], "exact_match": False},
    "severity": "critical",
    "meta": {"reason": "the normalised frame lacks a canonical column"},
}


def write_suites(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for dataset in ("indicator_value", "indicator"):
        name = f"{source}.{dataset}"
        suite = {"name": name, "meta": {"dataset": dataset}, "expectations": [COLUMNS_CHECK]}
        (folder / f"{name}.json").write_text(json.dumps(suite), encoding="utf-8")
    return folder


class CountsSource:
    """A plugin source of one indicator for three municipalities, with its own producer and licence.

    ``year_as_text`` makes its normalise return the years as text (the type error under test); its ids
    are ints, which the frame check turns into text (``text_ids`` gives them as text itself);
    its extract writes into ``ctx.raw_dir`` without creating it (the pipeline does)."""

    name = "test_counts"
    title = "Test counts"
    datasets = ("indicator_value", "indicator")
    schedule = "15 5 * * 2"
    attribution: ClassVar[dict[str, str]] = {
        "fi": "Lähde: Testikuntien perhekeskukset",
        "sv": "Källa: Testkommunernas familjecentraler",
        "en": "Source: family centres of the test municipalities",
    }
    licence = "CC0 1.0"

    def __init__(self, suite_dir: Path, *, year_as_text: bool = False, text_ids: bool = False) -> None:
        self.suite_dir = str(suite_dir)
        self.suites = {
            "indicator_value": f"{self.name}.indicator_value",
            "indicator": f"{self.name}.indicator",
        }
        self.year_as_text = year_as_text
        self.text_ids = text_ids

    def extract(self, ctx: RunContext) -> Extracted:
        landed = ctx.raw_dir / "counts.json"  # no mkdir: the pipeline creates ctx.raw_dir
        landed.write_text(json.dumps({"837": 12.0, "980": 3.0, "536": 5.0}), encoding="utf-8")
        return Extracted(payload=landed, items_requested=1, items_fetched=1)

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        counts = json.loads(extracted.payload.read_text(encoding="utf-8"))
        indicator = str(INDICATOR) if self.text_ids else INDICATOR
        values = pd.DataFrame(
            {
                "source": self.name,
                "indicator_id": [indicator] * len(counts),
                "region_code": list(counts),
                "region_category": "KUNTA",
                "year": "2023" if self.year_as_text else 2023,
                "gender": "total",
                "value": list(counts.values()),
                "abs_value": list(counts.values()),
            }
        )
        indicators = pd.DataFrame(
            [
                {
                    "source": self.name,
                    "indicator_id": INDICATOR,
                    "title_fi": "Testikäynnit",
                    "title_sv": "Testbesök",
                    "title_en": "Test visits",
                    "producer_fi": "Testikuntien perhekeskukset",
                    "producer_sv": "Testkommunernas familjecentraler",
                    "producer_en": "Family centres of the test municipalities",
                    "licence": self.licence,
                }
            ]
        )
        replace = pd.DataFrame({"indicator_id": [INDICATOR], "year": [2023]}).astype("int64")
        return Batch(values=values, replace=replace, indicators=indicators, rows_fetched=len(values))


class Plugin:
    """Registers the given source and records what ``perhekeskus_after_publish`` receives."""

    def __init__(self, source: CountsSource, fail_after_publish: bool = False) -> None:
        self.source = source
        self.fail_after_publish = fail_after_publish
        self.published: list = []

    @hookimpl
    def perhekeskus_sources(self) -> list:
        return [self.source]

    @hookimpl
    def perhekeskus_after_publish(self, summary, services) -> None:
        self.published.append((summary, services))
        if self.fail_after_publish:
            raise RuntimeError("the cache could not be warmed")


@pytest.fixture
def register() -> Iterator:
    registered: list = []

    def _register(plugin, name: str = "test-counts"):
        registry.plugin_manager().register(plugin, name=name)
        registered.append(plugin)
        return plugin

    yield _register
    for plugin in registered:
        registry.plugin_manager().unregister(plugin)
    registry.reset()


# --- the canonical frame is checked at normalise time ---------------------------------------------


def test_a_wrong_type_fails_the_run_naming_the_column_and_the_warehouse_stays(
    settings: Settings, published, tmp_path: Path, register
):
    register(Plugin(CountsSource(write_suites(tmp_path / "suites", "test_counts"), year_as_text=True)))
    before = data_digest(settings.warehouse_path)
    summary = run_pipeline("test_counts", settings)
    assert summary.status == "failed"
    assert "indicator_value" in summary.message and "'year'" in summary.message
    assert "holds text where integer is expected" in summary.message, summary.message
    assert "Binder" not in summary.message
    assert data_digest(settings.warehouse_path) == before
    recorded = query(settings, "SELECT status, message FROM etl_run WHERE run_id = ?", [summary.run_id])
    assert recorded == [("failed", summary.message)]


@pytest.mark.parametrize("text_ids", [False, True], ids=["int ids", "text ids"])
def test_indicator_ids_are_loaded_as_text_whether_given_as_ints_or_text(
    settings: Settings, tmp_path: Path, register, text_ids: bool
):
    register(Plugin(CountsSource(write_suites(tmp_path / "suites", "test_counts"), text_ids=text_ids)))
    summary = run_pipeline("test_counts", settings)
    assert summary.status == "success", summary.message
    ids = query(settings, "SELECT DISTINCT indicator_id FROM indicator_value WHERE source = 'test_counts'")
    assert ids == [(str(INDICATOR),)]
    assert query(settings, "SELECT indicator_id FROM indicator WHERE source = 'test_counts'") == [
        (str(INDICATOR),)
    ]


def test_the_frame_check_turns_whole_number_ids_into_text_and_refuses_fractions():
    values = pd.DataFrame(
        {
            "source": ["s", "s"],
            "indicator_id": [127, 4],
            "region_code": ["837", "837"],
            "region_category": ["KUNTA", "KUNTA"],
            "year": [2023, 2023],
            "gender": ["total", "total"],
            "value": [1.0, 2.0],
            "abs_value": [1.0, 2.0],
        }
    )
    batch = Batch(values=values, replace=pd.DataFrame({"indicator_id": [127, 4], "year": [2023, 2023]}))
    check_batch("s", batch)
    assert list(batch.values["indicator_id"]) == ["127", "4"]
    assert list(batch.replace["indicator_id"]) == ["127", "4"]
    fractions = Batch(values=values.assign(indicator_id=[127.5, 4.0]), replace=batch.replace)
    with pytest.raises(FrameSchemaError, match="'indicator_id' holds number where text is expected"):
        check_batch("s", fractions)


def test_the_pipeline_creates_the_raw_folder_before_extract(settings: Settings, tmp_path: Path, register):
    register(Plugin(CountsSource(write_suites(tmp_path / "suites", "test_counts"))))
    summary = run_pipeline("test_counts", settings)
    assert summary.status == "success", summary.message
    assert (settings.raw_dir / "test_counts" / summary.run_id / "counts.json").is_file()


# --- after publish -----------------------------------------------------------------------------------


def test_after_publish_hook_gets_the_summary_and_services_after_a_successful_run(
    settings: Settings, tmp_path: Path, register
):
    plugin = register(Plugin(CountsSource(write_suites(tmp_path / "suites", "test_counts"))))
    summary = run_pipeline("test_counts", settings)
    assert summary.status == "success", summary.message
    assert len(plugin.published) == 1
    seen, services = plugin.published[0]
    assert seen is summary
    assert services.settings == settings
    assert services.reader.rows("SELECT count(*) FROM indicator_value WHERE source = 'test_counts'") == [(3,)]


def test_after_publish_is_not_called_when_nothing_was_published(settings: Settings, tmp_path: Path, register):
    plugin = register(
        Plugin(CountsSource(write_suites(tmp_path / "suites", "test_counts"), year_as_text=True))
    )
    assert run_pipeline("test_counts", settings).status == "failed"
    assert plugin.published == []


def test_an_after_publish_hook_that_raises_is_logged_and_the_publish_stands(
    settings: Settings, tmp_path: Path, register, caplog
):
    other = Plugin(CountsSource(tmp_path))  # another plugin's hook, called after the failing one
    other.perhekeskus_sources = None  # only its after-publish hook
    register(other, name="test-other")
    failing = register(
        Plugin(CountsSource(write_suites(tmp_path / "suites", "test_counts")), fail_after_publish=True)
    )
    with caplog.at_level(logging.ERROR):
        summary = run_pipeline("test_counts", settings)
    assert summary.status == "success"
    assert len(failing.published) == 1 and len(other.published) == 1
    assert any("after-publish hook of plugin test-counts failed" in r.getMessage() for r in caplog.records)
    assert query(settings, "SELECT count(*) FROM indicator_value WHERE source = 'test_counts'") == [(3,)]


# --- attribution ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_plugin_sources_exports_credit_its_own_producer_never_thl(
    settings: Settings, published, tmp_path: Path, register, lang: str
):
    register(Plugin(CountsSource(write_suites(tmp_path / "suites", "test_counts"))))
    assert run_pipeline("test_counts", settings).status == "success"
    _ = Translator(lang)
    lines = header_lines(_, Reader(settings), [INDICATOR], False, None)
    text = "\n".join(t for _label, t in lines)
    assert CountsSource.attribution[lang] in text
    assert "CC0 1.0" in text
    producer = {"fi": "Testikuntien", "sv": "Testkommunernas", "en": "Family centres of the test"}[lang]
    assert producer in text
    assert "THL" not in text and "Sotkanet" not in text
    # Sotkanet's indicators in the same warehouse keep their own producers and citation form
    thl = "\n".join(t for _label, t in header_lines(_, Reader(settings), [127], False, None))
    assert "Sotkanet" in thl and "CC BY 4.0" in thl
    # the footer credits each source that has data
    footer = attribution.producers_line(_, Reader(settings))
    assert CountsSource.attribution[lang] in footer and "Sotkanet" in footer


# --- demo snapshots --------------------------------------------------------------------------------


class DemoCountsSource(CountsSource):
    """Declares a demo: inside ``open_demo`` a run reads the bundled numbers (its setting ``demo``)."""

    demo_snapshot = Path(__file__)

    def open_demo(self, settings: Settings):
        @contextmanager
        def opened() -> Iterator[Settings]:
            yield dataclasses.replace(settings, plugins={self.name: {"demo": "yes"}})

        return opened()

    def extract(self, ctx: RunContext) -> Extracted:
        extracted = super().extract(ctx)
        if ctx.options.get("demo") == "yes":
            extracted.payload.write_text(json.dumps({"837": 99.0}), encoding="utf-8")
        return extracted


def test_demo_load_runs_every_source_that_declares_a_demo(settings: Settings, tmp_path: Path, register):
    register(Plugin(DemoCountsSource(write_suites(tmp_path / "suites", "test_counts"))))
    assert sorted(demo_sources()) == ["capacity", "network", "service_map", "sotkanet", "test_counts"]
    (summary,) = load_demos(settings, ["test_counts"])
    assert summary.status == "success", summary.message
    assert query(
        settings,
        "SELECT v.region_code, v.value, r.is_demo FROM indicator_value v JOIN etl_run r USING (run_id) "
        "WHERE v.source = 'test_counts'",
    ) == [("837", 99.0, True)]
    with pytest.raises(UnknownSource, match="no enabled source 'nope' with a demo snapshot"):
        load_demos(settings, ["nope"])


# --- no source name in the core ------------------------------------------------------------------------


def test_etl_run_takes_the_only_source_and_asks_which_when_there_are_several(
    tmp_path: Path, register, monkeypatch: pytest.MonkeyPatch
):
    # the built-in feature plugins bring sources of their own tables: with them, name the source
    with pytest.raises(UnknownSource, match="several sources are enabled; name one with --source"):
        resolve_source(None)
    monkeypatch.setenv("PERHEKESKUS_PLUGINS", "sotkanet,indicators")
    registry.reset()
    assert resolve_source(None) == "sotkanet"
    register(Plugin(CountsSource(tmp_path)))
    assert resolve_source("test_counts") == "test_counts"
    with pytest.raises(UnknownSource, match="several sources are enabled; name one with --source"):
        resolve_source(None)


def test_each_source_keeps_its_own_schedule_unless_the_global_override_is_set(tmp_path: Path):
    source = CountsSource(tmp_path)
    assert cron_of(source, Settings()) == "15 5 * * 2"
    assert cron_of(source, Settings(schedule_cron="0 1 * * *")) == "0 1 * * *"
    assert cron_of(registry.sources()["sotkanet"], Settings()) == "0 3 * * *"


def test_the_etl_worker_imports_no_dash():
    code = (
        "import perhekeskus.etl.flows, perhekeskus.etl.schedule, perhekeskus.etl.pipeline, perhekeskus.etl.demo;"
        "import sys; bad = [m for m in sys.modules if m == 'dash' or m.startswith('dash.')]; assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr


def test_the_core_names_no_source():
    core = [*(REPO / "etl").glob("*.py"), REPO / "warehouse" / "settings.py"]
    core += [REPO / "perhekeskus" / n for n in ("cli.py", "compose.py", "source.py", "services.py")]
    for path in core:
        code = "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("#")
        )
        assert not re.search(r"[\"']sotkanet[\"']|plugins\.sotkanet|sotkanet_", code, re.I), path
    assert not list((REPO / "warehouse").glob("producers.*")), "the producer table is the Sotkanet plugin's"


def test_the_sotkanet_plugin_imports_only_the_public_api():
    internal = re.compile(r"^\s*(from|import)\s+perhekeskus\.(etl|warehouse|dashboard|expectations)\b", re.M)
    for path in (REPO / "plugins" / "sotkanet").rglob("*.py"):
        assert not internal.search(path.read_text(encoding="utf-8")), path

"""A source may declare warehouse tables of its own (``Source.tables``), as dlt's resources: the pipeline
checks their columns, runs their suite when one is named, replaces them in the staging copy and publishes
them with everything else. A feature that keeps its data in the operational store (the network map,
families' feedback) reaches the warehouse this way, with no indicator values at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from support import query

from perhekeskus import Batch, Extracted, RunContext, hookimpl, registry
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.warehouse.settings import Settings

SOURCE = "tabletest"


class TableSource:
    """A source with one table of its own and no indicator values."""

    name = SOURCE
    title = "Table test"
    datasets = ("tabletest_tie",)
    schedule = "*/15 * * * *"
    attribution: ClassVar[dict[str, str]] = {"fi": "Testi", "sv": "Test", "en": "Test"}
    licence = "CC0 1.0"
    tables: ClassVar[dict[str, dict[str, str]]] = {
        "tabletest_tie": {"source_actor": "text", "target_actor": "text", "weight": "integer"}
    }
    table_keys: ClassVar[dict[str, list[str]]] = {"tabletest_tie": ["source_actor", "target_actor"]}

    def __init__(
        self, rows: list[tuple], suite_dir: Path | None = None, table: str = "tabletest_tie"
    ) -> None:
        self.rows = rows
        self.table = table
        self.suites = {"tabletest_tie": "tabletest.tie"} if suite_dir else {}
        if suite_dir:
            self.suite_dir = str(suite_dir)

    def extract(self, ctx: RunContext) -> Extracted:
        return Extracted(payload=self.rows, items_requested=1, items_fetched=1)

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        frame = pd.DataFrame(extracted.payload, columns=["source_actor", "target_actor", "weight"])
        return Batch(tables={self.table: frame}, rows_fetched=len(frame))


class Plugin:
    def __init__(self, source: TableSource) -> None:
        self.source = source

    @hookimpl
    def perhekeskus_sources(self) -> list:
        return [self.source]


@pytest.fixture
def register() -> Iterator:
    def _register(source: TableSource) -> None:
        registry.reset()
        registry.plugin_manager().register(Plugin(source), name="table-test")

    yield _register
    registry.reset()


def _suite(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "name": "tabletest.tie",
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "weight", "min_value": 1, "max_value": 5},
                "severity": "critical",
            }
        ],
    }
    (folder / "tabletest.tie.json").write_text(json.dumps(spec), encoding="utf-8")
    return folder


def test_a_declared_table_is_published_whole_and_replaced_by_the_next_run(tmp_path: Path, register) -> None:
    settings = Settings(home=tmp_path / "home")
    register(TableSource([("a", "b", 3), ("b", "c", 5)]))
    summary = run_pipeline(SOURCE, settings)
    assert summary.status == "success", summary.message
    assert query(settings, "SELECT * FROM tabletest_tie ORDER BY 1") == [("a", "b", 3), ("b", "c", 5)]
    register(TableSource([("c", "d", 1)]))
    assert run_pipeline(SOURCE, settings).status == "success"
    assert query(settings, "SELECT * FROM tabletest_tie") == [("c", "d", 1)]
    # the indicator values of other sources are untouched: none were loaded and none were deleted
    assert query(settings, "SELECT count(*) FROM indicator_value")[0][0] == 0


def test_an_empty_table_is_created_with_its_declared_columns(tmp_path: Path, register) -> None:
    settings = Settings(home=tmp_path / "home")
    register(TableSource([]))
    assert run_pipeline(SOURCE, settings).status == "success"
    columns = query(
        settings,
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'tabletest_tie' ORDER BY ordinal_position",
    )
    assert columns == [("source_actor", "VARCHAR"), ("target_actor", "VARCHAR"), ("weight", "BIGINT")]


def test_a_table_of_another_name_or_of_wrong_types_fails_the_run_and_publishes_nothing(
    tmp_path: Path, register
) -> None:
    settings = Settings(home=tmp_path / "home")
    register(TableSource([("a", "b", 3)]))
    assert run_pipeline(SOURCE, settings).status == "success"
    register(TableSource([("x", "y", 2)], table="indicator_value"))
    failed = run_pipeline(SOURCE, settings)
    assert failed.status == "failed" and "does not declare" in failed.message
    register(TableSource([("x", "y", "often")]))
    failed = run_pipeline(SOURCE, settings)
    assert failed.status == "failed" and "'weight'" in failed.message
    assert query(settings, "SELECT * FROM tabletest_tie") == [("a", "b", 3)]


def test_a_critical_check_of_a_table_blocks_the_run(tmp_path: Path, register) -> None:
    settings = Settings(home=tmp_path / "home")
    suites = _suite(tmp_path / "suites")
    register(TableSource([("a", "b", 3)], suite_dir=suites))
    assert run_pipeline(SOURCE, settings).status == "success"
    register(TableSource([("a", "b", 9)], suite_dir=suites))
    blocked = run_pipeline(SOURCE, settings)
    assert blocked.status == "blocked", blocked.message
    assert query(settings, "SELECT * FROM tabletest_tie") == [("a", "b", 3)]

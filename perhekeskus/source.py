"""What a data source is to the flow: the contract between a source plugin and the generic
extract → normalise → audit → load → publish pipeline.

A source knows how to talk to its service and how to turn its answers into the canonical frame;
the pipeline owns everything after that (quality checks, quarantine, staging, publish), so a new
source gets write-audit-publish, incremental state and run records without writing them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from perhekeskus.warehouse.settings import Settings

# Columns of the canonical indicator frame (table indicator_value without run_id).
VALUE_COLUMNS = [
    "source",
    "indicator_id",
    "region_code",
    "region_category",
    "year",
    "gender",
    "value",
    "abs_value",
]
VALUE_KEY = ["source", "indicator_id", "region_category", "region_code", "year", "gender"]

Progress = Callable[[str, int, int], None]


def no_progress(_stage: str, _done: int, _total: int) -> None:
    """Progress sink for runs nobody watches."""


@dataclass
class RunContext:
    """What a source gets to know about the run it is part of."""

    run_id: str
    settings: Settings
    raw_dir: Path  # where this run lands the source's raw answers
    full: bool = False  # ignore the incremental state and fetch everything
    items: list[str] | None = None  # e.g. indicator ids asked for on the command line
    years: tuple[int, int] | None = None  # first and last year asked for on the command line
    state: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # item → (version, scope)
    progress: Progress = no_progress
    is_demo: bool = False


@dataclass
class Extracted:
    """What extract hands to normalise: the source's own payload plus counts for the run record."""

    payload: Any
    items_requested: int = 0
    items_fetched: int = 0
    items_unchanged: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class Batch:
    """A normalised batch in canonical frames, ready for the audit.

    ``values`` holds VALUE_COLUMNS plus any helper columns the source's expectation suite checks
    (e.g. the raw region id, to say in quarantine which id was unknown); only VALUE_COLUMNS are loaded.
    ``replace`` lists the (indicator_id, year) pairs this batch replaces in the warehouse.
    """

    values: pd.DataFrame
    replace: pd.DataFrame
    indicators: pd.DataFrame | None = None
    regions: pd.DataFrame | None = None
    memberships: pd.DataFrame | None = None
    state: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (item, version, scope)
    rows_fetched: int = 0
    duplicates_dropped: int = 0
    record_columns: dict[str, str] = field(default_factory=dict)  # quarantine record key → frame column
    # Alternatively: a function from the quarantined rows (a frame slice) to their records as JSON
    # strings, for sources that keep the raw text out of the frame (see the Sotkanet source).
    records: Callable[[pd.DataFrame], list[str]] | None = None
    notes: list[str] = field(default_factory=list)


@runtime_checkable
class Source(Protocol):
    """A data source plugin. Register instances through the ``perhekeskus_sources`` hook."""

    name: str  # unique, lowercase; used in --source and in the source column
    title: str  # a human name, e.g. "THL Sotkanet"
    datasets: tuple[str, ...]  # canonical datasets it fills, e.g. ("indicator_value", "indicator")
    suites: dict[str, str]  # dataset → expectation suite name (expectations/<suite>.json)
    schedule: str  # default cron, e.g. "0 3 * * *"

    def extract(self, ctx: RunContext) -> Extracted:
        """Fetch from the service into ``ctx.raw_dir``; skip what has not changed unless ``ctx.full``."""
        ...

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        """Turn the landed answers into canonical frames."""
        ...

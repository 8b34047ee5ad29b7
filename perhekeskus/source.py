"""What a data source is to the flow: the contract between a source plugin and the generic
extract → normalise → audit → load → publish pipeline.

A source knows how to talk to its service and how to turn its answers into the canonical frame;
the pipeline owns everything after that (quality checks, quarantine, staging, publish), so a new
source gets write-audit-publish, incremental state and run records without writing them again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pandas as pd
from pandas.api import types as ptypes

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

# The canonical frames' declared column types, checked right after normalise (``check_batch``): a wrong
# type must fail there with the column's name, not later in the warehouse with a DuckDB binder error.
# Kinds: "text" (str, pandas string or categorical), "integer", "number".
VALUE_SCHEMA: dict[str, str] = {
    "source": "text",
    "indicator_id": "text",  # the source's own id, e.g. Sotkanet's "127" or StatFin's "children_0_6"
    "region_code": "text",
    "region_category": "text",
    "year": "integer",
    "gender": "text",
    "value": "number",
    "abs_value": "number",
}
INDICATOR_SCHEMA: dict[str, str] = {"source": "text", "indicator_id": "text"}
REGION_SCHEMA: dict[str, str] = {"region_category": "text", "region_code": "text"}
REPLACE_SCHEMA: dict[str, str] = {"indicator_id": "text", "year": "integer"}
# The frames whose indicator_id column ``check_batch`` turns from whole numbers into text first.
ID_FRAMES = ("values", "replace", "indicators")


class FrameSchemaError(TypeError):
    """A source's normalise returned a canonical frame with a missing column or a column of the wrong type."""


def _kind_of(column: pd.Series) -> str:
    """What a column holds, in the schema's words: text, integer, number, bool, empty or its dtype."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _kind_of(pd.Series(dtype.categories)) if len(dtype.categories) else "empty"
    if ptypes.is_bool_dtype(dtype):
        return "bool"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "timestamp"
    if ptypes.is_integer_dtype(dtype):
        return "integer"
    if ptypes.is_float_dtype(dtype):
        present = column.dropna()
        return "integer" if len(present) and bool((present % 1 == 0).all()) else "number"
    if ptypes.is_string_dtype(dtype) or ptypes.is_object_dtype(dtype):
        present = column.dropna()
        if not len(present):
            return "empty"
        if all(isinstance(v, str) for v in present):
            return "text"
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
            return "integer" if all(float(v).is_integer() for v in present) else "number"
        return f"mixed values ({dtype})"
    return str(dtype)


def _fits(expected: str, found: str) -> bool:
    if found == "empty" or found == expected:
        return True
    return expected == "number" and found == "integer"


def check_frame(frame: pd.DataFrame, schema: dict[str, str], what: str) -> None:
    """Raise :class:`FrameSchemaError` naming the first column that is missing or of the wrong type."""
    for column, expected in schema.items():
        if column not in frame.columns:
            raise FrameSchemaError(f"{what}: column {column!r} is missing (expected {expected})")
        found = _kind_of(frame[column])
        if not _fits(expected, found):
            raise FrameSchemaError(
                f"{what}: column {column!r} holds {found} where {expected} is expected "
                f"(dtype {frame[column].dtype})"
            )


TABLE_KINDS = ("text", "integer", "number", "bool", "timestamp")
_TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def check_table(source_name: str, table: str, frame: pd.DataFrame, schema: dict[str, str]) -> None:
    """Check one of a source's own tables: a name of its own (``<source>_...``), declared kinds, and the
    frame's columns against them (:class:`FrameSchemaError` names what is wrong)."""
    if not _TABLE_NAME.match(table) or not table.startswith(f"{source_name}_"):
        raise FrameSchemaError(
            f"source {source_name!r}: table {table!r} must be named {source_name}_<name> (a-z, 0-9, _)"
        )
    for column, kind in schema.items():
        if kind not in TABLE_KINDS or not _TABLE_NAME.match(column):
            raise FrameSchemaError(
                f"source {source_name!r}, table {table!r}: column {column!r} kind {kind!r}"
            )
    check_frame(frame, schema, f"source {source_name!r}, table {table!r}")


def ids_as_text(column: pd.Series) -> pd.Series:
    """An indicator_id column of whole numbers (int dtype, or Python ints) as text ("127"); else as given.

    Indicator ids are text, but a source whose service numbers its indicators may hand over ints: they
    are taken and turned into their digits here, so a plugin author need not remember ``astype(str)``.
    Fractions (127.5), floats and booleans are not ids and are left for the check to refuse.
    """
    dtype = column.dtype
    if ptypes.is_bool_dtype(dtype):
        return column
    if ptypes.is_integer_dtype(dtype):
        return column.astype("string").astype(object)
    if ptypes.is_object_dtype(dtype):
        whole = [isinstance(v, int) and not isinstance(v, bool) for v in column.dropna()]
        texts = [isinstance(v, str) for v in column.dropna()]
        if any(whole) and all(w or t for w, t in zip(whole, texts, strict=True)):
            return column.map(lambda v: str(v) if isinstance(v, int) else v)
    return column


def check_batch(source_name: str, batch: Batch) -> None:
    """Check a normalised batch's canonical frames against their declared columns and types.

    Indicator ids given as whole numbers are turned into text first (:func:`ids_as_text`), in place.
    """
    for name in ID_FRAMES:
        frame = getattr(batch, name)
        if frame is not None and "indicator_id" in frame.columns:
            frame["indicator_id"] = ids_as_text(frame["indicator_id"])
    check_frame(batch.values, VALUE_SCHEMA, f"source {source_name!r}, indicator_value")
    check_frame(
        batch.replace, REPLACE_SCHEMA, f"source {source_name!r}, the replaced (indicator_id, year) pairs"
    )
    if batch.indicators is not None and len(batch.indicators):
        check_frame(batch.indicators, INDICATOR_SCHEMA, f"source {source_name!r}, indicator")
    if batch.regions is not None and len(batch.regions):
        check_frame(batch.regions, REGION_SCHEMA, f"source {source_name!r}, region")


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
    # the source's own settings (its plugin's ``perhekeskus_settings``, PERHEKESKUS_<SOURCE>_<NAME>)
    options: dict[str, str] = field(default_factory=dict)
    # the indicator package file this run uses: the source's declared one, or the configured override
    indicator_package: Path | None = None


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

    values: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=VALUE_COLUMNS))
    replace: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["indicator_id", "year"]))
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
    # the source's own warehouse tables (see ``Source.tables``): table name → its whole new content
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Attribution:
    """Whose data an indicator's values are, in one language: shown beside the values and in every export.

    ``credit`` is the source's own line (e.g. "Lähde: THL, Sotkanet"); ``producer`` names the organisation
    that produced the data when the source republishes others' data; ``citation`` is the form the
    source asks to be cited in, when it asks for one; ``line`` the source's own wording of the line
    beside the values (the platform words one from credit, producer and licence otherwise).
    """

    credit: str
    licence: str | None = None
    licence_url: str | None = None
    producer: str | None = None
    citation: str | None = None
    line: str | None = None  # the one line shown beside the values, when the source words it itself


@runtime_checkable
class Source(Protocol):
    """A data source plugin. Register instances through the ``perhekeskus_sources`` hook.

    Required: ``name``, ``title``, ``datasets``, ``suites``, ``schedule``, ``attribution``, ``licence``,
    ``extract`` and ``normalise``. Optional (looked up with ``getattr``, so a plain class need not define
    them):

    - ``licence_url: str`` – where the licence is published;
    - ``suite_dir: Path`` – where the suites are, when not in ``expectations/`` beside the source's module;
    - ``indicator_package: Path`` – a TOML file of ``[theme.<id>]`` tables (``title_fi/sv/en``) and
      ``[[indicator]]`` entries (``id``, ``theme``, ``polarity``: lower_is_better | higher_is_better |
      neutral), loaded into the warehouse tables ``theme`` and ``indicator_package`` after each run;
      ``PERHEKESKUS_INDICATOR_PACKAGE`` overrides it for the sources that declare one;
    - ``demo_snapshot: Path`` and ``open_demo(settings)`` – a context manager that yields the ``Settings``
      under which a normal run reads the bundled snapshot (e.g. a local server's address in
      ``settings.plugins``); ``perhekeskus demo load`` runs every source that declares one, marked as demo;
    - ``attribution_for(meta, _) -> Attribution`` – the attribution of one indicator (``meta`` is its
      ``indicator`` row, ``_`` the page's translator), for sources that republish several producers' data;
      without it, every indicator gets the source's ``attribution`` and ``licence``;
    - ``region_key: list[str]`` – the region frame's columns that identify a row in quarantine records;
    - ``tables: dict[str, dict[str, str]]`` – the source's own warehouse tables beside the indicator values,
      as dlt's resources: table name (it must start with ``<source name>_``) → its columns and their kinds
      (``text``, ``integer``, ``number``, ``bool``, ``timestamp``). ``normalise`` returns each table's whole
      content in ``Batch.tables``; the pipeline checks the columns, runs the table's suite when ``suites``
      names one (a critical failure blocks the run), and replaces the table in the staging copy, published
      with everything else in one atomic step. A table missing from a batch is left as it was. Sources
      that only fill tables (e.g. a feature copying its operational data into the warehouse) leave
      ``values`` empty and need no ``indicator_value`` suite; ``table_keys`` (table → key columns) names
      the rows in quarantine records.
    """

    name: str  # unique, lowercase; used in --source and in the source column
    title: str  # a human name, e.g. "THL Sotkanet"
    datasets: tuple[str, ...]  # canonical datasets it fills, e.g. ("indicator_value", "indicator")
    suites: dict[str, str]  # dataset → expectation suite name (expectations/<suite>.json)
    schedule: str  # its own cron, e.g. "0 3 * * *" (PERHEKESKUS_SCHEDULE_CRON overrides every source's)
    attribution: dict[str, str]  # language (fi, sv, en) → credit line, e.g. {"fi": "Lähde: THL, Sotkanet"}
    licence: str  # e.g. "CC BY 4.0"

    def extract(self, ctx: RunContext) -> Extracted:
        """Fetch from the service into ``ctx.raw_dir``; skip what has not changed unless ``ctx.full``."""
        ...

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        """Turn the landed answers into canonical frames (checked against VALUE_SCHEMA and friends)."""
        ...


def credit(source: Any, lang: str) -> str:
    """The source's credit line in ``lang`` (Finnish, then any, when that language is not given)."""
    lines = getattr(source, "attribution", None) or {}
    return (
        lines.get(lang) or lines.get("fi") or next(iter(lines.values()), "") or getattr(source, "title", "")
    )

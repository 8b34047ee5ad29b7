"""The ``statfin`` source: Statistics Finland's StatFin tables as the platform's canonical frames.

extract: per table of the configured series — its metadata, a one-cell probe for its ``updated``
time, and (when the metadata's fingerprint or ``updated`` changed, or ``--full``) its cells in queries
split to the server's cell limit, each landed in the run's raw folder. A folder listing's ``updated``
is never used: Statistics Finland re-stamps whole folders at once.

normalise: decode the json-stat2 answers, derive each series, map area codes to known regions; rows
whose area is unknown, whose count is negative or whose share is over 100 % stay in the frame for the
suite to quarantine with their StatFin codes. Each changed table replaces whole (indicator, year)
chunks. Any failing table fails the run with one line naming the table; the published warehouse stays
as it was.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar

import pandas as pd

from perhekeskus import Batch, Extracted, RunContext, Settings
from perhekeskus_statfin import DEFAULT_URL, SOURCE_NAME, demo
from perhekeskus_statfin.areas import KnownRegions, known_regions
from perhekeskus_statfin.client import PxWebV1Client, StatFinApi, TableError
from perhekeskus_statfin.derive import series_values
from perhekeskus_statfin.jsonstat import JsonStatError, decode
from perhekeskus_statfin.plan import TablePlan, build_plan, fingerprint, split
from perhekeskus_statfin.series import DEFAULT_SERIES, Series, SeriesConfig, SeriesConfigError, load_series
from perhekeskus_statfin.variables import YEAR, VariableError, resolve

HERE = Path(__file__).parent
PRODUCER = {"fi": "Tilastokeskus", "sv": "Statistikcentralen", "en": "Statistics Finland"}


@dataclass
class LandedTable:
    """One table of this run: its plan, its state, and (when fetched) its decoded cells."""

    plan: TablePlan
    version: str | None
    updated: str | None
    cells: pd.DataFrame | None = None  # None: unchanged since the last run, not fetched
    files: list[Path] = field(default_factory=list)


@dataclass
class Landed:
    series: SeriesConfig
    regions: KnownRegions
    tables: list[LandedTable]


def _role_frame(plan: TablePlan, frame: pd.DataFrame) -> pd.DataFrame:
    """The decoded cells with role names for the role variables (other variables keep their code)."""
    return frame.rename(columns=plan.roles.by_code())


class StatfinSource:
    """Statistics Finland's StatFin database through PxWeb API v1."""

    name = SOURCE_NAME
    title = "Statistics Finland StatFin"
    datasets = ("indicator_value", "indicator")
    suites: ClassVar[dict[str, str]] = {
        "indicator_value": "statfin.indicator_value",
        "indicator": "statfin.indicator",
    }
    schedule = "0 5 * * 1"  # weekly (Monday 05:00): population and families tables change a few times a year
    attribution: ClassVar[dict[str, str]] = {
        "fi": "Lähde: Tilastokeskus",
        "sv": "Källa: Statistikcentralen",
        "en": "Source: Statistics Finland",
    }
    licence = "CC BY 4.0"
    licence_url = "https://creativecommons.org/licenses/by/4.0/"
    demo_snapshot = demo.DEMO_SNAPSHOT
    indicator_package = HERE / "indicator_package.toml"

    def __init__(self, url: str = DEFAULT_URL, series_file: Path | None = None) -> None:
        self.url = url or DEFAULT_URL
        self.series_file = Path(series_file) if series_file else DEFAULT_SERIES

    @staticmethod
    def open_demo(settings: Settings):
        """The bundled snapshot served by the local PxWeb server (see perhekeskus_statfin.demo)."""
        return demo.open_demo(settings)

    def client(self, ctx: RunContext) -> StatFinApi:
        """The HTTP layer; a newer API's client replaces this one class."""
        return PxWebV1Client(
            ctx.options.get("url") or self.url,
            lang="fi",
            timeout=ctx.settings.http_timeout,
            retries=ctx.settings.http_retries,
            max_wait=ctx.settings.http_max_wait,
        )

    # --- extract -----------------------------------------------------------------------------------
    def extract(self, ctx: RunContext) -> Extracted:
        series_file = Path(ctx.options["series"]) if ctx.options.get("series") else self.series_file
        config = load_series(series_file)
        chosen = [s for s in config.series if not ctx.items or s.id in set(ctx.items)]
        if not chosen:
            raise SeriesConfigError(f"none of {', '.join(ctx.items or [])} is a StatFin series")
        api = self.client(ctx)
        limits = api.limits()
        by_table: dict[str, list[Series]] = {}
        for s in chosen:
            by_table.setdefault(s.table, []).append(s)
        (ctx.raw_dir / "data").mkdir(parents=True, exist_ok=True)
        landed = Landed(config, known_regions(ctx.settings), [])
        notes = [
            f"server limits: {limits.max_cells} cells, {limits.max_calls} calls per {limits.time_window:g} s"
        ]
        unchanged = 0
        for n, (table, series) in enumerate(by_table.items()):
            ctx.progress("tables", n, len(by_table))
            item = self._table(ctx, api, table, series, limits.max_cells)
            landed.tables.append(item)
            if item.cells is None:
                unchanged += 1
        ctx.progress("tables", len(by_table), len(by_table))
        fetched = len(by_table) - unchanged
        if unchanged:
            notes.append(f"{unchanged} of {len(by_table)} tables unchanged since the last run")
        return Extracted(landed, len(by_table), fetched, unchanged, notes)

    def _table(
        self, ctx: RunContext, api: StatFinApi, table: str, series: list[Series], max_cells: int
    ) -> LandedTable:
        try:
            meta = api.table(table)
            plan = build_plan(table, resolve(table, meta), series, ctx.years)
            probe = api.data(table, plan.probe())
            updated = probe.get("updated") if isinstance(probe.get("updated"), str) else None
            version = f"{fingerprint(meta)}@{updated}" if updated else None
            item = LandedTable(plan, version, updated)
            previous = ctx.state.get(f"table:{table}")
            if not ctx.full and version and previous == (version, plan.scope()):
                return item
            frames = []
            stem = table.replace("/", "__")
            for i, query in enumerate(split(plan.selection, max_cells)):
                answer = api.data(table, query)
                path = ctx.raw_dir / "data" / f"{stem}.{i}.json"
                path.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
                item.files.append(path)
                frames.append(decode(answer).frame)
            cells = pd.concat(frames, ignore_index=True)
            if not cells["value"].notna().any():
                raise TableError(table, f"the answer held no values (all {len(cells)} cells are null)")
            item.cells = _role_frame(plan, cells)
            return item
        except (VariableError, JsonStatError) as exc:
            raise TableError(table, str(exc)) from exc

    # --- normalise ---------------------------------------------------------------------------------
    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        landed: Landed = extracted.payload
        frames, replace, state, notes = [], [], [], list(extracted.notes)
        for item in landed.tables:
            plan = item.plan
            if item.cells is None:
                continue
            for s in plan.series:
                derived = series_values(item.cells, plan, s)
                empty = int(derived["value"].isna().sum())
                if empty:
                    notes.append(f"{s.id}: {empty} values missing in {plan.table} (null, not zero)")
                derived = derived[derived["value"].notna()]
                frames.append(self._frame(s, plan.table, derived, landed.regions))
                replace += [(s.id, y) for y in plan.years]
            state.append((f"table:{plan.table}", item.version, plan.scope()))
        values = (
            pd.concat(frames, ignore_index=True) if frames else self._frame(None, "", None, landed.regions)
        )
        # one row per key; an unknown area (no region code) is told apart by its StatFin code, so that
        # three odd codes are three quarantined areas rather than three duplicates of one empty key
        area_key = values["region_code"].where(values["region_code"].notna(), "?" + values["statfin_area"])
        values["key_unique"] = ~values.assign(area_key=area_key).duplicated(
            ["indicator_id", "region_category", "area_key", "year", "gender"], keep=False
        )
        return Batch(
            values=values,
            replace=pd.DataFrame(replace, columns=["indicator_id", "year"]).astype({"year": "int64"}),
            indicators=self._indicators(landed),
            state=state,
            rows_fetched=sum(len(t.cells) for t in landed.tables if t.cells is not None),
            record_columns={
                "table": "statfin_table",
                "area": "statfin_area",
                "year": "statfin_time",
                "value": "value",
                "smallest_cell": "statfin_min_cell",
            },
            notes=notes,
        )

    def _frame(
        self, s: Series | None, table: str, derived: pd.DataFrame | None, regions: KnownRegions
    ) -> pd.DataFrame:
        if derived is None or s is None:
            derived = pd.DataFrame(columns=["area", "time", "gender", "value", "abs_value", "min_cell"])
        mapped = [regions.map(a) for a in derived["area"]]
        is_share = s is not None and s.derive == "share"
        years = derived["time"].astype("string")
        return pd.DataFrame(
            {
                "source": self.name,
                "indicator_id": s.id if s else pd.Series(dtype="string"),
                "region_code": pd.Series([m[1] for m in mapped], dtype="object", index=derived.index),
                "region_category": pd.Series([m[0] for m in mapped], dtype="object", index=derived.index),
                "year": pd.to_numeric(years.where(years.str.match(YEAR.pattern)), errors="coerce").astype(
                    "Int64"
                ),
                "gender": derived["gender"].astype("object"),
                "value": derived["value"].astype("float64"),
                "abs_value": derived["abs_value"].astype("float64"),
                "statfin_table": table,
                "statfin_area": derived["area"].astype("object"),
                "statfin_time": derived["time"].astype("object"),
                "statfin_min_cell": derived["min_cell"].astype("float64"),
                # the value again for shares only: the suite checks it is at most 100 %
                "statfin_share": derived["value"].astype("float64") if is_share else math.nan,
            }
        )

    def _indicators(self, landed: Landed) -> pd.DataFrame:
        rows = []
        for item in landed.tables:
            years = item.plan.years
            updated = None
            if item.updated:
                try:
                    updated = date.fromisoformat(item.updated[:10])
                except ValueError:
                    updated = None
            for s in item.plan.series:
                has_sex = item.plan.roles.sex is not None and s.by_sex
                rows.append(
                    {
                        "source": self.name,
                        "indicator_id": s.id,
                        "title_fi": s.title_fi,
                        "title_sv": s.title_sv,
                        "title_en": s.title_en,
                        "unit": s.unit_en,
                        "unit_fi": s.unit_fi,
                        "unit_sv": s.unit_sv,
                        "unit_en": s.unit_en,
                        "value_kind": s.value_kind,
                        "decimals": s.decimals,
                        "producer_fi": PRODUCER["fi"],
                        "producer_sv": PRODUCER["sv"],
                        "producer_en": PRODUCER["en"],
                        "data_updated": updated,
                        "range_start": years[0],
                        "range_end": years[-1],
                        "description_fi": f"Tilastokeskus, StatFin-taulukko {item.plan.table}.",
                        "description_sv": f"Statistikcentralen, StatFin-tabell {item.plan.table}.",
                        "description_en": f"Statistics Finland, StatFin table {item.plan.table}.",
                        "genders": "total,male,female" if has_sex else "total",
                        "licence": self.licence,
                    }
                )
        return pd.DataFrame(rows)

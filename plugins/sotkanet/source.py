"""Sotkanet as a source plugin: extract (regions, metadata, data into the raw landing) and normalise
(the landed bodies into the canonical frame, parsed by DuckDB).

Why DuckDB for parsing: a national load is ~5 million rows in ~400 MB of JSON; DuckDB's reader turns
the landed files into columns without building a Python object per row, which keeps a full run far
below 2 GB of memory and lets the run go about as fast as DuckDB can read the bytes.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import pandas as pd

from perhekeskus import Attribution, Batch, Extracted, NotFound, RunContext, load_areas
from perhekeskus.plugins.sotkanet import demo, producers
from perhekeskus.plugins.sotkanet.client import DataFormat, SotkanetClient
from perhekeskus.plugins.sotkanet.metadata import indicator_row, regions_frame
from perhekeskus.plugins.sotkanet.package import IndicatorPackage, default_package_path, load_package

RAW_COLUMNS_JSON = {
    "indicator": "VARCHAR",
    "region": "VARCHAR",
    "year": "VARCHAR",
    "gender": "VARCHAR",
    "value": "VARCHAR",
    "absValue": "VARCHAR",
}


def _enum(values) -> str:
    """A DuckDB ENUM type over the given values (they arrive in pandas as categoricals: small and fast)."""
    return "ENUM (" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


RECORD_FIELDS = ("indicator", "region", "year", "gender", "value", "absValue")
# The identity of a raw row: the same hash in normalise and when a quarantined row's text is looked up.
ROW_KEY = "hash(r.indicator, r.region, r.year, r.gender, r.value, r.absValue, r.file_indicator)"
RAW_COLUMNS_CSV = {
    "indicator": "VARCHAR",
    "region": "VARCHAR",
    "year": "VARCHAR",
    "gender": "VARCHAR",
    "primary value": "VARCHAR",
    "absolute value": "VARCHAR",
}


def sotkanet_ids(ids) -> list[int]:
    """Sotkanet's indicator ids as the numbers its API takes; the warehouse keeps them as text ("127")."""
    numbers = []
    for item in ids:
        text = str(item).strip()
        if not text.isdigit():
            raise ValueError(f"Sotkanet indicator ids are numbers; {item!r} is not one")
        numbers.append(int(text))
    return numbers


@dataclass
class Landed:
    """What extract landed: the raw files and what each stands for."""

    regions: list[dict]
    metadata: dict[int, dict]
    data_files: dict[int, Path] = field(default_factory=dict)
    years: dict[int, tuple[int, int]] = field(default_factory=dict)
    fmt: DataFormat = "json"
    package: IndicatorPackage | None = None


def _years_for(meta: dict, package: IndicatorPackage, asked: tuple[int, int] | None) -> tuple[int, int]:
    if asked:
        return asked
    rng = meta.get("range") or {}
    this_year = date.today().year
    try:
        end = int(rng.get("end"))
    except (TypeError, ValueError):
        end = this_year
    try:
        start = max(int(rng.get("start")), package.first_year)
    except (TypeError, ValueError):
        start = package.first_year
    return (min(start, end), end)


class SotkanetSource:
    """THL's Sotkanet indicator bank."""

    name = "sotkanet"
    title = "THL Sotkanet"
    datasets = ("indicator_value", "indicator", "region")
    suites: ClassVar[dict[str, str]] = {
        "indicator_value": "sotkanet.indicator_value",
        "indicator": "sotkanet.indicator",
        "region": "sotkanet.region",
    }
    schedule = "0 3 * * *"
    attribution: ClassVar[dict[str, str]] = {
        "fi": "Lähde: THL, Sotkanet",
        "sv": "Källa: THL, Sotkanet",
        "en": "Source: THL, Sotkanet",
    }
    licence = "CC BY 4.0"  # THL's own data; other producers' indicators: see attribution_for
    licence_url = "https://creativecommons.org/licenses/by/4.0/"
    demo_snapshot = demo.DEMO_SNAPSHOT
    region_key: ClassVar[list[str]] = ["region_category", "region_code", "sotkanet_id"]

    def __init__(self, fmt: DataFormat = "json") -> None:
        self.fmt = fmt
        self.indicator_package = default_package_path()

    @staticmethod
    def open_demo(settings):
        """The bundled snapshot served on 127.0.0.1 (see perhekeskus.plugins.sotkanet.demo)."""
        return demo.open_demo(settings)

    # --- attribution -----------------------------------------------------------------------------
    def attribution_for(self, meta: dict[str, Any], _, when: date | datetime | None = None) -> Attribution:
        """Sotkanet publishes several producers' data (THL, Statistics Finland, Kela, TEM): name the
        indicator's own producer and its licence from the producer table (the stored licence when the
        table does not know the producer), and cite Sotkanet in the form Sotkanet asks for."""
        producer_id = meta.get("producer_id")
        producer_id = None if producer_id is None or producer_id != producer_id else int(producer_id)
        known = producers.find(producer_id, meta.get("producer_fi"))
        licence = known.licence if known else meta.get("licence")
        producer = _.pick(meta.get("producer_fi"), meta.get("producer_sv"), meta.get("producer_en"))
        title = _.pick(meta.get("title_fi"), meta.get("title_sv"), meta.get("title_en"))
        day = when.date() if isinstance(when, datetime) else when
        citation = _(
            "Statistics and Indicator Bank Sotkanet. Finnish Institute for Health and Welfare. {title} (ind. {id}). Cited {date}.",
            title=title,
            id=meta.get("indicator_id"),
            date=_.date(day or date.today()),
        )
        line = _(
            "Source: {producer}; published in Sotkanet (THL). Licence: {licence}.",
            producer=producer or _("not given"),
            licence=licence or _("the producer's own terms"),
        )
        return Attribution(
            credit=self.attribution.get(getattr(_, "lang", "fi"), self.attribution["fi"]),
            licence=licence or None,
            licence_url=known.licence_url if known else None,
            producer=producer or None,
            citation=citation,
            line=line,
        )

    # --- extract ---------------------------------------------------------------------------------
    def extract(self, ctx: RunContext) -> Extracted:
        settings = ctx.settings
        package = load_package(ctx.indicator_package or self.indicator_package)
        client = SotkanetClient.from_settings(settings, ctx.options.get("url"))
        ids = sotkanet_ids(ctx.items or package.ids)
        (ctx.raw_dir / "indicators").mkdir(exist_ok=True)
        (ctx.raw_dir / "data").mkdir(exist_ok=True)

        ctx.progress("regions", 0, 1)
        regions = client.regions()
        (ctx.raw_dir / "regions.json").write_text(json.dumps(regions, ensure_ascii=False))
        ctx.progress("regions", 1, 1)

        landed = Landed(regions=regions, metadata={}, fmt=self.fmt, package=package)
        notes: list[str] = []
        lock = threading.Lock()

        def fetch_meta(indicator_id: int) -> None:
            try:
                meta = client.indicator(indicator_id)
            except NotFound:
                with lock:
                    notes.append(f"indicator {indicator_id}: Sotkanet does not know this id (404); skipped")
                return
            (ctx.raw_dir / "indicators" / f"{indicator_id}.json").write_text(
                json.dumps(meta, ensure_ascii=False)
            )
            with lock:
                landed.metadata[indicator_id] = meta

        self._run_parallel(ctx, "metadata", fetch_meta, ids)

        todo, unchanged = [], 0
        for indicator_id in ids:
            meta = landed.metadata.get(indicator_id)
            if meta is None:
                continue
            years = _years_for(meta, package, ctx.years)
            landed.years[indicator_id] = years
            version = str(meta.get("data-updated") or "") or None
            previous = ctx.state.get(f"indicator:{indicator_id}")
            if not ctx.full and version and previous == (version, f"{years[0]}-{years[1]}"):
                unchanged += 1
                continue
            todo.append(indicator_id)

        def fetch_data(indicator_id: int) -> None:
            first, last = landed.years[indicator_id]
            dest = ctx.raw_dir / "data" / f"{indicator_id}.{self.fmt}"
            client.download_data(indicator_id, range(first, last + 1), dest, self.fmt)
            with lock:
                landed.data_files[indicator_id] = dest

        self._run_parallel(ctx, "data", fetch_data, todo)
        return Extracted(
            payload=landed,
            items_requested=len(ids),
            items_fetched=len(landed.data_files),
            items_unchanged=unchanged,
            notes=notes,
        )

    @staticmethod
    def _run_parallel(ctx: RunContext, stage: str, work, items: list[int]) -> None:
        """Run ``work`` over items on a few threads; the first error cancels the rest and is raised."""
        total = len(items)
        ctx.progress(stage, 0, total)
        if not items:
            return
        with ThreadPoolExecutor(max_workers=ctx.settings.fetch_workers) as pool:
            futures = [pool.submit(work, item) for item in items]
            done = 0
            try:
                for future in as_completed(futures):
                    future.result()
                    done += 1
                    ctx.progress(stage, done, total)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    # --- normalise -------------------------------------------------------------------------------
    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        landed: Landed = extracted.payload
        areas = load_areas(ctx.settings.areas_file)
        regions, memberships = regions_frame(landed.regions, areas)
        indicators = pd.DataFrame(
            [indicator_row(self.name, i, meta) for i, meta in sorted(landed.metadata.items())]
        )
        scope = pd.DataFrame(
            [(i, y) for i, (a, b) in landed.years.items() if i in landed.data_files for y in range(a, b + 1)],
            columns=["indicator_id", "year"],
        )
        values, fetched, duplicates = self._values(landed, regions, indicators, scope)
        state = [
            (f"indicator:{i}", str(landed.metadata[i].get("data-updated") or "") or None, f"{a}-{b}")
            for i, (a, b) in landed.years.items()
            if i in landed.data_files
        ]
        return Batch(
            values=values,
            replace=scope.astype({"indicator_id": "int64", "year": "int64"}).astype({"indicator_id": str}),
            indicators=indicators,
            regions=regions,
            memberships=memberships,
            state=state,
            rows_fetched=fetched,
            duplicates_dropped=duplicates,
            records=lambda failing: self.records(landed, failing),
            notes=list(extracted.notes),
        )

    def _values(
        self, landed: Landed, regions: pd.DataFrame, indicators: pd.DataFrame, scope: pd.DataFrame
    ) -> tuple[pd.DataFrame, int, int]:
        """Parse every landed data file at once and map Sotkanet's region ids to codes.

        The frame carries no copies of the raw text (at national scale those strings were most of
        the run's memory and time): each row has ``row_key``, a hash of its raw fields, and
        :meth:`records` finds the raw rows of the few that the audit quarantines.
        Repeated values become categoricals, the year a 64-bit integer (GX's fast range check).
        """
        con = duckdb.connect()
        try:
            con.execute("SET enable_progress_bar = false")
            files = [str(p) for _, p in sorted(landed.data_files.items())]
            region_map = regions.dropna(subset=["sotkanet_id", "region_code", "region_category"])[
                ["sotkanet_id", "region_code", "region_category"]
            ].drop_duplicates(subset=["sotkanet_id"])
            kinds = (
                indicators[["indicator_id", "value_kind"]].astype({"indicator_id": "int64"})
                if len(indicators)
                else pd.DataFrame(
                    {"indicator_id": pd.Series(dtype="int64"), "value_kind": pd.Series(dtype="str")}
                )
            )
            con.register("region_map", region_map)
            con.register("kinds", kinds)
            con.register("scope", scope)
            con.execute(f"CREATE TEMP TABLE raw_all AS SELECT * FROM {self._raw_relation(files, landed.fmt)}")
            fetched = con.execute("SELECT count(*) FROM raw_all").fetchone()[0]
            con.execute("CREATE TEMP TABLE raw_rows AS SELECT DISTINCT * FROM raw_all")
            con.execute("DROP TABLE raw_all")
            distinct = con.execute("SELECT count(*) FROM raw_rows").fetchone()[0]
            codes = sorted(set(region_map["region_code"].astype(str))) or ["SSS"]
            categories = sorted(set(region_map["region_category"].astype(str))) or ["MAA"]
            con.execute(f"CREATE TYPE code_t AS {_enum(codes)}")
            con.execute(f"CREATE TYPE category_t AS {_enum(categories)}")
            con.execute(f"CREATE TYPE gender_t AS {_enum(['total', 'male', 'female'])}")
            con.execute(f"CREATE TYPE kind_t AS {_enum(['percentage', 'rate', 'count', 'other'])}")
            con.execute(f"CREATE TYPE source_t AS {_enum([self.name])}")
            con.execute(
                f"""
                CREATE TEMP TABLE mapped AS
                WITH typed AS (
                    SELECT r.*,
                        {ROW_KEY} AS row_key,
                        TRY_CAST(trim(r.indicator) AS BIGINT) AS indicator_num,
                        TRY_CAST(trim(r.region) AS BIGINT) AS region_num,
                        TRY_CAST(trim(r.year) AS BIGINT) AS year_num,
                        lower(trim(r.gender)) AS gender_norm,
                        TRY_CAST(nullif(trim(r.value), '') AS DOUBLE) AS value_num,
                        TRY_CAST(nullif(trim(r.absValue), '') AS DOUBLE) AS abs_num
                    FROM raw_rows r
                ), value_files AS (
                    -- indicators that only carry absValue: there, the absolute value is the value
                    SELECT file_indicator, bool_or(nullif(trim(value), '') IS NOT NULL) AS has_value
                    FROM raw_rows GROUP BY file_indicator
                )
                SELECT
                    w.row_key,
                    w.file_indicator AS indicator_id,
                    m.region_code,
                    m.region_category,
                    CASE WHEN s.year IS NOT NULL THEN w.year_num END AS year,
                    CASE WHEN w.gender_norm IN ('total', 'male', 'female') THEN w.gender_norm END AS gender,
                    CASE WHEN f.has_value THEN w.value_num ELSE w.abs_num END AS value,
                    w.abs_num AS abs_value,
                    (w.value_num IS NOT NULL OR w.abs_num IS NOT NULL) AS has_number,
                    coalesce(k.value_kind, 'other') AS value_kind,
                    (w.indicator_num IS NOT DISTINCT FROM w.file_indicator) AS indicator_matches,
                    ((nullif(trim(w.value), '') IS NULL OR w.value_num IS NOT NULL)
                      AND (nullif(trim(w.absValue), '') IS NULL OR w.abs_num IS NOT NULL)) AS numbers_parse
                FROM typed w
                JOIN value_files f USING (file_indicator)
                LEFT JOIN region_map m ON m.sotkanet_id = w.region_num
                LEFT JOIN scope s ON s.indicator_id = w.file_indicator AND s.year = w.year_num
                LEFT JOIN kinds k ON k.indicator_id = w.file_indicator
                """
            )
            con.execute("DROP TABLE raw_rows")
            # one row per key: the keys that occur twice (usually none) found by one hash aggregate
            con.execute(
                "CREATE TEMP TABLE repeated AS SELECT indicator_id, region_category, region_code, year, gender "
                "FROM mapped GROUP BY ALL HAVING count(*) > 1"
            )
            frame = con.execute(
                f"""
                SELECT
                    '{self.name}'::source_t AS source, m.indicator_id::VARCHAR AS indicator_id,
                    m.region_code::code_t AS region_code, m.region_category::category_t AS region_category,
                    m.year, m.gender::gender_t AS gender, m.value, m.abs_value, m.has_number,
                    m.value_kind::kind_t AS value_kind, m.indicator_matches, m.numbers_parse, m.row_key,
                    r.indicator_id IS NULL AS key_unique
                FROM mapped m
                LEFT JOIN repeated r ON r.indicator_id = m.indicator_id
                    AND r.region_category IS NOT DISTINCT FROM m.region_category
                    AND r.region_code IS NOT DISTINCT FROM m.region_code
                    AND r.year IS NOT DISTINCT FROM m.year AND r.gender IS NOT DISTINCT FROM m.gender
                """
            ).df()
        finally:
            con.close()
        return frame, int(fetched), int(fetched - distinct)

    def records(self, landed: Landed, failing: pd.DataFrame) -> list[str]:
        """The raw rows (as Sotkanet sent them) of quarantined rows, as JSON, in the order given."""
        files = [str(p) for _, p in sorted(landed.data_files.items())]
        if not len(failing) or not files:
            return []
        con = duckdb.connect()
        try:
            con.execute("SET enable_progress_bar = false")
            keys = pd.DataFrame({"row_key": failing["row_key"].astype("uint64").to_numpy()})
            con.register("wanted", keys)
            found = con.execute(
                f"""
                SELECT DISTINCT {ROW_KEY} AS row_key, r.indicator, r.region, r.year, r.gender, r.value, r.absValue
                FROM {self._raw_relation(files, landed.fmt)} r
                WHERE {ROW_KEY} IN (SELECT row_key FROM wanted)
                """
            ).fetchall()
        finally:
            con.close()
        by_key = {
            int(row[0]): json.dumps(dict(zip(RECORD_FIELDS, row[1:], strict=True)), ensure_ascii=False)
            for row in found
        }
        return [by_key.get(int(k), json.dumps({"row_key": int(k)})) for k in failing["row_key"]]

    def _raw_relation(self, files: list[str], fmt: DataFormat) -> str:
        if files:
            return self._read_raw(files, fmt)
        return (
            "(SELECT NULL::VARCHAR AS indicator, NULL::VARCHAR AS region, NULL::VARCHAR AS year, "
            "NULL::VARCHAR AS gender, NULL::VARCHAR AS value, NULL::VARCHAR AS absValue, "
            "NULL::BIGINT AS file_indicator WHERE false)"
        )

    @staticmethod
    def _read_raw(files: list[str], fmt: DataFormat) -> str:
        """A SQL relation over the landed files, every field as text, with the file's indicator id."""
        file_list = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
        indicator_of_file = "TRY_CAST(regexp_extract(filename, '(\\d+)\\.[a-z]+$', 1) AS BIGINT)"
        if fmt == "json":
            cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in RAW_COLUMNS_JSON.items()) + "}"
            return (
                f"(SELECT indicator, region, year, gender, value, absValue, {indicator_of_file} AS file_indicator "
                f"FROM read_json({file_list}, format='array', columns={cols}, filename=true))"
            )
        cols = "{" + ", ".join(f"'{k}': '{v}'" for k, v in RAW_COLUMNS_CSV.items()) + "}"
        return (
            f'(SELECT indicator, region, year, gender, "primary value" AS value, "absolute value" AS absValue, '
            f"{indicator_of_file} AS file_indicator FROM read_csv({file_list}, delim=';', header=true, "
            f"columns={cols}, filename=true, quote='\"', strict_mode=false, null_padding=true))"
        )

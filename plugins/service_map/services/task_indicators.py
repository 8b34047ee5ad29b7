"""The related indicators of each family-centre task, with their latest figures for the page's place.

Why: a gap on the service map means more beside the numbers it may show in (a municipality with no family
work and many child welfare notifications). Which indicators relate to which task is a judgement, so it is
configuration (``task_indicators.toml``, a documented default to be confirmed by the province), overridable
by the plugin setting ``task_indicators`` (``PERHEKESKUS_SERVICE_MAP_TASK_INDICATORS``, a file path).

The figures are read through the warehouse reader every panel gets (bound parameters only): the latest
year with a value for the place (a municipality, a coordination area – region category
``KOORDINAATIOALUE`` – or the province), the wellbeing services county and Finland in that same year, and
whether any of them comes from a demo run. Nothing here raises for a missing indicator or year: the
:class:`Figure` says what is missing and the page says it in words.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perhekeskus import IndicatorKey

log = logging.getLogger(__name__)
DEFAULT_FILE = Path(__file__).parent / "task_indicators.toml"
SETTING = "task_indicators"
MUNICIPALITY, AREA, PROVINCE = "KUNTA", "KOORDINAATIOALUE", "MAAKUNTA"
COUNTY, FINLAND = "HYVINVOINTIALUE", "MAA"
FINLAND_CODE = "SSS"
MAX_PER_TASK = 12  # a hand-edited file cannot make the page unreadable


@dataclass(frozen=True)
class TaskIndicators:
    """Task code → the indicator keys related to it, in the order the file gives."""

    by_task: dict[str, tuple[IndicatorKey, ...]]

    def of(self, task: str) -> tuple[IndicatorKey, ...]:
        return self.by_task.get(task, ())

    def keys(self, tasks: Iterable[str]) -> list[IndicatorKey]:
        """Every key of ``tasks``, each once, in order."""
        seen: dict[IndicatorKey, None] = {}
        for task in tasks:
            for key in self.of(task):
                seen.setdefault(key, None)
        return list(seen)

    @classmethod
    def parse(cls, text: str) -> TaskIndicators:
        """The file's content; a malformed key is skipped with a warning (the rest still shows)."""
        raw = tomllib.loads(text).get("indicators", {})
        if not isinstance(raw, dict):
            raise ValueError("[indicators] must be a table of task code = list of indicator keys")
        by_task: dict[str, tuple[IndicatorKey, ...]] = {}
        for task, given in raw.items():
            if not isinstance(given, list):
                raise ValueError(f"indicators.{task} must be a list of indicator keys")
            keys: list[IndicatorKey] = []
            for item in given:
                key = IndicatorKey.parse(str(item)) if isinstance(item, (str, int)) else None
                if key is None:
                    log.warning("task_indicators: %r of task %s is not <source>:<id>; skipped", item, task)
                elif key not in keys:
                    keys.append(key)
            by_task[str(task)] = tuple(keys[:MAX_PER_TASK])
        return cls(by_task)

    @classmethod
    def load(cls, path: Path | str | None = None) -> TaskIndicators:
        return cls.parse(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))


def configured(settings: Any) -> TaskIndicators:
    """The file of the plugin setting ``task_indicators`` when set and readable, else the packaged default
    (an unreadable file is logged, never a broken page)."""
    from perhekeskus.services import plugin_settings

    path = plugin_settings("service_map", settings).get(SETTING) or None
    if path:
        try:
            return TaskIndicators.load(path)
        except (OSError, ValueError) as exc:
            log.warning("task_indicators: cannot use %s (%s); using the packaged default", path, exc)
    return TaskIndicators.load()


@dataclass(frozen=True)
class Figure:
    """One indicator for one place: what the page shows in a row (None where there is nothing)."""

    key: IndicatorKey
    known: bool  # the warehouse has the indicator
    titles: tuple[str, str, str] = ("", "", "")  # fi, sv, en
    decimals: int | None = None
    year: int | None = None  # the place's latest year with a value (else the references')
    value: float | None = None
    county: float | None = None
    finland: float | None = None
    is_demo: bool = False
    not_combinable: bool = False  # an area figure the municipalities' values cannot make

    def title(self, lang: str) -> str:
        fi, sv, en = self.titles
        return {"fi": fi, "sv": sv, "en": en}.get(lang) or fi or str(self.key)


def place_region(level: str, areas: Any, municipality: str | None, area_id: str | None) -> tuple[str, str]:
    """(region category, code) of a page's place in the warehouse."""
    if level == "municipality" and municipality:
        return (MUNICIPALITY, municipality)
    if level == "area" and area_id:
        return (AREA, area_id)
    return (PROVINCE, areas.province_code)


def _pairs(keys: Sequence[IndicatorKey], prefix: str = "") -> tuple[str, list[str]]:
    clause = " OR ".join(f"({prefix}source = ? AND {prefix}indicator_id = ?)" for _ in keys)
    return f"({clause})", [x for key in keys for x in (key.source, key.id)]


def _not_combinable(reader: Any, keys: Sequence[IndicatorKey]) -> set[IndicatorKey]:
    clause, params = _pairs(keys)
    try:
        rows = reader.rows(
            f"SELECT source, indicator_id FROM area_figure_method WHERE method = 'not_combinable' AND {clause}",
            params,
        )
    except Exception:  # a warehouse published before area figures existed
        return set()
    return {IndicatorKey(s, i) for s, i in rows}


def figures(
    reader: Any, keys: Sequence[IndicatorKey], place: tuple[str, str], county_code: str
) -> dict[IndicatorKey, Figure]:
    """The figures of ``keys`` for ``place``, the county and Finland (two queries for all keys).

    A warehouse without indicators (nothing loaded yet, or a failure to read) gives every key as unknown.
    """
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    clause, params = _pairs(keys)
    try:
        meta = {
            IndicatorKey(r[0], r[1]): r
            for r in reader.rows(
                "SELECT source, indicator_id, title_fi, title_sv, title_en, decimals FROM indicator "
                f"WHERE {clause}",
                params,
            )
        }
        regions = [place, (COUNTY, county_code), (FINLAND, FINLAND_CODE)]
        where = " OR ".join("(v.region_category = ? AND v.region_code = ?)" for _ in regions)
        value_clause, _params = _pairs(keys, "v.")
        rows = reader.rows(
            "SELECT v.source, v.indicator_id, v.region_category, v.region_code, v.year, v.value, "
            "coalesce(r.is_demo, false) FROM indicator_value v LEFT JOIN etl_run r ON r.run_id = v.run_id "
            f"WHERE v.gender = 'total' AND v.value IS NOT NULL AND {value_clause} AND ({where})",
            [*params, *(x for pair in regions for x in pair)],
        )
    except Exception as exc:  # nothing published yet, or a warehouse without indicator tables
        log.info("service map indicators: the warehouse could not be read (%s)", exc)
        return {key: Figure(key, known=False) for key in keys}
    values: dict[tuple[IndicatorKey, str, int], tuple[float, bool]] = {}
    latest: dict[tuple[IndicatorKey, str], int] = {}
    for source, ident, category, code, year, value, is_demo in rows:
        key = IndicatorKey(source, ident)
        region = "place" if (category, code) == place else category
        values[(key, region, int(year))] = (float(value), bool(is_demo))
        if int(year) > latest.get((key, region), -1):
            latest[(key, region)] = int(year)
    uncombinable = _not_combinable(reader, keys) if place[0] == AREA else set()
    found: dict[IndicatorKey, Figure] = {}
    for key in keys:
        if key not in meta:
            found[key] = Figure(key, known=False)
            continue
        row = meta[key]
        year = latest.get((key, "place"))
        if year is None:  # the place has no value: the references' latest year, said as such on the page
            year = max((latest[(key, r)] for r in (COUNTY, FINLAND) if (key, r) in latest), default=None)
        used = [values.get((key, r, year)) for r in ("place", COUNTY, FINLAND)] if year else [None] * 3
        found[key] = Figure(
            key,
            known=True,
            titles=(row[2] or "", row[3] or "", row[4] or ""),
            decimals=None if row[5] is None else int(row[5]),
            year=year,
            value=used[0][0] if used[0] else None,
            county=used[1][0] if used[1] else None,
            finland=used[2][0] if used[2] else None,
            is_demo=any(u[1] for u in used if u),
            not_combinable=key in uncombinable,
        )
    return found


def related(
    reader: Any, areas: Any, view: Any, tasks: Sequence[str], config: TaskIndicators
) -> list[tuple[str, Figure]]:
    """(task, figure) of every related indicator of ``tasks`` for the view's place, in the file's order:
    what the column beside the matrix, the printout and the downloads show (one reading for all)."""
    region = place_region(view.level, areas, view.municipality, view.area_id)
    found = figures(reader, config.keys(tasks), region, areas.county_code)
    return [(task, found[key]) for task in tasks for key in config.of(task)]

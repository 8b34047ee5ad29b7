"""The key figures and "what changed", computed the fast way (only the shown years walked, issue 14's
time budget on a national warehouse), are exactly what the former row-by-row walks over every year
gave: values, years, changes and verdicts, fifths, the area and reference columns, demo flags and
three-year averages, and the page's component tree itself, at every level, on the demo warehouse
(``reader``, conftest.py) and on a copy with demo and real runs mixed and holes in the years (where the
windows of the averages are the hardest to get right). And the reader's background warm-up of a newly
published file (warehouse/read.py) has the memo ready before a page asks, and never serves an older file.

``reference_compute``, ``reference_layout`` and ``reference_moves`` below are the former implementations
kept verbatim as the oracle; the reference reads its rows with its own SQL, so a change to the
province's slice in data.py is checked too.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import plotly
import pytest
from dash import html
from pandas.testing import assert_frame_equal

from perhekeskus import IndicatorKey, PanelContext
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import Scope
from perhekeskus.plugins.indicators import averages, changes, data, key_figures, trust
from perhekeskus.plugins.indicators.common import SMALL, is_small, small_number_note, status_notes
from perhekeskus.plugins.indicators.key_figures import (
    FIFTHS,
    area_cells,
    area_columns,
    averages_note,
    fifth,
    place_header,
    subject,
    verdict_text,
    year_cell,
)
from perhekeskus.ui import table_with_cards
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

AREAS = load_areas(None)
TODAY = date(2024, 6, 1)


def _all_rows(ctx: PanelContext, regions: list[tuple[str, str]]) -> pd.DataFrame:
    pairs = " OR ".join("(v.region_category = ? AND v.region_code = ?)" for _ in regions)
    return ctx.reader.df(
        f"""
        SELECT v.source, v.indicator_id, v.region_category, v.region_code, v.year, v.value, v.abs_value,
               coalesce(r.is_demo, false) AS is_demo
        FROM indicator_value v
        SEMI JOIN indicator_package p ON p.source = v.source AND p.indicator_id = v.indicator_id
        LEFT JOIN etl_run r ON r.run_id = v.run_id
        WHERE v.gender = 'total' AND ({pairs})
        """,
        [x for pair in regions for x in pair],
    )


def reference_compute(ctx: PanelContext) -> pd.DataFrame:
    """The key figures as computed before issue 14's speed work: every row of every year walked."""
    package = data.package_indicators(ctx)
    subj = subject(ctx)
    refs = data.reference_regions(ctx)
    areas = data.area_regions(ctx)
    regions = ([subj] if subj else []) + areas + refs
    if ctx.scope.level == "region":
        regions += [("KUNTA", m) for m in ctx.scope.municipalities]
    frame = _all_rows(ctx, regions)
    averaging = ctx.scope.average == averages.YEARS
    kinds = {(str(r.source), str(r.indicator_id)): r.value_kind for r in package.itertuples(index=False)}
    reasons: dict[tuple[str, str], str | None] = {}
    if averaging:
        frame, reasons = averages.average_package(frame, kinds)
    now = trust.today(ctx.extras)
    values: dict[tuple, tuple] = {}
    latest: dict[IndicatorKey, int] = {}
    demo: set[IndicatorKey] = set()
    for source, ident, cat, code, year, value, absolute, is_demo in frame[
        ["source", "indicator_id", "region_category", "region_code", "year", "value", "abs_value", "is_demo"]
    ].itertuples(index=False, name=None):
        ind = IndicatorKey(source, ident)
        value = None if value != value else value
        absolute = None if absolute != absolute else absolute
        values[(ind, cat, code, year)] = (value, absolute)
        if is_demo:
            demo.add(ind)
        is_subject = (cat, code) == subj if subj else cat == "KUNTA"
        if is_subject and value is not None and year > latest.get(ind, -1):
            latest[ind] = year

    def at(ind: IndicatorKey, cat: str, code: str, year: int | None) -> tuple:
        return values.get((ind, cat, code, year), (None, None)) if year is not None else (None, None)

    rows = []
    for ind in package.itertuples(index=False):
        iid = IndicatorKey(ind.source, ind.indicator_id)
        year = latest.get(iid)
        row = {
            "source": iid.source,
            "indicator_id": iid.id,
            "theme": ctx._.pick(ind.theme_fi, ind.theme_sv, ind.theme_en),
            "title": ctx._.pick(ind.title_fi, ind.title_sv, ind.title_en),
            "polarity": ind.polarity,
            "decimals": None if pd.isna(ind.decimals) else int(ind.decimals),
            "year": year,
            "stale": trust.is_stale(year, now),
            "is_demo": iid in demo,
            "averaged": averaging and reasons.get((iid.source, iid.id)) is None,
        }
        if subj:
            value, absolute = at(iid, *subj, year)
            prev, abs_prev = at(iid, *subj, year - 1 if year else None)
            five, abs_five = at(iid, *subj, year - 5 if year else None)
            change_1y = None if value is None or prev is None else value - prev
            change_5y = None if value is None or five is None else value - five
            row.update(
                value=value,
                abs_value=absolute,
                change_1y=change_1y,
                verdict_1y=trust.verdict(
                    change_1y, ind.polarity, row["decimals"], trust.either_small(absolute, abs_prev)
                ),
                change_5y=change_5y,
                verdict_5y=trust.verdict(
                    change_5y, ind.polarity, row["decimals"], trust.either_small(absolute, abs_five)
                ),
            )
        else:
            for code in ctx.scope.municipalities:
                row[f"value_{code}"], row[f"abs_{code}"] = at(iid, "KUNTA", code, year)
        for category, code in refs:
            row[f"ref_{category}"] = at(iid, category, code, year)[0]
        for _category, area_id in areas:
            row[f"area_{area_id}"] = at(iid, data.AREA, area_id, year)[0]
        rows.append(row)
    result = pd.DataFrame(rows)
    if ctx.scope.level == "local" and len(result):
        everyone = (
            averages.province_windows(ctx, latest, kinds) if averaging else data.province_values(ctx, latest)
        )
        pools = (
            everyone.groupby(["source", "indicator_id"])["value"].apply(list).to_dict()
            if len(everyone)
            else {}
        )
        result["fifth"] = [
            fifth(r.value, pools.get((r.source, r.indicator_id), [])) if r.value is not None else None
            for r in result.itertuples(index=False)
        ]
    return result


def reference_change_mark(
    ctx: PanelContext, delta: float | None, word: str | None, decimals: int | None
) -> html.Span:
    """The former change mark: the arrow, a signed number and its verdict; a change that rounds to zero is level."""
    _ = ctx._
    if word is None or delta is None or math.isnan(delta):
        return html.Span(_("no data"), className="neutral")
    shown = round(delta, trust.precision_step_digits(decimals))
    arrow = "▲" if shown > 0 else "▼" if shown < 0 else "▶"
    verdict, css = verdict_text(ctx, word)
    return html.Span(
        [
            html.Span(arrow, **{"aria-hidden": "true"}),
            " ",
            _.signed(shown, decimals),
            " ",
            html.Span(f"({verdict})", className=css),
        ]
    )


def reference_layout(ctx: PanelContext):
    """The key figures' body as built before issue 14's speed work."""
    _ = ctx._
    result = reference_compute(ctx)
    if not len(result):
        return html.P(_("No indicators have been loaded yet."))
    notes = status_notes(ctx, bool(result["is_demo"].any()))
    county, finland = _("Wellbeing services county"), _("Finland")
    area_ids, area_headers = area_columns(ctx)
    uncombinable = data.not_combinable(ctx)
    blocks, any_small = [], False
    codes = list(ctx.scope.municipalities)
    if ctx.scope.level == "region":
        munis = data.municipalities(ctx).set_index("region_code")
        names = [
            _.pick(*munis.loc[c, ["name_fi", "name_sv", "name_en"]]) if c in munis.index else c for c in codes
        ]
    for theme, group in result.groupby("theme", sort=False):
        if ctx.scope.level == "region":
            headers = [_("Indicator"), _("Year"), *names, *area_headers, county, finland]
            rows = []
            for r in group.itertuples(index=False):
                cells = []
                for c in codes:
                    value, absolute = getattr(r, f"value_{c}", None), getattr(r, f"abs_{c}", None)
                    small = is_small(absolute)
                    any_small |= small
                    cells.append(_.number(value, r.decimals) + (" *" if small else ""))
                rows.append(
                    [
                        r.title,
                        year_cell(ctx, r),
                        *cells,
                        *area_cells(ctx, r, area_ids, uncombinable),
                        _.number(r.ref_HYVINVOINTIALUE, r.decimals),
                        _.number(r.ref_MAA, r.decimals),
                    ]
                )
            numeric = set(range(1, len(headers)))
        else:
            headers = [
                _("Indicator"),
                _("Year"),
                _("Value"),
                _("Change from previous year"),
                _("Change over five years"),
                *area_headers,
                county,
                finland,
            ] + ([place_header(ctx)] if ctx.scope.level == "local" else [])
            rows = []
            for r in group.itertuples(index=False):
                small = is_small(r.abs_value)
                any_small |= small
                row = [
                    r.title,
                    year_cell(ctx, r),
                    _.number(r.value, r.decimals) + (" *" if small else ""),
                    reference_change_mark(ctx, r.change_1y, r.verdict_1y, r.decimals),
                    reference_change_mark(ctx, r.change_5y, r.verdict_5y, r.decimals),
                    *area_cells(ctx, r, area_ids, uncombinable),
                    _.number(r.ref_HYVINVOINTIALUE, r.decimals),
                    _.number(r.ref_MAA, r.decimals),
                ]
                if ctx.scope.level == "local":
                    place = r.fifth
                    row.append(
                        _(FIFTHS[int(place)]) if place is not None and place == place else _("no data")
                    )
                rows.append(row)
            numeric = {1, 2, *range(5, 7 + len(area_ids))}
        # a table on wide screens, a card per indicator on phones (the first theme's cards open)
        caption = _("Key figures: {theme}", theme=theme)
        blocks.append(table_with_cards(theme, caption, headers, rows, numeric, open_cards=not blocks))
    extra = [small_number_note(ctx)] if any_small else []
    explain = html.P(
        _(
            "Latest year with data for each indicator. The arrow shows the direction of change; whether it is better or worse depends on the indicator. A change smaller than the indicator's precision, or one based on fewer than {n} cases, is shown as no clear change; activity and context figures are not rated. Fifths rank the value among {province_genitive} municipalities from highest to lowest.",
            n=SMALL,
            province_genitive=ctx.areas.province_genitive(_.lang),
        ),
        className="intro",
    )
    return html.Div([*notes, explain, *averages_note(ctx), *blocks, *extra], id="key-figures-body")


def reference_moves(ctx: PanelContext, updated: pd.DataFrame) -> list[dict]:
    """What changed as found before issue 14's speed work (a fifth sorted per region)."""
    if not len(updated):
        return []
    regions = changes._regions(ctx)
    # one pass over each frame into dicts, rather than filtering and grouping the frames once per
    # indicator (100 updated indicators took seconds that way)
    series: dict[tuple, dict[tuple[str, str], dict[int, tuple]]] = {}
    # only the newest year and the one before it are compared: leave the other years out before the
    # rows are walked one by one
    wanted = {int(y) - k for y in updated["newest"] if y is not None and y == y for k in (0, 1)}
    frame = data.package_latest(ctx, regions)
    frame = frame[frame["year"].isin(wanted)]
    for source, ident, category, code, year, value, absolute in zip(
        *(
            frame[c]
            for c in (
                "source",
                "indicator_id",
                "region_category",
                "region_code",
                "year",
                "value",
                "abs_value",
            )
        ),
        strict=True,
    ):
        series.setdefault((source, ident), {}).setdefault((category, code), {})[int(year)] = (value, absolute)
    pools_of: dict[tuple, dict[int, list[float]]] = {}
    province = data.package_latest(ctx, [("KUNTA", c) for c in ctx.areas.municipalities])
    province = province[province["year"].isin(wanted)]
    for source, ident, year, value in zip(
        *(province[c] for c in ("source", "indicator_id", "year", "value")), strict=True
    ):
        if value is not None and value == value:  # not missing, not NaN
            pools_of.setdefault((source, ident), {}).setdefault(int(year), []).append(value)
    names = data.municipality_names(ctx)
    area_names = data.area_names(ctx)
    found = []
    for ind in updated.itertuples(index=False):
        if ind.newest is None or ind.newest != ind.newest:
            continue
        key = IndicatorKey(ind.source, ind.indicator_id)
        year = int(ind.newest)
        decimals = None if pd.isna(ind.decimals) else int(ind.decimals)
        pools = pools_of.get(tuple(key), {})
        by_region = series.get(tuple(key), {})
        for category, code in sorted(by_region):  # as a groupby by category and code ordered them
            by_year = by_region[(category, code)]
            now = changes._Point(*by_year[year]) if year in by_year else None
            before = changes._Point(*by_year[year - 1]) if year - 1 in by_year else None
            if now is None or before is None or now.value != now.value or before.value != before.value:
                continue
            change = now.value - before.value
            word = trust.verdict(
                change, ind.polarity, decimals, trust.either_small(now.abs_value, before.abs_value)
            )
            place_now = fifth(now.value, pools.get(year, [])) if category == "KUNTA" else None
            place_before = fifth(before.value, pools.get(year - 1, [])) if category == "KUNTA" else None
            moved = place_now is not None and place_before is not None and place_now != place_before
            if word not in (trust.BETTER, trust.WORSE) and not moved:
                continue
            if category == "KUNTA":
                name = names.get(code, code)
                href = f"/kunta/{code}?indicator={key}&lang={ctx._.lang}"
            else:
                name = area_names.get(code, code)
                href = f"/alue/{code}?indicator={key}&lang={ctx._.lang}"
            found.append(
                {
                    "key": key,
                    "title": ctx._.pick(ind.title_fi, ind.title_sv, ind.title_en),
                    "region": name,
                    "href": href,
                    "year": year,
                    "change": change,
                    "decimals": decimals,
                    "verdict": word,
                    "fifths": (place_before, place_now) if moved else None,
                }
            )
    return found


def scopes(lang: str, average: int | None) -> list[Scope]:
    """The province, every coordination area and a large, a small and a middle-sized municipality."""
    view = {"average": average} if average else {}
    found = [Scope("province", lang, municipalities=tuple(AREAS.municipalities), **view)]
    for area in AREAS.areas:
        found.append(
            Scope("region", lang, area_id=area.area_id, municipalities=tuple(area.municipalities), **view)
        )
    for code in ("837", "177", "604"):
        area = AREAS.area_of(code)
        found.append(
            Scope("local", lang, area_id=area.area_id, municipality=code, municipalities=(code,), **view)
        )
    return found


def context(reader, scope: Scope) -> PanelContext:
    return PanelContext(scope, reader, Translator(scope.lang), AREAS, {"search": "", "today": TODAY})


def assert_same(reader, scope: Scope) -> pd.DataFrame:
    ctx = context(reader, scope)
    expected, got = reference_compute(ctx), key_figures.compute(ctx)
    assert len(expected) > 0
    assert_frame_equal(got, expected, check_exact=True)
    return got


@pytest.mark.parametrize("average", [None, averages.YEARS], ids=["yearly", "3-year"])
def test_key_figures_are_what_the_row_by_row_walk_gave_at_every_level(reader, average) -> None:
    for scope in scopes("en", average):
        got = assert_same(reader, scope)
        # the comparison means something: figures, years and changes are there to compare
        assert got["year"].notna().any(), scope
        if scope.level != "region":
            assert got["value"].notna().any() and got["change_5y"].notna().any(), scope
        if scope.level == "local":
            assert got["fifth"].notna().any(), scope
        if scope.level == "province":
            assert all(got[f"area_{a.area_id}"].notna().any() for a in AREAS.areas)
        if average:
            assert got["averaged"].any() and not got["averaged"].all(), scope


def test_the_same_in_swedish_and_finnish(reader) -> None:
    for lang in ("fi", "sv"):
        for scope in scopes(lang, None)[:2]:
            assert_same(reader, scope)


@pytest.fixture(scope="module")
def mixed(reader, tmp_path_factory: pytest.TempPathFactory) -> Reader:
    """The demo warehouse with some indicators' even years from a real (not demo) run, the others all
    real, and holes in the years: a missing year in a municipality, the province and an area, and a
    subject whose newest year has no value (so its newest whole three-year window is an older one)."""
    settings = Settings(home=tmp_path_factory.mktemp("kf-mixed") / "home")
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(reader.settings.warehouse_path, settings.warehouse_path)
    con = duckdb.connect(str(settings.warehouse_path))
    try:
        con.execute(
            "INSERT INTO etl_run SELECT * REPLACE ('real-run' AS run_id, false AS is_demo) FROM etl_run "
            "WHERE run_id = (SELECT min(run_id) FROM etl_run)"
        )
        con.execute("UPDATE indicator_value SET run_id = 'real-run' WHERE indicator_id NOT IN ('127', '191')")
        con.execute(
            "UPDATE indicator_value SET run_id = 'real-run' WHERE indicator_id = '191' AND year % 2 = 0"
        )
        con.execute(
            "DELETE FROM indicator_value WHERE indicator_id IN ('127', '191') AND year = 2021 "
            "AND region_code IN ('837', '06', 'etelainen')"
        )
        con.execute(
            "UPDATE indicator_value SET value = NULL WHERE indicator_id IN ('127', '74') AND year = 2023 "
            "AND region_code IN ('177', '06')"
        )
    finally:
        con.close()
    return Reader(settings)


@pytest.mark.parametrize("average", [None, averages.YEARS], ids=["yearly", "3-year"])
def test_the_same_with_demo_and_real_runs_mixed_and_holes_in_the_years(mixed, average) -> None:
    demo_seen = set()
    for scope in scopes("en", average):
        got = assert_same(mixed, scope)
        demo_seen |= set(got["is_demo"])
    assert demo_seen == {True, False}


def rendered(component) -> str:
    """The component tree as the browser gets it (Dash's JSON)."""
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


@pytest.mark.parametrize("average", [None, averages.YEARS], ids=["yearly", "3-year"])
def test_the_key_figures_page_is_the_same_as_before(reader, mixed, average) -> None:
    for source in (reader, mixed):
        for scope in scopes("fi", average):
            ctx = context(source, scope)
            expected = rendered(reference_layout(ctx))
            assert "key-figures-body" in expected and len(expected) > 10_000
            assert rendered(key_figures._layout(ctx)) == expected, scope


def test_what_changed_places_a_value_in_the_same_fifth_as_the_key_figures() -> None:
    """changes.py ranks in a pool sorted once (bisect); key_figures.fifth sorts per call: the same place,
    ties, NaN and pools too small to rank included."""
    rng = random.Random(14)
    for _ in range(2000):
        pool = [rng.choice([rng.randint(0, 9) / 2, rng.random() * 10]) for _ in range(rng.randint(0, 30))]
        value = rng.choice([*pool, rng.random() * 10, float("nan")]) if pool else rng.random()
        ranked = sorted(v for v in pool if v == v)
        assert changes._place(value, ranked) == fifth(value, pool), (value, pool)


def _publish_copy(source: Path, target: Path, tampere_population: float) -> None:
    """Publish (os.replace, as the flows do) a copy of ``source`` in which Tampere's population of its
    newest year is ``tampere_population``."""
    staging = target.with_name(f"next-{tampere_population}.duckdb")
    shutil.copyfile(source, staging)
    con = duckdb.connect(str(staging))
    try:
        con.execute(
            "UPDATE indicator_value SET value = ? WHERE indicator_id = '127' AND region_category = 'KUNTA' "
            "AND region_code = '837' AND gender = 'total' AND year = (SELECT max(year) FROM indicator_value "
            "WHERE indicator_id = '127')",
            [tampere_population],
        )
    finally:
        con.close()
    os.replace(staging, target)


def _tampere_population(reader: Reader) -> float:
    scope = scopes("en", None)[-3]  # Tampere's page
    assert scope.municipality == "837"
    ctx = context(reader, scope)
    return float(key_figures.compute(ctx).set_index("indicator_id").loc["127", "value"])


def test_the_warm_up_reads_a_new_file_in_the_background_and_never_serves_an_older_one(
    reader, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path / "home")
    settings.warehouse_path.parent.mkdir(parents=True)
    demo = reader.settings.warehouse_path
    _publish_copy(demo, settings.warehouse_path, 1001.0)
    live = Reader(settings)
    assert _tampere_population(live) == 1001.0  # the first request names the province's regions
    _publish_copy(demo, settings.warehouse_path, 1002.0)
    live.rows("SELECT 1")  # the reader sees the new file: the warm-up starts
    assert live.wait_warm(60)
    built = []
    slice_key = ("indicators:province-slice", data.slice_regions(context(live, scopes("en", None)[0])))
    for key in (slice_key, ("indicators:newest-municipal",), ("indicators:package",)):
        live.memo(key, lambda cur, key=key: built.append(key))
    assert built == []  # all there before any page asked
    assert _tampere_population(live) == 1002.0
    # replaced again while warming: the figures are the newest file's, and the warm-up of the older stops
    _publish_copy(demo, settings.warehouse_path, 1003.0)
    live.rows("SELECT 1")
    _publish_copy(demo, settings.warehouse_path, 1004.0)
    assert _tampere_population(live) == 1004.0
    assert live.wait_warm(60)
    assert _tampere_population(live) == 1004.0


def test_what_changed_finds_the_same_moves_as_before(reader, mixed) -> None:
    found = 0
    for source in (reader, mixed):
        for scope in scopes("en", None):
            ctx = context(source, scope)
            updated = changes.updated_indicators(ctx, date(2000, 1, 1))
            expected = reference_moves(ctx, updated)
            assert changes.moves(ctx, updated) == expected, scope
            found += sum(1 for m in expected if m["fifths"])
    assert found > 0  # fifth moves are among what was compared

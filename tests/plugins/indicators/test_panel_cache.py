"""What the indicator panels keep between requests (issue 14's speed on a national warehouse) is always
the newest published warehouse's, and equal to what a query on the whole table answers.

The province's values are read once per published file into the reader's memo (``Reader.memo``) and the
rendered panels once per file and view (``common.cached``). Here a real demo warehouse is published
again with revised values, and the overview, the key figures' area figure and the tile map must show the
revised numbers at once; the slice's answers are compared with the whole table's for the same regions.
"""

from __future__ import annotations

import pytest

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.etl.demo import load_demo
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import data, key_figures, overview, tile_map
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import Staging, run_lock
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

AREAS = load_areas(None)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A demo warehouse of this module's own (the tests publish revisions of it)."""
    settings = Settings(home=tmp_path_factory.mktemp("panel-cache") / "home")
    summary = load_demo(settings, "sotkanet")
    assert summary.status == "success", summary.message
    # a municipality of another province (Helsinki), which the province's slice does not hold
    publish(
        settings,
        "cache-helsinki",
        [
            (
                "INSERT INTO indicator_value (source, indicator_id, region_code, region_category, year, gender, "
                "value, abs_value, run_id) SELECT source, indicator_id, '091', region_category, year, gender, "
                "value * 2, abs_value, run_id FROM indicator_value "
                "WHERE region_category = 'KUNTA' AND region_code = '837'",
                [],
            )
        ],
    )
    return settings


def ctx_for(
    reader, level: str, area_id: str | None = None, lang: str = "en", indicator: str | None = None
) -> PanelContext:
    area = AREAS.area(area_id) if area_id else None
    scope = Scope(
        level,
        lang,
        area_id=area_id,
        municipalities=tuple(area.municipalities if area else AREAS.municipalities),
        indicator=indicator,
    )
    return PanelContext(scope=scope, reader=reader, _=Translator(lang), areas=AREAS)


def publish(settings: Settings, run_id: str, statements: list[tuple[str, list]]) -> None:
    """Publish the current warehouse again with ``statements`` applied (as a flow's run would)."""
    with run_lock(settings):
        staging = Staging(settings, run_id)
        try:
            con = staging.open()
            for sql, params in statements:
                con.execute(sql, params)
            staging.publish()
        finally:
            staging.discard()


def texts(node) -> list[str]:
    """Every string in a component tree."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list | tuple):
        return [t for n in node for t in texts(n)]
    children = getattr(node, "children", None)
    return texts(children) if children is not None else []


class WholeTable:
    """The same reader without a memo: every query reads the whole table (the path before the slice)."""

    def __init__(self, reader: Reader) -> None:
        self.df, self.rows, self.settings = reader.df, reader.rows, reader.settings

    @property
    def version(self):
        return None  # nothing may be cached for this reader


def test_a_memo_is_built_once_per_published_file_and_never_outlives_it(published: Settings) -> None:
    reader = Reader(published)
    builds = []

    def build(cur):
        builds.append(1)
        return cur.execute("SELECT count(*) FROM etl_run").fetchone()[0]

    first = reader.memo(("runs",), build)
    assert reader.memo(("runs",), build) == first and len(builds) == 1
    publish(
        published,
        "cache-memo",
        [
            (
                "INSERT INTO etl_run (run_id, source, started_at, finished_at, status) "
                "VALUES ('cache-memo', 'sotkanet', now(), now(), 'success')",
                [],
            )
        ],
    )
    assert reader.memo(("runs",), build) == first + 1  # the new file's answer, built again
    assert len(builds) == 2


def test_the_slice_answers_as_the_whole_table_does(published: Settings) -> None:
    reader = Reader(published)
    sliced, whole = ctx_for(reader, "province"), ctx_for(WholeTable(reader), "province")
    regions = [("KUNTA", c) for c in AREAS.municipalities[:5]] + [
        (data.AREA, AREAS.areas[0].area_id),
        ("HYVINVOINTIALUE", AREAS.county_code),
        ("MAA", "SSS"),
    ]
    order = ["source", "indicator_id", "region_category", "region_code", "year"]

    def same(a, b) -> None:
        by = [c for c in order if c in a.columns]
        a = a.sort_values(by).reset_index(drop=True)
        b = b.sort_values(by).reset_index(drop=True)
        assert len(a) > 0
        assert a.astype(str).equals(b[list(a.columns)].astype(str))

    same(data.package_latest(sliced, regions), data.package_latest(whole, regions))
    newest = data.package_newest(sliced, regions)
    assert newest.groupby(["source", "indicator_id"])["year"].nunique().max() == 1  # one year each
    keys = {data.IndicatorKey(s, i): int(y) for s, i, y in newest[["source", "indicator_id", "year"]].values}
    same(data.province_values(sliced, keys), data.province_values(whole, keys))
    # a municipality of another province is not in the slice: read from the whole table, still right
    outside = [("KUNTA", "091")]  # Helsinki
    same(
        data.package_latest(sliced, regions + outside)[lambda f: f["region_code"] == "091"],
        data.package_latest(whole, outside),
    )


def test_no_values_for_the_year_still_gives_the_columns(published: Settings) -> None:
    ctx = ctx_for(Reader(published), "province")
    key = data.package_keys(ctx.reader)[0]
    frame = data.province_values(ctx, {key: 1900})
    assert list(frame.columns) == ["source", "indicator_id", "region_code", "value"] and frame.empty


def test_a_publish_shows_revised_figures_in_every_cached_panel_at_once(published: Settings) -> None:
    reader = Reader(published)
    ctx = ctx_for(reader, "province")
    # the first comparable indicator of the first theme: the overview's first column
    theme_id = overview.themes(ctx)[0][0]
    cells, indicators, _demo = overview.matrix(ctx, theme_id, "finland")
    key = indicators[0]["key"]
    tampere = cells[(cells["code"] == "837") & (cells["indicator_id"] == key.id)].iloc[0]
    year, decimals = int(tampere["year"]), indicators[0]["decimals"]
    area = AREAS.areas[-1]
    figures = key_figures.compute(ctx).set_index("indicator_id")
    figures_year, shown_area = int(figures.loc[key.id, "year"]), figures.loc[key.id, f"area_{area.area_id}"]
    map_ctx = ctx_for(reader, "region", AREAS.area_of("837").area_id, indicator=str(key))
    before = [overview.layout(ctx), key_figures.layout(ctx), tile_map.layout(map_ctx)]

    revised_cell, revised_area = 987654.5, 876543.5
    publish(
        published,
        "cache-revision",
        [
            (
                "UPDATE indicator_value SET value = ? WHERE source = ? AND indicator_id = ? AND gender = 'total' "
                "AND region_category = 'KUNTA' AND region_code = '837' AND year = ?",
                [revised_cell, key.source, key.id, year],
            ),
            (
                "UPDATE indicator_value SET value = ? WHERE source = ? AND indicator_id = ? AND gender = 'total' "
                "AND region_category = ? AND region_code = ? AND year = ?",
                [revised_area, key.source, key.id, data.AREA, area.area_id, figures_year],
            ),
        ],
    )
    en = Translator("en")
    cell_text, area_text = en.number(revised_cell, decimals), en.number(revised_area, decimals)
    assert shown_area != revised_area
    assert not any(cell_text in t or area_text in t for t in texts(before))

    # the same reader in the same process: every cache must see the new file at once
    assert any(cell_text in t for t in texts(overview.layout(ctx)))
    assert area_text in texts(key_figures.layout(ctx))
    assert cell_text in texts(tile_map.layout(map_ctx))


def test_a_reader_without_a_memo_still_answers(published: Settings) -> None:
    """Third-party readers (the public ``WarehouseReader`` protocol has no memo) read the whole table."""
    ctx = ctx_for(WholeTable(Reader(published)), "province")
    assert len(data.package_indicators(ctx)) > 0
    assert data.dataset_state(ctx)[0] == "success"
    assert len(data.municipality_names(ctx)) == len(AREAS.municipalities)

"""The overview matrix (issue 14): regions × a theme's indicators, each cell better / similar / worse than
Finland or the county by the indicator's polarity, with a symbol and a word besides the colour, a link to
that indicator on that region's page, and counts left out (a municipality is not "worse" than Finland for
having fewer children)."""

from __future__ import annotations

import pytest
from dash import html

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import overview
from perhekeskus.plugins.indicators.overview import (
    BETTER,
    HIGHER,
    NO_DATA,
    NOT_RATED,
    SIMILAR,
    WORSE,
    compare,
)
from perhekeskus.warehouse.areas import load_areas

AREAS = load_areas(None)


@pytest.mark.parametrize(
    ("value", "reference", "polarity", "decimals", "absolute", "expected"),
    [
        (12.0, 10.0, "lower_is_better", 1, 120, WORSE),  # 20 % above Finland: worse when lower is better
        (8.0, 10.0, "lower_is_better", 1, 80, BETTER),
        (12.0, 10.0, "higher_is_better", 1, 120, BETTER),
        (10.9, 10.0, "lower_is_better", 1, 109, SIMILAR),  # within 10 % of the reference
        (0.3, 0.2, "lower_is_better", 0, 30, SIMILAR),  # below one unit of the precision (0 decimals)
        (12.0, 10.0, "neutral", 1, 120, HIGHER),  # context figures are not rated
        (40.0, 10.0, "lower_is_better", 1, 4, NOT_RATED),  # four cases: one family moves it
        (None, 10.0, "lower_is_better", 1, None, NO_DATA),
        (float("nan"), 10.0, "lower_is_better", 1, None, NO_DATA),
    ],
)
def test_a_cells_verdict(value, reference, polarity, decimals, absolute, expected) -> None:
    assert compare(value, reference, polarity, decimals, absolute) == expected


def ctx_for(reader, level: str, lang: str = "fi", area_id: str | None = None) -> PanelContext:
    area = AREAS.area(area_id) if area_id else None
    scope = Scope(
        level,
        lang,
        area_id=area_id,
        municipalities=tuple(area.municipalities if area else AREAS.municipalities),
    )
    return PanelContext(scope=scope, reader=reader, _=Translator(lang), areas=AREAS)


def cells(component) -> list:
    """Every table cell (header or data) in a layout tree, in document order."""
    found = []
    children = getattr(component, "children", None)
    if isinstance(component, html.Td | html.Th):
        found.append(component)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found.extend(cells(child))
    return found


def text(node) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    children = getattr(node, "children", None)
    if children is None:
        return ""
    return "".join(text(c) for c in (children if isinstance(children, list) else [children]))


def test_the_province_matrix_has_every_area_and_municipality_with_links_and_words(reader) -> None:
    ctx = ctx_for(reader, "province")
    themes = overview.themes(ctx)
    assert themes, "the demo package has themes with rates"
    frame, indicators, demo = overview.matrix(ctx, themes[0][0], "finland")
    assert demo  # the bundled snapshot is loaded as demo data
    assert indicators and all(i["key"].id != "127" for i in indicators)  # population is a count: left out
    regions = overview.rows_of(ctx)
    assert len(regions) == len(AREAS.areas) + len(AREAS.municipalities)
    assert len(frame) == len(regions) * len(indicators)
    assert set(frame["verdict"]) <= {BETTER, WORSE, SIMILAR, HIGHER, overview.LOWER, NOT_RATED, NO_DATA}
    assert (frame["verdict"] != NO_DATA).any()
    # an area's own figure is compared too (recomputed from its municipalities at publish)
    area_codes = {a.area_id for a in AREAS.areas}
    assert (frame[frame["code"].isin(area_codes)]["verdict"] != NO_DATA).any()
    body = overview.render(ctx, themes[0][0], "finland", "areas")
    words = text(body)
    assert "Esittelyarvoja" in words  # the demo mark
    assert "Tampere" in words and AREAS.areas[0].name_fi in words
    hrefs = [c.children.href for c in cells(body) if isinstance(c, html.Td)]
    assert any(h.startswith("/kunta/837?indicator=sotkanet:") for h in hrefs)
    assert any(h.startswith(f"/alue/{AREAS.areas[0].area_id}?indicator=") for h in hrefs)
    # every coloured cell also says its verdict in words
    for cell in (c for c in cells(body) if isinstance(c, html.Td)):
        assert any(
            w in text(cell)
            for w in (
                "parempi",
                "heikompi",
                "samaa tasoa",
                "korkeampi",
                "matalampi",
                "liian vähän",
                "ei tietoa",
            )
        )


def test_an_areas_matrix_shows_its_own_municipalities_and_sorts_by_worse(reader) -> None:
    area = AREAS.areas[1]
    ctx = ctx_for(reader, "region", "sv", area.area_id)
    regions = overview.rows_of(ctx)
    assert [r.code for r in regions] == [area.area_id, *area.municipalities]
    theme = overview.themes(ctx)[0][0]
    frame, _indicators, _demo = overview.matrix(ctx, theme, "county")
    worse = frame[frame["verdict"] == WORSE].groupby("code").size().to_dict()
    ordered = overview._sorted(regions, frame, WORSE)
    counts = [worse.get(r.code, 0) for r in ordered]
    assert counts == sorted(counts, reverse=True)
    rendered = text(overview.render(ctx, theme, "county", "worse"))
    assert "Översikt" in rendered and "välfärdsområde" in rendered.lower()

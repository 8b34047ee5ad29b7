"""The tile map (issue 14): one square per municipality where it roughly lies, coloured by the value's
fifth, grouped by coordination area with a letter and a border, each square a link and a label in words,
and the same map as a table."""

from __future__ import annotations

from pathlib import Path

import pytest
from dash import html

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import tile_map
from perhekeskus.warehouse.areas import AreaConfigError, load_areas

AREAS = load_areas(None)


def walk(node):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from walk(child)


def test_every_municipality_has_its_own_tile_and_the_province_file_is_checked(tmp_path: Path) -> None:
    tiles = AREAS.tiles()
    assert set(tiles) == set(AREAS.municipalities) and len(set(tiles.values())) == len(tiles)
    assert tiles["837"][1] > tiles["936"][1]  # Tampere lies south of Virrat
    clash = (
        Path("warehouse/province.toml")
        .read_text(encoding="utf-8")
        .replace('"020" = [3, 6]', '"020" = [2, 6]')
    )
    (tmp_path / "p.toml").write_text(clash, encoding="utf-8")
    with pytest.raises(AreaConfigError, match="share the tile"):
        load_areas(tmp_path / "p.toml")


def test_the_map_colours_fifths_links_each_square_and_has_a_table(reader) -> None:
    scope = Scope(
        "local",
        "sv",
        area_id=AREAS.area_of("837").area_id,
        municipality="837",
        municipalities=("837",),
        indicator="sotkanet:1086",
    )
    layout = tile_map._layout(PanelContext(scope, reader, Translator("sv"), AREAS), scope.indicator_key)
    squares = [n for n in walk(layout) if isinstance(n, html.A) and "tile" in (n.className or "")]
    assert len(squares) == len(AREAS.municipalities)
    tampere = next(s for s in squares if s.href.startswith("/kunta/837?"))
    assert "tile-own" in tampere.className and "Tammerfors" in tampere.title
    assert tampere.href == "/kunta/837?indicator=sotkanet:1086&lang=sv"
    colours = {s.style["background"] for s in squares}
    assert len(colours & set(tile_map.PALETTE)) == 5  # all five fifths are used on 23 municipalities
    labels = [s.to_plotly_json()["props"]["aria-label"] for s in squares]
    assert all("femtedel" in label or "uppgift" in label for label in labels)
    assert any(isinstance(n, html.Details) for n in walk(layout))  # the table one click away
    tables = [n for n in walk(layout) if isinstance(n, html.Table)]
    assert (
        tables
        and len([n for n in walk(tables[0]) if isinstance(n, html.Tr)]) == len(AREAS.municipalities) + 1
    )

"""What changed since the last meeting (issue 14): indicators their producer updated since a date, with
the data's own date; changes beyond the noise and fifth moves in the page's regions; the sources' runs."""

from __future__ import annotations

from datetime import date, timedelta

from dash import html

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import changes, trust
from perhekeskus.warehouse.areas import load_areas

AREAS = load_areas(None)
LONG_AGO = date(2000, 1, 1)


def ctx(reader, level: str = "province", lang: str = "en") -> PanelContext:
    if level == "local":
        scope = Scope(
            "local", lang, area_id=AREAS.area_of("837").area_id, municipality="837", municipalities=("837",)
        )
    else:
        scope = Scope("province", lang, municipalities=tuple(AREAS.municipalities))
    return PanelContext(scope=scope, reader=reader, _=Translator(lang), areas=AREAS)


def text(node) -> str:
    if isinstance(node, str | int | float):
        return str(node)
    children = getattr(node, "children", None)
    if children is None:
        return ""
    return " ".join(text(c) for c in (children if isinstance(children, list) else [children]))


def test_the_producers_updates_since_a_date_use_the_datas_own_date(reader) -> None:
    c = ctx(reader)
    everything = changes.updated_indicators(c, LONG_AGO)
    assert len(everything) == len(reader.rows("SELECT * FROM indicator_package"))
    newest = max(everything["data_updated"])
    since_newest = changes.updated_indicators(c, newest)
    assert len(since_newest) == (everything["data_updated"] == newest).sum() > 0
    assert (
        len(changes.updated_indicators(c, newest + timedelta(days=1)))
        == (everything["data_updated"] > newest).sum()
    )
    assert len(changes.updated_indicators(c, date(2999, 1, 1))) == 0


def test_moves_are_beyond_the_noise_or_across_a_fifth_and_link_to_the_region(reader) -> None:
    c = ctx(reader, "local")
    found = changes.moves(c, changes.updated_indicators(c, LONG_AGO))
    assert found, "the demo data has year-on-year changes in Tampere"
    for move in found:
        assert move["verdict"] in (trust.BETTER, trust.WORSE) or move["fifths"] is not None
        assert move["href"].startswith("/kunta/837?indicator=") and move["region"] == "Tampere"


def test_the_panel_lists_runs_and_says_when_nothing_changed(reader) -> None:
    body = text(changes.render(ctx(reader), LONG_AGO))
    assert "New data from the producers" in body and "sotkanet: published" in body
    assert "28 indicators with new data" in body
    quiet = text(changes.render(ctx(reader, lang="fi"), date(2999, 1, 1)))
    assert "0 indikaattoria sai uutta tietoa" in quiet
    assert "Mikään paketin indikaattori ei saanut uutta tietoa" in quiet and "Ei päivityksiä" in quiet
    assert isinstance(changes.layout(ctx(reader)), html.Div)

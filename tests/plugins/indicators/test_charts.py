"""The trend and comparison charts as figures: numbers in the page's language, whole years, titles that
wrap instead of being cut, a toolbar that only downloads an image (no sharing to Plotly's cloud), every
line in its own colour and style, the county named in the page's language, the demo mark and source
inside the figure (so inside a downloaded image), and the gender choice followed or plainly declined.

One warehouse for the indicator panels' tests (``demo_reader`` in conftest.py), filled from the bundled demo snapshot by the real pipeline (demo mode,
over a snapshot server on 127.0.0.1); the panels are rendered through their public layout functions.
"""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import plotly.graph_objects
import plotly.io
import pytest
from dash import dcc, html

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.pages import _controls
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import about, charts, key_figures
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.read import Reader

AREAS = load_areas(None)
TAMPERE = "837"
NO_GENDER = 1086  # in the demo snapshot: total only
WITH_GENDER = 191  # total, male and female
TWELVE = ("536", "604", "211", "418", "980", "020", "908", "790", "562", "922", "108", "143")


class Services:
    """What the page functions read: the warehouse and the area configuration."""

    def __init__(self, reader: Reader) -> None:
        self.reader, self.areas = reader, AREAS


def local_ctx(reader: Reader, lang: str = "fi", **view) -> PanelContext:
    area = AREAS.area_of(TAMPERE)
    scope = Scope(
        "local",
        lang,
        area_id=area.area_id,
        municipality=TAMPERE,
        municipalities=(TAMPERE,),
        **view,
    )
    return PanelContext(scope=scope, reader=reader, _=Translator(lang), areas=AREAS)


def walk(component):
    """Every component in a layout tree, in document order."""
    if isinstance(component, (list, tuple)):
        for item in component:
            yield from walk(item)
        return
    if component is None or isinstance(component, (str, int, float)):
        return
    yield component
    yield from walk(getattr(component, "children", None))


def text_of(component) -> str:
    """The text a reader sees in a layout tree, in document order."""
    if isinstance(component, (list, tuple)):
        return " ".join(filter(None, (text_of(c) for c in component)))
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    return text_of(getattr(component, "children", None))


def graph(layout, graph_id: str) -> tuple[dict, dict]:
    """(figure as a plain dict, config) of the dcc.Graph ``graph_id`` in a panel's layout."""
    found = [c for c in walk(layout) if isinstance(c, dcc.Graph) and c.id == graph_id]
    assert found, f"no {graph_id} in the layout: {text_of(layout)[:300]}"
    figure = found[0].figure
    return (figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure), found[0].config


def plain(figure) -> dict:
    """The figure as plain dicts and lists all the way down, as the browser gets it (Plotly's typed
    arrays, ``{"dtype": ..., "bdata": ...}``, decoded to lists)."""

    def decode(value):
        if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return decode(json.loads(plotly.io.to_json(figure)))


def trend(reader, lang="fi", **view) -> tuple[dict, dict]:
    fig, config = graph(charts.trend_layout(local_ctx(reader, lang, **view)), "trend-graph")
    return plain(fig), config


def comparison(reader, lang="fi", **view) -> tuple[dict, dict]:
    fig, config = graph(charts.comparison_layout(local_ctx(reader, lang, **view)), "comparison-graph")
    return plain(fig), config


# --- numbers and axes -------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "expected"), [("fi", ",\u00a0"), ("sv", ",\u00a0"), ("en", ".,")])
def test_axes_and_hovers_use_the_pages_decimal_and_thousands_separators(reader, lang, expected) -> None:
    for fig, config in (trend(reader, lang), comparison(reader, lang)):
        assert fig["layout"]["separators"] == expected
        assert config["locale"] == lang
        assert config["locales"][lang]["format"] == {"decimal": expected[0], "thousands": expected[1]}
        # hovers format the value with the indicator's decimals; Plotly puts the separators in
        assert all(
            re.search(r"%\{[xy]:,\.\d+f\}", t["hovertemplate"]) for t in fig["data"] if "hovertemplate" in t
        )


def test_the_year_axis_shows_whole_years_only(reader) -> None:
    fig, _config = trend(reader, years=(2010, 2023))
    xaxis = fig["layout"]["xaxis"]
    assert xaxis["tickformat"] == "d" and xaxis["tickmode"] == "array"
    years = sorted({int(x) for t in fig["data"] for x in t["x"]})
    ticks = xaxis["tickvals"]
    assert ticks and all(isinstance(t, int) for t in ticks) and set(ticks) <= set(years)
    assert ticks[-1] == years[-1] and len(ticks) <= 6


def test_long_titles_wrap_instead_of_being_cut(reader) -> None:
    ctx = local_ctx(reader)
    fig, _config = trend(reader)
    full = charts._title(ctx, charts.data.indicator_meta(ctx, charts.data.chosen_indicator(ctx)))
    assert len(full) > charts.TITLE_WIDTH  # the first package indicator has a long title
    lines = fig["layout"]["title"]["text"].split("<br>")
    assert len(lines) > 1 and all(len(line) <= charts.TITLE_WIDTH for line in lines)
    assert " ".join(lines) == full
    assert fig["layout"]["margin"]["t"] >= 20 * len(lines)  # the top margin makes room for every line


def as_sent(figure) -> dict:
    """The figure as Dash sends it to the browser: serialised without Plotly's validation."""
    return json.loads(plotly.io.json.to_json_plotly(figure))


@pytest.mark.parametrize("layout", [charts.trend_layout, charts.comparison_layout])
def test_figures_are_plain_dicts_that_plotly_reads_as_they_are(reader, layout) -> None:
    """The figures are built as dicts (Plotly's validating objects cost most of a panel's time), yet
    every property is one Plotly knows in the form it uses, and the default template is kept, so the
    browser draws the same chart as before."""
    figure, _config = graph(
        layout(local_ctx(reader, "fi", compare=("536", "980"))), f"{layout.__name__[:-7]}-graph"
    )
    assert type(figure) is dict and all(type(trace) is dict for trace in figure["data"])
    template = plotly.io.templates[plotly.io.templates.default].to_plotly_json()
    assert figure["layout"]["template"] == template
    validated = plotly.graph_objects.Figure(figure)  # raises on a property Plotly does not know
    assert plain(validated) == as_sent(figure)  # nothing renamed, coerced or added by validation


# --- the toolbar and the downloaded image -------------------------------------------------------------


def test_the_toolbar_only_downloads_an_image_in_the_pages_language(reader) -> None:
    for _fig, config in (trend(reader, "fi"), comparison(reader, "fi")):
        assert config["displaylogo"] is False
        assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
        assert config["modeBarButtons"] == [["toImage"]]
        assert config["locales"]["fi"]["dictionary"]["Download plot as a PNG"] == "Lataa kaavio kuvana (PNG)"
        image = config["toImageButtonOptions"]
        assert (
            image["format"] == "png"
            and image["width"] >= 800
            and re.fullmatch(r"[a-z0-9-]+", image["filename"])
        )


def test_the_image_carries_title_years_source_and_the_demo_mark(reader) -> None:
    fig, _config = trend(reader, "fi", years=(2015, 2023))
    note = fig["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert "Vuodet 2015–2023" in note
    assert "Sotkanet" in note and "Lähde" in note
    assert "DEMOARVOJA" in note  # the demo snapshot's values are invented
    assert any(a.get("text") == "DEMO" for a in fig["layout"]["annotations"])
    comp, _config = comparison(reader, "fi")
    assert re.search(r"Vuosi \d{4}", comp["layout"]["title"]["subtitle"]["text"])
    assert "DEMOARVOJA" in comp["layout"]["title"]["subtitle"]["text"]


def test_real_values_carry_no_demo_mark(reader) -> None:
    ctx = local_ctx(reader)
    _indicator, meta, frame = charts.trend_frame(ctx)
    frame = frame.assign(is_demo=False)
    fig = plain(charts.trend_figure(ctx, meta, frame, "Yhteensä"))
    assert "DEMO" not in fig["layout"]["title"]["subtitle"]["text"]
    assert not any(a.get("text") == "DEMO" for a in fig["layout"].get("annotations", []))


# --- colours, dashes and the words that name them ---------------------------------------------------


def test_every_line_has_its_own_colour_and_no_municipality_looks_like_a_reference(reader) -> None:
    fig, _config = trend(reader, "fi", compare=TWELVE)
    lines = {t["name"]: t["line"] for t in fig["data"]}
    assert len(lines) == 16  # Tampere, twelve to compare with, its coordination area, the county, Finland
    colours = [line["color"] for line in lines.values()]
    assert len(set(colours)) == len(colours)
    country, county = lines["Koko maa"], lines["Pirkanmaan hyvinvointialue"]
    assert (country["color"], country["dash"]) == ("#000000", "dash")
    assert county["dash"] == "dot"
    assert lines["Pohjoinen alue"]["dash"] == "longdash"  # Tampere's area, drawn unlike any municipality
    municipalities = [
        line
        for name, line in lines.items()
        if name not in ("Koko maa", "Pirkanmaan hyvinvointialue", "Pohjoinen alue")
    ]
    assert all(line["dash"] == "solid" for line in municipalities)
    own = lines["Tampere"]
    assert own["width"] > max(line["width"] for line in municipalities if line is not own)
    assert fig["data"][0]["name"] == "Tampere"  # the page's own municipality first in the legend


def test_comparison_highlights_the_page_and_the_chosen_municipalities_as_its_caption_says(reader) -> None:
    layout = charts.comparison_layout(local_ctx(reader, "fi", compare=("536",)))
    fig = plain(graph(layout, "comparison-graph")[0])
    bars = {t["name"]: t for t in fig["data"] if t["type"] == "bar"}
    assert bars["Tampere ◆"]["y"] == ["Tampere ◆"]
    assert bars["Valittu vertailuun ◇"]["y"] == ["Nokia ◇"]  # Nokia was chosen: highlighted, not plain
    colours = {name: t["marker"]["color"] for name, t in bars.items()}
    assert len(set(colours.values())) == 3
    caption = text_of(layout)
    assert "Oranssinpunainen pylväs (◆): Tampere" in caption and "Vihreät pylväät (◇)" in caption
    assert colours["Tampere ◆"] == charts.BAR_COLOURS["own"] == charts.OWN_COLOUR
    # the references are legend entries, not labels written over each other beside the lines
    assert not fig["layout"].get("annotations") or all(
        a.get("text") == "DEMO" for a in fig["layout"]["annotations"]
    )
    references = [t["name"] for t in fig["data"] if t["type"] == "scatter"]
    assert len(references) == 2 and all(re.search(r"\d,\d$", n) for n in references)


# --- the county's name in the page's language -------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "county", "country"),
    [
        ("fi", "Pirkanmaan hyvinvointialue", "Koko maa"),
        ("sv", "Birkalands välfärdsområde", "Hela landet"),
        ("en", "Pirkanmaa wellbeing services county", "Whole country"),
    ],
)
def test_the_county_is_named_in_the_pages_language(reader, lang, county, country) -> None:
    fig, _config = trend(reader, lang)
    assert {county, country} <= {t["name"] for t in fig["data"]}
    comp_layout = charts.comparison_layout(local_ctx(reader, lang))
    rows = [text_of(r) for r in walk(comp_layout) if isinstance(r, html.Tr)]
    assert any(r.startswith(county) for r in rows), rows
    exported = charts.trend_export(local_ctx(reader, lang))
    assert county in set(exported[Translator(lang)("Area")])  # and so is the CSV/XLSX


# --- gender ---------------------------------------------------------------------------------------


def test_an_indicator_without_gender_data_shows_both_genders_and_says_so(reader) -> None:
    layout = charts.trend_layout(local_ctx(reader, "en", indicator=NO_GENDER, gender="female"))
    assert "This indicator has no data by gender" in text_of(layout)
    fig = plain(graph(layout, "trend-graph")[0])
    assert "Total" in fig["layout"]["title"]["subtitle"]["text"]
    total = plain(graph(charts.trend_layout(local_ctx(reader, "en", indicator=NO_GENDER)), "trend-graph")[0])
    assert [t["y"] for t in fig["data"]] == [t["y"] for t in total["data"]]


def test_an_indicator_with_gender_data_follows_the_choice(reader) -> None:
    female = charts.trend_layout(local_ctx(reader, "en", indicator=WITH_GENDER, gender="female"))
    total = charts.trend_layout(local_ctx(reader, "en", indicator=WITH_GENDER))
    assert "no data by gender" not in text_of(female)
    fig_f, fig_t = plain(graph(female, "trend-graph")[0]), plain(graph(total, "trend-graph")[0])
    assert "Women and girls" in fig_f["layout"]["title"]["subtitle"]["text"]
    assert fig_f["data"][0]["y"] != fig_t["data"][0]["y"]
    comp = plain(
        graph(
            charts.comparison_layout(local_ctx(reader, "en", indicator=WITH_GENDER, gender="male")),
            "comparison-graph",
        )[0]
    )
    assert "Men and boys" in comp["layout"]["title"]["subtitle"]["text"]


def test_key_figures_say_they_do_not_follow_the_gender_choice(reader) -> None:
    assert "both genders together" in text_of(key_figures.layout(local_ctx(reader, "en", gender="male")))
    assert "both genders together" not in text_of(key_figures.layout(local_ctx(reader, "en")))


def test_the_controls_mark_indicators_without_gender_data_and_speak_the_pages_language(reader) -> None:
    ctx = local_ctx(reader, "fi", indicator=NO_GENDER, gender="male")
    controls = _controls(Translator("fi"), Services(reader), ctx.scope, "")
    dropdowns = {c.id: c for c in walk(controls) if isinstance(c, dcc.Dropdown)}
    labels = {o["value"]: o["label"] for o in dropdowns["view-indicator"].options}
    # the options name the indicator as the URL does, source and id; the bare id of the scope resolves
    assert dropdowns["view-indicator"].value == f"sotkanet:{NO_GENDER}"
    assert labels[f"sotkanet:{NO_GENDER}"].endswith("ei tietoja sukupuolen mukaan")
    assert not labels[f"sotkanet:{WITH_GENDER}"].endswith("ei tietoja sukupuolen mukaan")
    gender = dropdowns["view-gender"]
    assert gender.disabled is True and gender.value == "total"
    assert "Tästä indikaattorista ei ole tietoja sukupuolen mukaan." in text_of(controls)
    assert all(d.labels["search"] == "Hae" for d in dropdowns.values())
    with_gender = _controls(
        Translator("fi"), Services(reader), local_ctx(reader, "fi", indicator=WITH_GENDER).scope, ""
    )
    gender = next(c for c in walk(with_gender) if isinstance(c, dcc.Dropdown) and c.id == "view-gender")
    assert not gender.disabled
    facts = text_of(about.layout(local_ctx(reader, "fi", indicator=NO_GENDER)))
    assert "Tiedot sukupuolen mukaan" in facts and "ei tietoja sukupuolen mukaan" in facts

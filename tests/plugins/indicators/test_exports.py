"""Statistics downloads (``/vienti/<panel>.csv|xlsx``) as a leader opens them, through the Flask test
client on warehouses filled by the real pipeline from a Sotkanet-shaped server on 127.0.0.1:

- headers in the page's language, no internal column names
- values rounded to the indicator's decimals (the source sends ``4.300000000000001``; the change
  ``4.300000000000001 - 4.5`` is ``-0.1999999999999993``), quintiles in words
- a demo mark (first line, a demo column, a line on the XLSX About sheet) for demo values only
- each indicator's own producer and licence (127 is Statistics Finland's, 4 is THL's) and Sotkanet's
  citation line in fi, sv and en
- every download written to the audit log, with the user or as anonymous

Expected texts are written out here by hand, from the catalogs' wording and the fixtures' titles.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from support import PACKAGE_TOML, make_snapshot, metadata_127, rows_like, write_json

from perhekeskus import registry
from perhekeskus.dashboard import shell
from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.scope import parse_query, scope_for_path
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.hookspecs import hookimpl
from perhekeskus.panels import Panel, PanelContext
from perhekeskus.plugins.indicators import about
from perhekeskus.plugins.sotkanet.snapshot_server import SnapshotServer
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

TAMPERE_ID = 378  # Sotkanet's id of Tampere (837)
CRAFTED_2009, CRAFTED_2008 = 4.300000000000001, 4.5
PASSWORD = "correct horse battery"
AREAS = load_areas()
INTERNAL_NAMES = {
    "indicator_id",
    "value",
    "abs_value",
    "ref_MAA",
    "ref_HYVINVOINTIALUE",
    "change_1y",
    "fifth",
}
FIFTHS = {
    "fi": {
        "ylin viidennes",
        "toinen viidennes",
        "keskimmäinen viidennes",
        "neljäs viidennes",
        "alin viidennes",
    },
    "sv": {
        "översta femtedelen",
        "andra femtedelen",
        "mellersta femtedelen",
        "fjärde femtedelen",
        "nedersta femtedelen",
    },
    "en": {"top fifth", "second fifth", "middle fifth", "fourth fifth", "bottom fifth"},
}
HEADERS = {  # (indicator, year, value, producer, licence, demo, yes, no)
    "fi": ("Indikaattori", "Vuosi", "Arvo", "Tiedontuottaja", "Lisenssi", "Esittelyarvot", "kyllä", "ei"),
    "sv": ("Indikator", "År", "Värde", "Producent", "Licens", "Demovärden", "ja", "nej"),
    "en": ("Indicator", "Year", "Value", "Producer", "Licence", "Demo", "yes", "no"),
}
DEMO_LINE = {
    "fi": "Esittelyaineisto: keksityt arvot. Älä käytä niitä päätöksenteossa.",
    "sv": "Demodata: påhittade värden. Använd dem inte som beslutsunderlag.",
    "en": "Demo data: invented values. Do not use them for decisions.",
}


def _snapshot(root: Path) -> Path:
    """The test snapshot, with indicator 4 for 2008 and 2009 and a value the source sends unrounded."""
    snapshot = make_snapshot(root / "snapshot")
    rows = []
    for year, tampere in ((2009, CRAFTED_2009), (2008, CRAFTED_2008)):
        for row in rows_like(4):
            rows.append(
                {**row, "year": year, "value": tampere if row["region"] == TAMPERE_ID else row["value"]}
            )
    write_json(snapshot / "data" / "4.json", rows)
    return snapshot


def _world(root: Path, snapshot: Path, demo: bool) -> tuple[Settings, object]:
    root.mkdir(parents=True, exist_ok=True)
    package = root / "package.toml"
    package.write_text(PACKAGE_TOML, encoding="utf-8")
    with SnapshotServer(snapshot) as server:
        settings = Settings(
            home=root / "home",
            plugins={"sotkanet": {"url": server.base_url}},
            http_retries=1,
            indicator_package=package,
        )
        summary = run_pipeline("sotkanet", settings, years=(2008, 2009), demo=demo)
    assert summary.status == "success", summary.message
    return settings, create_app(settings)


@pytest.fixture(scope="module")
def worlds(tmp_path_factory, fixtures_dir) -> dict[str, tuple[Settings, object]]:
    """A warehouse with live-looking values and one with the same values loaded as demo."""
    root = tmp_path_factory.mktemp("exports")
    snapshot = _snapshot(root)
    real = _world(root / "real", snapshot, demo=False)
    users.add(real[0], AREAS, "admin1", PASSWORD, [("admin", None)])
    return {"real": real, "demo": _world(root / "demo", snapshot, demo=True)}


def download(worlds, which: str, url: str, client=None):
    response = (client or worlds[which][1].server.test_client()).get(url)
    assert response.status_code == 200, response.text[:500]
    return response


def parse(response, lang: str) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """(lines above the table, header, rows) of a downloaded CSV, read with the language's delimiter."""
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    delimiter = ";" if lang in ("fi", "sv") else ","
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
    start = next(i for i, r in enumerate(records) if len(r) > 1)
    assert all(len(r) == 1 for r in records[:start])
    header = records[start]
    return (
        [r[0] for r in records[:start]],
        header,
        [dict(zip(header, r, strict=True)) for r in records[start + 1 :]],
    )


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_key_figures_download_has_human_headers_rounded_values_and_fifths_in_words(worlds, lang) -> None:
    response = download(worlds, "real", f"/vienti/key-figures.csv?path=/kunta/837&lang={lang}")
    _lines, header, rows = parse(response, lang)
    indicator, year, value, producer, licence, demo, _yes, no = HEADERS[lang]
    assert {indicator, year, value, producer, licence, demo} <= set(header)
    assert not INTERNAL_NAMES & set(header), header
    assert not any(re.fullmatch(r"[a-z_]+_[a-zA-Z0-9]+", h) for h in header), header
    (row4,) = [
        r
        for r in rows
        if r[{"fi": "Indikaattorin tunnus", "sv": "Indikatorns id", "en": "Indicator id"}[lang]] == "4"
    ]
    assert row4[{"fi": "Lähde", "sv": "Källa", "en": "Source"}[lang]] == "THL Sotkanet"
    comma = lang in ("fi", "sv")
    assert row4[value] == ("4,3" if comma else "4.3")
    change = {
        "fi": "Muutos edellisestä vuodesta",
        "sv": "Förändring från föregående år",
        "en": "Change from previous year",
    }
    assert row4[change[lang]] == ("-0,2" if comma else "-0.2")
    assert "0000000" not in response.data.decode("utf-8")  # no float noise anywhere in the file
    place = {
        "fi": "Sijoittuminen Pirkanmaan kuntien joukossa",
        "sv": "Placering bland Birkalands kommuner",
        "en": "Place among Pirkanmaa's municipalities",
    }[lang]
    assert row4[place] in FIFTHS[lang]
    assert {r[demo] for r in rows} == {no}


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_trend_download_rounds_to_the_indicators_decimals(worlds, lang) -> None:
    response = download(worlds, "real", f"/vienti/trend.csv?path=/kunta/837&indicator=4&lang={lang}")
    _lines, header, rows = parse(response, lang)
    year, value = HEADERS[lang][1:3]
    tampere = {r[year]: r[value] for r in rows if r[{"fi": "Aluekoodi", "en": "Area code"}[lang]] == "837"}
    assert tampere == ({"2008": "4,5", "2009": "4,3"} if lang == "fi" else {"2008": "4.5", "2009": "4.3"})
    assert {"region_code", "region_category", "abs_value", "indicator_id"}.isdisjoint(header)
    gender = {"fi": "Sukupuoli", "en": "Gender"}[lang]
    assert {r[gender] for r in rows} == {{"fi": "Yhteensä", "en": "Total"}[lang]}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_demo_values_carry_the_demo_mark_and_real_values_do_not(worlds, lang) -> None:
    url = f"/vienti/comparison.csv?path=/kunta/837&indicator=4&lang={lang}"
    demo_lines, header, demo_rows = parse(download(worlds, "demo", url), lang)
    real_lines, _header, real_rows = parse(download(worlds, "real", url), lang)
    demo, yes, no = HEADERS[lang][5:]
    assert demo_lines[0] == DEMO_LINE[lang]
    assert demo in header and demo_rows and {r[demo] for r in demo_rows} == {yes}
    assert DEMO_LINE[lang] not in real_lines and {r[demo] for r in real_rows} == {no}


def test_demo_mark_in_the_xlsx_data_and_about_sheets(worlds) -> None:
    for which, expected in (("demo", "kyllä"), ("real", "ei")):
        body = download(worlds, which, "/vienti/key-figures.xlsx?path=/kunta/837&lang=fi").data
        book = load_workbook(io.BytesIO(body))
        data, about_sheet = book.worksheets
        header = [c.value for c in data[1]]
        column = header.index("Esittelyarvot")
        assert {row[column] for row in data.iter_rows(min_row=2, values_only=True)} == {expected}
        about_text = [str(v) for row in about_sheet.iter_rows(values_only=True) for v in row if v]
        assert (DEMO_LINE["fi"] in about_text) == (which == "demo")
        for row in data.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)


def test_each_indicator_names_its_own_producer_and_licence(worlds) -> None:
    _lines, _header, rows = parse(
        download(worlds, "real", "/vienti/key-figures.csv?path=/kunta/837&lang=en"), "en"
    )
    by_id = {r["Indicator id"]: r for r in rows}
    assert by_id["127"]["Producer"] == "Statistics Finland"
    assert by_id["4"]["Producer"] == "Institute for Health and Welfare (THL)"
    assert by_id["127"]["Licence"] == by_id["4"]["Licence"] == "CC BY 4.0"
    sv = parse(download(worlds, "real", "/vienti/key-figures.csv?path=/kunta/837&lang=sv"), "sv")[2]
    assert {r["Indikatorns id"]: r["Producent"] for r in sv}["127"] == "Statistikcentralen"


@pytest.mark.parametrize(
    ("lang", "form"),
    [
        (
            "fi",
            "Tilasto- ja indikaattoripankki Sotkanet. Terveyden ja hyvinvoinnin laitos. {title} (ind. 127). Viitattu {date}.",
        ),
        (
            "sv",
            "Statistik- och indikatorbanken Sotkanet. Institutet för hälsa och välfärd. {title} (ind. 127). Hänvisat {date}.",
        ),
        (
            "en",
            "Statistics and Indicator Bank Sotkanet. Finnish Institute for Health and Welfare. {title} (ind. 127). Cited {date}.",
        ),
    ],
)
def test_downloads_cite_sotkanet_in_its_own_form(worlds, lang, form) -> None:
    response = download(worlds, "real", f"/vienti/trend.csv?path=/kunta/837&indicator=127&lang={lang}")
    lines, _header, _rows = parse(response, lang)
    title = metadata_127()["title"][lang]
    today = datetime.now(UTC)  # the data was retrieved today, when this module's warehouse was built
    citation = [line for line in lines if "(ind. 127)" in line]
    assert len(citation) == 1
    if lang == "fi":
        assert citation[0] == form.format(title=title, date=f"{today.day}.{today.month}.{today.year}")
    else:  # month abbreviations differ between CLDR versions: check the form around the date
        prefix, suffix = form.split("{date}")
        assert citation[0].startswith(prefix.format(title=title)) and citation[0].endswith(suffix)
        assert f"{today.day} " in citation[0] and str(today.year) in citation[0]
    producer = {"fi": "Tilastokeskus", "sv": "Statistikcentralen", "en": "Statistics Finland"}[lang]
    assert any(producer in line and "CC BY 4.0" in line for line in lines), lines
    assert not any("THL's own data" in line for line in lines)


def test_every_statistics_download_is_audited(worlds) -> None:
    settings, app = worlds["real"]
    before = len(audit.entries(settings, action="export"))
    download(worlds, "real", "/vienti/trend.xlsx?path=/kunta/837&indicator=4&lang=en")
    admin = app.server.test_client()
    form = admin.get("/kirjaudu")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    signed = admin.post(
        "/kirjaudu",
        data={"username": "admin1", "password": PASSWORD, "csrf_token": token},
        headers={"Origin": "http://localhost"},
    )
    assert signed.status_code == 303
    download(worlds, "real", "/vienti/key-figures.csv?path=/kunta/837&lang=fi", client=admin)
    entries = audit.entries(settings, action="export")
    assert len(entries) == before + 2
    mine, anonymous = entries[0], entries[1]
    assert (anonymous["actor"], anonymous["target"]) == (None, "statistics")
    details = json.loads(anonymous["details"])
    assert (details["panel"], details["format"], details["path"]) == ("trend", "xlsx", "/kunta/837")
    assert "indicator=4" in details["view"]
    assert (mine["actor"], mine["target"]) == ("admin1", "statistics")
    assert json.loads(mine["details"])["panel"] == "key-figures"


def _context(worlds, which: str, url: str, lang: str) -> PanelContext:
    settings, app = worlds[which]
    path, _sep, query = url.partition("?")
    _ = Translator(lang)
    scope = scope_for_path(path, parse_query(query), lang, AREAS)
    return PanelContext(scope, app.services.reader, _, AREAS, {"settings": settings})


def _text(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list | tuple):
        return " ".join(_text(n) for n in node)
    children = getattr(node, "children", None)
    return _text(children) if children is not None else ""


def test_the_about_panel_names_the_producer_licence_and_citation(worlds) -> None:
    text = _text(about.layout(_context(worlds, "real", "/kunta/837?indicator=127", "en")))
    assert "Source: Statistics Finland; published in Sotkanet (THL). Licence: CC BY 4.0." in text
    assert "(ind. 127). Cited" in text
    assert "Source: THL, Sotkanet" not in text
    fi = _text(about.layout(_context(worlds, "real", "/kunta/837?indicator=4", "fi")))
    assert (
        "Lähde: Terveyden ja hyvinvoinnin laitos (THL); julkaistu Sotkanetissa (THL). Lisenssi: CC BY 4.0."
        in fi
    )


def test_the_footer_names_every_producer_with_its_licence(worlds) -> None:
    reader = worlds["real"][1].services.reader
    line = shell.source_line(Translator("en"), reader)
    assert "Statistics Finland (CC BY 4.0)" in line
    assert "Institute for Health and Welfare (THL) (CC BY 4.0)" in line
    assert "THL's own data" not in line


class PlainPanel:
    """A plugin panel whose export says nothing about demo values or indicators."""

    @hookimpl
    def perhekeskus_panels(self):
        def export(ctx):
            return pd.DataFrame({"Note": ["=1+1", "x;@SUM(A1)"], "Count": [-2, 3]})

        return [
            Panel(
                "plain-export", {"fi": "P", "sv": "P", "en": "P"}, ("local",), lambda ctx: None, export=export
            )
        ]


def test_a_plugin_panels_download_is_marked_demo_from_the_warehouse_and_guarded(worlds) -> None:
    plugin = PlainPanel()
    registry.plugin_manager().register(plugin, name="plain-export")
    try:
        url = "/vienti/plain-export.csv?path=/kunta/837&lang=en"
        demo_lines, _demo_header, demo_rows = parse(download(worlds, "demo", url), "en")
        real_lines, real_header, real_rows = parse(download(worlds, "real", url), "en")
    finally:
        registry.plugin_manager().unregister(plugin)
    assert demo_lines[0] == DEMO_LINE["en"] and {r["Demo"] for r in demo_rows} == {"yes"}
    assert DEMO_LINE["en"] not in real_lines and "Demo" not in real_header
    assert [r["Note"] for r in real_rows] == ["'=1+1", "x;'@SUM(A1)"]
    assert [r["Count"] for r in real_rows] == ["-2", "3"]

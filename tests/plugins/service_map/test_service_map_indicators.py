"""The related indicators beside the service map: the configuration (packaged default and the setting that
overrides it), the figures read from a small known warehouse (latest year, county and Finland in that year,
demo mark, a missing indicator, a missing year, an area figure), and the column as the page shows it.

The warehouse is the session's published service map plus indicator rows written through the platform's
staging and atomic publish (as a run writes them), so the page reads them through its real reader.
"""

from __future__ import annotations

import tomllib
import uuid
from pathlib import Path

import pytest
from support import copy_of_home, router_body

from perhekeskus import IndicatorKey
from perhekeskus.dashboard.app import create_app
from perhekeskus.plugins.service_map.services import task_indicators
from perhekeskus.plugins.service_map.services.task_indicators import TaskIndicators
from perhekeskus.vocabulary import load_vocabulary
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import Staging, run_lock
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

REPO = Path(__file__).resolve().parents[3]
PACKAGE = REPO / "plugins" / "sotkanet" / "indicator_package.toml"
AREAS = load_areas()
COUNTY = AREAS.county_code
WEST = AREAS.area_of("536").area_id

INDICATORS = (  # id, Finnish, Swedish, English title, decimals (191: no values; 1077 and 228: absent)
    ("1086", "Lastensuojeluilmoitus FI", "Barnskyddsanmälan SV", "Child welfare notification EN", 1),
    ("1245", "Avohuolto FI", "Öppenvård SV", "Community-based support EN", 1),
    ("191", "Sijoitetut FI", "Placerade SV", "Placed outside the home EN", 1),
    ("423", "Toimeentulotuki FI", "Utkomststöd SV", "Income support EN", 1),
)
VALUES = (  # indicator, category, code, year, gender, value, run
    ("1086", "KUNTA", "536", 2021, "total", 3.0, "run-live"),
    ("1086", "KUNTA", "536", 2022, "total", 3.5, "run-live"),
    ("1086", "KUNTA", "536", 2022, "male", 9.9, "run-live"),  # not the total: never shown
    ("1086", "HYVINVOINTIALUE", COUNTY, 2021, "total", 4.0, "run-live"),
    ("1086", "HYVINVOINTIALUE", COUNTY, 2022, "total", 4.1, "run-live"),
    ("1086", "MAA", "SSS", 2022, "total", 4.4, "run-live"),
    ("1086", "KOORDINAATIOALUE", WEST, 2022, "total", 3.9, "run-live"),
    ("1086", "KUNTA", "837", 2023, "total", 7.7, "run-live"),  # another municipality's newer year
    ("1245", "KUNTA", "536", 2020, "total", 2.2, "run-demo"),
    ("1245", "HYVINVOINTIALUE", COUNTY, 2020, "total", 2.5, "run-demo"),
    ("1245", "MAA", "SSS", 2020, "total", 2.7, "run-demo"),
    ("423", "HYVINVOINTIALUE", COUNTY, 2021, "total", 5.5, "run-live"),
    ("423", "MAA", "SSS", 2021, "total", 6.0, "run-live"),
)


def add_indicators(settings: Settings) -> None:
    """Write the known indicator rows into a staging copy of the warehouse and publish it atomically."""
    with run_lock(settings):
        staging = Staging(settings, f"sm-indicators-{uuid.uuid4().hex[:8]}")
        try:
            con = staging.open()
            for ident, fi, sv, en, decimals in INDICATORS:
                con.execute(
                    "INSERT INTO indicator (source, indicator_id, title_fi, title_sv, title_en, decimals) "
                    "VALUES ('sotkanet', ?, ?, ?, ?, ?)",
                    [ident, fi, sv, en, decimals],
                )
            for run, demo in (("run-live", False), ("run-demo", True)):
                con.execute(
                    "INSERT INTO etl_run (run_id, source, started_at, status, is_demo) "
                    "VALUES (?, 'sotkanet', now(), 'success', ?)",
                    [run, demo],
                )
            for ident, category, code, year, gender, value, run in VALUES:
                con.execute(
                    "INSERT INTO indicator_value (source, indicator_id, region_code, region_category, year, "
                    "gender, value, abs_value, run_id) VALUES ('sotkanet', ?, ?, ?, ?, ?, ?, NULL, ?)",
                    [ident, code, category, year, gender, value, run],
                )
            staging.publish()
        finally:
            staging.discard()


@pytest.fixture(scope="module")
def indicator_settings(published_home: Path, tmp_path_factory) -> Settings:
    settings = copy_of_home(tmp_path_factory.mktemp("service-map-indicators"), published_home)
    add_indicators(settings)
    return settings


@pytest.fixture(scope="module")
def client(indicator_settings: Settings):
    return create_app(indicator_settings).server.test_client()


def texts(component) -> list[str]:
    """Every text child of a Dash component tree (JSON), in order."""
    found: list[str] = []
    stack = [component]
    while stack:
        item = stack.pop(0)
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            stack[0:0] = item
        elif isinstance(item, dict):
            children = item.get("props", {}).get("children")
            if children is not None:
                stack.insert(0, children)
    return found


def page(client, search: str) -> tuple[str, dict]:
    """The page's text and the router's answer, as the browser receives them."""
    response = client.post(
        "/_dash-update-component",
        json=router_body("/palvelukartta", search),
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 200, response.text[:300]
    body = response.get_json()["response"]
    return " | ".join(texts(body["app-root"]["children"])), body


def key(ident: str) -> IndicatorKey:
    return IndicatorKey("sotkanet", ident)


# --- the configuration -------------------------------------------------------------------------------------


def test_the_default_names_tasks_of_the_vocabulary_and_indicators_of_the_package() -> None:
    config = TaskIndicators.load()
    tasks = set(load_vocabulary().codes("task"))
    assert set(config.by_task) == tasks  # every task is decided, even if it is "none configured"
    package = {str(i["id"]) for i in tomllib.loads(PACKAGE.read_text(encoding="utf-8"))["indicator"]}
    named = {k for keys in config.by_task.values() for k in keys}
    assert named and all(k.source == "sotkanet" and k.id in package for k in named), named
    assert config.of("family_social_work")[0] == key("1086")
    assert config.of("rehabilitation") == ()


def test_the_setting_overrides_the_default_and_a_broken_file_falls_back(tmp_path: Path, monkeypatch) -> None:
    own = tmp_path / "own.toml"
    own.write_text(
        '[indicators]\nfamily_work = ["sotkanet:423", "not a key", "sotkanet:423", "statfin:children_0_6"]\n',
        encoding="utf-8",
    )
    settings = Settings(home=tmp_path / "home", plugins={"service_map": {"task_indicators": str(own)}})
    config = task_indicators.configured(settings)
    assert config.of("family_work") == (key("423"), IndicatorKey("statfin", "children_0_6"))
    assert config.of("family_social_work") == ()  # the own file replaces the default, task by task

    monkeypatch.setenv("PERHEKESKUS_SERVICE_MAP_TASK_INDICATORS", str(own))
    assert task_indicators.configured(Settings(home=tmp_path / "home")).of("family_work")[0] == key("423")

    own.write_text("[indicators\nbroken", encoding="utf-8")
    assert task_indicators.configured(settings) == TaskIndicators.load()
    missing = Settings(
        home=tmp_path / "home", plugins={"service_map": {"task_indicators": str(tmp_path / "no")}}
    )
    assert task_indicators.configured(missing) == TaskIndicators.load()


# --- the figures ---------------------------------------------------------------------------------------------


def test_figures_of_a_municipality_an_area_and_the_province(indicator_settings: Settings) -> None:
    reader = Reader(indicator_settings)
    keys = [key(i) for i in ("1086", "1245", "191", "423", "1077")]
    found = task_indicators.figures(reader, keys, ("KUNTA", "536"), COUNTY)

    notification = found[key("1086")]
    assert notification.known and notification.title("sv") == "Barnskyddsanmälan SV"
    # the place's latest year (not Tampere's 2023), the references in that same year, totals only
    assert (notification.year, notification.value, notification.county, notification.finland) == (
        2022,
        3.5,
        4.1,
        4.4,
    )
    assert not notification.is_demo
    demo = found[key("1245")]
    assert (demo.year, demo.value, demo.is_demo) == (2020, 2.2, True)
    no_place_value = found[key("423")]
    assert (no_place_value.year, no_place_value.value, no_place_value.county) == (2021, None, 5.5)
    assert found[key("191")].known and found[key("191")].year is None
    assert not found[key("1077")].known

    area = task_indicators.figures(reader, [key("1086")], ("KOORDINAATIOALUE", WEST), COUNTY)[key("1086")]
    assert (area.year, area.value, area.county) == (2022, 3.9, 4.1)
    province = task_indicators.figures(reader, [key("1086")], ("MAAKUNTA", AREAS.province_code), COUNTY)
    assert province[key("1086")].value is None and province[key("1086")].year == 2022


def test_no_warehouse_gives_unknown_indicators_not_an_error(tmp_path: Path) -> None:
    reader = Reader(Settings(home=tmp_path / "empty"))
    found = task_indicators.figures(reader, [key("1086")], ("KUNTA", "536"), COUNTY)
    assert found == {key("1086"): task_indicators.Figure(key("1086"), known=False)}


# --- the column on the page --------------------------------------------------------------------------------


def column_text(body: dict) -> str:
    """The visible text of the indicator column in the router's answer."""
    tree = body["app-root"]["children"]
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            props = item.get("props") or {}
            if props.get("id") == "service-map-indicators":
                return " | ".join(texts(item))
            stack.extend(v for v in props.values() if isinstance(v, (list, dict)))
    raise AssertionError("no indicator column")


def hrefs(body: dict) -> list[str]:
    import json
    import re

    return re.findall(r'"href":\s*"([^"]+)"', json.dumps(body))


def test_the_column_shows_the_chosen_task_for_the_municipality(client) -> None:
    _text, body = page(client, "?lang=en&kunta=536&task=family_social_work")
    text = column_text(body)
    assert "Related indicators" in text and "Social work for families with children" in text
    assert "Child welfare notification EN" in text
    for shown in ("2022", "3.5", "4.1", "4.4", "Nokia", "Wellbeing services county", "Finland"):
        assert shown in text, shown
    assert "9.9" not in text and "7.7" not in text
    assert "No values for this indicator yet." in text  # 191
    assert text.count("This indicator is not in the warehouse.") == 2  # 1077 and 228
    assert "sotkanet:1077" in text
    assert "(demo)" not in text and "Demo values." not in text
    assert "/kunta/536?indicator=sotkanet:1086" in hrefs(body)


def test_demo_values_are_marked_and_a_missing_place_value_is_said(client) -> None:
    _text, body = page(client, "?lang=fi&kunta=536&task=family_work")
    text = column_text(body)
    assert "Esittelyarvoja." in text and "(demo)" in text
    assert "2,2" in text  # Finnish decimals
    assert "Arvoa ei ole (Nokia); näytetään vertailualueiden uusin vuosi." in text  # 423
    assert "ei tietoa" in text


def test_an_opened_cell_shows_its_task_and_an_area_its_own_figure(client) -> None:
    _text, body = page(client, f"?lang=sv&area={WEST}&mode=municipalities&cell=family_social_work:536")
    text = column_text(body)
    assert "Barnskyddsanmälan SV" in text and "3,9" in text  # the area's figure
    assert f"/alue/{WEST}?indicator=sotkanet:1086" in hrefs(body)


def test_without_a_task_every_task_is_a_disclosure(client) -> None:
    _text, body = page(client, "?lang=en")
    text = column_text(body)
    assert "No related indicator is configured for this task." in text  # rehabilitation
    assert "Social work for families with children (4)" in text
    assert "/maakunta?indicator=sotkanet:1086" in hrefs(body)


def test_the_page_follows_the_setting(client, tmp_path: Path, monkeypatch) -> None:
    own = tmp_path / "own.toml"
    own.write_text('[indicators]\nfamily_social_work = ["sotkanet:1245"]\n', encoding="utf-8")
    monkeypatch.setenv("PERHEKESKUS_SERVICE_MAP_TASK_INDICATORS", str(own))
    _text, body = page(client, "?lang=en&kunta=536&task=family_social_work")
    text = column_text(body)
    assert "Community-based support EN" in text and "Child welfare notification EN" not in text


def test_a_suggestion_without_linked_actors_says_so_instead_of_a_link(client) -> None:
    text, body = page(client, "?lang=en&kunta=536")
    assert "No actor of the network map is linked to these services." in text
    assert not [h for h in hrefs(body) if h.startswith("/verkosto?")]


# --- the printout for a meeting and the downloads -----------------------------------------------------------


def test_the_print_view_has_the_place_the_matrix_in_words_the_suggestions_and_no_controls(client) -> None:
    response = client.get("/palvelukartta/tuloste?lang=en&kunta=536")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Service map: Nokia</h1>" in html and "for the steering group meeting." in html
    # every cell in a word and a symbol, the matrix's header repeated on each printed sheet
    assert "◫ Overlap" in html and "✖ Gap" in html and "– Not expected" in html
    assert "<thead>" in html and "thead { display: table-header-group; }" in html
    assert "3 organisations offer Leisure and peer groups for Babies (0–1) in Nokia" in html
    assert "<script" not in html and "<form" not in html and "<select" not in html and "<button" not in html
    assert "main-nav" not in html  # no menus
    assert "Services: the service map of the family-centre network, published" in html
    # every task's indicators are printed, family work's demo value among them: the mark is on
    assert 'id="sm-print-demo-mark"' in html and "DEMO: invented values, not real data" in html


def test_the_print_view_shows_the_related_indicators_and_marks_demo_values(client) -> None:
    html = client.get("/palvelukartta/tuloste?lang=en&kunta=536&task=family_social_work").text
    assert "Child welfare notification EN" in html
    for shown in ('<td class="num">2022</td>', '<td class="num">3.5</td>', "4.1", "4.4"):
        assert shown in html, shown
    assert "No values for this indicator yet." in html and "This indicator is not in the warehouse." in html
    assert 'id="sm-print-demo-mark"' not in html
    demo = client.get("/palvelukartta/tuloste?lang=fi&kunta=536&task=family_work").text
    assert 'id="sm-print-demo-mark"' in demo and "2,2 (demo)" in demo
    assert "Perhetyö" in demo  # the chosen task named among the filters, in Finnish


def test_the_printout_as_a_pdf_carries_the_demo_mark_on_every_page(client) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get("/palvelukartta/tuloste.pdf?lang=en&task=family_work")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = PdfReader(BytesIO(response.data)).pages
    assert len(pages) >= 2  # the province's municipalities make more than one sheet
    texts = [p.extract_text().replace("\x00", "") for p in pages]
    assert "Service map: Pirkanmaa" in texts[0]
    assert all("DEMO: invented values, not real data" in t for t in texts)


def test_the_page_links_to_the_print_view_with_its_query(client) -> None:
    _text, body = page(client, "?lang=en&kunta=536&task=family_work")
    for path in ("/palvelukartta/tuloste?", "/palvelukartta/vienti/indikaattorit.csv?"):
        (link,) = [h for h in hrefs(body) if h.startswith(path)]
        assert {"kunta=536", "task=family_work", "lang=en"} <= set(link.split("?")[1].split("&")), link


def test_the_xlsx_download_has_a_sheet_of_the_related_indicators(client) -> None:
    import io

    from openpyxl import load_workbook

    response = client.get("/palvelukartta/vienti/matriisi.xlsx?lang=en&kunta=536&task=family_social_work")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Service map", "Related indicators"]
    rows = list(book["Related indicators"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:8] == (
        "Task",
        "Indicator",
        "Indicator key",
        "Place",
        "Year",
        "Value",
        "Wellbeing services county",
        "Finland",
    )
    by_key = {r[2]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    notification = by_key["sotkanet:1086"]
    assert notification["Task"] == "Social work for families with children"
    assert (notification["Place"], notification["Year"], notification["Value"]) == ("Nokia", 2022, 3.5)
    assert (notification["Wellbeing services county"], notification["Finland"], notification["Demo"]) == (
        4.1,
        4.4,
        "no",
    )
    assert by_key["sotkanet:1077"]["Note"] == "This indicator is not in the warehouse."


def test_the_csv_of_the_related_indicators_is_its_own_file(client) -> None:
    import csv
    import io

    response = client.get("/palvelukartta/vienti/indikaattorit.csv?lang=fi&kunta=536&task=family_work")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    support = dict(zip(header, next(r for r in body if r[2] == "sotkanet:1245"), strict=True))
    assert support["Paikka"] == "Nokia" and support["Vuosi"] == "2020" and support["Arvo"] == "2,2"
    assert support["Esittelyarvot"] == "kyllä"
    income = dict(zip(header, next(r for r in body if r[2] == "sotkanet:423"), strict=True))
    assert income["Arvo"] == "" and income["Hyvinvointialue"] == "5,5"

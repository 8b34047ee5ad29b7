"""The public page ``/palvelukartta`` through the Dash app (as the browser receives it), in fi/sv/en: the
matrix, a cell's services, suggestions, names with markup shown as text, the empty state and downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from support import copy_of_home, router_body

from perhekeskus.dashboard.app import create_app
from perhekeskus.plugins.service_map.services import demo

ORIGIN = {"Origin": "http://localhost"}
XSS = '<script>alert("x")</script>'


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
            props = item.get("props", {})
            children = props.get("children")
            if children is not None:
                stack.insert(0, children)
    return found


def page(client, search: str) -> tuple[str, dict]:
    response = client.post(
        "/_dash-update-component", json=router_body("/palvelukartta", search), headers=ORIGIN
    )
    assert response.status_code == 200, response.text[:300]
    body = response.get_json()["response"]
    return " | ".join(texts(body["app-root"]["children"])), body


@pytest.fixture(scope="module")
def client(published_home: Path, tmp_path_factory):
    settings = copy_of_home(tmp_path_factory.mktemp("service-map-page"), published_home)
    return create_app(settings).server.test_client()


@pytest.mark.parametrize(
    "lang,words",
    [
        ("fi", ("Palvelukartta", "Katvealue", "Päällekkäisyys", "Ehdotukset")),
        ("sv", ("Servicekarta", "Lucka", "Överlappning", "Förslag")),
        ("en", ("Service map", "Gap", "Overlap", "Suggestions")),
    ],
)
def test_the_matrix_speaks_the_page_language(client, lang, words) -> None:
    text, body = page(client, f"?lang={lang}")
    assert body["page-meta"]["data"]["title"].startswith(words[0])
    for word in words[1:]:
        assert word in text, (lang, word)
    assert "This panel could not be shown" not in text


def test_nokia_shows_the_overlap_and_a_cell_lists_its_services_as_text(client) -> None:
    text, body = page(client, "?lang=en&kunta=536&cell=leisure_peer_groups:babies")
    assert "◫ Overlap" in text
    assert (
        "3 organisations offer Leisure and peer groups for Babies (0–1) in Nokia: MLL Nokia, Nokian kaupunki, Nokian seurakunta."
        in text
    )
    assert "They could coordinate." in text  # an NGO, a parish and the city
    assert XSS in texts(body["app-root"]["children"])  # a text child: React shows it as text, never markup
    raw = json.dumps(body)
    assert "dangerouslySetInnerHTML" not in raw
    assert '"type": "Script"' not in raw


def test_a_gap_that_a_neighbour_fills_is_suggested_in_plain_words(client) -> None:
    text, _body = page(client, "?lang=en&area=etelainen")
    assert "Urjala has no Services around divorce" in text
    assert "Akaa, Valkeakoski in the same area have it" in text
    text, _body = page(client, "?lang=en&area=etelainen&mode=municipalities&task=divorce_services")
    assert "Family-centre tasks in the municipalities of Southern area" in text


def test_unknown_choices_in_the_address_are_left_out_with_a_notice(client) -> None:
    text, _body = page(client, "?lang=en&kunta=999&task=<b>&cell=x:y")
    assert "were not understood" in text
    assert "Cells:" in text


def test_the_downloads_hold_the_matrix_and_the_services(client) -> None:
    matrix = client.get("/palvelukartta/vienti/matriisi.csv?kunta=536&lang=en")
    assert matrix.status_code == 200
    rows = list(csv.DictReader(io.StringIO(matrix.data.decode("utf-8-sig"))))
    babies = next(
        r for r in rows if r["Task"] == "Leisure and peer groups" and r["Client group"] == "Babies (0–1)"
    )
    assert (babies["Services"], babies["Providers"], babies["Status"]) == ("3", "3", "Overlap")
    services = client.get("/palvelukartta/vienti/palvelut.xlsx?kunta=536&lang=fi")
    assert services.status_code == 200 and services.data[:2] == b"PK"


def test_an_empty_map_tells_editors_how_to_import(tmp_path) -> None:
    from perhekeskus.warehouse.settings import Settings

    app = create_app(Settings(home=tmp_path / "home"))
    text, _body = page(app.server.test_client(), "?lang=fi")
    assert "Palvelukartalle ei ole vielä julkaistu palveluja." in text
    assert "perhekeskus services demo" in text


def test_the_demo_map_is_invented_labelled_and_repeatable(areas) -> None:
    first, again = demo.demo_rows(areas), demo.demo_rows(areas)
    assert first == again and len(first) > 100
    assert all(r["name"].endswith("(demo)") for r in first)
    assert {m for r in first for m in r["municipalities"]} == set(areas.municipalities)
